package dev.lb.agent.run;

import dev.lb.agent.stream.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The workload's process group on record: {@code workload.pgid} in the run directory (the pgid in decimal and a
 * newline, written atomically), so that whoever has to end a workload whose agent is gone can kill its whole group.
 *
 * <p>The file never names a group that is not the workload's own: it is written only when the workload was started
 * under {@code setsid} and /proc shows it leading its own group (pgid == pid), and it is removed only once no
 * process of that group is left, members that outlived the workload being stopped first.
 */
final class WorkloadGroup {
    static final String FILE = "workload.pgid";

    private static final Logger log = LoggerFactory.getLogger(WorkloadGroup.class);
    private static final Duration CONFIRM_WITHIN = Duration.ofSeconds(2);

    private final Path file;
    private final long pgid;

    private WorkloadGroup(Path file, long pgid) {
        this.file = file;
        this.pgid = pgid;
    }

    /**
     * Records the group of a workload just started under setsid. setsid makes itself a group leader a moment
     * after the start returns, so its group is watched until it is its own. A workload that has already exited is
     * recorded when processes of the group with its pid as id are left: only it can have created that group, and
     * Linux does not reuse a pid while a group of that id exists. Empty when there is no such group.
     */
    static Optional<WorkloadGroup> record(Process process, Path runDir) throws IOException, InterruptedException {
        long pid = process.pid();
        long deadline = System.nanoTime() + CONFIRM_WITHIN.toNanos();
        while (true) {
            OptionalLong pgid = ProcessTree.processGroup(pid);
            if (pgid.isEmpty()) {
                if (ProcessTree.groupMembers(pid).isEmpty()) {
                    log.debug("the workload (pid {}) and its process group are gone already; no {} written", pid,
                            FILE);
                    return Optional.empty();
                }
                break;
            }
            if (pgid.getAsLong() == pid) {
                break;
            }
            if (System.nanoTime() > deadline) {
                log.warn("the workload (pid {}) is still in process group {} after {} ms under setsid; no {} written,"
                        + " since that group is not the workload's own", pid, pgid.getAsLong(),
                        CONFIRM_WITHIN.toMillis(), FILE);
                return Optional.empty();
            }
            Thread.sleep(1);
        }
        Path file = runDir.resolve(FILE);
        AtomicFiles.write(file, (pid + "\n").getBytes(StandardCharsets.UTF_8));
        return Optional.of(new WorkloadGroup(file, pid));
    }

    long pgid() {
        return pgid;
    }

    /**
     * Called once the workload has exited and its output is drained: stops members of its group that outlived it
     * (they closed or never held its output), then removes the record. When the group survives even KILL, the
     * record stays, since it is still true, and that is logged as an error.
     */
    void release(Duration grace) throws InterruptedException {
        try {
            int left = ProcessTree.groupMembers(pgid).size();
            if (left > 0) {
                log.warn("{} process(es) of the workload's group {} still running after it ended; stopping them",
                        left, pgid);
                if (!ProcessTree.terminateGroup(pgid, grace)) {
                    log.error("process group {} survived KILL; {} is left in place", pgid, file);
                    return;
                }
            }
            Files.deleteIfExists(file);
        } catch (IOException e) {
            log.error("cannot clear the workload's group {} ({}): {}", pgid, file, e.toString());
        }
    }
}
