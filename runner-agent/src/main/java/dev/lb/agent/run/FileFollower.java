package dev.lb.agent.run;

import dev.lb.protocol.LineSplitter;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
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

    private final Path file;
    private final Duration interval;
    private final LineSplitter splitter;
    private final Thread thread;
    private volatile boolean stopping;
    private long offset;
    private long readErrors;

    FileFollower(Path file, Duration interval, int maxLineBytes, LineSplitter.Sink sink) {
        this.file = file;
        this.interval = interval;
        this.splitter = new LineSplitter(maxLineBytes, sink);
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
        splitter.finish();
    }

    private void readAvailable() {
        try {
            long size = Files.size(file);
            if (size < offset) {
                log.warn("{} shrank from {} to {} bytes; reading it again from the start", file, offset, size);
                offset = 0;
            }
            if (size == offset) {
                return;
            }
            try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
                f.seek(offset);
                byte[] buf = new byte[64 * 1024];
                for (int n; (n = f.read(buf)) > 0; ) {
                    splitter.feed(buf, 0, n);
                    offset += n;
                }
            }
        } catch (NoSuchFileException e) {
            // Not created yet: the writer creates it when it starts logging. Checked again next interval.
        } catch (IOException e) {
            readErrors++;
            log.error("reading {} at offset {} failed (error {}): {}", file, offset, readErrors, e.toString());
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
