package dev.lb.agent.sysinfo;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A machine captured into test resources ({@code sysinfo/<name>/}: its /proc, /sys and /etc files under their own
 * paths, and {@code commands/lscpu.json}, {@code commands/lsblk.json}: what {@code lscpu -J} and {@code lsblk -J ...}
 * printed there), served to the collector as if it were the machine. Other commands are "not installed" unless
 * given with {@link #with}.
 */
final class CapturedMachine {
    private final Path root;
    private final Map<List<String>, SystemSources.CommandOutput> commands = new HashMap<>();

    CapturedMachine(Path root) throws IOException {
        this.root = root;
        Path lscpu = root.resolve("commands/lscpu.json");
        if (Files.exists(lscpu)) {
            commands.put(List.of("lscpu", "-J"), new SystemSources.CommandOutput(0, Files.readString(lscpu)));
        }
        Path lsblk = root.resolve("commands/lsblk.json");
        if (Files.exists(lsblk)) {
            commands.put(List.of(LsblkJson.ARGV), new SystemSources.CommandOutput(0, Files.readString(lsblk)));
        }
    }

    static CapturedMachine named(String name) throws IOException {
        try {
            return new CapturedMachine(Path.of(CapturedMachine.class.getResource("/sysinfo/" + name).toURI()));
        } catch (URISyntaxException e) {
            throw new IOException(e);
        }
    }

    CapturedMachine with(List<String> argv, int exitCode, String output) {
        commands.put(argv, new SystemSources.CommandOutput(exitCode, output));
        return this;
    }

    CapturedMachine without(List<String> argv) {
        commands.remove(argv);
        return this;
    }

    Path root() {
        return root;
    }

    String file(String path) throws IOException {
        return Files.readString(root.resolve(path.substring(1)));
    }

    SystemSources sources() {
        return new SystemSources(root, argv -> Optional.ofNullable(commands.get(argv)),
                p -> OptionalLong.of(1_000_000_000L));
    }
}
