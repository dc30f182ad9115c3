package dev.lb.controller.ingest;

import dev.lb.protocol.LineSplitter;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;

/**
 * Runs a {@link LineSplitter.Sink} (framing the lines: {@link LineExtractor}) on a thread of its own, so that reading
 * and splitting the input (the caller's thread) and framing the lines (this one) use two cores: framing is most of
 * the work of {@code lb events parse}, and the judging thread downstream ({@link DownstreamThread}) has little. Every
 * line is handed over in the order it was split and replayed in that order, with what the splitter saw of its bytes.
 *
 * <p>Lines are collected into a batch that goes over when the caller says so ({@link #handOver}: after each chunk it
 * read) or when it is full; at most {@link #QUEUED} batches wait. After each batch it replayed, this thread runs
 * {@code afterBatch} (the downstream thread's hand-over), and nothing else of the downstream's: once {@link #drain} or
 * {@link #close} returns, the caller may use the downstream itself.
 *
 * <p>A failure of the sink is not lost: the next call on the caller's side throws it. Not for use by two callers at
 * once.
 */
public final class FramingThread implements LineSplitter.Sink, AutoCloseable {
    static final int BATCH = 1024;
    static final int QUEUED = 16;

    /** A batch of lines: for each its text, and -1 (a line without controls), -2 (with) or its length (too long). */
    private static final class Batch {
        final String[] texts = new String[BATCH];
        final long[] kinds = new long[BATCH];
        int size;
        CountDownLatch reached;
    }

    private static final long PLAIN = -1;
    private static final long CONTROLS = -2;
    private static final Batch END = new Batch();

    private final LineSplitter.Sink sink;
    private final Runnable afterBatch;
    private final BlockingQueue<Batch> queue = new ArrayBlockingQueue<>(QUEUED);
    private final Thread thread;
    private volatile Throwable failure;
    private Batch batch = new Batch();
    private boolean closed;

    public FramingThread(String name, LineSplitter.Sink sink, Runnable afterBatch) {
        this.sink = sink;
        this.afterBatch = afterBatch;
        this.thread = new Thread(this::replay, name);
        thread.setDaemon(true); // a caller that dies must not be kept alive by a thread waiting for its lines
        thread.start();
    }

    @Override
    public void line(String line) {
        line(line, true);
    }

    @Override
    public void line(String line, boolean controls) {
        add(line, controls ? CONTROLS : PLAIN);
    }

    @Override
    public void tooLong(String head, long lengthBytes) {
        add(head, lengthBytes);
    }

    /** Sends the lines collected so far; call it before waiting for more input. */
    public void handOver() {
        if (batch.size > 0) {
            put(batch);
            batch = new Batch();
        }
    }

    /** Returns once every line handed over so far has been framed and its batch's {@code afterBatch} run. */
    public void drain() {
        handOver();
        Batch marker = new Batch();
        marker.reached = new CountDownLatch(1);
        put(marker);
        try {
            marker.reached.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the lines handed over", e);
        }
        rethrow();
    }

    /** Every line so far is framed, then the thread ends; a failure of the sink is thrown. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        handOver();
        put(END);
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the last lines were framed", e);
        }
        rethrow();
    }

    private void add(String text, long kind) {
        if (closed) {
            throw new IllegalStateException("a line after close");
        }
        batch.texts[batch.size] = text;
        batch.kinds[batch.size] = kind;
        if (++batch.size == BATCH) {
            handOver();
        }
    }

    private void put(Batch b) {
        rethrow();
        try {
            queue.put(b);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while handing lines over", e);
        }
    }

    private void rethrow() {
        HandOverFailure.rethrow(failure);
    }

    private void replay() {
        try {
            while (true) {
                Batch b = queue.take();
                if (b == END) {
                    return;
                }
                if (failure == null && b.size > 0) {
                    replay(b);
                }
                if (b.reached != null) {
                    b.reached.countDown(); // still counted down after a failure: the caller is waiting
                }
            }
        } catch (InterruptedException e) {
            failure = e; // nobody interrupts this thread but the JVM going down; said for the record
        }
    }

    private void replay(Batch b) {
        try {
            for (int i = 0; i < b.size; i++) {
                long kind = b.kinds[i];
                if (kind == PLAIN) {
                    sink.line(b.texts[i], false);
                } else if (kind == CONTROLS) {
                    sink.line(b.texts[i], true);
                } else {
                    sink.tooLong(b.texts[i], kind);
                }
            }
            afterBatch.run();
        } catch (RuntimeException | Error e) {
            // Kept and thrown on the caller's side; the thread goes on taking batches so the caller never blocks.
            failure = e;
        }
    }
}
