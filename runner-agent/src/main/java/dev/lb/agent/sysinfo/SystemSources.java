package dev.lb.agent.sysinfo;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Where the system information comes from: the files under {@code root} ({@code /} on a target, a captured tree in
 * the tests), the commands it may run, and the size of a file system. Every read either gives the text or says
 * why it could not, so a field that cannot be read is left out with its reason, never guessed.
 */
public final class SystemSources {
    /** The most read of one file: /proc and /sys files are small; a root pointing elsewhere must not fill the heap. */
    static final int MAX_FILE_BYTES = 4 * 1024 * 1024;

    /** Runs a program, argv only: empty when it is not on PATH. */
    public interface Commands {
        Optional<CommandOutput> run(List<String> argv) throws IOException;
    }

    /** A program's exit code and output (stdout and stderr together, as its version line may be on either). */
    public record CommandOutput(int exitCode, String text) {
        public String firstLine() {
            for (String line : text.split("\n")) {
                if (!line.isBlank()) {
                    return line.strip();
                }
            }
            return "";
        }
    }

    /** The total size of the file system holding a path. */
    public interface FileSystemSize {
        OptionalLong totalBytes(Path path) throws IOException;
    }

    private final Path root;
    private final Commands commands;
    private final FileSystemSize sizes;

    public SystemSources(Path root, Commands commands, FileSystemSize sizes) {
        this.root = root;
        this.commands = commands;
        this.sizes = sizes;
    }

    /** This machine: files from {@code /}, programs from PATH, sizes from the file store. */
    public static SystemSources thisMachine(String pathVariable) {
        return new SystemSources(Path.of("/"), new ProcessCommands(pathVariable),
                p -> OptionalLong.of(Files.getFileStore(p).getTotalSpace()));
    }

    /** The file at the absolute path {@code path} under the root. */
    Path file(String path) {
        return root.resolve(path.startsWith("/") ? path.substring(1) : path);
    }

    boolean exists(String path) {
        return Files.exists(file(path));
    }

    /** The file's text; the exception's message says why it could not be read. */
    String read(String path) throws IOException {
        Path f = file(path);
        try (var in = Files.newInputStream(f)) {
            byte[] bytes = in.readNBytes(MAX_FILE_BYTES + 1);
            if (bytes.length > MAX_FILE_BYTES) {
                throw new IOException(path + ": larger than " + MAX_FILE_BYTES + " bytes");
            }
            return new String(bytes, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new IOException(path + ": no such file", e);
        } catch (IOException e) {
            throw new IOException(path + ": " + e.getClass().getSimpleName() + (e.getMessage() == null ? ""
                    : " " + e.getMessage().replace(f.toString(), path)), e);
        }
    }

    /** The file's first line, stripped. */
    String line(String path) throws IOException {
        String text = read(path);
        int nl = text.indexOf('\n');
        return (nl < 0 ? text : text.substring(0, nl)).strip();
    }

    /** The entries of a directory, by name, or empty when it cannot be listed. */
    List<String> list(String path) {
        try (var s = Files.list(file(path))) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    Commands commands() {
        return commands;
    }

    Optional<CommandOutput> run(String... argv) throws IOException {
        return commands.run(List.of(argv));
    }

    OptionalLong totalBytes(String path) throws IOException {
        return sizes.totalBytes(file(path));
    }
}
