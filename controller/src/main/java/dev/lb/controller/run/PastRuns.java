package dev.lb.controller.run;

import dev.lb.controller.state.RunSummary;
import dev.lb.controller.state.SummaryFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/** The runs under an output directory, newest first, each as far as its files tell. */
public final class PastRuns {
    /**
     * One run: from summary.json when it finished (or was ended at once), else from run.json (still going, or its
     * controller died); {@code problem} says what could not be read.
     */
    public record Entry(Path dir, String id, String name, long startedMillis, Double durationS, String outcome,
                        Long events, Long lost, String problem) {
    }

    private PastRuns() {
    }

    public static List<Entry> list(Path outputDir) throws IOException {
        if (!Files.isDirectory(outputDir)) {
            return List.of();
        }
        List<Entry> out = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(outputDir)) {
            for (Path d : dirs.filter(Files::isDirectory).toList()) {
                entry(d).ifPresent(out::add);
            }
        }
        out.sort(Comparator.comparingLong(Entry::startedMillis).reversed().thenComparing(Entry::id,
                Comparator.reverseOrder()));
        return out;
    }

    /** The newest run, for {@code last} wherever a run id is taken. */
    public static Optional<Path> newest(Path outputDir) throws IOException {
        return list(outputDir).stream().findFirst().map(Entry::dir);
    }

    /**
     * The newest run of the config named {@code config} in {@code dir}, other than {@code except}: what {@code last}
     * means beside a run of that config (the runs of one config are what a comparison follows).
     */
    public static Optional<Entry> newestOf(Path dir, String config, Path except) throws IOException {
        Path skip = except.toAbsolutePath().normalize();
        return list(dir).stream().filter(e -> config.equals(e.name()))
                .filter(e -> !e.dir().toAbsolutePath().normalize().equals(skip)).findFirst();
    }

    /** The run in {@code d} as the list shows it; empty when {@code d} is not a run directory. */
    public static Optional<Entry> of(Path d) {
        return entry(d);
    }

    private static Optional<Entry> entry(Path d) {
        String id = d.getFileName().toString();
        Path summaryFile = d.resolve(RunPipeline.SUMMARY_FILE);
        Path record = d.resolve(RunRecord.FILE);
        if (!Files.exists(summaryFile) && !Files.exists(record)) {
            return Optional.empty(); // not a run directory
        }
        RunRecord plan = null;
        String problem = null;
        try {
            plan = Files.exists(record) ? RunRecord.read(d) : null;
        } catch (IOException e) {
            problem = "run.json unreadable: " + e.getMessage();
        }
        long started = plan != null ? plan.startedMillis() : d.toFile().lastModified();
        String name = plan != null ? plan.config() : null;
        if (Files.exists(summaryFile)) {
            try {
                RunSummary s = SummaryFile.read(summaryFile);
                String outcome = s.outcome() + (s.isUnfinished() ? ", unfinished" : "") + " (exit " + s.exitCode() + ")";
                Long lost = s.completeness() == null ? null : s.completeness().lostEvents();
                return Optional.of(new Entry(d, id, name != null ? name : s.config(),
                        s.startedAt() > 0 ? (long) (s.startedAt() * 1000) : started,
                        s.endedAt() > s.startedAt() ? s.endedAt() - s.startedAt() : null, outcome,
                        s.events() == null ? null : s.events().accepted(), lost, problem));
            } catch (IOException e) {
                problem = "summary.json unreadable: " + e.getMessage();
            }
        }
        return Optional.of(new Entry(d, id, name, started, null, problem == null
                ? "no summary (still going, or its controller ended: lb recover " + id + ")" : "unknown", null, null,
                problem));
    }
}
