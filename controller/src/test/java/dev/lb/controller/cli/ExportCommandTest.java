package dev.lb.controller.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lb.controller.export.FakeEndpoint;
import dev.lb.controller.run.RunRecord;
import dev.lb.controller.state.RunSummary;
import dev.lb.controller.state.SummaryFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code lb export RUN --to KIND=URL}: a finished run's journal sent again, with the counts and exit codes. */
class ExportCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private Path run(int logs) throws Exception {
        Path run = dir.resolve("r1");
        Files.createDirectories(run);
        new RunRecord("r1", "cfg", "a1", 1000, List.of("web-1"), List.of("w"), 1, "inv", "vars", false).write(run);
        SummaryFile.write(run.resolve("summary.json"), RunSummary.empty("r1", "cfg", "done", List.of()));
        List<String> lines = new ArrayList<>();
        for (int i = 1; i <= logs; i++) {
            lines.add(String.format(Locale.ROOT, "{\"received\":1796600000.%03d,\"path\":\"stdout\",\"event\":{\"v\":1,"
                    + "\"run_id\":\"r1\",\"host\":\"web-1\",\"workload\":\"w\",\"repetition\":1,\"status\":\"running\","
                    + "\"type\":\"log\",\"src\":\"agent\",\"seq\":%d,\"ts\":1796600000.%03d,\"message\":\"line %d\"}}",
                    i, i, i, i));
        }
        lines.add("{\"received\":1796600001.0,\"path\":\"jsonl\",\"event\":{\"v\":1,\"run_id\":\"r1\",\"host\":\"web-1\","
                + "\"workload\":\"w\",\"repetition\":1,\"status\":\"running\",\"type\":\"result\",\"src\":\"agent\","
                + "\"seq\":999,\"ts\":1796600001.0,\"message\":\"r\",\"metrics\":[{\"name\":\"ops\",\"value\":5,"
                + "\"unit\":\"ops/s\"}]}}");
        Files.write(run.resolve("journal.jsonl"), lines);
        return run;
    }

    @Test
    void aFinishedRunIsSentToEachEndpoint() throws Exception {
        Path run = run(30);
        try (FakeEndpoint loki = FakeEndpoint.always(204); FakeEndpoint pgw = FakeEndpoint.always(200)) {
            CliRun r = CliRun.run("export", run.toString(), "--to", "loki=" + loki.url("/loki/api/v1/push"),
                    "--to", "pushgateway=" + pgw.url(""));
            assertEquals(0, r.exitCode(), r.out() + r.err());
            assertTrue(r.out().contains("31 events read from"), r.out());
            assertTrue(r.out().contains("loki " + loki.url("/loki/api/v1/push") + ": 31 sent, 0 retried, 0 dropped"),
                    r.out());
            assertTrue(r.out().contains("pushgateway " + pgw.url("") + ": 1 sent, 0 retried, 0 dropped"), r.out());
            int entries = 0;
            for (FakeEndpoint.Request q : loki.requests) {
                for (JsonNode s : JSON.readTree(q.body()).get("streams")) {
                    entries += s.get("values").size();
                }
            }
            assertEquals(31, entries);
            FakeEndpoint.Request push = pgw.requests.get(0);
            assertEquals("PUT", push.method());
            assertEquals("/metrics/job/lb/config/cfg/workload/w", push.path());
            assertTrue(new String(push.body()).contains("lb_result_mean{instance=\"web-1\",metric=\"ops\",unit=\"ops/s\"} 5.0"),
                    new String(push.body()));
        }
    }

    @Test
    void whatIsDroppedIsCountedAndTheExitCodeSaysSo() throws Exception {
        Path run = run(3);
        try (FakeEndpoint loki = FakeEndpoint.always(400)) {
            CliRun r = CliRun.run("export", run.toString(), "--to", "loki=" + loki.url("/loki/api/v1/push"));
            assertEquals(1, r.exitCode(), r.out() + r.err());
            assertTrue(r.out().contains("4 dropped (4 refused (400))"), r.out());
            assertTrue(r.err().contains("answered 400"), r.err());
        }
    }

    @Test
    void lbRunRefusesABadExportOrListenAddressBeforeAnythingStarts() {
        CliRun kind = CliRun.run("run", "--export", "prometheus=http://127.0.0.1:9090");
        assertEquals(2, kind.exitCode());
        assertEquals("lb: --export: unknown export kind 'prometheus'; expected one of remote-write, pushgateway, loki",
                kind.err().strip());
        CliRun listen = CliRun.run("run", "--metrics-listen", "9464");
        assertEquals(2, listen.exitCode());
        assertEquals("lb: --metrics-listen: '9464' is not HOST:PORT (for example 127.0.0.1:9464)", listen.err().strip());
    }

    @Test
    void badInputIsOneLineWithoutAStackTrace() throws Exception {
        Path run = run(1);
        CliRun r = CliRun.run("export", run.toString(), "--to", "graphite=http://x");
        assertEquals(2, r.exitCode());
        assertEquals("lb: --to: unknown export kind 'graphite'; expected one of remote-write, pushgateway, loki",
                r.err().strip());
        Files.delete(run.resolve("summary.json"));
        CliRun unfinished = CliRun.run("export", run.toString(), "--to", "loki=http://127.0.0.1:9/x");
        assertEquals(2, unfinished.exitCode());
        assertTrue(unfinished.err().strip().lines().count() == 1 && unfinished.err().contains("the run is not finished"),
                unfinished.err());
    }
}
