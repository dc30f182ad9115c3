package dev.lb.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The dashboard in a real terminal (tmux), read back with capture-pane. */
class DashboardTest {
    @TempDir
    Path tmp;

    private static long count(List<String> screen, String text) {
        return screen.stream().filter(l -> l.contains(text)).count();
    }

    @Test
    void quickstartShowsEveryRepetitionLiveAndSurvivesAResize() throws Exception {
        String cmd = "cd " + tmp + " && " + LbProcess.ROOT.resolve("lb") + " run --wait-at-end; echo LB_EXIT=$?; sleep 120";
        try (Tmux t = Tmux.start("lb-" + UUID.randomUUID(), 120, 40, cmd)) {
            List<String> s = t.awaitScreen(screen -> screen.get(0).contains("· done"), 180_000);
            assertTrue(s.get(0).startsWith(" lb  run "), s.get(0));
            for (int rep = 1; rep <= 3; rep++) {
                assertEquals(1, count(s, "localhost shell-loop " + rep + "/3 running agent started"),
                        String.join("\n", s));
                assertEquals(1, count(s, "localhost shell-loop " + rep + "/3 INFO agent counted to 500000"));
                assertEquals(1, count(s, "localhost shell-loop " + rep + "/3 done agent rc=0"));
            }
            String row = s.stream().filter(l -> l.startsWith("localhost ")).findFirst().orElseThrow();
            assertTrue(row.contains("3/3") && row.contains("done") && row.contains("██████████"), row);
            assertEquals(1, count(s, " polls · last "), "the polling loop is one line");
            assertTrue(s.stream().allMatch(l -> l.length() <= 120));

            t.resize(80, 24);
            List<String> small = t.awaitScreen(screen -> screen.size() <= 25 && screen.get(0).startsWith(" lb ")
                    && screen.stream().anyMatch(l -> l.startsWith("-- Event Status")), 10_000);
            assertTrue(small.stream().allMatch(l -> l.length() <= 80), String.join("\n", small));
            assertTrue(small.stream().anyMatch(l -> l.startsWith("-- Log Stream")));
            assertTrue(small.stream().anyMatch(l -> l.contains("press any key")), String.join("\n", small));

            t.keys("x");
            t.awaitScreen(screen -> String.join("\n", screen).contains("LB_EXIT=0"), 20_000);
            String history = t.history();
            assertTrue(history.contains(": done (exit 0)"), "the summary is in the normal scrollback: " + history);
            assertTrue(history.indexOf("wall_time") > history.indexOf(": done (exit 0)"),
                    "the results table follows it: " + history);
        }
    }

    @Test
    void hostileMessagesAreShownInertAndTheLayoutHolds() throws Exception {
        Path run = Files.createDirectories(tmp.resolve("hostile-run"));
        ObjectMapper json = new ObjectMapper();
        String[] messages = {
            "\u001b]0;PWNED\u0007title change", "\u001b[2J\u001b[Hclear screen", "\u001b[31mred text\u001b[0m",
            "bell\u0007ring", "back\bspace", "carriage\rreturn", "\u001b[10;10Hcursor move", "\u009b2Jc1 clear"};
        StringBuilder journal = new StringBuilder();
        for (int i = 0; i < messages.length; i++) {
            var e = json.createObjectNode().put("host", "evil").put("workload", "w").put("repetition", 1)
                    .put("status", "running").put("type", "log").put("src", "agent").put("seq", i + 1)
                    .put("ts", 1_700_000_000 + i).put("message", messages[i]);
            journal.append("{\"received\":").append(1_700_000_000 + i).append(",\"path\":\"stdout\",\"event\":")
                    .append(json.writeValueAsString(e)).append("}\n");
        }
        Files.writeString(run.resolve("journal.jsonl"), journal);
        String cmd = LbProcess.ROOT.resolve("lb") + " journal show " + run + " --output tui; sleep 60";
        try (Tmux t = Tmux.start("lb-" + UUID.randomUUID(), 100, 30, cmd)) {
            String before = t.title();
            List<String> s = t.awaitScreen(screen -> String.join("\n", screen).contains("press any key"), 60_000);
            String all = String.join("\n", s);
            assertTrue(s.get(0).startsWith(" lb  run hostile-run"), "header still on top: " + all);
            assertTrue(s.stream().anyMatch(l -> l.startsWith("-- Event Status")), all);
            assertTrue(s.stream().anyMatch(l -> l.startsWith("-- Log Stream")), all);
            for (String visible : List.of("title change", "clear screen", "red text", "bell\ufffdring", "back\ufffdspace",
                    "carriage return", "cursor move", "c1 clear")) {
                assertEquals(1, s.stream().filter(l -> l.contains("evil w 1 INFO agent") && l.contains(visible)).count(),
                        visible + " in\n" + all);
            }
            assertTrue(!all.contains("PWNED"), all);
            assertNotEquals("PWNED", t.title());
            assertEquals(before, t.title());
            assertTrue(s.stream().allMatch(l -> l.length() <= 100));
        }
    }

    @Test
    void keysPauseFilterAndQuitWithConfirmation() throws Exception {
        Path cfg = tmp.resolve("long.yaml");
        Files.writeString(cfg, "output_dir: runs\npoll_interval_s: 0.5\ntimeouts: {stop_grace_s: 20}\n"
                + "targets: {hosts: [{name: local, connection: local}]}\n"
                + "workloads: [{name: long, argv: [sh, -c, 'echo started; sleep 300']}]\n");
        String cmd = "cd " + tmp + " && " + LbProcess.ROOT.resolve("lb") + " run -c " + cfg + "; echo LB_EXIT=$?; sleep 120";
        try (Tmux t = Tmux.start("lb-" + UUID.randomUUID(), 120, 30, cmd)) {
            t.awaitScreen(s -> String.join("\n", s).contains("INFO agent started"), 120_000);
            t.keys("p");
            t.awaitScreen(s -> s.stream().anyMatch(l -> l.startsWith("-- Log Stream [paused]")), 5_000);
            t.keys("p", "f", "l", "o", "c", "Enter");
            t.awaitScreen(s -> s.stream().anyMatch(l -> l.startsWith("-- Log Stream [filter: loc]")), 5_000);
            t.keys("q");
            t.awaitScreen(s -> String.join("\n", s).contains("Stop the run? y = stop"), 5_000);
            t.keys("n");
            t.awaitScreen(s -> !String.join("\n", s).contains("Stop the run?"), 5_000);
            t.keys("q", "y");
            t.awaitScreen(s -> String.join("\n", s).contains("LB_EXIT=130"), 90_000);
            assertTrue(t.history().contains(": interrupted (exit 130)"), t.history());
        }
    }
}
