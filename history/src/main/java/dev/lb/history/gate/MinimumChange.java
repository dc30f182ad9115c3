package dev.lb.history.gate;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The smallest change the gate calls a regression, per metric: the {@code regression:} block's default percentage and
 * its per-metric rules, each a regular expression that must match the whole metric name, the first matching rule
 * deciding. A noisy latency percentile can then need 10 % while throughput keeps 5 %. {@code --min-change PCT} replaces
 * the whole of it with one percentage ({@link #uniform}).
 */
public record MinimumChange(double defaultPercent, List<Rule> rules) {
    public static final MinimumChange DEFAULT = uniform(5.0);

    /** One rule: metrics whose whole name {@code pattern} matches need {@code percent}. */
    public record Rule(Pattern pattern, double percent) {
        public Rule {
            checkPercent(percent, "the minimum change for /" + pattern.pattern() + "/");
        }

        /** {@code regex} compiled, or the reason it cannot be, in one line. */
        public static Rule of(String regex, double percent) {
            try {
                return new Rule(Pattern.compile(regex), percent);
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException("'" + regex + "' is not a regular expression: "
                        + e.getDescription() + " near index " + e.getIndex());
            }
        }

        /** As written in the config and stored with a check. */
        public String shown() {
            return "/" + pattern.pattern() + "/ " + MinimumChange.shown(percent);
        }
    }

    public MinimumChange {
        checkPercent(defaultPercent, "the minimum change");
        rules = List.copyOf(rules);
    }

    public static MinimumChange uniform(double percent) {
        return new MinimumChange(percent, List.of());
    }

    /** The percentage for {@code metric}: the first rule matching its whole name, else the default. */
    public double percentFor(String metric) {
        for (Rule r : rules) {
            if (r.pattern().matcher(metric).matches()) {
                return r.percent();
            }
        }
        return defaultPercent;
    }

    /** One line for messages: "5 %", or "5 % (10 % for /cpu[.]p9[59]/)" with rules. */
    public String shown() {
        if (rules.isEmpty()) {
            return shown(defaultPercent);
        }
        return shown(defaultPercent) + " (" + String.join(", ", rules.stream()
                .map(r -> shown(r.percent()) + " for /" + r.pattern().pattern() + "/").toList()) + ")";
    }

    static String shown(double percent) {
        return (percent == Math.rint(percent) ? String.valueOf((long) percent)
                : String.format(Locale.ROOT, "%s", percent)) + " %";
    }

    private static void checkPercent(double percent, String what) {
        if (!(percent >= 0) || Double.isInfinite(percent)) {
            throw new IllegalArgumentException(what + " must be 0 or more, not " + percent);
        }
    }
}
