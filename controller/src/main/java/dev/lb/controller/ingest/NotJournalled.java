package dev.lb.controller.ingest;

import dev.lb.protocol.Event;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Events that were accepted (counted, shown) but are not in the journal because it could not be written: named by
 * emitter and seq range, so the summary can say exactly which ones {@code lb recover} has to bring back.
 */
public final class NotJournalled {
    private final Map<Deduplicator.StreamKey, List<long[]>> ranges = new LinkedHashMap<>();
    private long count;
    private long withoutSeq;

    public void add(Event e) {
        count++;
        if (e.seq() == null) {
            withoutSeq++;
            return;
        }
        long seq = e.seq();
        List<long[]> list = ranges.computeIfAbsent(new Deduplicator.StreamKey(e.runId(), e.host(), e.workload(),
                e.repetition(), e.src()), k -> new ArrayList<>());
        long[] last = list.isEmpty() ? null : list.get(list.size() - 1);
        // Emitters count up one by one, so ranges grow at their end; anything else starts a range of its own.
        if (last != null && seq == last[1] + 1) {
            last[1] = seq;
        } else {
            list.add(new long[] {seq, seq});
        }
    }

    public long count() {
        return count;
    }

    /** Events without a seq (foreign emitters): counted, not nameable by range. */
    public long withoutSeq() {
        return withoutSeq;
    }

    public List<Deduplicator.Gap> ranges() {
        List<Deduplicator.Gap> out = new ArrayList<>();
        ranges.forEach((k, list) -> list.forEach(r -> out.add(new Deduplicator.Gap(k, r[0], r[1]))));
        return out;
    }
}
