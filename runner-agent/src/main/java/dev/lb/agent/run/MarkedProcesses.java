package dev.lb.agent.run;

import dev.lb.protocol.TerminalText;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Finds what a workload started wherever it went: the workload runs with {@link #VARIABLE} set to a value unique to
 * its repetition, every process it starts inherits it, and at the end of the repetition /proc is scanned for
 * processes carrying it. This finds children that left the workload's process group and session ({@code setsid},
 * a daemon's double fork), which neither the group nor the descendant tree reaches.
 *
 * <p>Only processes of the agent's own user are looked at (the ones it may stop; their environ is readable), and the
 * agent itself never carries the marker. What still escapes is a process that clears or replaces its environment
 * ({@code env -i}, a daemon that execs with a fresh one): no cgroup holds the workload on the project's targets
 * (their cgroup file systems are mounted read-only), so nothing else ties such a process to the repetition.
 */
final class MarkedProcesses {
    static final String VARIABLE = "LB_REPETITION_ID";
    /** A command line is shown up to this many characters: enough to tell which program, bounded for the event. */
    static final int COMMAND_CHARS = 200;

    /** A process found carrying the marker: its pid, its start (to tell it from a later one with that pid), command. */
    record Found(long pid, ProcessHandle handle, String command) {
    }

    /** What one sweep ended: the processes it found, and those still alive after KILL (normally none). */
    record Sweep(List<Found> stopped, List<Found> survivors, List<String> problems) {
    }

    private final String value;
    private final Path proc;
    private final long ownUid;
    private final long ownPid;

    MarkedProcesses(String value, Path proc) throws IOException {
        this.value = value;
        this.proc = proc;
        this.ownUid = uidOf(proc.resolve("self"));
        this.ownPid = ProcessHandle.current().pid();
    }

    /** A fresh marker for one repetition: random, so that no earlier or other repetition's process matches. */
    static MarkedProcesses fresh() throws IOException {
        return new MarkedProcesses(UUID.randomUUID().toString(), Path.of("/proc"));
    }

    String variable() {
        return VARIABLE;
    }

    String value() {
        return value;
    }

    /**
     * The live processes carrying the marker, oldest pid first. A process that ends while it is read is not one; a
     * process of the agent's user whose environ cannot be read is named in {@code problems}.
     */
    List<Found> find(List<String> problems) throws IOException {
        byte[] wanted = (VARIABLE + "=" + value).getBytes(StandardCharsets.UTF_8);
        Map<Long, Found> found = new LinkedHashMap<>();
        List<Path> entries;
        try (Stream<Path> s = Files.list(proc)) {
            entries = s.filter(p -> isPid(p.getFileName().toString())).toList();
        }
        for (Path p : entries) {
            long pid = Long.parseLong(p.getFileName().toString());
            if (pid == ownPid) {
                continue;
            }
            try {
                if (uidOf(p) != ownUid || zombie(p)) {
                    continue;
                }
                if (!carries(Files.readAllBytes(p.resolve("environ")), wanted)) {
                    continue;
                }
                Optional<ProcessHandle> handle = ProcessHandle.of(pid);
                if (handle.isPresent()) {
                    found.put(pid, new Found(pid, handle.get(), command(p)));
                }
            } catch (NoSuchFileException e) {
                // it ended while we read it: not one that was left behind
            } catch (IOException e) {
                // "No such process" (ESRCH): it is exiting, or has no address space (a kernel thread); neither is a
                // stray. Opening the file says so as a FileSystemException, the read itself as a plain IOException
                // (seen with five agents on one machine, a process ending between the open and the read).
                String reason = e instanceof FileSystemException f ? f.getReason() : e.getMessage();
                boolean gone = "No such process".equals(reason) || !Files.exists(p);
                if (!gone) {
                    problems.add("cannot read pid " + pid + ": " + e.getMessage());
                }
            }
        }
        return new ArrayList<>(found.values());
    }

    /**
     * Stops every marked process: TERM, then KILL to whatever is alive after the grace period, scanning again after
     * each step since a dying process may have started others (a double fork). Each process is signalled through its
     * handle, which checks its start time: a pid reused meanwhile by an unrelated process is never signalled.
     */
    Sweep stopAll(Duration grace) throws IOException, InterruptedException {
        List<String> problems = new ArrayList<>();
        Map<Long, Found> seen = new LinkedHashMap<>();
        List<Found> now = find(problems);
        if (now.isEmpty()) {
            return new Sweep(List.of(), List.of(), problems);
        }
        long deadline = System.nanoTime() + grace.toNanos();
        while (!now.isEmpty() && System.nanoTime() < deadline) {
            for (Found f : now) {
                if (seen.putIfAbsent(f.pid(), f) == null) {
                    f.handle().destroy();
                }
            }
            Thread.sleep(20);
            now = find(problems);
        }
        for (int round = 0; round < 10 && !now.isEmpty(); round++) {
            for (Found f : now) {
                seen.putIfAbsent(f.pid(), f);
                f.handle().destroyForcibly();
            }
            long killWait = System.nanoTime() + Duration.ofSeconds(1).toNanos();
            while (System.nanoTime() < killWait && !(now = find(problems)).isEmpty()) {
                Thread.sleep(20);
            }
        }
        return new Sweep(new ArrayList<>(seen.values()), now, problems);
    }

    /** The command line as one display line: arguments joined by spaces, control characters made inert, bounded. */
    static String command(Path procEntry) throws IOException {
        byte[] raw = Files.readAllBytes(procEntry.resolve("cmdline"));
        int end = raw.length;
        while (end > 0 && raw[end - 1] == 0) {
            end--;
        }
        String line = new String(raw, 0, end, StandardCharsets.UTF_8).replace('\0', ' ');
        if (line.isEmpty()) { // a kernel thread or a process that cleared its arguments: its name is all there is
            String comm = Files.readString(procEntry.resolve("comm"), StandardCharsets.UTF_8).strip();
            line = "[" + comm + "]";
        }
        line = TerminalText.sanitize(line);
        return line.length() <= COMMAND_CHARS ? line : line.substring(0, COMMAND_CHARS - 1) + "…";
    }

    /** Whether a NUL-separated environ block holds exactly {@code wanted} as one of its entries. */
    static boolean carries(byte[] environ, byte[] wanted) {
        int start = 0;
        while (start < environ.length) {
            int end = start;
            while (end < environ.length && environ[end] != 0) {
                end++;
            }
            if (end - start == wanted.length && Arrays.equals(environ, start, end, wanted, 0, wanted.length)) {
                return true;
            }
            start = end + 1;
        }
        return false;
    }

    private static boolean isPid(String name) {
        return !name.isEmpty() && name.chars().allMatch(Character::isDigit);
    }

    private static long uidOf(Path procEntry) throws IOException {
        return ((Number) Files.getAttribute(procEntry, "unix:uid")).longValue();
    }

    private static boolean zombie(Path procEntry) throws IOException {
        String stat = Files.readString(procEntry.resolve("stat"));
        return stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z");
    }
}
