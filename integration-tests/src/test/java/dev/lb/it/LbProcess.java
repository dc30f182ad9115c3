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
