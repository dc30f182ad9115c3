package dev.lb.controller.ansible;

import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Finds ansible-playbook. On a fresh Debian/Ubuntu machine where lb runs as root, installs ansible-core with apt
 * (and says so); otherwise the caller stops with the exact command to run.
 */
public final class AnsibleLocator {
    public static final String INSTALL_HINT = "sudo apt-get install -y ansible-core   (or: pipx install ansible-core)";

    private AnsibleLocator() {
    }

    public static Optional<Path> find(String pathEnv) {
        if (pathEnv == null) {
            return Optional.empty();
        }
        for (String dir : pathEnv.split(File.pathSeparator)) {
            Path p = Path.of(dir.isEmpty() ? "." : dir, "ansible-playbook");
            if (Files.isExecutable(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /**
     * The Python that runs ansible-playbook (its #! line), which also runs lb's guard: the one interpreter known to
     * be there. {@code python3} from PATH when the first line names none.
     */
    public static Path pythonOf(Path ansiblePlaybook) {
        try (java.io.BufferedReader r = Files.newBufferedReader(ansiblePlaybook, java.nio.charset.StandardCharsets.ISO_8859_1)) {
            String first = r.readLine();
            if (first != null && first.startsWith("#!")) {
                String[] words = first.substring(2).trim().split("\\s+");
                if (words.length == 1 && Files.isExecutable(Path.of(words[0]))) {
                    return Path.of(words[0]);
                }
                if (words.length == 2 && words[0].endsWith("/env")) {
                    return Path.of(words[1]);
                }
            }
        } catch (IOException e) {
            // not a script we can read (a wrapper binary): fall back to PATH below
        }
        return Path.of("python3");
    }

    /** Installs ansible-core when allowed here; returns whether ansible-playbook is now available. */
    public static boolean installIfPossible(PrintWriter err) throws InterruptedException {
        boolean root = "root".equals(System.getProperty("user.name"));
        boolean apt = Files.isExecutable(Path.of("/usr/bin/apt-get"));
        if (!root || !apt) {
            return false;
        }
        err.println("lb: ansible-playbook not found; installing ansible-core with apt-get (running as root)...");
        err.flush();
        try {
            run(err, "apt-get", "update", "-q");
            int rc = run(err, "apt-get", "install", "-y", "-q", "ansible-core");
            return rc == 0 && find(System.getenv("PATH")).isPresent();
        } catch (IOException e) {
            err.println("lb: installing ansible-core failed: " + e.getMessage());
            return false;
        }
    }

    private static int run(PrintWriter err, String... argv) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD);
        pb.environment().put("DEBIAN_FRONTEND", "noninteractive");
        Process p = pb.start();
        if (!p.waitFor(15, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            err.println("lb: " + String.join(" ", argv) + " did not finish in 15 minutes");
            return -1;
        }
        return p.exitValue();
    }
}
