package dev.lb.controller.export;

import dev.lb.controller.state.RunSummary;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * One exporter's queue and its sending thread. {@link #offer} never blocks: a full queue drops the item and counts
 * it. The thread takes a batch (up to {@code batchItems}, or what arrived within {@code maxWaitMillis} of the first
 * item), and sends it: a {@link Delivery.Outcome#RETRY} outcome (network error, 5xx) is retried with doubling backoff
 * for at most {@code retryMillis}, a {@link Delivery.Outcome#DROP} (4xx) drops the batch at once. {@link #finish} stops
 * taking new items and gives the thread a bounded time to send what is queued; what is left then is dropped and
 * counted. Every item offered ends up sent or dropped with a reason.
 *
 * <p>While a batch fills, the thread sleeps until the batch is due and is woken once, when the queue holds what the
 * batch still lacks: waiting in the queue's own poll instead would wake it (a futex call on the ingest thread, a
 * context switch on this one) for every item, thousands of times a second.
 */
final class ExportQueue<T> {
    static final String QUEUE_FULL = "queue full";
    static final String RETRIES_EXHAUSTED = "retries exhausted";
    static final String FLUSH_TIME_OUT = "flush time-out";
    static final long FIRST_BACKOFF_MILLIS = 100;
    static final long MAX_BACKOFF_MILLIS = 5_000;

    /** Sends one batch; never throws (an exception is a bug in the sender, counted as its own drop reason). */
    interface Sender<T> {
        Delivery send(List<T> batch);
    }

    private final String kind;
    private final String url;
    private final BlockingQueue<T> queue;
    private final int batchItems;
    private final long maxWaitMillis;
    private final long retryMillis;
    private final Sender<T> sender;
    private final Consumer<String> warnings;
    private final Thread thread;
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong retried = new AtomicLong();
    private final Map<String, Long> dropped = new TreeMap<>();
    private volatile boolean closing;
    private boolean abandoned;
    private int inFlight;
    private volatile long giveUpAtNanos = Long.MAX_VALUE;
    /** While the thread sleeps on a filling batch: how many queued items would complete it; 0 otherwise. */
    private volatile int wanted;
    private boolean warned;

    ExportQueue(String kind, String url, int queueItems, int batchItems, long maxWaitMillis, long retryMillis,
                Sender<T> sender, Consumer<String> warnings) {
        this.kind = kind;
        this.url = url;
        this.queue = new ArrayBlockingQueue<>(queueItems);
        this.batchItems = batchItems;
        this.maxWaitMillis = maxWaitMillis;
        this.retryMillis = retryMillis;
        this.sender = sender;
        this.warnings = warnings;
        this.thread = new Thread(this::loop, "lb-export-" + kind);
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /** Queues an item, or drops and counts it when the queue is full or closed. Never blocks. */
    void offer(T item) {
        if (closing || !queue.offer(item)) {
            drop(closing ? FLUSH_TIME_OUT : QUEUE_FULL, 1);
            return;
        }
        int w = wanted;
        if (w > 0 && queue.size() >= w) {
            wanted = 0;
            LockSupport.unpark(thread);
        }
    }

    /** No new items from now on; what is queued is sent until {@code giveUpAtNanos} (System.nanoTime), then dropped. */
    void close(long giveUpAtNanos) {
        this.giveUpAtNanos = giveUpAtNanos;
        closing = true;
        LockSupport.unpark(thread);
    }

    /**
     * Waits for the thread to send what was queued before {@link #close} (close wakes it, and no backoff outlasts
     * the deadline); what is left then is dropped. Returns the account.
     */
    RunSummary.Export await() throws InterruptedException {
        long waitMillis = Math.max(0, (giveUpAtNanos - System.nanoTime()) / 1_000_000) + maxWaitMillis + 500;
        thread.join(waitMillis);
        synchronized (this) {
            if (thread.isAlive()) {
                // A request still waiting for its answer: counted as dropped now; the daemon thread ends with lb.
                abandoned = true;
                dropped.merge(FLUSH_TIME_OUT, (long) inFlight, Long::sum);
                warnLocked("a request was still unanswered at the end of the flush time");
            }
        }
        List<T> left = new ArrayList<>();
        queue.drainTo(left);
        if (!left.isEmpty()) {
            drop(FLUSH_TIME_OUT, left.size());
        }
        return account();
    }

    synchronized RunSummary.Export account() {
        long total = dropped.values().stream().mapToLong(Long::longValue).sum();
        return new RunSummary.Export(kind, url, sent.get(), retried.get(), total,
                java.util.Collections.unmodifiableMap(new TreeMap<>(dropped)));
    }

    private void loop() {
        List<T> batch = new ArrayList<>(batchItems);
        while (true) {
            if (!closing) {
                if (!first(batch)) {
                    continue;
                }
                fill(batch, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(maxWaitMillis));
            }
            if (closing) {
                queue.drainTo(batch, batchItems - batch.size());
                if (batch.isEmpty()) {
                    return;
                }
                if (System.nanoTime() > giveUpAtNanos) {
                    drop(FLUSH_TIME_OUT, batch.size());
                    batch.clear();
                    continue;
                }
            }
            deliver(batch);
            batch.clear();
        }
    }

    /**
     * The batch's first item, waiting for it at most maxWaitMillis (offer and close wake the thread). False when
     * none came.
     */
    private boolean first(List<T> batch) {
        T first = queue.poll();
        if (first == null) {
            wanted = 1;
            if (queue.isEmpty() && !closing) {
                LockSupport.parkNanos(this, TimeUnit.MILLISECONDS.toNanos(maxWaitMillis));
            }
            wanted = 0;
            first = queue.poll();
        }
        if (first == null) {
            return false;
        }
        batch.add(first);
        return true;
    }

    /**
     * Adds what is queued to the batch until it is full, the close, or {@code untilNanos}, sleeping in between
     * (offer wakes the thread when the queue holds the rest of the batch).
     */
    private void fill(List<T> batch, long untilNanos) {
        while (!closing) {
            queue.drainTo(batch, batchItems - batch.size());
            int lacking = batchItems - batch.size();
            long wait = untilNanos - System.nanoTime();
            if (lacking <= 0 || wait <= 0) {
                return;
            }
            wanted = lacking;
            // Items offered between the drain and the line above may already complete the batch: offer saw no
            // sleeper then, so look before sleeping.
            if (queue.size() < lacking && !closing) {
                LockSupport.parkNanos(this, wait);
            }
            wanted = 0;
        }
    }

    /** One batch: sent, or dropped with its reason after a 4xx or once the retry time (or the flush time) is over. */
    private void deliver(List<T> batch) {
        synchronized (this) {
            inFlight = batch.size();
        }
        long deadline = Math.min(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(retryMillis), giveUpAtNanos);
        long backoff = FIRST_BACKOFF_MILLIS;
        while (true) {
            Delivery d;
            try {
                d = sender.send(batch);
            } catch (RuntimeException e) {
                d = Delivery.drop("sender error: " + e);
            }
            switch (d.outcome()) {
                case SENT -> {
                    synchronized (this) {
                        if (!abandoned) {
                            sent.addAndGet(batch.size());
                        }
                    }
                    return;
                }
                case DROP -> {
                    drop(d.reason(), batch.size());
                    warn(d.detail());
                    return;
                }
                case RETRY -> {
                    long now = System.nanoTime();
                    long end = Math.min(deadline, giveUpAtNanos);
                    if (now + TimeUnit.MILLISECONDS.toNanos(backoff) > end) {
                        drop(closing && giveUpAtNanos <= deadline ? FLUSH_TIME_OUT : RETRIES_EXHAUSTED, batch.size());
                        warn(d.detail());
                        return;
                    }
                    retried.incrementAndGet();
                    sleep(backoff);
                    backoff = Math.min(backoff * 2, MAX_BACKOFF_MILLIS);
                }
            }
        }
    }

    /**
     * Backoff (at most MAX_BACKOFF_MILLIS). Nothing in lb interrupts this thread; should something, the wait ends
     * early and the loop checks the retry and flush deadlines as after any wait. A close during the wait is seen when
     * it ends (a batch still in its backoff when {@link #await} stops waiting is counted as dropped there).
     */
    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            // cut short from outside: the caller checks the deadlines next, as after a full wait
        }
    }

    private synchronized void drop(String reason, long n) {
        if (!abandoned) {
            dropped.merge(reason, n, Long::sum);
        }
    }

    /** The first failure is said once while the run goes on; the summary counts every one. */
    private synchronized void warn(String detail) {
        warnLocked(detail);
    }

    private void warnLocked(String detail) {
        if (!warned) {
            warned = true;
            warnings.accept("warning: export to " + kind + " " + url + ": " + detail + "; items are dropped and"
                    + " counted in the summary (the run directory keeps every event)");
        }
    }
}
