package dev.lb.controller.state;

import java.util.List;

/**
 * Whether every event the targets emitted is in the journal, and the evidence for the answer: each repetition's
 * seal (the agent's last seq and count per emitter) against what was journalled, and whether each host's stream file
 * could be collected. "complete" is said only when every planned repetition that ran was sealed and nothing is
 * missing; where evidence is missing the answer is "cannot tell", with why.
 */
public record Completeness(String verdict, int sealedRepetitions, int repetitionsRun, List<Loss> lost,
                           List<String> unsealed, List<String> cannotTell, List<String> collectedHosts) {
    public static final String COMPLETE = "complete";
    public static final String LOST = "lost";
    public static final String CANNOT_TELL = "cannot tell";

    /** A seq range of one emitter in one repetition that is in its seal but on no path. */
    public record Loss(String host, String workload, int repetition, String src, long from, long to, String kind,
                       String where) {
        public long count() {
            return to - from + 1;
        }

        /** {@code local chatty rep 1 agent: seq 1689-12002 lost (tail; ...)} */
        public String describe() {
            return host + " " + workload + " rep " + repetition + " " + src + ": seq " + from + (to == from ? "" : "-" + to)
                    + " lost (" + kind + "; " + where + ")";
        }
    }

    /**
     * For a run that could not be checked at all (a summary built without the evidence): nothing was counted, so
     * {@code sealedRepetitions} and {@code repetitionsRun} are -1, never a "0 of 0" that reads as a count.
     */
    public static Completeness unknown(String why) {
        return new Completeness(CANNOT_TELL, -1, -1, List.of(), List.of(), List.of(why), List.of());
    }

    /** Whether the repetitions were counted at all (not for {@link #unknown}). */
    public boolean checked() {
        return repetitionsRun >= 0;
    }

    public boolean complete() {
        return COMPLETE.equals(verdict);
    }

    public long lostEvents() {
        return lost.stream().mapToLong(Loss::count).sum();
    }
}
