package dev.lb.agent.containers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.node.TextNode;
import dev.lb.protocol.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class CtrEventParserTest {
    private static final Path CORPUS = Path.of(System.getProperty("lb.testdata", "../testdata"), "corpora", "ctr-events",
            "containerd-1.6-run-exit.txt");

    @Test
    void everyLineOfTheRealCaptureParses() throws Exception {
        List<String> lines = Files.readAllLines(CORPUS);
        for (String l : lines) {
            CtrEvent e = CtrEventParser.parse(l);
            assertEquals("default", e.namespace());
        }
        CtrEvent exit = CtrEventParser.parse(lines.get(3));
        assertEquals("/tasks/exit", exit.topic());
        assertEquals(137, exit.payload().get("exit_status").asInt());
        assertEquals(Instant.parse("2026-11-23T16:39:43.490182861Z"), exit.timestamp());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", ".1", ".12", ".123", ".1234", ".12345", ".123456", ".1234567", ".12345678", ".123456789"})
    void fractionsOfZeroToNineDigits(String fraction) throws Exception {
        CtrEvent e = CtrEventParser.parse("2026-11-23 16:39:43" + fraction + " +0000 UTC ns /tasks/start {\"container_id\":\"a\"}");
        String digits = fraction.isEmpty() ? "" : fraction.substring(1);
        int nanos = digits.isEmpty() ? 0 : Integer.parseInt((digits + "000000000").substring(0, 9));
        assertEquals(Instant.parse("2026-11-23T16:39:43Z").plusNanos(nanos), e.timestamp());
    }

    @Test
    void payloadWithSpacesIsTheRestOfTheLine() throws Exception {
        CtrEvent e = CtrEventParser.parse("2026-11-23 16:39:43.1 +0000 UTC ns /containers/create {\"id\": \"a b\", \"x\": [1, 2]}");
        assertEquals("a b", e.payload().get("id").asText());
    }

    @Test
    void offsetIsApplied() throws Exception {
        CtrEvent e = CtrEventParser.parse("2026-11-23 18:39:43 +0200 CEST ns /tasks/start {\"container_id\":\"a\"}");
        assertEquals(Instant.parse("2026-11-23T16:39:43Z"), e.timestamp());
    }

    @Test
    void exitedAtInBothForms() throws Exception {
        assertEquals(Instant.parse("2026-11-23T16:39:43.490138568Z"),
                CtrEventParser.exitedAt(new TextNode("2026-11-23T16:39:43.490138568Z")));
        assertEquals(Instant.ofEpochSecond(1795000000, 5),
                CtrEventParser.exitedAt(Json.MAPPER.readTree("{\"seconds\":1795000000,\"nanos\":5}")));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "", "   ", "garbage", "2026-11-23", "2026-11-23 16:39:43 +0000 UTC",
        "2026-11-23 16:39:43 +0000 UTC default", "2026-11-23 16:39:43 +0000 UTC default /tasks/exit",
        "2026-11-23 16:39:43 +0000 UTC default /tasks/exit {", "2026-11-23 16:39:43 +0000 UTC default /tasks/exit {\"id\":",
        "2026-11-23 16:39:43 +0000 UTC default /tasks/exit [1,2]", "2026-11-23 16:39:43 +0000 UTC default /tasks/exit \"x\"",
        "2026-13-45 16:39:43 +0000 UTC default /tasks/exit {}", "2026-11-23 25:61:61 +0000 UTC default /tasks/exit {}",
        "2026-11-23 16:39:43.1234567890 +0000 UTC default /tasks/exit {}", "2026-11-23 16:39:43 0000 UTC default /tasks/exit {}",
        "2026-11-23T16:39:43Z default /tasks/exit {}", "2026-11-23 16:39:43 +0000 UTC default tasks/exit {}",
        "time=\"2026-11-23T16:39:43Z\" level=error msg=\"failed to subscribe\"", "ctr: failed to dial \"/run/containerd/containerd.sock\"",
        "\u0000\u0001\u00ff\ufffd binary", "2026-11-23 16:39:43 +0000 UTC default /tasks/exit {\"id\":\"a\"} trailing",
        "2026-11-23 16:39:43 +0000 UTC default /tasks/exit {\"id\":\"a\",}"})
    void malformedLinesAreRejectedWithAReason(String line) {
        CtrEventParser.Malformed m = assertThrows(CtrEventParser.Malformed.class, () -> CtrEventParser.parse(line));
        assertEquals(false, m.getMessage().isEmpty());
    }

    @Test
    void aOneMegabyteLineIsRejectedNotParsed() {
        String line = "2026-11-23 16:39:43 +0000 UTC default /tasks/exit {\"id\":\"" + "x".repeat(1 << 20) + "\"}";
        assertThrows(CtrEventParser.Malformed.class, () -> CtrEventParser.parse(line));
    }
}
