package dev.lb.controller.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lb.controller.listener.DeliveryPath;
import dev.lb.controller.listener.RunListener;
import dev.lb.controller.listener.Sighting;
import dev.lb.controller.state.RunState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The collected stream files as the third path: only what no live path delivered is journalled from them. */
class StreamRecoveryTest {
    @TempDir
    Path dir;

    private static String line(long seq) {
        return "LB_EVENT {\"run_id\":\"r\",\"host\":\"h\",\"workload\":\"w\",\"repetition\":1,\"status\":\"running\","
                + "\"src\":\"agent\",\"seq\":" + seq + "}\n";
    }

    @Test
    void eventsNoLivePathDeliveredAreJournalledAsRecoveredAndATornLastLineIsCounted() throws Exception {
        Path host = Files.createDirectories(dir.resolve("artifacts/h"));
        StringBuilder stream = new StringBuilder();
        for (int s = 1; s <= 5; s++) {
            stream.append(line(s));
        }
        stream.append("LB_EVENT {\"run_id\":\"r\",\"host\":\"h\",\"wor");
        Files.writeString(host.resolve("lb_events.stream.log"), stream);
        Files.writeString(host.resolve(StreamRecovery.MANIFEST), "{\"files\":[\"lb_events.stream.log\"]}");
        Ingest ingest = new Ingest(new Deduplicator(100), Journal.create(dir), new RunState(List.of("h"), List.of("w"), 1),
                RunListener.NONE);
        ingest.start();
        for (int s = 1; s <= 3; s++) {
            ingest.submit(new Sighting(DeduplicatorTest.ev(s, "m"), DeliveryPath.STDOUT, 0, "test", s));
        }
        StreamRecovery.Result r = StreamRecovery.recover(dir.resolve("artifacts"), List.of("h", "gone"), ingest, 1 << 20,
                "unreachable");
        assertTrue(ingest.drain(10, TimeUnit.SECONDS));
        assertEquals(2, ingest.dedupe().recovered());
        assertEquals(5, Files.readAllLines(dir.resolve(Journal.FILE)).size());
        assertEquals(6, r.lines());
        assertEquals(1, r.rejected(), "the torn last line");
        assertEquals(Map.of("gone", "unreachable"), r.uncollected());
    }

    @Test
    void aStreamFileWithoutTheCollectManifestMakesTheHostUncollected() throws Exception {
        Path host = Files.createDirectories(dir.resolve("artifacts/h"));
        Files.writeString(host.resolve("lb_events.stream.log"), line(1));
        Ingest ingest = new Ingest(new Deduplicator(100), Journal.create(dir), new RunState(List.of("h"), List.of("w"), 1),
                RunListener.NONE);
        ingest.start();
        StreamRecovery.Result r = StreamRecovery.recover(dir.resolve("artifacts"), List.of("h"), ingest, 1 << 20,
                "finish.yml failed");
        assertEquals(Map.of("h", "finish.yml failed"), r.uncollected());
    }

    @Test
    void aJournalEndingInATornRecordIsCutBeforeAppending() throws Exception {
        Files.writeString(dir.resolve(Journal.FILE), "{\"a\":1}\n{\"b\":");
        long[] torn = {0};
        try (Journal j = Journal.openForAppend(dir, torn)) {
            j.append(new Sighting(DeduplicatorTest.ev(1, "m"), DeliveryPath.RECOVERED, 1000, "t", 1));
        }
        List<String> lines = Files.readAllLines(dir.resolve(Journal.FILE));
        assertEquals(5, torn[0]);
        assertEquals(2, lines.size());
        assertTrue(lines.get(1).startsWith("{\"received\":1.000,\"path\":\"recovered\""), lines.get(1));
    }
}
