package dev.lb.agent.run;

import dev.lb.protocol.FileTail;
import dev.lb.protocol.LineSplitter;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows a file another process writes (k6's log): reads what was appended every poll interval, emits whole
 * lines, and on {@link #stopAndDrain} reads to the end once more so lines written just before the writer exited
 * are not lost. A file that does not exist yet is waited for; one that shrinks is read again from the start.
 */
final class FileFollower {
    private static final Logger log = LoggerFactory.getLogger(FileFollower.class);

    private final Duration interval;
    private final FileTail tail;
    private final Thread thread;
    private volatile boolean stopping;
    private long readErrors;

    FileFollower(Path file, Duration interval, int maxLineBytes, LineSplitter.Sink sink) {
        this.interval = interval;
        this.tail = new FileTail(file, new LineSplitter(maxLineBytes, sink));
        this.thread = new Thread(this::follow, "follow-" + file.getFileName());
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    private void follow() {
        try {
            while (!stopping) {
                readAvailable();
                Thread.sleep(interval.toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        readAvailable();
        tail.finish();
    }

    private void readAvailable() {
        try {
            FileTail.Read r = tail.readNew();
            if (r.restarted()) {
                log.warn("{} shrank from {} to {} bytes; reading it again from the start", tail.file(),
                        r.previousOffset(), r.size());
            }
        } catch (IOException e) {
            readErrors++;
            log.error("reading {} at offset {} failed (error {}): {}", tail.file(), tail.offset(), readErrors,
                    e.toString());
        }
    }

    /** Stops following after one last read to the end; the final line is emitted even without a newline. */
    void stopAndDrain() throws InterruptedException {
        stopping = true;
        thread.interrupt();
        thread.join();
    }

    long readErrors() {
        return readErrors;
    }
}
