package dev.lb.controller.system;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * The fields of a target's system information (the {@code system} object of its {@code type: system} event) as
 * people read them: a label and the value as text, or null when the target did not report it. One list for the
 * results line, the report's table and the comparison, so the three never disagree on what a field says.
 */
public final class SystemFields {
    /**
     * One field; {@code comparedAs}: what of it is compared between two runs (null: a change of it is no difference
     * worth listing). Usually the value shown; less when the value carries something each run has of its own.
     */
    public record Field(String label, Function<JsonNode, String> value, Function<JsonNode, String> comparedAs) {
        Field(String label, Function<JsonNode, String> value, boolean compared) {
            this(label, value, compared ? value : null);
        }

        public String of(JsonNode system) {
            return system == null ? null : value.apply(system);
        }

        public boolean compared() {
            return comparedAs != null;
        }

        /** The text two runs' values are compared by (null when not reported, or when the field is not compared). */
        public String comparable(JsonNode system) {
            return system == null || comparedAs == null ? null : comparedAs.apply(system);
        }
    }

    public static final Field CPU_MODEL = new Field("CPU model", s -> text(s, "/cpu/model"), true);
    public static final Field LOGICAL_CORES = new Field("logical cores", s -> text(s, "/cpu/logical_cores"), true);
    public static final Field PHYSICAL_CORES = new Field("physical cores", s -> text(s, "/cpu/physical_cores"), true);

    public static final Field VIRTUALIZATION = new Field("virtualization", SystemFields::virtualization, true);
    /** Measured afresh by every run: shown, never a difference between runs. */
    public static final Field CLOCK = new Field("clock offset", SystemFields::clock, false);

    public static final List<Field> ALL = List.of(
            CPU_MODEL,
            new Field("CPU vendor", s -> text(s, "/cpu/vendor"), true),
            LOGICAL_CORES,
            PHYSICAL_CORES,
            new Field("sockets", s -> text(s, "/cpu/sockets"), true),
            new Field("frequency min / max", SystemFields::minMax, true),
            // The current frequency moves from moment to moment: shown, never listed as a difference.
            new Field("frequency now", s -> mhz(s.at("/cpu/freq_cur_mhz")), false),
            new Field("governor", s -> text(s, "/cpu/governor"), true),
            new Field("memory", s -> bytes(s.at("/memory/total_bytes")), true),
            new Field("swap", s -> bytes(s.at("/memory/swap_total_bytes")), true),
            new Field("disks", SystemFields::disks, true),
            // Compared without the run's own directory, whose path names the run (<target_root>/<run>.<attempt>/<host>).
            new Field("file systems", SystemFields::filesystems, SystemFields::filesystemsWithoutPaths),
            new Field("OS", s -> text(s, "/os/name"), true),
            new Field("kernel", s -> text(s, "/kernel/release"), true),
            new Field("kernel build", s -> text(s, "/kernel/version"), true),
            new Field("kernel command line", s -> text(s, "/kernel/cmdline"), true),
            new Field("architecture", s -> text(s, "/kernel/arch"), true),
            VIRTUALIZATION,
            new Field("stress-ng", s -> text(s, "/tools/stress-ng/version"), true),
            new Field("fio", s -> text(s, "/tools/fio/version"), true),
            new Field("sysbench", s -> text(s, "/tools/sysbench/version"), true),
            new Field("k6", s -> text(s, "/tools/k6/version"), true),
            CLOCK);

    private SystemFields() {
    }

    static String text(JsonNode s, String pointer) {
        JsonNode n = s.at(pointer);
        return n.isMissingNode() || n.isNull() || n.isContainerNode() ? null : n.asText();
    }

    private static String minMax(JsonNode s) {
        String min = mhz(s.at("/cpu/freq_min_mhz"));
        String max = mhz(s.at("/cpu/freq_max_mhz"));
        if (min == null && max == null) {
            return null;
        }
        return (min == null ? "?" : min) + " / " + (max == null ? "?" : max);
    }

    static String mhz(JsonNode n) {
        return n.isNumber() ? String.format(Locale.ROOT, "%.0f MHz", n.asDouble()) : null;
    }

    static String bytes(JsonNode n) {
        if (!n.isNumber()) {
            return null;
        }
        double b = n.asDouble();
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};
        int u = 0;
        while (b >= 1024 && u < units.length - 1) {
            b /= 1024;
            u++;
        }
        return u == 0 ? String.format(Locale.ROOT, "%.0f B", b) : String.format(Locale.ROOT, "%.1f %s", b, units[u]);
    }

    private static String disks(JsonNode s) {
        JsonNode devices = s.at("/disks/devices");
        if (!devices.isArray()) {
            return null;
        }
        List<String> out = new ArrayList<>();
        for (JsonNode d : devices) {
            String rota = d.path("rotational").isBoolean() ? (d.get("rotational").asBoolean() ? " rotational"
                    : " non-rotational") : "";
            out.add(d.path("name").asText("?") + (d.hasNonNull("model") ? " " + d.get("model").asText() : "") + " "
                    + bytes(d.path("size_bytes")) + rota);
        }
        return String.join("; ", out);
    }

    private static String filesystems(JsonNode s) {
        return mounts(s, m -> {
            List<String> paths = new ArrayList<>();
            m.path("paths").forEach(p -> paths.add(p.asText()));
            return String.join(", ", paths);
        });
    }

    /**
     * The file systems as mounts (mount point, type, source, size), not as the paths on them: the agent reports the
     * file system of {@code /} and of the run's private directory, a path new in every run. A run directory that
     * lands on another mount still shows, by that mount.
     */
    private static String filesystemsWithoutPaths(JsonNode s) {
        return mounts(s, m -> m.path("mount_point").asText("?"));
    }

    /** Each mount as {@code WHERE: type on source size}, WHERE as {@code where} names it; null when none reported. */
    private static String mounts(JsonNode s, Function<JsonNode, String> where) {
        JsonNode mounts = s.at("/filesystems/mounts");
        if (!mounts.isArray()) {
            return null;
        }
        List<String> out = new ArrayList<>();
        for (JsonNode m : mounts) {
            out.add(where.apply(m) + ": " + m.path("type").asText("?") + " on " + m.path("source").asText("?")
                    + (m.has("size_bytes") ? " " + bytes(m.get("size_bytes")) : ""));
        }
        return String.join("; ", out);
    }

    private static String virtualization(JsonNode s) {
        JsonNode v = s.path("virtualization");
        if (!v.has("kind")) {
            return null;
        }
        String container = v.path("container").asText("none");
        String vm = v.path("vm").asText("none");
        if (container.equals("none") && vm.equals("none")) {
            return "none seen (bare metal?)";
        }
        return (container.equals("none") ? "" : "container " + container) + (!container.equals("none")
                && !vm.equals("none") ? " on " : "") + (vm.equals("none") ? "" : "VM " + vm);
    }

    private static String clock(JsonNode s) {
        JsonNode c = s.path("clock");
        if (!c.path("offset_ms").isNumber()) {
            return null;
        }
        return String.format(Locale.ROOT, "%+.1f ms (± %.1f ms)", c.get("offset_ms").asDouble(),
                c.path("uncertainty_ms").asDouble());
    }
}
