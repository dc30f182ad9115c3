package dev.lb.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lb.protocol.Event;
import dev.lb.protocol.EventLevel;
import dev.lb.protocol.EventStatus;
import dev.lb.protocol.EventType;
import dev.lb.protocol.Json;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CommandWorkloadTest {
    @TempDir
    Path tmp;

    /** 50,000 stdout and 50,000 stderr lines, multi-byte text, a 1 MB line, and a last line with no newline. */
    private static final String NOISY = String.join("\n",
            "import sys",
            "big = 'x' * 1_000_000",
            "for i in range(50_000):",
            "    sys.stdout.write(f'out {i} caf\\u00e9 \\u2603 \\U0001F600\\n')",
            "    sys.stderr.write(f'err {i} \\u00fc\\n')",
            "    if i == 25_000:",
            "        sys.stdout.write(big + '\\n')",
            "sys.stdout.write('last line without newline')");

    @Test
    void everyOutputLineIsOneEventInOrderThenDone() throws Exception {
        Path script = tmp.resolve("noisy.py");
        Files.writeString(script, NOISY);
        Path run = tmp.resolve("run");
        int rc = AgentProcess.run(run, List.of(), AgentProcess.runArgs(run, "--", "python3", script.toString()));
        assertEquals(0, rc, AgentProcess.output(run));

        List<Event> events = StreamFileReader.events(run.resolve("lb_events.stream.log"));
        StreamFileReader.assertSeqGapless(events);
        assertEquals(EventStatus.RUNNING, events.get(0).status());
        assertTrue(events.get(0).message().startsWith("started: python3 "), events.get(0).message());
        assertTrue(events.get(0).field("pid").asLong() > 0);

        List<String> expectedOut = new ArrayList<>();
        for (int i = 0; i < 50_000; i++) {
            expectedOut.add("out " + i + " caf\u00e9 \u2603 \ud83d\ude00");
            if (i == 25_000) {
                expectedOut.add("x".repeat(1_000_000));
            }
        }
        expectedOut.add("last line without newline");
        assertEquals(expectedOut, StreamFileReader.messages(events, "stdout"));
        List<String> err = StreamFileReader.messages(events, "stderr");
        assertEquals(50_000, err.size());
        assertEquals("err 49999 \u00fc", err.get(49_999));
        assertTrue(events.stream().filter(e -> "stderr".equals(text(e.field("stream"))))
                .allMatch(e -> e.level() == EventLevel.WARNING && e.type() == EventType.LOG));

        Event last = StreamFileReader.last(events);
        assertEquals(EventStatus.DONE, last.status());
        assertEquals(0, last.field("rc").asInt());
        assertEquals(1 + 50_002 + 50_000 + 1 + 1, events.size(), "started, the lines, the timed result, done");
        assertEquals("r1", last.runId());
        assertEquals(2, last.totalRepetitions());

        JsonNode status = Json.MAPPER.readTree(run.resolve("status.json").toFile());
        assertEquals(0, status.get("rc").asInt());
        assertEquals("done", status.get("status").asText());
        assertEquals(events.size(), status.get("events").asLong());
    }

    @Test
    void finalEventAndStatusFileCarryTheSealOfEverySrcIncludingTheFinalEventItself() throws Exception {
        Path run = tmp.resolve("run");
        int rc = AgentProcess.run(run, List.of(), AgentProcess.runArgs(run,
                "--", "sh", "-c", "for i in 1 2 3 4 5; do echo out $i; echo err $i >&2; done"));
        assertEquals(0, rc, AgentProcess.output(run));
        List<Event> events = StreamFileReader.events(run.resolve("lb_events.stream.log"));
        StreamFileReader.assertSeqGapless(events);
        assertEquals(1 + 5 + 5 + 1 + 1, events.size(), "started, 5 stdout, 5 stderr, the timed result, done");
        Event last = StreamFileReader.last(events);
        assertEquals(EventStatus.DONE, last.status());
        assertEquals(Json.MAPPER.readTree("{\"agent\":{\"last_seq\":13,\"count\":13}}"), last.field("seal"));
        assertEquals(last.seq(), last.field("seal").get("agent").get("last_seq").asLong(), "the final event's own seq");
        assertEquals(StreamFileReader.sealOf(events), last.field("seal"));

        JsonNode status = Json.MAPPER.readTree(run.resolve("status.json").toFile());
        assertEquals(last.field("seal"), status.get("seal"));
        assertEquals(13, status.get("events").asLong(), "the existing fields stay");
        assertEquals(13, status.get("last_seq").get("agent").asLong());
    }

    @Test
    void lineOfAMillionControlBytesIsShortenedToTheEventLimitNotSkipped() throws Exception {
        Path run = tmp.resolve("run");
        int rc = AgentProcess.run(run, List.of(), AgentProcess.runArgs(run, "--", "python3", "-c",
                "import sys; sys.stdout.buffer.write(b'\\x01' * 1_000_000 + b'\\n'); print('after')"));
        assertEquals(0, rc, AgentProcess.output(run));
        Path stream = run.resolve("lb_events.stream.log");
        for (String line : Files.readAllLines(stream, StandardCharsets.UTF_8)) {
            assertTrue(line.getBytes(StandardCharsets.UTF_8).length + 1 <= 1_048_576, "a line of "
                    + line.length() + " bytes is over the default --max-event-bytes");
        }
        List<Event> events = StreamFileReader.events(stream);
        StreamFileReader.assertSeqGapless(events);
        Event cut = events.get(1);
        assertEquals("stdout", cut.field("stream").asText());
        assertTrue(cut.field("truncated").asBoolean());
        assertEquals(1_000_000, cut.field("line_bytes").asLong());
        int kept = cut.message().length();
        assertEquals("\u0001".repeat(kept), cut.message());
        assertTrue(kept > 170_000 && kept < 174_763, kept + " of 1,000,000 control bytes, 6 bytes each escaped");
        assertEquals("after", events.get(2).message());
        assertEquals(EventStatus.DONE, StreamFileReader.last(events).status());
    }

    @Test
    void maxEventBytesCutsAtCodePointsWhateverTheSource() throws Exception {
        Path run = tmp.resolve("run");
        String unit = "\ud83d\ude00\u00e9\u0001\\\"";
        int rc = AgentProcess.run(run, List.of(), AgentProcess.runArgs(run, "--max-event-bytes", "4096",
                "--", "printf", "%s\\n", unit.repeat(3000)));
        assertEquals(0, rc, AgentProcess.output(run));
        Path stream = run.resolve("lb_events.stream.log");
        for (String line : Files.readAllLines(stream, StandardCharsets.UTF_8)) {
            assertTrue(line.getBytes(StandardCharsets.UTF_8).length + 1 <= 4096, line);
        }
        List<Event> events = StreamFileReader.events(stream);
        Event cut = events.get(1);
        assertTrue(unit.repeat(3000).startsWith(cut.message()), "a head of whole code points");
        assertTrue(cut.message().length() > 500, cut.message());
        assertEquals(3000 * unit.getBytes(StandardCharsets.UTF_8).length, cut.field("line_bytes").asLong());
        assertEquals(EventStatus.DONE, StreamFileReader.last(events).status());
    }

    @Test
    void overLongLineIsTruncatedAndMarkedNotDropped() throws Exception {
        Path run = tmp.resolve("run");
        int rc = AgentProcess.run(run, List.of(), AgentProcess.runArgs(run, "--max-line-bytes", "1000",
                "--", "python3", "-c", "print('y' * 5000); print('after')"));
        assertEquals(0, rc, AgentProcess.output(run));
        List<Event> events = StreamFileReader.events(run.resolve("lb_events.stream.log"));
        Event truncated = events.get(1);
        assertEquals("y".repeat(1000), truncated.message());
        assertTrue(truncated.field("truncated").asBoolean());
        assertEquals(5000, truncated.field("line_bytes").asLong());
        assertEquals("after", events.get(2).message());
    }

    @Test
    void failingCommandYieldsFailedWithItsRcAndStderrTail() throws Exception {
        Path run = tmp.resolve("run");
        int rc = AgentProcess.run(run, List.of(), AgentProcess.runArgs(run,
                "--", "sh", "-c", "echo doing; echo 'disk full' >&2; exit 7"));
        assertEquals(1, rc);
        List<Event> events = StreamFileReader.events(run.resolve("lb_events.stream.log"));
        Event last = StreamFileReader.last(events);
        assertEquals(EventStatus.FAILED, last.status());
        assertEquals("nonzero_exit", last.errorType());
        JsonNode ctx = last.field("error_context");
        assertEquals(7, ctx.get("rc").asInt());
        assertEquals("disk full", ctx.get("stderr_tail").get(0).asText());
        assertTrue(ctx.has("duration_s"));
        JsonNode status = Json.MAPPER.readTree(run.resolve("status.json").toFile());
        assertEquals(7, status.get("rc").asInt());
        assertEquals("failed", status.get("status").asText());
    }

    @Test
    void argvIsPassedAsIsNeverThroughAShell() throws Exception {
        Path run = tmp.resolve("run");
        Path canary = tmp.resolve("canary");
        String hostile = "x; touch " + canary + " $(touch " + canary + ") `touch " + canary + "` '\"\\";
        int rc = AgentProcess.run(run, List.of(), AgentProcess.runArgs(run, "--", "printf", "%s\\n", hostile));
        assertEquals(0, rc, AgentProcess.output(run));
        assertEquals(List.of(hostile), StreamFileReader.messages(
                StreamFileReader.events(run.resolve("lb_events.stream.log")), "stdout"));
        assertTrue(Files.notExists(canary), "nothing was executed");
    }

    @Test
    void appendsToAnExistingStreamFileThatEndsInAPartialLine() throws Exception {
        Path run = tmp.resolve("run");
        Files.createDirectories(run);
        Path stream = run.resolve("lb_events.stream.log");
        Files.writeString(stream, "LB_EVENT {\"host\":\"old\",\"workload\":\"w\",\"repetition\":1,\"status\":\"done\"}\n"
                + "LB_EVENT {\"host\":\"cut", StandardCharsets.UTF_8);
        int rc = AgentProcess.run(run, List.of(), AgentProcess.runArgs(run, "--", "echo", "hi"));
        assertEquals(0, rc, AgentProcess.output(run));
        List<String> lines = Files.readAllLines(stream);
        assertEquals("LB_EVENT {\"host\":\"cut", lines.get(1), "the broken line stays broken, on its own line");
        assertTrue(lines.get(2).startsWith("LB_EVENT {\"v\":1,\"run_id\":\"r1\""), lines.get(2));
    }

    @Test
    void environmentAndWorkingDirectoryReachTheWorkload() throws Exception {
        Path run = tmp.resolve("run");
        Path wd = Files.createDirectories(tmp.resolve("wd"));
        int rc = AgentProcess.run(run, List.of(), AgentProcess.runArgs(run, "--cwd", wd.toString(),
                "--env", "GREETING=hello world", "--", "sh", "-c", "echo \"$GREETING\"; pwd"));
        assertEquals(0, rc, AgentProcess.output(run));
        assertEquals(List.of("hello world", wd.toString()),
                StreamFileReader.messages(StreamFileReader.events(run.resolve("lb_events.stream.log")), "stdout"));
    }

    private static String text(JsonNode n) {
        return n == null ? null : n.asText();
    }
}
