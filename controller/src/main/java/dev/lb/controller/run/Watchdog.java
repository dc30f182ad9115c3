package dev.lb.controller.run;

import dev.lb.controller.config.RunConfig;
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
 * <p>The bounds are the config's {@code timeouts.no_answer_warn_s} and {@code no_answer_end_s}; the loader holds the
 * second above what a healthy loop can take between two results (a connection retried for {@code
 * timeouts.unreachable_retry_s}, a poll step's batch, two poll intervals). Only hosts whose last result was a poll
 * retry are watched: a host between repetitions (cooldown, the next start) is not polling, and is not held to the
 * bound.
 */
final class Watchdog {
    private final double warnAfterS;
    private final double endAfterS;
    private final double retryS;
    private final Set<String> warned = new HashSet<>();
    private final Map<String, Long> warnedAt = new java.util.HashMap<>();
    private String stuck;

    Watchdog(RunConfig.Timeouts timeouts) {
        this.warnAfterS = timeouts.noAnswerWarnS();
        this.endAfterS = timeouts.noAnswerEndS();
        this.retryS = timeouts.unreachableRetryS();
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
                notices.add("no answer from " + host + " for " + fmt(warnAfterS) + " s: ansible-playbook may be stuck,"
                        + " or the target's connection down (a poll is sent again for up to " + fmt(retryS) + " s); the"
                        + " run is ended if nothing comes within " + fmt(endAfterS) + " s");
            }
            if (silentS >= endAfterS && stuck == null) {
                stuck = "no answer from " + host + " for " + fmt(endAfterS) + " s: ansible-playbook is stuck";
                end = stuck;
                notices.add(stuck + "; ending the run: STOP to every target, then they are collected");
            }
        }
        return new Verdict(notices, end);
    }

    private static String fmt(double seconds) {
        return seconds == Math.rint(seconds) ? Long.toString((long) seconds) : Double.toString(seconds);
    }
}
