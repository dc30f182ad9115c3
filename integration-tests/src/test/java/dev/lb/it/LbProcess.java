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
        List<String> cmd = new ArrayList<>();
        cmd.add(ROOT.resolve("lb").toString());
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(ROOT.toFile());
        if (stdin != null) {
            pb.redirectInput(stdin.toFile());
        }
        Path outFile = java.nio.file.Files.createTempFile("lb-out", ".txt");
        Path errFile = java.nio.file.Files.createTempFile("lb-err", ".txt");
        pb.redirectOutput(outFile.toFile()).redirectError(errFile.toFile());
        Process p = pb.start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("lb " + String.join(" ", args) + " did not finish in 120 s");
        }
        String out = java.nio.file.Files.readString(outFile, StandardCharsets.UTF_8);
        String err = java.nio.file.Files.readString(errFile, StandardCharsets.UTF_8);
        java.nio.file.Files.delete(outFile);
        java.nio.file.Files.delete(errFile);
        return new LbProcess(p.exitValue(), out, err);
    }
}
