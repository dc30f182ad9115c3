package dev.lb.controller.view;

import java.io.PrintWriter;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Prints on a thread of its own so that a slow terminal never slows ingest. When the terminal falls so far behind
 * that the buffer is full, display lines are skipped and counted: the journal has every event regardless.
 */
final class AsyncPrinter {
    private static final String END = new String("end"); // identity-compared sentinel

    private final PrintWriter out;
    private final BlockingQueue<String> lines;
    private final Thread thread;
    private volatile long skipped;

    AsyncPrinter(PrintWriter out, int capacity) {
        this.out = out;
        this.lines = new ArrayBlockingQueue<>(capacity);
        this.thread = new Thread(this::loop, "printer");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /** Never blocks. */
    void print(String line) {
        if (!lines.offer(line)) {
            skipped++;
        }
    }

    long skipped() {
        return skipped;
    }

    /** Prints what is queued, then stops. */
    void close() throws InterruptedException {
        lines.put(END);
        thread.join(TimeUnit.SECONDS.toMillis(30));
        out.flush();
    }

    private void loop() {
        try {
            while (true) {
                String line = lines.take();
                if (line == END) {
                    return;
                }
                out.print(line);
                if (lines.isEmpty()) {
                    out.flush();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
