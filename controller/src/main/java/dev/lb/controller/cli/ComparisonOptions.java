package dev.lb.controller.cli;

import dev.lb.controller.ExitCode;
import dev.lb.controller.results.TestChoice;
import picocli.CommandLine.Option;

/** {@code --test} and {@code --alpha}: how {@code lb compare} and {@code lb report --compare} judge a change. */
final class ComparisonOptions {
    static final String TEST = "--test";
    static final String ALPHA = "--alpha";

    @Option(names = TEST, paramLabel = "TEST", defaultValue = "auto",
            description = "welch (Welch's t, unequal variances), mwu (Mann-Whitney U) or auto (U when both sides have"
                    + " n >= 5, else Welch) (default: ${DEFAULT-VALUE}).")
    String test;

    @Option(names = ALPHA, paramLabel = "ALPHA", defaultValue = "0.05",
            description = "Significance level, between 0 and 1 (default: ${DEFAULT-VALUE}).")
    double alpha;

    TestChoice test() {
        return TestChoice.parse(test).orElseThrow(() -> new LbException(ExitCode.USAGE,
                TEST + " is welch, mwu or auto, not '" + test + "'"));
    }

    double alpha() {
        if (!(alpha > 0 && alpha < 1)) {
            throw new LbException(ExitCode.USAGE, ALPHA + " must be between 0 and 1 (exclusive), not " + alpha);
        }
        return alpha;
    }
}
