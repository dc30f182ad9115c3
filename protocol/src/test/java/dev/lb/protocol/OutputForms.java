package dev.lb.protocol;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

/** Wraps LB_EVENT lines the way each output that carries them does, for feeding the extractor. */
final class OutputForms {
    private static final ObjectMapper PLAIN = new ObjectMapper();

    private OutputForms() {
    }

    /** A named way of turning one event line into one output line. */
    record Form(String name, Function<String, String> wrap) {
        @Override
        public String toString() {
            return name;
        }
    }

    static String jsonString(String s) {
        try {
            return PLAIN.writeValueAsString(s);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static String yaml(String key, String value) {
        DumperOptions o = new DumperOptions();
        o.setWidth(Integer.MAX_VALUE);
        o.setSplitLines(false);
        o.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        return new Yaml(o).dump(Map.of(key, value)).stripTrailing();
    }

    /** The -v form: a whole task result on one line, the events inside stdout and stdout_lines. */
    static String verboseResult(List<String> lines) {
        ObjectNode r = PLAIN.createObjectNode();
        r.put("changed", false);
        r.put("stdout", String.join("\n", lines));
        ArrayNode arr = r.putArray("stdout_lines");
        lines.forEach(arr::add);
        r.put("stderr", "");
        return "ok: [web-1] => " + r;
    }

    static List<Form> all() {
        return List.of(
                new Form("raw", l -> l),
                new Form("raw with text around", l -> "2026-11-23 12:00:00 agent: " + l + "   trailing words"),
                new Form("ansi colour around", l -> "\u001b[0;32m" + l + "\u001b[0m"),
                new Form("ansi colour around and before marker",
                        l -> "\u001b[0;33mok: [h] =>\u001b[0m \u001b[1m" + l + "\u001b[0m\u001b[K"),
                new Form("debug msg json string", l -> "    \"msg\": " + jsonString(l)),
                new Form("debug msg with colour", l -> "\u001b[0;32m    \"msg\": " + jsonString(l) + "\u001b[0m"),
                new Form("loop item", l -> "ok: [localhost] => (item=" + l + ") => {"),
                new Form("verbose result", l -> verboseResult(List.of("noise line", l, "more noise"))),
                new Form("json string in json string", l -> "{\"outer\": " + jsonString("x=" + jsonString(l)) + "}"),
                new Form("yaml scalar", l -> "  " + yaml("msg", l)),
                new Form("yaml list item", l -> "  " + yaml("stdout_lines", l).replace("stdout_lines: ", "- ")),
                new Form("yaml single quoted", l -> "  msg: '" + l.replace("'", "''") + "'"),
                new Form("yaml double quoted", l -> "  msg: " + jsonString(l)));
    }
}
