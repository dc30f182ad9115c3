package dev.lb.agent.run;

import java.util.List;

/**
 * The commands run around a repetition's workload (config keys {@code before_repetition}, {@code after_repetition};
 * agent options {@code --before-repetition}, {@code --after-repetition}), each an argv, never a shell string; null when
 * there is none.
 */
public record RepetitionHooks(List<String> before, List<String> after) {
    public static final RepetitionHooks NONE = new RepetitionHooks(null, null);

    public RepetitionHooks {
        before = before == null ? null : List.copyOf(before);
        after = after == null ? null : List.copyOf(after);
    }
}
