package dev.lb.agent;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Looks through /proc for processes whose command line holds a marker: what a stop must leave behind is none. */
final class Processes {
    private Processes() {
    }

    static List<Long> withMarker(String marker) throws IOException {
        List<Long> found = new ArrayList<>();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path p : procs.toList()) {
                String name = p.getFileName().toString();
                if (!name.chars().allMatch(Character::isDigit)) {
                    continue;
                }
                try {
                    String cmdline = new String(Files.readAllBytes(p.resolve("cmdline")), StandardCharsets.UTF_8);
                    String stat = Files.readString(p.resolve("stat"));
                    boolean zombie = stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z");
                    if (cmdline.contains(marker) && !zombie) {
                        found.add(Long.parseLong(name));
                    }
                } catch (IOException e) {
                    // the process ended while we looked at it: not one that was left behind
                }
            }
        }
        return found;
    }
}
