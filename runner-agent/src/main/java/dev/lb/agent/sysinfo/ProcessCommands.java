package dev.lb.agent.sysinfo;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Runs the collector's programs ({@code lscpu}, {@code lsblk}, a tool's {@code --version}) from PATH, argv only,
 * with a time limit: a program that hangs is killed and reported, it never holds up the run's setup.
 */
final class ProcessCommands implements SystemSources.Commands {
    static final long TIMEOUT_S = 10;
    private static final int MAX_OUTPUT = 1 << 20;

    private final String pathVariable;

    ProcessCommands(String pathVariable) {
        this.pathVariable = pathVariable == null ? "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
                : pathVariable;
    }

    @Override
    public Optional<SystemSources.CommandOutput> run(List<String> argv) throws IOException {
        Optional<Path> program = find(argv.get(0));
        if (program.isEmpty()) {
            return Optional.empty();
        }
        List<String> command = new ArrayList<>(argv);
        command.set(0, program.get().toString());
        // Output to a file, not a pipe: a program that hangs with its output open cannot block the read, and the
        // time limit holds.
        Path out = Files.createTempFile("lb-sysinfo-", ".out");
        try {
            ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(out.toFile()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            pb.environment().put("LC_ALL", "C"); // lscpu's field names and numbers in one language
            Process p = pb.start();
            try {
                if (!p.waitFor(TIMEOUT_S, TimeUnit.SECONDS)) {
                    p.descendants().forEach(ProcessHandle::destroyForcibly);
                    p.destroyForcibly();
                    throw new IOException(String.join(" ", argv) + " did not end within " + TIMEOUT_S + " s; killed");
                }
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while running " + argv.get(0), e);
            }
            byte[] bytes;
            try (InputStream in = Files.newInputStream(out)) {
                bytes = in.readNBytes(MAX_OUTPUT);
            }
            return Optional.of(new SystemSources.CommandOutput(p.exitValue(), new String(bytes, StandardCharsets.UTF_8)));
        } finally {
            Files.deleteIfExists(out);
        }
    }

    /** The program as execvp would find it; a name with a slash is taken as it is. */
    private Optional<Path> find(String name) {
        if (name.contains("/")) {
            Path p = Path.of(name);
            return Files.isRegularFile(p) && Files.isExecutable(p) ? Optional.of(p) : Optional.empty();
        }
        for (String dir : pathVariable.split(File.pathSeparator)) {
            Path p = Path.of(dir.isEmpty() ? "." : dir, name);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }
}
