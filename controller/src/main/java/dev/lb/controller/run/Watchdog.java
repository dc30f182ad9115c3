package dev.lb.controller.run;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * No run waits in silence: a host in its polling loop whose poll results stop coming (ansible-playbook stuck on a
 * killed fork worker, a hung connection) is said on screen after a first bound, and past a second bound the run is
 * ended with that host named as the reason (then stopped, collected and summarized as for any failure).
 *
 * <p>The bounds are constants until they become keys under {@code timeouts}. The second one stays above what a
 * healthy loop can take between two results: a poll step's batch plus two poll intervals (and, once transient SSH
 * failures are retried, the retry bound). Only hosts whose last result was a poll retry are watched: a host between
 * repetitions (cooldown, the next start) is not polling, and is not held to the bound.
 */
final class Watchdog {
    /** Seconds without a poll result before the host is said on screen. */
    static final double WARN_AFTER_S = 30;
    /** Seconds without a poll result before the run is ended for it. */
    static final double END_AFTER_S = 120;

    private final double warnAfterS;
    private final double endAfterS;
    private final Set<String> warned = new HashSet<>();
    private final Map<String, Long> warnedAt = new java.util.HashMap<>();
    private String stuck;

    Watchdog(double warnAfterS, double endAfterS) {
        this.warnAfterS = warnAfterS;
        this.endAfterS = endAfterS;
    }

    /** The bounds for a run's poll settings: never below what two poll intervals and a batch take. */
    static Watchdog forPolling(double pollIntervalS, double pollBatchS) {
        double healthyGap = pollBatchS + 2 * pollIntervalS;
        return new Watchdog(Math.max(WARN_AFTER_S, healthyGap + 5), Math.max(END_AFTER_S, healthyGap + 60));
    }

    /** What to do now: lines to say, and the reason to end the run (null while no host is past the second bound). */
    record Verdict(List<String> notices, String endReason) {
    }

    /**
     * {@code lastPollMillis}: for each host in its polling loop, when its last poll result came. A host is said once
     * per silence; the first host past the second bound ends the run, once.
     */
    Verdict check(Map<String, Long> lastPollMillis, long nowMillis) {
        List<String> notices = new ArrayList<>();
        String end = null;
        for (Map.Entry<String, Long> h : new java.util.TreeMap<>(lastPollMillis).entrySet()) {
            String host = h.getKey();
            double silentS = (nowMillis - h.getValue()) / 1000.0;
            Long since = warnedAt.get(host);
            if (since != null && !since.equals(h.getValue())) {
                warned.remove(host); // a result came since: a new silence is said anew
            }
            if (silentS >= warnAfterS && warned.add(host)) {
                warnedAt.put(host, h.getValue());
                notices.add("no answer from " + host + " for " + (long) warnAfterS + " s: ansible-playbook may be stuck"
                        + " (the run is ended if nothing comes within " + (long) endAfterS + " s)");
            }
            if (silentS >= endAfterS && stuck == null) {
                stuck = "no answer from " + host + " for " + (long) endAfterS + " s: ansible-playbook is stuck";
                end = stuck;
                notices.add(stuck + "; ending the run: STOP to every target, then they are collected");
            }
        }
        return new Verdict(notices, end);
    }
}
