package dev.lb.bench;

import java.util.Arrays;

/** Entry point of the benchmark jar: {@code java -jar lb-bench.jar NAME [ARGS]}; each bench prints its figure last. */
public final class BenchMain {
    private BenchMain() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            System.err.println("usage: lb-bench extractor|dashboard|sampler-cost|history-scale|history-copy"
                    + " [options]");
            System.exit(2);
        }
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        switch (args[0]) {
            case "extractor" -> ExtractorBench.main(rest);
            case "dashboard" -> DashboardBench.main(rest);
            case "sampler-cost" -> SamplerCostBench.main(rest);
            case "history-scale" -> HistoryScaleBench.main(rest);
            case "history-copy" -> HistoryCopyBench.main(rest);
            default -> {
                System.err.println("unknown benchmark: " + args[0]);
                System.exit(2);
            }
        }
    }
}
