package dev.lb.controller.state;

import dev.lb.protocol.Event;
import dev.lb.protocol.EventStatus;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where every host × workload is: its current repetition, the state of each repetition, the last thing it said.
 * Updated by ingest only (one thread); views read {@link #snapshot()} copies.
 */
public final class RunState {
    /** A host running a workload. */
    public record Key(String host, String workload) {
    }

    /** One row as views show it. */
    public record Row(String host, String workload, int repetition, int totalRepetitions, String state,
                      String lastMessage, long lastEventMillis, long events, Map<Integer, String> repetitions) {
    }

    private static final class Progress {
        int repetition;
        int total;
        String lastMessage = "";
        long lastEventMillis;
        long events;
        final TreeMap<Integer, String> reps = new TreeMap<>();
    }

    private final Map<Key, Progress> rows = new LinkedHashMap<>();
    private final int expectedRepetitions;

    public RunState(List<String> hosts, List<String> workloads, int repetitions) {
        this.expectedRepetitions = repetitions;
        for (String h : hosts) {
            for (String w : workloads) {
                Progress p = new Progress();
                p.total = repetitions;
                rows.put(new Key(h, w), p);
            }
        }
    }

    public synchronized void accept(Event e, long receivedMillis) {
        if (e.repetition() == 0 && !e.status().isFinal()) {
            return; // a host-level event (the container watcher): journalled and shown, but no repetition of a row
        }
        if (e.repetition() == 0 && e.status().isFinal()) {
            // A setup failure (repetition 0) concerns every workload of the host.
            rows.forEach((k, p) -> {
                if (k.host().equals(e.host())) {
                    apply(p, e, receivedMillis, true);
                }
            });
            return;
        }
        Progress p = rows.computeIfAbsent(new Key(e.host(), e.workload()), k -> {
            Progress n = new Progress();
            n.total = expectedRepetitions;
            return n;
        });
        apply(p, e, receivedMillis, false);
    }

    private static void apply(Progress p, Event e, long receivedMillis, boolean setup) {
        p.events++;
        p.lastEventMillis = receivedMillis;
        if (e.message() != null) {
            p.lastMessage = e.message();
        }
        if (e.totalRepetitions() != null && e.totalRepetitions() > 0) {
            p.total = e.totalRepetitions();
        }
        if (setup) {
            for (int r = 1; r <= p.total; r++) {
                p.reps.putIfAbsent(r, e.status().wireName());
            }
            return;
        }
        if (e.repetition() >= p.repetition) {
            p.repetition = e.repetition();
        }
        String current = p.reps.get(e.repetition());
        boolean currentFinal = current != null && !current.equals(EventStatus.RUNNING.wireName());
        if (e.status().isFinal()) {
            p.reps.put(e.repetition(), e.status().wireName());
        } else if (!currentFinal) {
            // A late 'running' line (arriving by the slower path) never undoes a final state.
            p.reps.put(e.repetition(), EventStatus.RUNNING.wireName());
        }
    }

    public synchronized List<Row> snapshot() {
        List<Row> out = new ArrayList<>();
        rows.forEach((k, p) -> out.add(new Row(k.host(), k.workload(), p.repetition, p.total,
                p.reps.isEmpty() ? "pending" : p.reps.get(p.repetition == 0 ? p.reps.firstKey() : p.repetition),
                p.lastMessage, p.lastEventMillis, p.events, java.util.Collections.unmodifiableMap(new TreeMap<>(p.reps)))));
        return out;
    }

    /** Every expected repetition of every row finished 'done'. */
    public synchronized boolean allDone() {
        return rows.values().stream().allMatch(p -> p.reps.size() >= p.total && p.total > 0
                && p.reps.values().stream().allMatch("done"::equals));
    }
}
