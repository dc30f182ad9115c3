package dev.lb.controller.ingest;

import dev.lb.controller.listener.DeliveryPath;
import dev.lb.controller.listener.IngestStats;
import dev.lb.controller.listener.Rejection;
import dev.lb.controller.listener.Sighting;
import dev.lb.controller.state.RunState;
import dev.lb.controller.listener.RunListener;
import dev.lb.protocol.RejectReason;
import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread that decides: de-duplicate → journal → update the run state → tell the view. Readers hand it
 * sightings and rejections through a bounded queue; when ingest falls behind, readers wait (backpressure) rather
 * than drop anything. The view is told after the journal write and must not block (see {@link RunListener}).
 */
public final class Ingest {
    private static final Logger log = LoggerFactory.getLogger(Ingest.class);
    private static final int MAX_EXAMPLES = 20;
    private static final int MAX_REJECTED_IDENTITIES = 100_000;

    private sealed interface Item {
    }

    private record Seen(Sighting sighting) implements Item {
    }

    private record Reject(Rejection rejection) implements Item {
    }

    private record Known(Sighting sighting) implements Item {
    }

    private record Barrier(CountDownLatch passed) implements Item {
    }

    private final BlockingQueue<Item> queue = new ArrayBlockingQueue<>(1 << 13);
    private final Attribution attribution;
    private final Deduplicator dedupe;
    private final Journal journal;
    private final RunState state;
    private final RunListener view;
    private final Thread thread;
    private final Map<RejectReason, Long> rejected = new EnumMap<>(RejectReason.class);
    private final List<String> rejectedExamples = new ArrayList<>();
    private final java.util.Set<dev.lb.protocol.EventIdentity> rejectedEvents = new java.util.HashSet<>();
    private final Map<DeliveryPath, Long> sightings = new EnumMap<>(DeliveryPath.class);
    private final NotJournalled notJournalled = new NotJournalled();
    private volatile IOException journalFailure;
    private volatile Throwable failure;
    private long viewFailures;
    private long lastStatsMillis;

    /** For a stage measured or tested on its own: every valid event belongs (see {@link Attribution#anything()}). */
    public Ingest(Deduplicator dedupe, Journal journal, RunState state, RunListener view) {
        this(dedupe, journal, state, view, Attribution.anything());
    }

    public Ingest(Deduplicator dedupe, Journal journal, RunState state, RunListener view, Attribution attribution) {
        this.attribution = attribution;
        this.dedupe = dedupe;
        this.journal = journal;
        this.state = state;
        this.view = view;
        this.thread = new Thread(this::loop, "ingest");
        this.thread.setDaemon(true);
    }

    public void start() {
        thread.start();
    }

    /** A downstream for a line extractor reading one path (stdout): events become sightings of that path. */
    public LineExtractor.Downstream forPath(DeliveryPath path) {
        Ingest self = this;
        return new LineExtractor.Downstream() {
            @Override
            public void event(dev.lb.protocol.Event event, String source, long line) {
                self.submit(new Sighting(event, path, System.currentTimeMillis(), source, line));
            }

            @Override
            public void rejected(Rejection rejection) {
                self.rejected(rejection);
            }
        };
    }

    public void submit(Sighting s) {
        put(new Seen(s));
    }

    public void rejected(Rejection r) {
        put(new Reject(r));
    }

    /**
     * An event already in the journal (lb recover reads it back first): it counts for de-duplication, the run state
     * and the completeness check, and is neither journalled again nor shown again.
     */
    public void known(Sighting s) {
        put(new Known(s));
    }

    /** Waits until everything submitted before this call is journalled and flushed. */
    public boolean drain(long timeout, TimeUnit unit) throws InterruptedException {
        if (!thread.isAlive()) {
            return false;
        }
        CountDownLatch latch = new CountDownLatch(1);
        try {
            put(new Barrier(latch));
        } catch (IllegalStateException e) {
            return false;
        }
        return latch.await(timeout, unit);
    }

    /**
     * Ends ingest: waits until everything submitted is journalled, stops the thread, closes the journal. Returns
     * false when ingest did not catch up within the timeout (what is still queued is then not journalled).
     */
    public boolean finish(long timeout, TimeUnit unit) throws InterruptedException, IOException {
        boolean caughtUp = drain(timeout, unit);
        thread.interrupt();
        thread.join(unit.toMillis(timeout));
        try {
            journal.close();
        } catch (JournalWriteFailed e) {
            journalFailed(e);
        }
        return caughtUp;
    }

    /** Waits for room; a dead ingest thread is a failure the caller hears about, never a reader blocked for ever. */
    private void put(Item item) {
        try {
            while (!queue.offer(item, 100, TimeUnit.MILLISECONDS)) {
                if (!thread.isAlive()) {
                    throw new IllegalStateException("ingest has stopped (" + failure + "); the item cannot be journalled",
                            failure);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while handing an item to ingest; it would be lost", e);
        }
    }

    private void loop() {
        try {
            while (true) {
                Item item = queue.take();
                handle(item);
                if (queue.isEmpty()) {
                    flush();
                }
                long now = System.currentTimeMillis();
                if (now - lastStatsMillis >= 200) {
                    lastStatsMillis = now;
                    publishStats();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | Error e) {
            // The one thread that journals is gone: the run must end now, with this reason, not run on unjournalled.
            failure = e;
            log.error("ingest failed; the run is ended", e);
        }
    }

    /**
     * Why the run cannot go on: the ingest thread died, or a view failed (the user no longer sees the run); null
     * while all is well. The journal holds every event accepted before it.
     */
    public Throwable failure() {
        return failure;
    }

    private void handle(Item item) {
        if (item instanceof Seen s) {
            Sighting sighting = s.sighting();
            sightings.merge(sighting.path(), 1L, Long::sum);
            Rejection foreign = attribution.check(sighting);
            if (foreign != null) {
                // The same foreign event comes by stdout, the JSONL file and recovery: it is one rejection.
                // Past the bound every sighting counts again: counted twice at worst, never dropped.
                if (rejectedEvents.size() >= MAX_REJECTED_IDENTITIES || rejectedEvents.add(sighting.event().identity())) {
                    reject(foreign);
                }
                return;
            }
            if (!dedupe.firstSighting(sighting.event(), sighting.path())) {
                return;
            }
            if (journalFailure == null) {
                try {
                    journal.append(sighting);
                } catch (IOException e) {
                    journalFailed(e);
                }
            } else {
                notJournalled.add(sighting.event());
            }
            state.accept(sighting.event(), sighting.receivedMillis());
            safely(() -> view.accepted(sighting, state));
        } else if (item instanceof Known k) {
            dedupe.firstSighting(k.sighting().event(), k.sighting().path());
            state.accept(k.sighting().event(), k.sighting().receivedMillis());
        } else if (item instanceof Reject r) {
            reject(r.rejection());
        } else if (item instanceof Barrier b) {
            flush();
            publishStats();
            b.passed().countDown();
        }
    }

    private void reject(Rejection r) {
        rejected.merge(r.reason(), 1L, Long::sum);
        if (rejectedExamples.size() < MAX_EXAMPLES) {
            rejectedExamples.add(r.describe());
        }
        safely(() -> view.rejected(r));
    }

    private void flush() {
        if (journalFailure != null) {
            return;
        }
        try {
            journal.flush();
        } catch (IOException e) {
            journalFailed(e);
        }
    }

    /**
     * The journal stopped at its last whole record: the events of the failed batch and every later one are still
     * counted and shown, and named as not journalled, so the summary can say which ones lb recover must bring back.
     */
    private void journalFailed(IOException e) {
        journalFailure = e;
        if (e instanceof JournalWriteFailed f) {
            f.notWritten().forEach(notJournalled::add);
        }
        log.error("cannot write the journal after {} records: {}", journal.written(), e.toString());
        safely(() -> view.notice("cannot write the journal (" + e.getMessage() + "): it ends after "
                + journal.written() + " whole records; events are still counted and shown, and the summary names"
                + " those not journalled"));
    }

    private void publishStats() {
        IngestStats stats = new IngestStats(dedupe.accepted(), dedupe.onlyBy(DeliveryPath.STDOUT), dedupe.onlyBy(DeliveryPath.JSONL),
                dedupe.byBoth(), dedupe.duplicates(), rejected.values().stream().mapToLong(Long::longValue).sum(),
                dedupe.gaps().size());
        safely(() -> view.stats(stats));
    }

    /**
     * A failing view does not stop ingest (the journal stays complete), but it ends the run: a user who can no
     * longer see the run must be told, not left watching a frozen screen. Failures are counted and logged once.
     */
    private void safely(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            if (viewFailures++ == 0) {
                log.error("the view failed; ingest goes on and the journal is complete, the run is ended", e);
                failure = new IllegalStateException("the view failed: " + e, e);
            }
        }
    }

    public Map<RejectReason, Long> rejectedByReason() {
        return Map.copyOf(rejected);
    }

    public List<String> rejectedExamples() {
        return List.copyOf(rejectedExamples);
    }

    public long sightings(DeliveryPath p) {
        return sightings.getOrDefault(p, 0L);
    }

    public IOException journalFailure() {
        return journalFailure;
    }

    /** Accepted events the journal does not hold (it could not be written); empty while the journal is well. */
    public NotJournalled notJournalled() {
        return notJournalled;
    }

    public Deduplicator dedupe() {
        return dedupe;
    }

    public RunState state() {
        return state;
    }

    public Journal journal() {
        return journal;
    }
}
