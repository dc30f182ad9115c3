package dev.lb.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the {@code ./lb} launcher as a user would: a real process, real exit code, real output. */
record LbProcess(int exitCode, String out, String err) {
    static final Path ROOT = Path.of(System.getProperty("lb.root", "..")).toAbsolutePath().normalize();

    static LbProcess run(Path stdin, String... args) throws IOException, InterruptedException {
        return runIn(ROOT, java.util.Map.of(), stdin, args);
    }

    static ProcessBuilder builder(Path cwd, java.util.Map<String, String> env, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(ROOT.resolve("lb").toString());
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(cwd.toFile());
        pb.environment().putAll(env);
        return pb;
    }

    /**
     * Ctrl-C, as the terminal sends it. A process started with SIGINT ignored (a background job of a non-interactive
     * shell) passes that on to lb, whose JVM then cannot take SIGINT at all: said at once, not after a 10-minute wait.
     */
    static void interrupt(ProcessHandle lb) throws IOException, InterruptedException {
        String status = java.nio.file.Files.readString(Path.of("/proc/self/status"));
        java.util.regex.Matcher ignored = java.util.regex.Pattern.compile("SigIgn:\\s*([0-9a-f]+)").matcher(status);
        if (ignored.find() && (Long.parseUnsignedLong(ignored.group(1), 16) & (1L << 1)) != 0) {
            throw new AssertionError("this test JVM was started with SIGINT ignored, and so is every lb it starts:"
                    + " run the suite in the foreground or from a process that does not ignore SIGINT");
        }
        Process kill = new ProcessBuilder("kill", "-INT", Long.toString(lb.pid())).start();
        if (kill.waitFor() != 0) {
            throw new AssertionError("kill -INT " + lb.pid() + " failed with exit code " + kill.exitValue());
        }
    }

    static LbProcess runIn(Path cwd, java.util.Map<String, String> env, Path stdin, String... args)
            throws IOException, InterruptedException {
        ProcessBuilder pb = builder(cwd, env, args);
        if (stdin != null) {
            pb.redirectInput(stdin.toFile());
        }
        Path outFile = java.nio.file.Files.createTempFile("lb-out", ".txt");
        Path errFile = java.nio.file.Files.createTempFile("lb-err", ".txt");
        pb.redirectOutput(outFile.toFile()).redirectError(errFile.toFile());
        Process p = pb.start();
        if (!p.waitFor(300, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("lb " + String.join(" ", args) + " did not finish in 300 s");
        }
        String out = java.nio.file.Files.readString(outFile, StandardCharsets.UTF_8);
        String err = java.nio.file.Files.readString(errFile, StandardCharsets.UTF_8);
        java.nio.file.Files.delete(outFile);
        java.nio.file.Files.delete(errFile);
        return new LbProcess(p.exitValue(), out, err);
    }
}
