package dev.lb.controller.cli;

import dev.lb.controller.ExitCode;
import dev.lb.controller.run.PastRuns;
import dev.lb.controller.analysis.ComparisonJson;
import dev.lb.controller.analysis.ComparisonText;
import dev.lb.controller.analysis.RunComparison;
import dev.lb.controller.analysis.RunResults;
import dev.lb.controller.analysis.WorkloadDefinitions;
import dev.lb.controller.config.ConfigException;
import dev.lb.controller.config.ConfigLoader;
import dev.lb.history.gate.MinimumChange;
import dev.lb.protocol.Json;
import dev.lb.protocol.TerminalText;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code lb compare BASE NEW}: whether a run's results changed, metric by metric, with a test and its p-value. */
@Command(name = "compare", mixinStandardHelpOptions = true,
        description = {"Compares two runs' results (computed from their journals) per host, workload and metric, and"
                + " for all hosts both runs share pooled: means, medians, change in %%, Welch's t-test (the only"
                + " test) with its p-value and the confidence interval of the difference of means"
                + " (Welch-Satterthwaite), and Hedges' g. Each workload's primary metric (the parser's choice, e.g."
                + " stress-ng's bogo ops/s; a command workload's first declared metric, else wall_time) gets a"
                + " verdict, Holm-corrected across all primary rows; '~' marks a change not significant at --alpha."
                + " The other metrics get Benjamini-Hochberg q-values and no verdict. Each interval is drawn at the"
                + " level its row was judged at, so a verdict and its interval never disagree. System differences"
                + " and changed workload definitions (from each run's vars.json) are listed above the numbers.",
                "A regression is what lb history check calls one: a workload's primary metric significantly worse by"
                        + " more than its minimum change, which is --min-change PCT, else the regression: block of the"
                        + " config given with -c (a default percentage and per-metric rules by regex), else 5 %%."
                        + " --fail-on-regression makes one exit 4; --fail-on-regression PCT gives one percentage for"
                        + " every metric instead.",
                "Exit codes: 0 no significant regression beyond the minimum change (or none asked), 1 a run that"
                        + " cannot be read, 2 usage (an unknown run among them), 3 cannot tell: the runs share no"
                        + " series, or a series of the base has no results in the new run, 4 a primary metric"
                        + " significantly worse by more than its minimum change, with --fail-on-regression."})
final class CompareCommand implements Callable<Integer> {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "BASE", description = "The run compared against: id, directory or 'last'.")
    String base;

    @Parameters(index = "1", paramLabel = "NEW", description = "The run judged: id, directory or 'last' (after a BASE: the newest other run of BASE's"
                    + " config in BASE's runs directory, named on stderr).")
    String candidate;

    @Option(names = "--output-dir", paramLabel = "DIR", defaultValue = "runs",
            description = LbCommand.RUNS_DIR_HELP)
    Path outputDir;

    @CommandLine.Mixin
    ComparisonOptions judging;

    @Option(names = "--fail-on-regression", paramLabel = "PCT", arity = "0..1",
            parameterConsumer = OptionalPercent.class,
            description = "Exit 4 when a workload's primary metric is significantly worse (after Holm) by more than"
                    + " its minimum change (--min-change, else the -c config's regression: block, else 5 %%); with"
                    + " PCT, by more than PCT percent for every metric.")
    Double failPct;

    @Option(names = "--min-change", paramLabel = "PCT",
            description = "The smallest change that is a regression, in percent, for every metric (default: the"
                    + " config's regression: block with -c, else 5).")
    Double minChange;

    @Option(names = {"-c", "--config"}, paramLabel = "FILE",
            description = "A run config (YAML) whose regression: block (min_change_pct and per-metric rules) says"
                    + " the minimum change of each metric, as for lb history check.")
    Path configFile;

    @Option(names = "--output", paramLabel = "FORMAT", defaultValue = "text",
            description = "text or json (default: ${DEFAULT-VALUE}).")
    String output;

    @Override
    public Integer call() throws IOException {
        double alpha = judging.alpha();
        boolean failOnRegression = failPct != null;
        Double uniformPct = failOnRegression && !failPct.isNaN() ? failPct : null;
        MinimumChange minimum = minimumChange(uniformPct);
        if (!output.equals("text") && !output.equals("json")) {
            throw new LbException(ExitCode.USAGE, "--output is text or json, not '" + output + "'");
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Path baseDir = JournalCommand.runDir(base, outputDir);
        Path newDir = candidate.equals("last") && !base.equals("last") ? lastBeside(baseDir, err)
                : JournalCommand.runDir(candidate, outputDir);
        RunResults b = load(baseDir);
        RunResults n = load(newDir);
        RunComparison c = RunComparison.of(b, n, alpha, WorkloadDefinitions.between(
                WorkloadDefinitions.read(baseDir, b.runId()), WorkloadDefinitions.read(newDir, n.runId())));
        if (output.equals("json")) {
            out.println(Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(ComparisonJson.of(c, minimum, failOnRegression,
                    uniformPct)));
        } else {
            ComparisonText.lines(c).forEach(out::println);
            List<String> unmatched = RunComparison.unmatched(b, n);
            if (!unmatched.isEmpty()) {
                out.println();
                unmatched.forEach(u -> out.println(TerminalText.sanitize(u)));
            }
        }
        out.flush();
        if (failOnRegression) {
            List<RunComparison.Row> regressions = c.regressionsBeyond(minimum);
            if (!regressions.isEmpty()) {
                RunComparison.Row first = regressions.get(0);
                String change = first.difference().changePct() == null ? "(base mean 0)"
                        : String.format(java.util.Locale.ROOT, "%+.2f %%", first.difference().changePct());
                String tail = uniformPct != null ? "" : " (its minimum " + MinimumChange.uniform(minimum.percentFor(
                        first.series().metric())).shown() + "; every metric's: " + minimum.shown() + ")";
                err.println("lb: " + regressions.size() + " significant regression(s) beyond " + (uniformPct != null
                        ? uniformPct + " %" : "their metric's minimum change") + ", e.g. " + TerminalText.sanitize(
                        first.host() + " " + first.series().workload() + " " + first.series().metric() + " " + change
                        + tail));
                return ExitCode.REGRESSION;
            }
        }
        // "No regression" is a claim about every series the base has: one the new run lacks was not checked.
        List<String> missing = RunComparison.missingInNew(b, n);
        if (c.rows().isEmpty() || !missing.isEmpty()) {
            err.println("lb: cannot tell whether " + TerminalText.sanitize(n.runId()) + " changed: "
                    + (c.rows().isEmpty() ? "the runs share no result series"
                    : missing.size() + " series of the base have no results in it, e.g. "
                    + TerminalText.sanitize(missing.get(0))));
            return ExitCode.INCOMPLETE;
        }
        return ExitCode.OK;
    }

    /**
     * The minimum change of each metric: --fail-on-regression PCT or --min-change (one percentage; not both), else
     * the -c config's regression: block, else the default that lb history check uses too.
     */
    private MinimumChange minimumChange(Double uniformPct) {
        if (uniformPct != null && minChange != null) {
            throw new LbException(ExitCode.USAGE, "--fail-on-regression PCT and --min-change both give the minimum"
                    + " change: give one (--fail-on-regression without PCT uses --min-change)");
        }
        Double pct = uniformPct != null ? uniformPct : minChange;
        String option = uniformPct != null ? "--fail-on-regression" : "--min-change";
        if (pct != null) {
            if (!(pct >= 0) || pct.isInfinite()) {
                throw new LbException(ExitCode.USAGE, option + " takes a percentage >= 0, not " + pct);
            }
            return MinimumChange.uniform(pct);
        }
        if (configFile != null) {
            try {
                MinimumChange fromConfig = ConfigLoader.load(configFile).history().minChange();
                if (fromConfig != null) {
                    return fromConfig;
                }
            } catch (ConfigException e) {
                throw new LbException(ExitCode.USAGE, e.getMessage());
            }
        }
        return MinimumChange.DEFAULT;
    }

    /**
     * {@code --fail-on-regression} with or without a percentage: the next argument is taken as its PCT only when it
     * is a number, so {@code --fail-on-regression BASE NEW} leaves the runs to the positional parameters (picocli's
     * own optional value would take BASE and fail on it). Without one the value is NaN: "the minimum change decides".
     */
    static final class OptionalPercent implements CommandLine.IParameterConsumer {
        private static final java.util.regex.Pattern NUMBER =
                java.util.regex.Pattern.compile("[-+]?(\\d+(\\.\\d*)?|\\.\\d+)");

        @Override
        public void consumeParameters(java.util.Stack<String> args, CommandLine.Model.ArgSpec argSpec,
                CommandLine.Model.CommandSpec commandSpec) {
            double value = Double.NaN;
            if (!args.isEmpty() && NUMBER.matcher(args.peek()).matches()) {
                value = Double.parseDouble(args.pop());
            }
            argSpec.setValue(value);
        }
    }

    /**
     * {@code last} after a named base: the newest other run of the base's config in the base's own runs directory
     * (a copied example writes its runs next to its config, not under ./runs), said on stderr so the reader knows
     * what was compared. A base whose config is not recorded falls back to the newest run in --output-dir.
     */
    private Path lastBeside(Path baseDir, PrintWriter err) throws IOException {
        String config = PastRuns.of(baseDir).map(PastRuns.Entry::name).orElse(null);
        Path runs = baseDir.toAbsolutePath().normalize().getParent();
        if (config == null || runs == null) {
            Path newest = JournalCommand.runDir("last", outputDir);
            err.println("lb: last = " + newest.getFileName() + " (the newest run in " + outputDir + "; the base's config"
                    + " is not recorded)");
            return newest;
        }
        PastRuns.Entry e = PastRuns.newestOf(runs, config, baseDir).orElseThrow(() -> new LbException(ExitCode.USAGE,
                "no other run of config '" + TerminalText.sanitize(config) + "' in " + runs + " for 'last'"));
        err.println("lb: last = " + TerminalText.sanitize(e.id()) + " (the newest other run of config '"
                + TerminalText.sanitize(config) + "' in " + runs + ")");
        return e.dir();
    }

    /** A run whose journal cannot be read is a failure to read it (1), not a usage error. */
    private RunResults load(Path dir) {
        return RunResults.of(ResultsCommand.read(dir, spec.commandLine().getErr(), ExitCode.FAILED));
    }
}
