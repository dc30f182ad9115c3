package dev.lb.protocol;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * What was built: the Maven project version and the git commit of the sources, so that a bug report, a summary and
 * a result can say exactly what ran. The commit comes from the build ({@code -Dlb.commit}, passed by ./lb); a build
 * without it (an IDE, a bare mvn) asks git in {@code LB_HOME} at run time, and says "unknown commit" otherwise.
 */
public final class BuildInfo {
    private static volatile String cached;

    private BuildInfo() {
    }

    /** {@code 0.1.0-SNAPSHOT (commit 1a2b3c4d5e6f)}, with {@code -dirty} when the checkout had changes. */
    public static String describe() {
        String d = cached;
        if (d == null) {
            Properties p = new Properties();
            try (InputStream in = BuildInfo.class.getResourceAsStream("build.properties")) {
                if (in != null) {
                    p.load(in);
                }
            } catch (IOException e) {
                // an unreadable resource of our own jar: the version is then said to be unknown, below
            }
            String version = filled(p.getProperty("version"));
            String commit = filled(p.getProperty("commit"));
            if (commit == null) {
                commit = gitCommit(System.getenv("LB_HOME"));
            }
            d = (version == null ? "unknown version" : version) + " (" + (commit == null ? "unknown commit"
                    : "commit " + commit) + ")";
            cached = d;
        }
        return d;
    }

    private static String filled(String v) {
        return v == null || v.isBlank() || v.startsWith("${") ? null : v.trim();
    }

    private static String gitCommit(String home) {
        if (home == null || !Files.exists(Path.of(home, ".git"))) {
            return null;
        }
        String head = run(home, "git", "rev-parse", "--short=12", "HEAD");
        if (head == null) {
            return null;
        }
        String status = run(home, "git", "status", "--porcelain", "--untracked-files=no");
        return status == null || status.isEmpty() ? head : head + "-dirty";
    }

    private static String run(String dir, String... argv) {
        try {
            Process p = new ProcessBuilder(argv).directory(Path.of(dir).toFile()).redirectErrorStream(true).start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(5, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                return null;
            }
            return new String(out, StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            return null; // no git here: the commit is unknown, which describe() says
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
