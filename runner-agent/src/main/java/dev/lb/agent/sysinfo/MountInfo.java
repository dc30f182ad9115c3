package dev.lb.agent.sysinfo;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** /proc/self/mountinfo: which mount holds a path, its file system type and source. */
final class MountInfo {
    record Mount(String mountPoint, String type, String source) {
    }

    private MountInfo() {
    }

    /** Every mount, in file order (a later mount on the same point hides an earlier one). */
    static List<Mount> parse(String text) {
        List<Mount> out = new ArrayList<>();
        for (String line : text.split("\n")) {
            String[] f = line.strip().split(" ");
            int dash = List.of(f).indexOf("-");
            if (f.length < 7 || dash < 6 || dash + 2 >= f.length) {
                continue;
            }
            out.add(new Mount(unescape(f[4]), unescape(f[dash + 1]), unescape(f[dash + 2])));
        }
        return out;
    }

    /** The mount that holds {@code path} (absolute, normalized): the longest mount point that is a prefix of it. */
    static Optional<Mount> holding(List<Mount> mounts, String path) {
        Mount best = null;
        for (Mount m : mounts) {
            String mp = m.mountPoint();
            boolean holds = mp.equals("/") || path.equals(mp) || path.startsWith(mp + "/");
            if (holds && (best == null || mp.length() >= best.mountPoint().length())) {
                best = m;
            }
        }
        return Optional.ofNullable(best);
    }

    /** The kernel writes space, tab, newline and backslash as octal escapes ({@code \040}). */
    static String unescape(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 3 < s.length() && s.substring(i + 1, i + 4).matches("[0-7]{3}")) {
                b.append((char) Integer.parseInt(s.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }
}
