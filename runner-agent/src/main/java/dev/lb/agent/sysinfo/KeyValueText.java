package dev.lb.agent.sysinfo;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;

/** The {@code KEY=value} and {@code Key: value} files the collector reads: /etc/os-release and /proc/meminfo. */
final class KeyValueText {
    private KeyValueText() {
    }

    /** os-release(5): {@code KEY=value}, the value optionally in single or double quotes; comments skipped. */
    static Map<String, String> osRelease(String text) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            String l = line.strip();
            int eq = l.indexOf('=');
            if (l.startsWith("#") || eq <= 0) {
                continue;
            }
            String value = l.substring(eq + 1).strip();
            if (value.length() >= 2 && (value.charAt(0) == '"' || value.charAt(0) == '\'')
                    && value.charAt(value.length() - 1) == value.charAt(0)) {
                value = value.substring(1, value.length() - 1).replace("\\\"", "\"").replace("\\\\", "\\");
            }
            out.put(l.substring(0, eq), value);
        }
        return out;
    }

    /** A /proc/meminfo line's value in bytes ({@code MemTotal:  16384 kB}); empty when the key is not there. */
    static OptionalLong meminfoBytes(String text, String key) {
        for (String line : text.split("\n")) {
            if (!line.startsWith(key + ":")) {
                continue;
            }
            String[] words = line.substring(key.length() + 1).strip().split("\\s+");
            if (words.length == 0 || !words[0].matches("\\d{1,18}")) {
                return OptionalLong.empty();
            }
            long value = Long.parseLong(words[0]);
            return OptionalLong.of(words.length > 1 && words[1].equalsIgnoreCase("kB") ? value * 1024 : value);
        }
        return OptionalLong.empty();
    }
}
