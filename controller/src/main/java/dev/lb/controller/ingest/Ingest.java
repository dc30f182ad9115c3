package dev.lb.controller.ingest;

import dev.lb.controller.listener.DeliveryPath;
import dev.lb.controller.listener.IngestStats;
import dev.lb.controller.listener.PayloadSighting;
import dev.lb.controller.listener.Rejection;
import dev.lb.controller.listener.RejectionKey;
import dev.lb.controller.listener.Sighting;
import dev.lb.controller.state.RunState;
import dev.lb.controller.listener.RunListener;
import dev.lb.protocol.Event;
import dev.lb.protocol.EventDecoder;
import dev.lb.protocol.EventIdentity;
import dev.lb.protocol.Extraction;
import dev.lb.protocol.IdentityProbe;
import dev.lb.protocol.InvalidEventException;
import dev.lb.protocol.RejectReason;
import dev.lb.protocol.TerminalText;
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
 * The one thread that decides: identify → de-duplicate → decode → attribute → journal → update the run state → tell
 * the view. Readers hand it framed payloads and rejections through a bounded queue; when ingest falls behind,
 * readers wait (backpressure) rather than drop anything. The view is told after the journal write and must not
 * block (see {@link RunListener}).
 *
 * <p>An event is decoded once, not once per path: a payload whose identity (read by {@link IdentityProbe}) is
 * already journalled is a duplicate and is only counted; the decoder sees first sightings only. A rejection is
 * counted once however many paths carried it: the n-th sighting of the same rejected text on a path is the same
 * rejection as the n-th on another path, and its example lists every place it was seen.
 */
public final class Ingest {
    private static final Logger log = LoggerFactory.getLogger(Ingest.class);
    private static final int MAX_EXAMPLES = 20;
    private static final int MAX_REJECTED_IDENTITIES = 100_000;
    /** Sightings in other text whose accepted event could not be read back to compare (see acceptedPayload). */
    private long uncompared;

    private sealed interface Item {
    }

    private record Seen(Sighting sighting) implements Item {
    }

    private record Framed(PayloadSighting sighting) implements Item {
    }

    private record Reject(Rejection rejection, RejectionKey key, DeliveryPath path) implements Item {
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
    private final List<Example> rejectedExamples = new ArrayList<>();
    private final Map<RejectionKey, Occurrences> rejections = new java.util.LinkedHashMap<>(1024, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<RejectionKey, Occurrences> eldest) {
            // Past the bound the oldest is forgotten: a later sighting of it counts again, never silently merged.
            return size() > MAX_REJECTED_IDENTITIES;
        }
    };
    private long decoded;
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

    /**
     * A downstream for a line extractor reading one path: payloads become sightings of that path, their identity
     * read here, on the reader's thread.
     */
    public LineExtractor.Downstream forPath(DeliveryPath path) {
        Ingest self = this;
        return new LineExtractor.Downstream() {
            @Override
            public void payload(Extraction.Payload payload, String source, long line, String deliveredBy) {
                self.submit(new PayloadSighting(payload, IdentityProbe.read(payload.json()), path,
                        System.currentTimeMillis(), source, line, deliveredBy));
            }

            @Override
            public void rejected(Rejection rejection, RejectionKey key) {
                self.rejected(rejection, key, path);
            }
        };
    }

    /** An event already decoded (a test, a replay). */
    public void submit(Sighting s) {
        put(new Seen(s));
    }

    /** A payload not decoded yet: decoded here unless its identity is already known. */
    public void submit(PayloadSighting s) {
        put(new Framed(s));
    }

    /** A rejection seen on {@code path}; the same {@code key} on another path is the same rejection. */
    public void rejected(Rejection r, RejectionKey key, DeliveryPath path) {
        put(new Reject(r, key, path));
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
        if (item instanceof Framed f) {
            framed(f.sighting());
        } else if (item instanceof Seen s) {
            sightings.merge(s.sighting().path(), 1L, Long::sum);
            decoded(s.sighting(), null, 0, "");
        } else if (item instanceof Known k) {
            dedupe.firstSighting(k.sighting().event(), k.sighting().path());
            dedupe.remember(k.sighting().event(), null);
            state.accept(k.sighting().event(), k.sighting().receivedMillis());
        } else if (item instanceof Reject r) {
            reject(r.rejection(), r.key(), r.path());
        } else if (item instanceof Barrier b) {
            flush();
            publishStats();
            b.passed().countDown();
        }
    }

    /** Identity first: a known one is a duplicate (or a copy delivered by another host); only the rest is decoded. */
    private void framed(PayloadSighting f) {
        sightings.merge(f.path(), 1L, Long::sum);
        IdentityProbe.Probe p = f.probe();
        if (p != null) {
            Deduplicator.StreamKey key = new Deduplicator.StreamKey(p.runId(), p.host(), p.workload(), p.repetition(),
                    p.src());
            if (dedupe.known(key, p.seq())) {
                Rejection foreign = attribution.deliveredByAnother(p.host(), f, f.payload().json());
                if (foreign != null) {
                    reject(foreign, RejectionKey.of(foreign.reason().name(), 0, p.identity().key()), f.path());
                    return;
                }
                if (dedupe.compareRaw(key, p.seq(), f.payload().json()) == Deduplicator.Content.SAME) {
                    dedupe.firstSighting(key, p.seq(), f.path());
                    return;
                }
                // Other text under a known identity: decoded below and compared by content (decoded()).
            }
        }
        Extraction.Payload payload = f.payload();
        decoded++;
        try {
            decoded(new Sighting(EventDecoder.decode(payload.json()), f.path(), f.receivedMillis(), f.source(),
                    f.line(), f.deliveredBy()), payload.json(), payload.column(), payload.snippet());
        } catch (InvalidEventException e) {
            reject(new Rejection(f.source(), f.line(), e.reason(), e.getMessage(), payload.column(), payload.snippet()),
                    RejectionKey.of(e.reason().name(), payload.column(), payload.json()), f.path());
        }
    }

    /** {@code raw}: the payload's text as framed (null when the sighting came decoded), for later comparisons. */
    private void decoded(Sighting sighting, String raw, int column, String snippet) {
        Rejection foreign = attribution.check(sighting);
        if (foreign != null) {
            // The same foreign event comes by stdout, the JSONL file and recovery: it is one rejection.
            reject(foreign, RejectionKey.of(foreign.reason().name(), 0, sighting.event().identity().key()),
                    sighting.path());
            return;
        }
        Event e = sighting.event();
        if (e.seq() != null && dedupe.known(new Deduplicator.StreamKey(e.runId(), e.host(), e.workload(),
                e.repetition(), e.src()), e.seq())
                && dedupe.compare(e, this::acceptedPayload) == Deduplicator.Content.OTHER) {
            // Same identity, other content: not the same event, never merged into the accepted one in silence.
            String canonical = EventIdentity.canonicalPayload(e);
            reject(new Rejection(sighting.source(), sighting.line(), RejectReason.CONFLICT, "the identity of an"
                    + " accepted event (" + e.host() + " " + e.workload() + " rep " + e.repetition() + " " + e.src()
                    + " seq " + e.seq() + ") with other content; the one accepted first is kept", column, snippet),
                    RejectionKey.of(RejectReason.CONFLICT.name(), 0, canonical), sighting.path());
            return;
        }
        if (!dedupe.firstSighting(sighting.event(), sighting.path())) {
            return;
        }
        dedupe.remember(e, raw, journalFailure == null ? journal.nextOffset() : -1);
        // The payload's text is made once: the journal writes it and listeners that need it reuse it.
        Sighting journalled = sighting.journalledAs(e.payloadJson());
        if (journalFailure == null) {
            try {
                journal.append(journalled);
            } catch (IOException failed) {
                journalFailed(failed);
            }
        } else {
            notJournalled.add(sighting.event());
        }
        state.accept(sighting.event(), sighting.receivedMillis());
        safely(() -> view.accepted(journalled, state));
    }

    /**
     * An accepted event's payload read back from its journal record, for a sighting in other text. One that cannot
     * be read (the journal failed since) leaves that sighting uncompared: merged as the same event, and said once.
     */
    private String acceptedPayload(long offset) {
        String payload = journal.payloadAt(offset);
        if (payload == null && uncompared++ == 0) {
            safely(() -> view.notice("an event's journal record could not be read back (" + (journalFailure != null
                    ? "the journal failed" : "a read error") + "): a later copy in other text was merged without"
                    + " comparing its content"));
        }
        return payload;
    }

    /** How often one rejected text was seen on each path, and the examples it became. */
    private static final class Occurrences {
        final int[] byPath = new int[DeliveryPath.values().length];
        final Map<Integer, Example> examples = new java.util.HashMap<>(2);
    }

    /** A distinct rejection kept as an example: the first place it was seen, and every other place. */
    private record Example(Rejection first, List<String> alsoAt) {
        String describe() {
            return alsoAt.isEmpty() ? first.describe()
                    : first.describe() + TerminalText.sanitize(" (also at " + String.join(", ", alsoAt) + ")");
        }
    }

    /**
     * The n-th sighting of a rejected text on a path is a new rejection when no other path has seen it n times;
     * otherwise it is that rejection seen again elsewhere, and its place is added to its example.
     */
    private void reject(Rejection r, RejectionKey key, DeliveryPath path) {
        Occurrences o = rejections.computeIfAbsent(key, k -> new Occurrences());
        int n = ++o.byPath[path.ordinal()];
        int elsewhere = 0;
        for (DeliveryPath other : DeliveryPath.values()) {
            if (other != path) {
                elsewhere = Math.max(elsewhere, o.byPath[other.ordinal()]);
            }
        }
        if (n <= elsewhere) {
            Example seen = o.examples.get(n);
            if (seen != null && seen.alsoAt().size() < 4) {
                seen.alsoAt().add(r.source() + ":" + r.line());
            }
            return;
        }
        rejected.merge(r.reason(), 1L, Long::sum);
        if (rejectedExamples.size() < MAX_EXAMPLES) {
            Example example = new Example(r, new ArrayList<>(1));
            rejectedExamples.add(example);
            o.examples.put(n, example);
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
        // Said to the user by the notice below (no class name); the log keeps it for LB_LOG_LEVEL=DEBUG.
        log.debug("cannot write the journal after {} records: {}", journal.written(), e.getMessage());
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

    /** The first distinct rejections, each with the places it was seen. */
    public List<String> rejectedExamples() {
        return rejectedExamples.stream().map(Example::describe).toList();
    }

    /** Payloads the decoder read: first sightings only (what the identity probe could not vouch for as known). */
    public long decoded() {
        return decoded;
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
