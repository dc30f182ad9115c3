package dev.lb.controller.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lb.controller.ansible.AnsibleProcess;
import dev.lb.controller.ingest.Deduplicator;
import dev.lb.controller.ingest.Ingest;
import dev.lb.controller.ingest.Journal;
import dev.lb.controller.ingest.JsonlTailer;
import dev.lb.controller.listener.RunListener;
import dev.lb.controller.state.RunState;
import dev.lb.controller.state.RunSummary;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The slices' processes, as real processes under the real guard (sh stands in for ansible-playbook). */
class PlaybookGroupTest {
    private static final Path GUARD = Path.of(System.getProperty("lb.root", "..")).toAbsolutePath().normalize()
            .resolve("ansible/bin/lb_guard.py");

    @TempDir
    Path dir;

    private final List<String> notices = Collections.synchronizedList(new ArrayList<>());
    private final RunListener view = new RunListener() {
        @Override
        public void notice(String message) {
            notices.add(message);
        }
    };

    private AnsibleProcess sh(String script) throws Exception {
        return AnsibleProcess.start(new AnsibleProcess.Guard(Path.of("/usr/bin/python3"), GUARD, dir.resolve("guard.log")),
                List.of("/bin/sh", "-c", script), Map.of(), dir.toFile(), new ByteArrayOutputStream(),
                new ByteArrayOutputStream());
    }

    private LivePaths live(int slices) throws Exception {
        Ingest ingest = new Ingest(new Deduplicator(10), Journal.create(dir), new RunState(List.of(), List.of(), 1),
                RunListener.NONE);
        List<LivePaths.Slice> out = new ArrayList<>();
        for (int k = 1; k <= slices; k++) {
            RunLayout.LiveFiles lf = RunLayout.slice(dir, k);
            out.add(new LivePaths.Slice(lf, List.of("h" + k), null, new JsonlTailer(lf.events(), lf.eventsName(), 1024,
                    ingest, RunListener.NONE)));
        }
        return new LivePaths(out, List.of());
    }

    @Test
    void aFailingSliceLeavesTheOthersRunningAndTheRunTakesItsExitCode() throws Exception {
        LivePaths live = live(2);
        PlaybookGroup group = new PlaybookGroup(List.of(sh("exit 2"), sh("sleep 1.5; exit 0")), live, view);
        long t0 = System.nanoTime();
        Integer rc = null;
        while (rc == null) {
            rc = group.waitFor(Duration.ofMillis(100));
        }
        assertTrue(System.nanoTime() - t0 > 1_200_000_000L, "slice 2 ran to its end");
        assertEquals(2, rc);
        assertEquals("slice 1 (h1): ansible-playbook exited with 2; 1 other slices go on", notices.get(0));
        List<RunSummary.Slice> summary = live.summary();
        assertEquals(2, summary.get(0).ansibleExitCode());
        assertEquals(0, summary.get(1).ansibleExitCode());
        assertEquals("slice 1 (h1): ansible-playbook exited with 2", live.firstFailedSlice());
    }

    @Test
    void everySliceDoneIsExitZero() throws Exception {
        PlaybookGroup group = new PlaybookGroup(List.of(sh("exit 0"), sh("exit 0"), sh("exit 0")), live(3), view);
        Integer rc = null;
        while (rc == null) {
            rc = group.waitFor(Duration.ofMillis(100));
        }
        assertEquals(0, rc);
        assertNull(group.died());
    }

    @Test
    void killNowEndsEverySliceAtOnce() throws Exception {
        PlaybookGroup group = new PlaybookGroup(List.of(sh("sleep 60"), sh("sleep 60")), live(2), view);
        assertNull(group.waitFor(Duration.ofMillis(300)), "both still run");
        long t0 = System.nanoTime();
        group.killNow();
        Integer rc = group.waitFor(Duration.ofSeconds(10));
        assertNotNull(rc, "every slice ended");
        assertTrue(System.nanoTime() - t0 < 5_000_000_000L, "at once, not after the sleeps");
    }

    @Test
    void endNowEndsEverySliceWithinItsGrace() throws Exception {
        PlaybookGroup group = new PlaybookGroup(List.of(sh("sleep 60"), sh("sleep 60")), live(2), view);
        assertNull(group.waitFor(Duration.ofMillis(300)));
        group.endNow(Duration.ofSeconds(2));
        assertNotNull(group.waitFor(Duration.ofSeconds(10)), "every slice ended");
    }

    /**
     * Issue 29: the guard killed (kill -9) while ansible-playbook runs. Before, lb said "ansible-playbook died (signal
     * 9)" while ansible-playbook lived on, re-parented to init, writing into a pipe nobody read.
     */
    @Test
    void aKilledGuardIsSaidAsSuchAndThePlaybooksGroupIsEnded() throws Exception {
        AnsibleProcess p = sh("sleep 60 & sleep 60");
        PlaybookGroup group = new PlaybookGroup(List.of(p), live(1), view);
        List<ProcessHandle> below = List.of();
        for (int i = 0; i < 100 && below.size() < 3; i++) {
            assertNull(group.waitFor(Duration.ofMillis(50)));
            below = ProcessHandle.of(p.pid()).orElseThrow().descendants().toList();
        }
        assertEquals(3, below.size(), "sh and its two sleeps: " + below);
        new ProcessBuilder("kill", "-9", Long.toString(p.pid())).start().waitFor();
        long t0 = System.nanoTime();
        Integer rc = null;
        while (rc == null && System.nanoTime() - t0 < 20_000_000_000L) {
            rc = group.waitFor(Duration.ofMillis(100));
        }
        assertEquals(137, rc);
        assertTrue(System.nanoTime() - t0 < 10_000_000_000L, "at once, not when the pumps give up after 30 s");
        String died = group.died();
        assertNotNull(died);
        assertTrue(died.matches("slice 1: ansible-playbook's guard \\(lb_guard.py\\) died \\(signal 9\\) while ansible-playbook"
                + " still ran; its process group \\d+ was ended"), died);
        for (ProcessHandle h : below) {
            h.onExit().get(5, java.util.concurrent.TimeUnit.SECONDS);
            assertFalse(h.isAlive(), "nothing of the playbook's group is left: " + h.pid());
        }
    }

    @Test
    void aPlaybookKilledUnderItsGuardIsSaidAsItsDeath() throws Exception {
        AnsibleProcess p = sh("sleep 60");
        PlaybookGroup group = new PlaybookGroup(List.of(p), live(1), view);
        List<ProcessHandle> below = List.of();
        for (int i = 0; i < 100 && below.isEmpty(); i++) {
            assertNull(group.waitFor(Duration.ofMillis(50)));
            below = ProcessHandle.of(p.pid()).orElseThrow().children().toList();
        }
        new ProcessBuilder("kill", "-9", Long.toString(below.get(0).pid())).start().waitFor();
        Integer rc = null;
        for (int i = 0; i < 100 && rc == null; i++) {
            rc = group.waitFor(Duration.ofMillis(100));
        }
        assertEquals(137, rc);
        assertEquals("slice 1: ansible-playbook died (signal 9)", group.died());
    }
}
