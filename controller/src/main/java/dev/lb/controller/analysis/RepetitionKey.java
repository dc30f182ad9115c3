package dev.lb.controller.analysis;

import java.util.Comparator;

/** One repetition of one workload on one host: the unit every result belongs to. */
public record RepetitionKey(String host, String workload, int repetition) implements Comparable<RepetitionKey> {
    private static final Comparator<RepetitionKey> ORDER = Comparator.comparing(RepetitionKey::workload)
            .thenComparing(RepetitionKey::host).thenComparingInt(RepetitionKey::repetition);

    @Override
    public int compareTo(RepetitionKey o) {
        return ORDER.compare(this, o);
    }
}
