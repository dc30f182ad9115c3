package dev.lb.agent.run;

import dev.lb.protocol.LineSplitter;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Reads one of the workload's pipes to its end on a thread of its own, line by line into events. */
final class OutputPump {
    private static final Logger log = LoggerFactory.getLogger(OutputPump.class);

    private final Thread thread;
    private final LineEvents events;
    private volatile IOException failure;

    OutputPump(String name, InputStream in, int maxLineBytes, LineEvents events) {
        this.events = events;
        this.thread = new Thread(() -> pump(in, new LineSplitter(maxLineBytes, events)), "pump-" + name);
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    private void pump(InputStream in, LineSplitter splitter) {
        byte[] buf = new byte[64 * 1024];
        try (in) {
            for (int n; (n = in.read(buf)) >= 0; ) {
                splitter.feed(buf, 0, n);
            }
        } catch (IOException e) {
            failure = e;
            log.error("reading {} failed after {} lines: {}", thread.getName(), events.lines(), e.toString());
        } finally {
            // A last line without a newline is still a line: the workload has ended, nothing more will follow it.
            splitter.finish();
        }
    }

    /** Waits for the pipe to close; false when it is still open after the timeout. */
    boolean awaitEnd(long timeout, TimeUnit unit) throws InterruptedException {
        thread.join(unit.toMillis(timeout));
        return !thread.isAlive();
    }

    IOException failure() {
        return failure;
    }

    LineEvents events() {
        return events;
    }
}
