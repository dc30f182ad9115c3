package dev.lb.controller.cli;

import dev.lb.controller.ExitCode;
import picocli.CommandLine.Option;

/**
 * {@code --alpha}: how {@code lb compare} and {@code lb report --compare} judge a change. There is no choice of test:
 * Welch's t judges every row, so that the p-value and the interval shown beside it come from one distribution.
 */
final class ComparisonOptions {
    static final String ALPHA = "--alpha";

    @Option(names = ALPHA, paramLabel = "ALPHA", defaultValue = "0.05",
            description = "Family-wise significance level of the verdicts (Holm across the primary metrics' rows), and"
                    + " the false discovery rate of the other metrics' q-values; between 0 and 1"
                    + " (default: ${DEFAULT-VALUE}).")
    double alpha;

    double alpha() {
        if (!(alpha > 0 && alpha < 1)) {
            throw new LbException(ExitCode.USAGE, ALPHA + " must be between 0 and 1 (exclusive), not " + alpha);
        }
        return alpha;
    }
}
