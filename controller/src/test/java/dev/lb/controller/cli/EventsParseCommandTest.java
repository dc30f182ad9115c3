package dev.lb.controller.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lb.protocol.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EventsParseCommandTest {
    private static final Path CORPUS =
            Path.of(System.getProperty("lb.testdata", "../testdata"), "corpora", "ansible-stdout");
    private static final String EVENT = "LB_EVENT {\"host\":\"h\",\"workload\":\"w\",\"repetition\":1,\"status\":\"running\","
            + "\"src\":\"agent\",\"seq\":%d,\"message\":\"%s\"}";

    private static List<JsonNode> jsonLines(String text) throws IOException {
        List<JsonNode> nodes = new ArrayList<>();
        for (String l : text.split("\n")) {
            if (!l.isEmpty()) {
                nodes.add(Json.MAPPER.readTree(l));
            }
        }
        return nodes;
    }

    @ParameterizedTest
    @ValueSource(strings = {"default.txt", "default-verbose.txt", "yaml.txt"})
    void eachCapturePrintsExactlyTheEmittedEventsInOrder(String capture) throws IOException {
        CliRun r = CliRun.run("events", "parse", CORPUS.resolve(capture).toString());
        assertEquals(0, r.exitCode(), r.err());
        List<JsonNode> expected = new ArrayList<>();
        Json.MAPPER.readTree(CORPUS.resolve("events.json").toFile()).forEach(expected::add);
        assertEquals(expected, jsonLines(r.out()));
        assertTrue(r.err().contains("events: 4,"), r.err());
        assertTrue(r.err().contains("rejected: 0"), r.err());
    }

    @Test
    void outputKeepsPayloadFieldsExactlyAsReceived() {
        String in = "x LB_EVENT {\"zeta\":[1,{\"a\":null}],\"host\":\"h\",\"workload\":\"w\",\"repetition\":\"2\","
                + "\"status\":\"done\",\"ts\":1.50}\n";
        CliRun r = CliRun.withStdin(in, "events", "parse");
        assertEquals("{\"zeta\":[1,{\"a\":null}],\"host\":\"h\",\"workload\":\"w\",\"repetition\":\"2\","
                + "\"status\":\"done\",\"ts\":1.50}\n", r.out());
    }

    @Test
    void sameMessageWithDistinctSeqIsPrintedEachTime() {
        StringBuilder in = new StringBuilder();
        for (int i = 1; i <= 1000; i++) {
            in.append(String.format(EVENT, i, "same text")).append('\n');
            in.append("    \"msg\": \"").append(String.format(EVENT, i, "same text").replace("\"", "\\\"")).append("\"\n");
        }
        CliRun r = CliRun.withStdin(in.toString(), "events", "parse");
        assertEquals(1000, r.out().split("\n").length);
        assertTrue(r.err().contains("lines read: 2000, events: 1000, duplicates merged: 1000, rejected: 0"), r.err());
    }

    /**
     * A line without control characters skips the search for colour codes (the splitter says so from its bytes); a
     * colour code anywhere, even between the marker and the payload, is still removed before framing.
     */
    @Test
    void colourCodesAreRemovedWhereverTheyAreAndPlainLinesAreReadAsBefore() {
        String esc = "\u001b";
        StringBuilder in = new StringBuilder();
        for (int i = 1; i <= 300; i++) {
            String event = String.format(EVENT, i, "line " + i);
            switch (i % 3) {
                case 0 -> in.append(event);
                case 1 -> in.append(esc).append("[0;32mok: [h] => (item=").append(event.replace("LB_EVENT {",
                        "LB_EVENT " + esc + "[0m{")).append(") => {").append(esc).append("[0m");
                default -> in.append("\t").append(event.replace("{", esc + "[1m{"));
            }
            in.append('\n');
        }
        CliRun r = CliRun.withStdin(in.toString(), "events", "parse");
        assertEquals(300, r.out().split("\n").length, r.err());
        assertTrue(r.err().contains("lines read: 300, events: 300, duplicates merged: 0, rejected: 0"), r.err());
    }

    @Test
    void thousandsOfEventsComeOutInTheOrderTheyWereReadWithEveryDuplicateAndRejectionCounted() {
        StringBuilder in = new StringBuilder();
        StringBuilder expected = new StringBuilder();
        for (int i = 1; i <= 5000; i++) {
            String line = String.format(EVENT, i, "line " + i);
            in.append(line).append('\n');
            expected.append(line.substring("LB_EVENT ".length())).append('\n');
            if (i % 10 == 0) {
                in.append("    \"msg\": \"").append(line.replace("\"", "\\\"")).append("\"\n"); // seen again, quoted
            }
            if (i % 100 == 0) {
                in.append("LB_EVENT {\"host\":\"h\"}\n");
            }
        }
        CliRun r = CliRun.withStdin(in.toString(), "events", "parse");
        assertEquals(expected.toString(), r.out());
        assertTrue(r.err().contains("lines read: 5550, events: 5000, duplicates merged: 500, rejected: 50 (missing"
                + " field: 50)"), r.err());
    }

    @Test
    void withOutputAndErrorsInOneStreamEachRejectionComesAfterTheEventsReadBeforeIt() {
        String in = String.format(EVENT, 1, "first") + "\nLB_EVENT {\"host\":\"h\"}\n" + String.format(EVENT, 2, "second")
                + "\n";
        java.io.StringWriter both = new java.io.StringWriter();
        java.io.PrintWriter writer = new java.io.PrintWriter(both, true);
        int code = LbCommand.commandLine(new java.io.ByteArrayInputStream(in.getBytes(StandardCharsets.UTF_8)), writer,
                writer, java.util.Map.of()).execute("events", "parse", "--explain");
        assertEquals(0, code);
        String[] lines = both.toString().split("\n");
        assertTrue(lines[0].contains("\"seq\":1"), both.toString());
        assertTrue(lines[1].startsWith("rejected <stdin>:2:1: missing field"), both.toString());
        assertTrue(lines[2].contains("\"seq\":2"), both.toString());
        assertTrue(lines[3].startsWith("lines read: 3, events: 2"), both.toString());
    }

    @Test
    void explainNamesFileLineColumnAndReason(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("mixed.log");
        Files.writeString(f, "noise\n" + String.format(EVENT, 1, "ok") + "\nab LB_EVENT {\"host\":\"h\"}\n"
                + "LB_EVENT {\"host\":\"h\",\"workload\":\"w\",\"repetition\":\"x\",\"status\":\"done\"}\n"
                + "LB_EVENT {\"host\":\"h\",\n", StandardCharsets.UTF_8);
        CliRun r = CliRun.run("events", "parse", "--explain", f.toString());
        assertEquals(0, r.exitCode());
        assertEquals(1, r.out().split("\n").length);
        assertTrue(r.err().contains(f + ":3:4: missing field: missing field 'workload'"), r.err());
        assertTrue(r.err().contains(f + ":4:1: not an integer: field 'repetition' is \"x\""), r.err());
        assertTrue(r.err().contains(f + ":5:1: truncated JSON"), r.err());
        assertTrue(r.err().contains("rejected: 3 (truncated JSON: 1, missing field: 1, not an integer: 1)"), r.err());
    }

    @Test
    void overLongLineIsRejectedAndTheNextOneStillParsed(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("long.log");
        Files.writeString(f, String.format(EVENT, 1, "x".repeat(5000)) + "\n" + String.format(EVENT, 2, "short") + "\n");
        CliRun r = CliRun.run("events", "parse", "--max-line-bytes", "1024", "--explain", f.toString());
        assertEquals(0, r.exitCode());
        assertTrue(r.out().contains("\"seq\":2"), r.out());
        assertTrue(r.err().contains(":1:1: line over the size limit: line of 5"), r.err());
    }

    @Test
    void binaryGarbageDoesNotStopParsing(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("garbage.bin");
        byte[] garbage = {(byte) 0xff, (byte) 0xfe, 0, 1, 2, (byte) 0x80, '{', '"', '\\'};
        byte[] good = (String.format(EVENT, 9, "after garbage") + "\n").getBytes(StandardCharsets.UTF_8);
        byte[] all = new byte[garbage.length * 2 + good.length + 1];
        System.arraycopy(garbage, 0, all, 0, garbage.length);
        all[garbage.length] = '\n';
        System.arraycopy(good, 0, all, garbage.length + 1, good.length);
        System.arraycopy(garbage, 0, all, garbage.length + 1 + good.length, garbage.length);
        Files.write(f, all);
        CliRun r = CliRun.run("events", "parse", f.toString());
        assertEquals(0, r.exitCode());
        assertTrue(r.out().contains("after garbage"), r.out());
    }

    @Test
    void missingFileIsOneLineAndExitTwo() {
        CliRun r = CliRun.run("events", "parse", "/nonexistent/file.log");
        assertEquals(2, r.exitCode());
        assertEquals("lb: cannot read /nonexistent/file.log: no such file\n", r.err());
        assertEquals("", r.out());
    }

    @Test
    void missingFileDoesNotStopTheOthers() {
        CliRun r = CliRun.run("events", "parse", "/nonexistent/a.log", CORPUS.resolve("stream.log").toString());
        assertEquals(2, r.exitCode());
        assertEquals(4, r.out().split("\n").length);
        assertTrue(r.err().contains("unreadable files: 1"), r.err());
    }

    @Test
    void helpExplainsTheCommand() {
        CliRun r = CliRun.run("events", "parse", "--help");
        assertEquals(0, r.exitCode());
        assertTrue(r.out().contains("Usage: lb events parse"), r.out());
        assertTrue(r.out().contains("--explain"), r.out());
        assertTrue(r.out().contains("identity"), r.out());
    }

    @Test
    void unknownOptionIsAUsageError() {
        CliRun r = CliRun.run("events", "parse", "--nope");
        assertEquals(2, r.exitCode());
        assertTrue(r.err().contains("Unknown option: '--nope'"), r.err());
    }

    @Test
    void journalsAndCallbackFilesAreReadAsTheirHelpSays(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        String payload = "{\"run_id\":\"r\",\"host\":\"h\",\"workload\":\"w\",\"repetition\":1,\"status\":\"running\","
                + "\"src\":\"agent\",\"seq\":%d,\"message\":\"quote \\\" marker LB_EVENT {\\\"x\\\": 1}\"}";
        Path journal = dir.resolve("journal.jsonl");
        java.nio.file.Files.writeString(journal, "{\"received\":1.5,\"path\":\"stdout\",\"event\":" + payload.formatted(1)
                + "}\n{\"received\":1.6,\"path\":\"jsonl\",\"event\":" + payload.formatted(2) + "}\n");
        Path callback = dir.resolve("events.jsonl");
        java.nio.file.Files.writeString(callback, "{\"kind\":\"event\",\"event\":" + payload.formatted(2) + ",\"host\":\"h\"}\n"
                + "{\"kind\":\"event\",\"event\":" + payload.formatted(3) + ",\"host\":\"h\"}\n"
                + "{\"kind\":\"warning\",\"host\":\"h\",\"warning\":\"stream.log shrank\"}\n"
                + "{\"kind\":\"event\",\"event\":{\"host\":\"h\"}}\n"
                + "{\"kind\":\"stats\",\"events\":3}\n");
        CliRun r = CliRun.run("events", "parse", journal.toString(), callback.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertEquals(List.of(1L, 2L, 3L), jsonLines(r.out()).stream().map(e -> e.get("seq").asLong()).toList(),
                "each event once; the marker inside a message is not an event");
        assertTrue(r.err().contains("lines read: 7, events: 3, duplicates merged: 1, rejected: 1 (missing field: 1)"),
                r.err());
    }

    @Test
    void theSameIdentityWithOtherContentIsAConflictNeverAMergeInEveryShape() throws Exception {
        String first = String.format(EVENT, 1, "first");
        String forged = String.format(EVENT, 1, "forged");
        String firstEscaped = first.substring("LB_EVENT ".length()).replace("\"", "\\\"");
        String forgedEscaped = forged.substring("LB_EVENT ".length()).replace("\"", "\\\"");
        String in = first + "\n"
                + forged + "\n" // plain, other content: conflict
                + "ok: [h] => {\"msg\": \"LB_EVENT " + firstEscaped + "\"}\n" // escaped, same content: duplicate
                + "ok: [h] => {\"msg\": \"LB_EVENT " + forgedEscaped + "\"}\n" // escaped, other content: conflict
                + first.replace("\"seq\":1,", "\"seq\": 1, ") + "\n" // other spacing, same content: duplicate
                + forged.replace("\"seq\":1,", "\"seq\": 1, ") + "\n" // other spacing, other content: conflict
                + String.format(EVENT, 2, "second") + "\n";
        CliRun r = CliRun.withStdin(in, "events", "parse", "--explain");
        assertEquals(0, r.exitCode(), r.err());
        assertEquals(List.of("first", "second"), jsonLines(r.out()).stream().map(e -> e.get("message").asText())
                .toList(), "the one seen first is kept");
        assertTrue(r.err().contains("lines read: 7, events: 2, duplicates merged: 2, rejected: 3 (conflict: 3)"),
                r.err());
        assertEquals(3, r.err().lines().filter(l -> l.startsWith("rejected <stdin>:")
                && l.contains("the identity of an event already printed (h w rep 1 agent seq 1) with other content"))
                .count(), r.err());
    }
}
