package dev.lb.controller.view;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lb.controller.listener.DeliveryPath;
import dev.lb.controller.listener.IngestStats;
import dev.lb.controller.listener.Sighting;
import dev.lb.controller.state.RunInfo;
import dev.lb.controller.state.RunState;
import dev.lb.protocol.EventDecoder;
import java.nio.file.Path;
import java.util.List;
import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStyle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DashboardRendererTest {
    private static final String HOSTILE = "a\\u001b[2J\\u001b[H\\u001b]0;pwned\\u0007\\u001b[31mred\\b\\r\\nnext\\u0007\\u009b2J end";

    private static DashboardModel model(int events, String message) throws Exception {
        DashboardModel m = new DashboardModel(500);
        m.started(new RunInfo("r1", "cfg", Path.of("/tmp/r1"), List.of("web-1", "web-2"), List.of("cpu"), 2, 0));
        RunState state = new RunState(List.of("web-1", "web-2"), List.of("cpu"), 2);
        for (int i = 1; i <= events; i++) {
            var e = EventDecoder.decode("{\"host\":\"web-" + (1 + i % 2) + "\",\"workload\":\"cpu\",\"repetition\":1,"
                    + "\"total_repetitions\":2,\"status\":\"running\",\"type\":\"log\",\"src\":\"agent\",\"seq\":" + i
                    + ",\"ts\":" + (1000 + i) + ",\"message\":\"" + message + " " + i + "\"}");
            state.accept(e, 1_000_000 + i);
            m.accepted(new Sighting(e, DeliveryPath.STDOUT, 1_000_000 + i, "t", i), null);
        }
        m.rows(state.snapshot());
        return m;
    }

    @ParameterizedTest
    @CsvSource({"120,40", "80,24", "40,10", "200,60", "20,8", "10,5"})
    void everyFrameHasExactlyTheRowsAndNoLineIsWider(int cols, int rows) throws Exception {
        List<AttributedString> lines = new DashboardRenderer(10_000)
                .render(model(300, "message with wide \u4e2d\u6587 characters").snapshot(1_010_000), rows, cols);
        assertEquals(rows, lines.size());
        for (AttributedString l : lines) {
            assertTrue(l.columnLength() <= cols, l.toString().length() + " > " + cols + ": " + l);
        }
    }

    @Test
    void logStreamShowsTheNewestAtTheBottom() throws Exception {
        List<AttributedString> lines = new DashboardRenderer(10_000).render(model(300, "msg").snapshot(1_010_000), 40, 120);
        assertTrue(lines.get(38).toString().contains("msg 300"), lines.get(38).toString());
        assertTrue(lines.get(0).toString().contains("run r1"), lines.get(0).toString());
        assertTrue(lines.stream().anyMatch(l -> l.toString().startsWith("-- Event Status")));
    }

    @Test
    void terminalControlSequencesFromTargetsAreNeutralized() throws Exception {
        List<AttributedString> lines = new DashboardRenderer(10_000).render(model(3, HOSTILE).snapshot(1_010_000), 40, 200);
        for (AttributedString l : lines) {
            String text = l.toString();
            assertTrue(text.chars().noneMatch(c -> c < 0x20 || (c >= 0x7f && c <= 0x9f)), "control char in: " + text);
        }
        String all = lines.stream().map(AttributedString::toString).reduce("", String::concat);
        assertTrue(all.contains("ared\ufffd  next\ufffd end"), all);
        assertTrue(!all.contains("pwned"), "an OSC title is removed whole");
    }

    @Test
    void rejectionsAndGapsAreHighlighted() throws Exception {
        DashboardModel m = model(3, "x");
        m.stats(new IngestStats(3, 0, 0, 3, 3, 2, 1));
        AttributedString counts = new DashboardRenderer(10_000).render(m.snapshot(1_010_000), 40, 160).get(1);
        int at = counts.toString().indexOf("rejected 2");
        assertEquals(AttributedStyle.RED, counts.styleAt(at).getStyle() >>> 15 & 0xff, "red foreground");
        assertTrue(counts.toString().contains("seq gaps 1"));
    }

    @Test
    void aRunningHostSilentTooLongIsHighlighted() throws Exception {
        DashboardModel m = model(3, "x");
        String silent = new DashboardRenderer(5_000).render(m.snapshot(1_000_003 + 60_000), 40, 160).get(4).toAnsi();
        String fresh = new DashboardRenderer(5_000).render(m.snapshot(1_000_004), 40, 160).get(4).toAnsi();
        assertTrue(silent.contains("\u001b[7"), "inverse video for a silent host: " + silent);
        assertTrue(!fresh.contains("\u001b[7"), fresh);
    }

    @Test
    void filterAndPauseShowInTheLogTitle() throws Exception {
        DashboardModel m = model(10, "x");
        m.filter("web-2");
        m.togglePause();
        List<AttributedString> lines = new DashboardRenderer(10_000).render(m.snapshot(1_010_000), 40, 160);
        assertTrue(lines.stream().anyMatch(l -> l.toString().contains("[paused] [filter: web-2]")));
        assertTrue(lines.stream().filter(l -> l.toString().contains(" agent x ")).allMatch(l -> l.toString().contains("web-2")));
    }

    private static Sighting sighting(String json, long received) throws Exception {
        return new Sighting(EventDecoder.decode(json), DeliveryPath.STDOUT, received, "t", 1);
    }

    private static String metricEvent(String host, int seq, double ts, double user, double system, double memMiB) {
        return "{\"host\":\"" + host + "\",\"workload\":\"cpu\",\"repetition\":1,\"total_repetitions\":2,"
                + "\"status\":\"running\",\"type\":\"metric\",\"src\":\"agent\",\"seq\":" + seq + ",\"ts\":" + ts
                + ",\"metrics\":[{\"name\":\"cpu_user\",\"value\":" + user + ",\"unit\":\"%\"},"
                + "{\"name\":\"cpu_system\",\"value\":" + system + ",\"unit\":\"%\"},"
                + "{\"name\":\"cpu_iowait\",\"value\":0.5,\"unit\":\"%\"},"
                + "{\"name\":\"mem_used\",\"value\":" + memMiB + ",\"unit\":\"MiB\"},"
                + "{\"name\":\"load1\",\"value\":0.5,\"unit\":\"count\"}]}";
    }

    private static List<String> text(List<AttributedString> lines) {
        return lines.stream().map(AttributedString::toString).toList();
    }

    @Test
    void aHostsLatestCpuAndMemoryShowOnItsRowsAndMetricEventsStayOutOfTheLogStream() throws Exception {
        DashboardModel m = model(4, "msg");
        for (int i = 1; i <= 30; i++) {
            m.accepted(sighting(metricEvent("web-1", 100 + i, 2000 + i, 10 + i % 2, 2, 1100 + i), 2_000_000 + i), null);
        }
        // web-1's last sample: user 10 + system 2 = 12 %, 1130 MiB; web-2 sent none.
        List<String> lines = text(new DashboardRenderer(10_000).render(m.snapshot(1_010_000), 40, 160));
        String header = lines.stream().filter(l -> l.startsWith("HOST")).findFirst().orElseThrow();
        assertTrue(header.contains("EVENTS  SYSTEM" + " ".repeat(18) + "LAST EVENT"), header);
        String web1 = lines.stream().filter(l -> l.startsWith("web-1 ")).findFirst().orElseThrow();
        String web2 = lines.stream().filter(l -> l.startsWith("web-2 ")).findFirst().orElseThrow();
        assertTrue(web1.contains("  cpu  12% mem 1.1 GiB    msg 4"), web1);
        assertTrue(web2.contains("  -" + " ".repeat(23) + "msg 3"), web2);
        assertEquals(4, lines.stream().filter(l -> l.contains(" agent msg ")).count(), "the four log lines, no more");
        assertTrue(lines.stream().noneMatch(l -> l.contains(" metric ")), String.join("\n", lines));
    }

    @Test
    void aLateOlderSampleDoesNotReplaceANewerOne() throws Exception {
        DashboardModel m = model(2, "msg");
        m.accepted(sighting(metricEvent("web-1", 10, 2010, 50, 25, 512), 2_000_000), null);
        m.accepted(sighting(metricEvent("web-1", 9, 2009, 1, 1, 100), 2_000_001), null);
        String web1 = text(new DashboardRenderer(10_000).render(m.snapshot(1_010_000), 40, 160)).stream()
                .filter(l -> l.startsWith("web-1 ")).findFirst().orElseThrow();
        assertTrue(web1.contains("cpu  75% mem 512 MiB"), web1);
    }

    @Test
    void withoutMetricEventsTheTableHasNoSystemColumn() throws Exception {
        List<String> lines = text(new DashboardRenderer(10_000).render(model(3, "msg").snapshot(1_010_000), 40, 160));
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("HOST") && l.contains("EVENTS  LAST EVENT")));
        assertTrue(lines.stream().noneMatch(l -> l.contains("SYSTEM")));
    }

    @Test
    void aResultIsOneLogLineWithItsMessageAndAnUnparsedOneIsHighlighted() throws Exception {
        DashboardModel m = model(1, "msg");
        m.accepted(sighting("{\"host\":\"web-1\",\"workload\":\"cpu\",\"repetition\":1,\"status\":\"running\","
                + "\"type\":\"result\",\"src\":\"agent\",\"seq\":50,\"ts\":1100,\"parser\":\"stress-ng\","
                + "\"message\":\"stress-ng: 4 metrics\",\"metrics\":[{\"name\":\"cpu.bogo_ops_per_s_real\","
                + "\"value\":1234.5,\"unit\":\"ops/s\"}]}", 2_000_000), null);
        m.accepted(sighting("{\"host\":\"web-2\",\"workload\":\"cpu\",\"repetition\":1,\"status\":\"running\","
                + "\"type\":\"result\",\"level\":\"warning\",\"error_type\":\"result_unparsed\",\"src\":\"agent\","
                + "\"seq\":51,\"ts\":1101,\"message\":\"fio: no jobs in result.json\"}", 2_000_001), null);
        List<AttributedString> lines = new DashboardRenderer(10_000).render(m.snapshot(1_010_000), 40, 160);
        List<AttributedString> results = lines.stream().filter(l -> l.toString().contains(" result ")).toList();
        assertEquals(2, results.size(), text(lines).toString());
        AttributedString parsed = results.get(0);
        AttributedString unparsed = results.get(1);
        assertTrue(parsed.toString().endsWith("web-1 cpu 1 result agent stress-ng: 4 metrics"), parsed.toString());
        assertTrue(unparsed.toString().endsWith("web-2 cpu 1 result agent fio: no jobs in result.json"),
                unparsed.toString());
        int at = unparsed.toString().indexOf("result");
        assertEquals(AttributedStyle.RED, unparsed.styleAt(at).getStyle() >>> 15 & 0xff, "red: a result is missing");
        assertTrue(parsed.styleAt(parsed.toString().indexOf("result")).getStyle() != unparsed.styleAt(at).getStyle());
    }

    @Test
    void fiftyHostsFitWithProblemsFirstFinishedRowsCollapsedAndACountPerState() throws Exception {
        DashboardModel m = new DashboardModel(500);
        List<String> hosts = new java.util.ArrayList<>();
        for (int h = 1; h <= 50; h++) {
            hosts.add(String.format("web-%02d", h));
        }
        m.started(new RunInfo("r1", "cfg", Path.of("/tmp/r1"), hosts, List.of("cpu"), 1, 0));
        RunState state = new RunState(hosts, List.of("cpu"), 1);
        long seq = 0;
        for (int h = 1; h <= 50; h++) {
            String status = h == 37 ? "failed" : h % 5 == 0 ? "running" : "done"; // 1 failed, 10 running, 39 done
            var e = EventDecoder.decode("{\"host\":\"" + hosts.get(h - 1) + "\",\"workload\":\"cpu\",\"repetition\":1,"
                    + "\"total_repetitions\":1,\"status\":\"" + status + "\",\"type\":\"status\",\"src\":\"agent\","
                    + "\"seq\":" + (++seq) + ",\"ts\":1000,\"message\":\"m\"}");
            state.accept(e, 1_000_000);
        }
        m.rows(state.snapshot());
        List<String> lines = new DashboardRenderer(10_000).render(m.snapshot(1_000_500), 40, 160).stream()
                .map(AttributedString::toString).toList();
        assertTrue(lines.get(2).startsWith("-- Event Status · 1 failed, 10 running, 39 done "), lines.get(2));
        assertTrue(lines.get(4).startsWith("web-37"), "the failed row first: " + lines.get(4));
        assertTrue(lines.get(5).startsWith("web-05"), "then the running ones: " + lines.get(5));
        String more = lines.stream().filter(l -> l.startsWith("... ")).findFirst().orElseThrow();
        int shown = (int) lines.stream().filter(l -> l.startsWith("web-")).count();
        assertEquals("... " + (50 - shown) + " more rows (" + (50 - shown) + " done)", more.strip(),
                "only finished rows are collapsed");
    }
}
