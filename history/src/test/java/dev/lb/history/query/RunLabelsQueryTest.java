package dev.lb.history.query;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lb.history.record.RunDirectoryReader;
import dev.lb.history.record.RunRecorder;
import dev.lb.history.store.HistoryStore;
import dev.lb.history.testing.HistoryStores;
import dev.lb.history.testing.HistoryStores.Kind;
import dev.lb.history.testing.HistoryStores.Stores;
import dev.lb.history.testing.TestRuns;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The labels of the named runs only, as recorded, in batches past the statement's limit. */
@ExtendWith(HistoryStores.class)
class RunLabelsQueryTest {
    @ParameterizedTest
    @EnumSource(Kind.class)
    void theNamedRunsLabelsAsRecordedAndNoOthers(Kind kind, Stores stores, @TempDir Path runs) throws Exception {
        try (HistoryStore s = HistoryStore.openForWriting(stores.fresh(kind))) {
            RunRecorder recorder = new RunRecorder(Clock.systemUTC());
            int count = RunLabelsQuery.BATCH + 5;
            List<String> asked = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                String id = "r" + i;
                Map<String, String> labels = i % 50 == 7 ? Map.of() : Map.of("commit", "c" + i, "branch", "main");
                recorder.record(s, RunDirectoryReader.read(TestRuns.write(runs, id, 1000 + i, 1, 2, 3), labels));
                if (i != 3) {
                    asked.add(id);
                }
            }
            Map<String, Map<String, String>> got = new RunLabelsQuery(s).of(asked);
            assertEquals(count - 1 - 4, got.size(), "every run asked for, less the four recorded without labels (r7, r57,"
                    + " r107, r157)");
            assertEquals(Map.of("branch", "main", "commit", "c204"), got.get("r204"), "in the second batch");
            assertEquals(List.of("branch", "commit"), List.copyOf(got.get("r0").keySet()), "sorted by name");
            assertEquals(null, got.get("r3"), "not asked for");
            assertEquals(null, got.get("r57"), "recorded without labels");
            assertEquals(Map.of(), new RunLabelsQuery(s).of(List.of()));
        }
    }
}
