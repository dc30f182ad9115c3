package dev.lb.controller.run;

import dev.lb.controller.config.RunConfig;
import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Whether the run directory's disk has room for a run of this size, checked before it starts (lb run, lb doctor -c).
 * The estimate is deliberately rough and says how it is made; below a hard floor not even the summary would fit.
 */
public record RunDirRoom(long freeBytes, long estimateBytes, String basis) {
    /** Below this, a run is refused: the journal's first batch and the reserved summary would not fit. */
    public static final long FLOOR_BYTES = 1L << 20;
    static final int EVENTS_PER_SECOND = 100;
    static final int BYTES_PER_EVENT = 1536;
    static final double MAX_SECONDS = 300;
    static final double SECONDS_WITHOUT_DEADLINE = 60;

    public static RunDirRoom of(RunConfig config) throws IOException {
        Path dir = config.outputDir().toAbsolutePath();
        Path existing = dir;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        FileStore store = Files.getFileStore(existing == null ? Path.of("/") : existing);
        int hosts = Math.max(1, config.limit() != null ? config.limit().hosts().size()
                : config.targets().hosts() == null ? 1 : config.targets().hosts().size());
        int workloads = config.workloads().size();
        double seconds = config.timeouts().repetitionS() > 0 ? Math.min(config.timeouts().repetitionS(), MAX_SECONDS)
                : SECONDS_WITHOUT_DEADLINE;
        long estimate = (long) (hosts * workloads * (double) config.totalRepetitions() * seconds * EVENTS_PER_SECOND
                * BYTES_PER_EVENT);
        String basis = hosts + " host(s) x " + workloads + " workload(s) x " + config.totalRepetitions()
                + " repetition(s) x " + (long) seconds + " s x " + EVENTS_PER_SECOND + " events/s x " + BYTES_PER_EVENT
                + " bytes per event (journal, ansible.log, callback JSONL and the collected stream files)";
        return new RunDirRoom(store.getUsableSpace(), estimate, basis);
    }

    public boolean belowFloor() {
        return freeBytes < FLOOR_BYTES;
    }

    public boolean tight() {
        return freeBytes < estimateBytes;
    }

    public String describe(Path outputDir) {
        return mib(freeBytes) + " free under " + outputDir + "; a chatty run of this size may need about "
                + mib(estimateBytes) + " (" + basis + ")";
    }

    /** The message of a refused run. */
    public String refusal(Path outputDir) {
        return "not enough room for a run: " + mib(freeBytes) + " free under " + outputDir + ", below the floor of "
                + mib(FLOOR_BYTES) + "; free some space or set output_dir to another disk";
    }

    static String mib(long bytes) {
        return String.format(java.util.Locale.ROOT, "%.1f MiB", bytes / 1048576.0);
    }
}
