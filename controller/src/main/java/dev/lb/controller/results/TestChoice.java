package dev.lb.controller.results;

import java.util.Locale;
import java.util.Optional;

/**
 * Which test {@code lb compare} runs: Welch's t (unequal variances), Mann–Whitney U, or U when both samples have at
 * least {@link #AUTO_MIN_N} values and Welch otherwise (with fewer values U's smallest attainable p-value is large:
 * with 4 and 4 it cannot go below 0.029 two-sided).
 */
public enum TestChoice {
    WELCH, MWU, AUTO;

    public static final int AUTO_MIN_N = 5;

    public static Optional<TestChoice> parse(String text) {
        for (TestChoice t : values()) {
            if (t.name().equalsIgnoreCase(text)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
