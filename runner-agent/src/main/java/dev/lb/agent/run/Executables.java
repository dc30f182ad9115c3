package dev.lb.agent.run;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Finds the program a workload names, the way execvp would, so a missing binary is reported before starting. */
final class Executables {
    private Executables() {
    }

    /** Empty when not found, and for a name no exec could run (empty, or holding NUL, which no path can). */
    static Optional<Path> find(String name, String pathVariable, Path workingDir) {
        if (name.isEmpty() || name.indexOf('\0') >= 0) {
            return Optional.empty();
        }
        if (name.contains("/")) {
            Path p = Path.of(name);
            if (!p.isAbsolute()) {
                p = workingDir.resolve(p);
            }
            return Files.isRegularFile(p) && Files.isExecutable(p) ? Optional.of(p) : Optional.empty();
        }
        String path = pathVariable == null ? "/usr/local/bin:/usr/bin:/bin" : pathVariable;
        for (String dir : path.split(File.pathSeparator)) {
            Path p = Path.of(dir.isEmpty() ? "." : dir, name);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /** util-linux's taskset, where the agent looks for it. */
    static Optional<Path> taskset() {
        for (String p : new String[] {"/usr/bin/taskset", "/bin/taskset"}) {
            if (Files.isExecutable(Path.of(p))) {
                return Optional.of(Path.of(p));
            }
        }
        return Optional.empty();
    }

    static Optional<Path> setsid() {
        for (String p : new String[] {"/usr/bin/setsid", "/bin/setsid"}) {
            if (Files.isExecutable(Path.of(p))) {
                return Optional.of(Path.of(p));
            }
        }
        return Optional.empty();
    }
}
