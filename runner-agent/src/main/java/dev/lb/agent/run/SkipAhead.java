package dev.lb.agent.run;

import dev.lb.agent.stream.Emitter;
import dev.lb.agent.stream.EventStream;
import dev.lb.agent.stream.StatusFile;
import dev.lb.results.StabilityRule;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;

/**
 * Adaptive repetitions without an agent per skipped repetition. Once this workload is stable on this host, each later
 * repetition's agent would start a JVM only to read the same history, find it stable and write one final
 * {@code skipped} event. The agent that knows the verdict writes those repetitions ahead instead, each in a directory
 * of its own, {@code DIR/<repetition>/} holding the stream file and {@code status.json}, by the code a fresh agent of
 * that repetition runs ({@link RepetitionRunner#skipIfStable}) with what such an agent would have: an emitter with
 * that repetition's identity (so the same seq and seal), a status file of its own, and the rule reading the same
 * history. The start step (lb_start_agent) then appends the stream lines to the host's stream file, moves
 * {@code status.json} into place and starts nothing. Only {@code ts} differs: it is when the line was written here.
 * The agent does this after its own final event (so the host's events stay in ts order) and before its own
 * {@code status.json} (the next repetition starts only once that is there, and must find what is written ahead).
 *
 * <p>{@code status.json} is written after the stream lines and atomically, as always: a directory without it was not
 * written whole, and its repetition starts an agent as before. The history of a workload that is stable no longer
 * changes (every later repetition is skipped, and a skipped one records nothing), so what is written ahead stays
 * what a fresh agent would write.
 */
public final class SkipAhead {
    /** The stream file in each repetition's directory; the start step appends it to the host's stream file. */
    public static final String STREAM_FILE = "lb_events.stream.log";

    /** Builds the runner a fresh agent of the repetition would build around these. */
    @FunctionalInterface
    public interface Runners {
        RepetitionRunner runner(Emitter emitter, StatusFile statusFile, Stability stability);
    }

    private final Path dir;
    private final Emitter.Context context;
    private final StabilityRule rule;
    private final Path history;
    private final int maxEventBytes;
    private final Clock clock;
    private final Runners runners;

    public SkipAhead(Path dir, Emitter.Context context, StabilityRule rule, Path history, int maxEventBytes,
                     Clock clock, Runners runners) {
        this.dir = dir;
        this.context = context;
        this.rule = rule;
        this.history = history;
        this.maxEventBytes = maxEventBytes;
        this.clock = clock;
        this.runners = runners;
    }

    /**
     * Writes every repetition after {@code repetition} up to the context's total ahead, while the rule says they are
     * skipped; returns how many were written. The first that is not skipped ends it (nothing is left of it but what a
     * fresh agent would also write before running). A failure leaves the repetitions from that one on to their
     * agents, and is thrown with the directory it concerns.
     */
    public int writeAfter(int repetition) throws IOException {
        Integer total = context.totalRepetitions();
        int written = 0;
        for (int r = repetition + 1; total != null && r <= total; r++) {
            Path repDir = dir.resolve(String.valueOf(r));
            try {
                if (!write(repDir, r)) {
                    break;
                }
            } catch (IOException e) {
                throw new IOException("repetition " + r + " in " + repDir + ": " + e, e);
            }
            written++;
        }
        return written;
    }

    private boolean write(Path repDir, int r) throws IOException {
        Files.createDirectories(repDir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        // What an earlier attempt left (one that failed half-way) is not added to.
        Files.deleteIfExists(repDir.resolve(StatusFile.NAME));
        Files.deleteIfExists(repDir.resolve(STREAM_FILE));
        try (EventStream stream = EventStream.open(repDir.resolve(STREAM_FILE), maxEventBytes)) {
            Emitter emitter = new Emitter(stream, new Emitter.Context(context.runId(), context.host(),
                    context.workload(), r, context.totalRepetitions(), context.warmup()), clock);
            boolean skipped = runners.runner(emitter, StatusFile.unreserved(repDir), new Stability(rule, history))
                    .skipIfStable().isPresent();
            if (emitter.failure() != null) {
                Files.deleteIfExists(repDir.resolve(StatusFile.NAME));
                throw emitter.failure();
            }
            if (!skipped) {
                return false;
            }
        }
        if (!Files.exists(repDir.resolve(StatusFile.NAME))) {
            throw new IOException(StatusFile.NAME + " could not be written (the agent's log says why)");
        }
        return true;
    }
}
