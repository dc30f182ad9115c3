package dev.lb.agent.sysinfo;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lb.protocol.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code lsblk -J -b -d -o NAME,MODEL,SIZE,ROTA,TYPE}: the whole disks. util-linux before 2.33 prints every value as
 * a string ({@code "rota": "1"}), later ones as numbers and booleans; both are read.
 */
final class LsblkJson {
    static final String[] ARGV = {"lsblk", "-J", "-b", "-d", "-o", "NAME,MODEL,SIZE,ROTA,TYPE"};

    /** A whole disk; {@code model} and {@code rotational} are null when lsblk does not know them. */
    record Disk(String name, String model, Long sizeBytes, Boolean rotational) {
    }

    private LsblkJson() {
    }

    /** The devices of type {@code disk} with a size above zero (an unconfigured zram device has none). */
    static List<Disk> disks(String text) throws IOException {
        JsonNode root = Json.MAPPER.readTree(text);
        if (root == null || !root.path("blockdevices").isArray()) {
            throw new IOException("lsblk -J printed no \"blockdevices\" array");
        }
        List<Disk> out = new ArrayList<>();
        for (JsonNode d : root.get("blockdevices")) {
            if (!"disk".equals(d.path("type").asText()) || !d.path("name").isTextual()) {
                continue;
            }
            Long size = number(d.get("size"));
            if (size == null || size == 0) {
                continue;
            }
            String model = d.path("model").isTextual() && !d.get("model").asText().isBlank()
                    ? d.get("model").asText().strip() : null;
            out.add(new Disk(d.get("name").asText(), model, size, bool(d.get("rota"))));
        }
        return out;
    }

    private static Long number(JsonNode n) {
        if (n == null || n.isNull()) {
            return null;
        }
        if (n.canConvertToLong() && n.isIntegralNumber()) {
            return n.asLong();
        }
        return n.isTextual() && n.asText().matches("\\d{1,19}") ? Long.parseLong(n.asText()) : null;
    }

    private static Boolean bool(JsonNode n) {
        if (n == null || n.isNull()) {
            return null;
        }
        if (n.isBoolean()) {
            return n.asBoolean();
        }
        String t = n.asText();
        return t.equals("1") || t.equals("true") ? Boolean.TRUE : t.equals("0") || t.equals("false") ? Boolean.FALSE
                : null;
    }
}
