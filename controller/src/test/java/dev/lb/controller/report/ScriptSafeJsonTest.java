package dev.lb.controller.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lb.protocol.Json;
import org.junit.jupiter.api.Test;

class ScriptSafeJsonTest {
    @Test
    void textThatWouldEndTheScriptElementIsWrittenAsEscapesAndReadsBackUnchanged() throws Exception {
        ObjectNode data = JsonNodeFactory.instance.objectNode();
        String hostile = "</script><script>alert(1)</script> <!-- x --> a & b \u2028\u2029 \"q\" \\ </SCRIPT>";
        data.put("message", hostile);
        data.put("</script>", "a key too");
        String json = ScriptSafeJson.write(data);
        assertFalse(json.contains("<"), json);
        assertFalse(json.contains(">"), json);
        assertFalse(json.contains("&"), json);
        assertFalse(json.contains("\u2028") || json.contains("\u2029"), json);
        assertTrue(json.startsWith("{\"message\":\"\\u003C/script\\u003E\\u003Cscript\\u003Ealert(1)"), json);
        assertEquals(data, Json.MAPPER.readTree(json), "the browser's JSON.parse gets exactly the text that went in");
    }

    @Test
    void numbersKeepTheirFullPrecision() throws Exception {
        ObjectNode data = (ObjectNode) Json.MAPPER.readTree("{\"mean\": 1234.567890123456789, \"n\": 5}");
        assertEquals("{\"mean\":1234.567890123456789,\"n\":5}", ScriptSafeJson.write(data));
    }
}
