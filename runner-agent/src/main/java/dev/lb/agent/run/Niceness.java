package dev.lb.agent.run;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A workload's scheduling priority (the plan's {@code nice}). Java cannot call setpriority, so the workload is started
 * through coreutils' {@code nice}, which sets it and then execs the workload: the pid lb reports is still the
 * workload's. {@code nice -n} adds to the caller's own niceness, so the adjustment is computed from the agent's.
 */
final class Niceness {
    private Niceness() {
    }

    /** The argv prefix that starts a program at {@code wanted}, given the agent's own niceness {@code own}. */
    static List<String> prefix(Path nice, int wanted, int own) {
        return List.of(nice.toString(), "-n", Integer.toString(wanted - own));
    }

    /** This process's niceness, from /proc/self/stat (field 19). */
    static int own() throws IOException {
        return of(Files.readString(Path.of("/proc/self/stat"), StandardCharsets.US_ASCII));
    }

    /** The niceness field of a /proc/PID/stat line; the command name (field 2) may hold spaces and parentheses. */
    static int of(String statLine) throws IOException {
        int close = statLine.lastIndexOf(')');
        String[] rest = close < 0 ? new String[0] : statLine.substring(close + 1).trim().split(" ");
        // After the name: field 3 (state) is rest[0], so field 19 (nice) is rest[16].
        if (rest.length <= 16) {
            throw new IOException("unexpected /proc stat line: " + statLine.strip());
        }
        try {
            return Integer.parseInt(rest[16]);
        } catch (NumberFormatException e) {
            throw new IOException("unexpected niceness field in /proc stat: " + rest[16]);
        }
    }

    /** coreutils' nice, where the agent looks for it. */
    static Optional<Path> executable() {
        for (String p : new String[] {"/usr/bin/nice", "/bin/nice"}) {
            if (Files.isExecutable(Path.of(p))) {
                return Optional.of(Path.of(p));
            }
        }
        return Optional.empty();
    }
}
