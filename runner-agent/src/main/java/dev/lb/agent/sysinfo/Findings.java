package dev.lb.agent.sysinfo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lb.protocol.Json;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the collector found: the {@code system} object, section by section, and for every field it could not read
 * the reason ({@code unread}, keyed {@code section.field}). A field is in one or the other, never both and never
 * filled with a guess.
 */
final class Findings {
    private final ObjectNode system = Json.MAPPER.createObjectNode();
    private final Map<String, String> unread = new TreeMap<>();

    /** A section of the object ({@code cpu}, {@code memory}, ...), created when first asked for. */
    ObjectNode section(String name) {
        return system.has(name) ? (ObjectNode) system.get(name) : system.putObject(name);
    }

    void set(String section, String field, JsonNode value) {
        section(section).set(field, value);
        unread.remove(section + "." + field);
    }

    /** A field that could not be read, and why; a later read of it from another source replaces this. */
    void unread(String section, String field, String why) {
        if (!section(section).has(field)) {
            unread.put(section + "." + field, why);
        }
    }

    boolean has(String section, String field) {
        return system.has(section) && system.get(section).has(field);
    }

    Map<String, String> unread() {
        return Map.copyOf(unread);
    }

    /** The object as the event carries it: empty sections left out, the reasons under {@code unread}. */
    ObjectNode toJson() {
        ObjectNode out = Json.MAPPER.createObjectNode();
        system.fields().forEachRemaining(e -> {
            if (!(e.getValue().isObject() && e.getValue().isEmpty())) {
                out.set(e.getKey(), e.getValue());
            }
        });
        if (!unread.isEmpty()) {
            ObjectNode u = out.putObject("unread");
            unread.forEach(u::put);
        }
        return out;
    }
}
