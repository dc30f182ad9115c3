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
}
