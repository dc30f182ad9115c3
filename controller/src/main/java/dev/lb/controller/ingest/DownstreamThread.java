package dev.lb.controller.ingest;

import dev.lb.controller.listener.Rejection;
import dev.lb.controller.listener.RejectionKey;
import dev.lb.protocol.Extraction;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;

/**
 * Runs a {@link LineExtractor.Downstream} on a thread of its own, so that reading and framing lines (the caller's
 * thread) and judging payloads (this one) use two cores. Every call is handed over in the order it was made and
 * replayed in that order, so the downstream sees exactly the sequence it would have seen on the caller's thread.
 *
 * <p>Calls are collected into a batch that goes over when the caller says so ({@link #handOver}: after each chunk
 * it read, so nothing waits in a batch while the caller waits for input) or when it is full. At most {@link
 * #QUEUED} batches wait, which bounds memory and slows the reader down to the judge's pace. When the downstream has
 * nothing left to do it runs {@code idle} (flush the output), before it waits for more.
 *
 * <p>A failure of the downstream is not lost: the next call on the caller's side throws it. Not for use by two
 * callers at once.
 */
public final class DownstreamThread implements LineExtractor.Downstream, AutoCloseable {
    static final int BATCH = 1024;
    static final int QUEUED = 16;

    /** One call to replay: a payload or a rejection, or a marker the caller waits for. */
    private record Call(Extraction.Payload payload, String source, long line, String deliveredBy,
                        Rejection rejection, RejectionKey key, CountDownLatch reached) {
    }

    private static final List<Call> END = List.of();

    private final LineExtractor.Downstream downstream;
    private final Runnable idle;
    private final BlockingQueue<List<Call>> queue = new ArrayBlockingQueue<>(QUEUED);
    private final Thread thread;
    private volatile Throwable failure;
    private List<Call> batch = new ArrayList<>(BATCH);
    private boolean closed;

    public DownstreamThread(String name, LineExtractor.Downstream downstream, Runnable idle) {
        this.downstream = downstream;
        this.idle = idle;
        this.thread = new Thread(this::replay, name);
        thread.setDaemon(true); // a caller that dies must not be kept alive by a thread waiting for its calls
        thread.start();
    }

    @Override
    public void payload(Extraction.Payload payload, String source, long line, String deliveredBy) {
        add(new Call(payload, source, line, deliveredBy, null, null, null));
    }

    @Override
    public void rejected(Rejection rejection, RejectionKey key) {
        add(new Call(null, null, 0, null, rejection, key, null));
    }

    /** Sends the calls collected so far; call it before waiting for more input. */
    public void handOver() {
        if (!batch.isEmpty()) {
            put(batch);
            batch = new ArrayList<>(BATCH);
        }
    }

    /** Returns once every call made so far has reached the downstream (before writing anything of one's own). */
    public void drain() {
        CountDownLatch reached = new CountDownLatch(1);
        add(new Call(null, null, 0, null, null, null, reached));
        handOver();
        await(reached);
        rethrow();
    }

    /** Every call made so far reaches the downstream, then the thread ends; a failure of the downstream is thrown. */
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
            throw new IllegalStateException("interrupted while the last events were judged", e);
        }
        rethrow();
    }

    private void add(Call call) {
        if (closed) {
            throw new IllegalStateException("a call after close");
        }
        batch.add(call);
        if (batch.size() == BATCH) {
            handOver();
        }
    }

    private void put(List<Call> calls) {
        rethrow();
        try {
            queue.put(calls);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while handing events over", e);
        }
    }

    private static void await(CountDownLatch reached) {
        try {
            reached.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the events handed over", e);
        }
    }

    private void rethrow() {
        HandOverFailure.rethrow(failure);
    }

    private void replay() {
        try {
            while (true) {
                List<Call> calls = queue.poll();
                if (calls == null) {
                    if (failure == null) {
                        idle.run();
                    }
                    calls = queue.take();
                }
                if (calls == END) {
                    return;
                }
                for (Call c : calls) {
                    if (c.reached() != null) {
                        c.reached().countDown(); // a marker still counts down after a failure: the caller is waiting
                    } else if (failure == null) {
                        replay(c);
                    }
                }
            }
        } catch (InterruptedException e) {
            failure = e; // nobody interrupts this thread but the JVM going down; said for the record
        }
    }

    private void replay(Call c) {
        try {
            if (c.payload() != null) {
                downstream.payload(c.payload(), c.source(), c.line(), c.deliveredBy());
            } else {
                downstream.rejected(c.rejection(), c.key());
            }
        } catch (RuntimeException | Error e) {
            // Kept and thrown on the caller's side; the thread goes on taking batches so the caller never blocks.
            failure = e;
        }
    }
}
