package dev.lb.controller.ingest;

import dev.lb.controller.listener.DeliveryPath;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lb.controller.state.RunState;
import dev.lb.controller.listener.RunListener;
import dev.lb.protocol.RejectReason;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonlTailerTest {
    @TempDir
    Path dir;

    private static String payload(int seq) {
        return "{\"run_id\":\"r\",\"host\":\"h\",\"workload\":\"w\",\"repetition\":1,\"status\":\"running\","
                + "\"src\":\"agent\",\"seq\":" + seq + "}";
    }

    /** A forwarded line as the callback writes it: its header (a task name with braces and quotes), then the line. */
    private static String record(int seq) {
        return "{\"kind\":\"line\",\"host\":\"h\",\"task\":\"poll {w} \\\"1\\\"\",\"hook\":\"retry\",\"seen\":1.5} LB_EVENT "
                + payload(seq);
    }

    private void append(Path f, String text) throws Exception {
        Files.writeString(f, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    private Ingest ingest() throws Exception {
        Ingest i = new Ingest(new Deduplicator(100), Journal.create(dir), new RunState(List.of("h"), List.of("w"), 1),
                RunListener.NONE);
        i.start();
        return i;
    }

    private static void eventually(java.util.function.BooleanSupplier c) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 10_000;
        while (!c.getAsBoolean() && System.currentTimeMillis() < deadline) {
            Thread.sleep(10);
        }
        assertTrue(c.getAsBoolean());
    }

    @Test
    void waitsForTheFileAndNeverEmitsAPartialLine() throws Exception {
        Path f = dir.resolve("events.jsonl");
        Ingest ingest = ingest();
        JsonlTailer t = new JsonlTailer(f, 1 << 20, ingest, RunListener.NONE);
        t.start();
        Thread.sleep(100);
        append(f, record(1) + "\n" + record(2).substring(0, 40));
        eventually(() -> t.lines() == 1);
        Thread.sleep(150);
        assertEquals(1, t.lines(), "the partial line waits for its end");
        append(f, record(2).substring(40) + "\n");
        eventually(() -> t.lines() == 2);
        t.stop();
        assertTrue(ingest.drain(5, TimeUnit.SECONDS));
        assertEquals(2, ingest.dedupe().onlyBy(DeliveryPath.JSONL));
    }

    @Test
    void truncationRestartsFromTheStartAndIsCounted() throws Exception {
        Path f = dir.resolve("events.jsonl");
        append(f, record(1) + "\n" + record(2) + "\n" + record(3) + "\n");
        Ingest ingest = ingest();
        JsonlTailer t = new JsonlTailer(f, 1 << 20, ingest, RunListener.NONE);
        t.start();
        eventually(() -> t.lines() == 3);
        Files.writeString(f, record(4) + "\n");
        eventually(() -> t.lines() == 4);
        t.stop();
        assertTrue(ingest.drain(5, TimeUnit.SECONDS));
        assertEquals(1, t.truncations());
        assertEquals(4, ingest.dedupe().onlyBy(DeliveryPath.JSONL));
        assertTrue(t.warnings().get(0).contains("shrank"));
    }

    @Test
    void badRecordsAreRejectedWithReasonsAndTheRestKept() throws Exception {
        Path f = dir.resolve("events.jsonl");
        append(f, "{not json\n" + record(9).replace("\"seq\":9", "\"seq\":\"x\"").replace(",\"workload\":\"w\"", "") + "\n"
                + "{\"kind\":\"mystery\"}\n"
                + record(1) + "\n" + "{\"kind\":\"diagnostic\",\"error\":\"x\"}\n"
                + "{\"kind\":\"stats\",\"events\":1}\n" + record(2).substring(0, 30));
        Ingest ingest = ingest();
        JsonlTailer t = new JsonlTailer(f, 1 << 20, ingest, RunListener.NONE);
        t.start();
        t.stop();
        assertTrue(ingest.drain(5, TimeUnit.SECONDS));
        assertEquals(1, ingest.dedupe().onlyBy(DeliveryPath.JSONL));
        assertEquals(3L, ingest.rejectedByReason().get(RejectReason.MALFORMED_JSON),
                "not JSON, unknown kind, and the final cut line: " + ingest.rejectedExamples());
        assertEquals(1L, ingest.rejectedByReason().get(RejectReason.MISSING_FIELD));
        assertEquals(1, t.diagnostics());
        assertEquals(1L, t.callbackEvents());
    }

    @Test
    void aForwardedLineIsJudgedAsTheSameLineOnStdoutIsAndItsHostDelivers() throws Exception {
        Path f = dir.resolve("events.jsonl");
        String header = "{\"kind\":\"line\",\"host\":\"other\",\"task\":\"poll\",\"hook\":\"retry\",\"seen\":1} ";
        append(f, header + "LB_EVENT " + payload(1) + "\n" + header.replace("other", "h") + "LB_EVENT garbage\n"
                + header.replace("other", "h") + "\u001b[32mLB_EVENT " + payload(2).replace("\"w\"", "\"w\\u0007\"")
                + "\u001b[0m\n");
        Ingest ingest = new Ingest(new Deduplicator(100), Journal.create(dir), new RunState(List.of("h"), List.of("w"), 1),
                RunListener.NONE, Attribution.of("r", List.of("h"), List.of("w"), 1));
        ingest.start();
        JsonlTailer t = new JsonlTailer(f, 1 << 20, ingest, RunListener.NONE);
        t.start();
        t.stop();
        assertTrue(ingest.drain(5, TimeUnit.SECONDS));
        assertEquals(java.util.Map.of(RejectReason.FOREIGN_HOST, 1L, RejectReason.NO_JSON, 1L,
                RejectReason.UNKNOWN_WORKLOAD, 1L), ingest.rejectedByReason(), ingest.rejectedExamples().toString());
        assertTrue(ingest.rejectedExamples().get(0).startsWith("events.jsonl:1:1: foreign host: host 'h' delivered by"
                + " host 'other'"), ingest.rejectedExamples().get(0));
    }

    @Test
    void aFileOfACallbackThatWroteEventRecordsIsStillRead() throws Exception {
        Path f = dir.resolve("events.jsonl");
        append(f, "{\"kind\":\"event\",\"event\":" + payload(1) + ",\"host\":\"h\",\"hook\":\"retry\"}\n"
                + "{\"kind\":\"rejected\",\"host\":\"h\",\"reason\":\"truncated JSON\",\"detail\":\"cut\",\"snippet\":\"{\"}\n");
        Ingest ingest = ingest();
        JsonlTailer t = new JsonlTailer(f, 1 << 20, ingest, RunListener.NONE);
        t.start();
        t.stop();
        assertTrue(ingest.drain(5, TimeUnit.SECONDS));
        assertEquals(1, ingest.dedupe().onlyBy(DeliveryPath.JSONL));
        assertEquals(java.util.Map.of(RejectReason.TRUNCATED_JSON, 1L), ingest.rejectedByReason());
    }
}
