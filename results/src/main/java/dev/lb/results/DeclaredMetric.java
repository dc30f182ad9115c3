package dev.lb.results;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A metric a {@code command} workload declares under {@code results:}: either {@code regex} (its first capture group
 * over the workload's stdout, the last match winning) or {@code file} + {@code pointer} (an RFC 6901 JSON pointer
 * into a JSON file the workload writes). Invalid declarations fail on construction with a one-line message.
 */
public record DeclaredMetric(String name, Unit unit, String regex, String file, String pointer) {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Set<String> KEYS = Set.of("name", "unit", "regex", "file", "pointer");

    public DeclaredMetric {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a declared metric needs a name");
        }
        String what = "declared metric '" + name + "'";
        if (name.equals(WallTime.METRIC)) {
            throw new IllegalArgumentException(what + ": the name is taken: lb measures every command's "
                    + WallTime.METRIC + " itself");
        }
        if (unit == null) {
            throw new IllegalArgumentException(what + " needs a unit (one of " + unitSymbols() + ")");
        }
        boolean byRegex = regex != null;
        boolean byFile = file != null || pointer != null;
        if (byRegex == byFile) {
            throw new IllegalArgumentException(what + " needs either regex, or file and pointer (not both)");
        }
        if (byRegex) {
            Pattern p;
            try {
                p = Pattern.compile(regex, Pattern.MULTILINE);
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException(what + ": regex does not compile: "
                        + e.getDescription() + " near index " + e.getIndex());
            }
            if (p.matcher("").groupCount() < 1) {
                throw new IllegalArgumentException(what + ": regex has no capture group (the value is group 1)");
            }
        } else {
            if (file == null || file.isBlank() || pointer == null) {
                throw new IllegalArgumentException(what + " needs both file and pointer");
            }
            if (!pointer.isEmpty() && !pointer.startsWith("/")) {
                throw new IllegalArgumentException(what + ": pointer must be empty or start with '/': " + pointer);
            }
        }
    }

    /** The compiled regex; {@code ^} and {@code $} match at line ends, as stdout is read as one text. */
    public Pattern pattern() {
        return Pattern.compile(regex, Pattern.MULTILINE);
    }

    /**
     * The declarations in a JSON array of {@code {"name", "unit", "regex"}} or {@code {"name", "unit", "file",
     * "pointer"}} objects, as the agent receives them in one argv element.
     */
    public static List<DeclaredMetric> listFromJson(String json) {
        JsonNode array;
        try {
            array = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("declared results are not valid JSON: "
                    + e.getOriginalMessage().lines().findFirst().orElse("malformed"));
        }
        if (array == null || !array.isArray()) {
            throw new IllegalArgumentException("declared results must be a JSON array of objects");
        }
        List<DeclaredMetric> out = new ArrayList<>();
        for (int i = 0; i < array.size(); i++) {
            out.add(fromJson(i, array.get(i)));
        }
        requireDistinctNames(out);
        return List.copyOf(out);
    }

    static void requireDistinctNames(List<DeclaredMetric> declared) {
        Set<String> names = new HashSet<>();
        for (DeclaredMetric d : declared) {
            if (!names.add(d.name())) {
                throw new IllegalArgumentException("declared results name metric '" + d.name() + "' twice");
            }
        }
    }

    /** The JSON array {@link #listFromJson} reads: what the controller passes to the agent. */
    public static String listToJson(List<DeclaredMetric> declared) {
        ArrayNode array = MAPPER.createArrayNode();
        for (DeclaredMetric d : declared) {
            ObjectNode o = array.addObject().put("name", d.name()).put("unit", d.unit().symbol());
            if (d.regex() != null) {
                o.put("regex", d.regex());
            } else {
                o.put("file", d.file()).put("pointer", d.pointer());
            }
        }
        return array.toString();
    }

    private static DeclaredMetric fromJson(int index, JsonNode o) {
        String where = "declared results[" + index + "]";
        if (!o.isObject()) {
            throw new IllegalArgumentException(where + " is not an object");
        }
        for (Iterator<String> it = o.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!KEYS.contains(key)) {
                throw new IllegalArgumentException(where + ": unknown key '" + key + "' (known: name, unit, regex,"
                        + " file, pointer)");
            }
            if (!o.get(key).isTextual()) {
                throw new IllegalArgumentException(where + ": '" + key + "' must be a string");
            }
        }
        String unitSymbol = text(o, "unit");
        Unit unit = null;
        if (unitSymbol != null) {
            unit = Unit.of(unitSymbol).orElseThrow(() -> new IllegalArgumentException(where + ": unknown unit '"
                    + unitSymbol + "' (one of " + unitSymbols() + ")"));
        }
        return new DeclaredMetric(text(o, "name"), unit, text(o, "regex"), text(o, "file"), text(o, "pointer"));
    }

    private static String text(JsonNode o, String key) {
        JsonNode v = o.get(key);
        return v == null ? null : v.textValue();
    }

    static String unitSymbols() {
        return Stream.of(Unit.values()).map(Unit::symbol).collect(Collectors.joining(" "));
    }
}
