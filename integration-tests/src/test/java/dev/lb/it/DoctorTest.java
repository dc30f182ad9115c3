package dev.lb.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** lb doctor, on real runs with faults injected: each diagnosis must name the stage where events went missing. */
class DoctorTest {
    @TempDir
    Path tmp;

    private Path config(String workload) throws IOException {
        Path c = tmp.resolve("lb.yaml");
        Files.writeString(c, "poll_interval_s: 0.5\noutput_dir: runs\nmetrics_interval_s: 0\ntargets: {hosts: [{name: local, connection: local}]}\n"
                + "workloads:\n" + workload);
        return c;
    }

    private Path runDir() throws IOException {
        try (Stream<Path> s = Files.list(tmp.resolve("runs"))) {
            return s.filter(Files::isDirectory).findFirst().orElseThrow(); // runs/ also holds history.db
        }
    }

    private LbProcess doctor() throws Exception {
        return LbProcess.runIn(tmp, Map.of(), null, "doctor", "--run", runDir().toString());
    }

    @Test
    void machineAndTargetChecksSayWhatIsWrongAndHowToFixIt() throws Exception {
        Path cfg = tmp.resolve("targets.yaml");
        Files.writeString(cfg, "targets:\n  test_targets: true\n  hosts:\n    - {name: local, connection: local}\n"
                + "    - {name: nowhere, address: 127.0.0.1, port: 1, user: root}\nworkloads: [{name: w, argv: [true]}]\n");
        LbProcess r = LbProcess.runIn(tmp, Map.of(), null, "doctor", "-c", cfg.toString());
        assertEquals(1, r.exitCode(), r.out() + r.err());
        for (String ok : List.of("ok   java:", "ok   ansible-playbook:", "ok   callback: lb_events loads", "ok   role:",
                "ok   agent:", "ok   local reachable", "ok   local java", "ok   local run directory", "ok   local agent: deploys")) {
            assertTrue(r.out().contains(ok), ok + " in\n" + r.out());
        }
        assertTrue(r.out().contains("FAIL nowhere reachable: no:") && r.out().contains("-> fix: check the address"), r.out());
    }

    /**
     * A loopback port that accepts connections and never answers: how an unreachable host behaves for ssh (the
     * connection is made, the banner never comes). Bounded: the socket and its connections close with the test.
     */
    @Test
    void anUnansweringTargetFailsWithinItsTimeLimitWhileTheOthersAreCheckedAtOnce() throws Exception {
        try (java.net.ServerSocket blackhole = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            List<java.net.Socket> held = new java.util.concurrent.CopyOnWriteArrayList<>();
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        held.add(blackhole.accept());
                    }
                } catch (IOException closed) {
                    // the test is over
                }
            }, "blackhole");
            acceptor.setDaemon(true);
            acceptor.start();
            Path cfg = tmp.resolve("targets.yaml");
            Files.writeString(cfg, "targets:\n  test_targets: true\n  hosts:\n"
                    + "    - {name: local-a, connection: local}\n    - {name: local-b, connection: local}\n"
                    + "    - {name: dead, address: 127.0.0.1, port: " + blackhole.getLocalPort() + ", user: root}\n"
                    + "workloads: [{name: w, argv: [\"true\"]}]\n");
            long start = System.nanoTime();
            LbProcess r = LbProcess.runIn(tmp, Map.of(), null, "doctor", "-c", cfg.toString()); // 10 s
            double seconds = (System.nanoTime() - start) / 1e9;
            for (java.net.Socket s : held) {
                s.close();
            }
            assertEquals(1, r.exitCode(), r.out() + r.err());
            // lb's limit ("no answer within 10 s (--host-timeout)") or, should ssh's own ConnectTimeout come first,
            // Ansible's unreachable message: either way one FAIL line for the host, on time.
            assertTrue(r.out().contains("FAIL dead reachable: no"), r.out());
            for (String ok : List.of("ok   local-a reachable", "ok   local-a agent: deploys", "ok   local-b reachable",
                    "ok   local-b agent: deploys")) {
                assertTrue(r.out().contains(ok), ok + " in\n" + r.out());
            }
            // Before: each of the dead host's steps waited out ssh's time-out again (63-87 s measured); now the
            // limit plus lb's and Ansible's own start.
            assertTrue(seconds < 10 + 25, "doctor took " + seconds + " s\n" + r.out());
            r.out().lines().forEach(l -> assertTrue(l.startsWith("ok   ") || l.startsWith("FAIL "),
                    "one line per check, nothing else off a terminal: " + l));
        }
    }

    @Test
    void aCleanRunHasNothingLost() throws Exception {
        assertEquals(0, LbProcess.runIn(tmp, Map.of(), null, "run", "-c",
                config("  - {name: w, argv: [echo, hi]}\n").toString()).exitCode());
        LbProcess d = doctor();
        assertEquals(0, d.exitCode(), d.out());
        assertTrue(d.out().contains("no event was lost"), d.out());
        assertTrue(d.out().contains("1 stream files on the targets: 5 events (collected from local)"), d.out());
    }

    @Test
    void jsonlFileDeletedMidRunIsNamedAsTheBrokenPath() throws Exception {
        AtomicBoolean done = new AtomicBoolean();
        Thread deleter = new Thread(() -> {
            while (!done.get()) {
                try (Stream<Path> runs = Files.exists(tmp.resolve("runs")) ? Files.list(tmp.resolve("runs")) : Stream.empty()) {
                    for (Path r : runs.toList()) {
                        Path f = r.resolve("events.jsonl");
                        // Let the first events through, then remove the file: the path breaks mid-run.
                        if (Files.exists(f) && Files.size(f) > 2000) {
                            Files.delete(f);
                        }
                    }
                } catch (IOException e) {
                    // the file or directory changed while we looked: try again
                }
                Thread.onSpinWait();
            }
        });
        deleter.start();
        LbProcess r;
        try {
            r = LbProcess.runIn(tmp, Map.of(), null, "run", "-c", config("  - {name: w, argv: [sh, -c, "
                    + "'i=0; while [ $i -lt 200 ]; do echo line $i; i=$((i+1)); sleep 0.01; done']}\n").toString());
        } finally {
            done.set(true);
            deleter.join();
        }
        assertEquals(0, r.exitCode(), r.out());
        LbProcess d = doctor();
        assertEquals(0, d.exitCode(), "nothing lost overall: stdout delivered everything\n" + d.out());
        // finish.yml's own callback writes a new events.jsonl after the benchmark: the file is there, without events.
        assertTrue(d.out().contains("the JSONL path is broken: events.jsonl is missing")
                || d.out().contains("the JSONL path carried no events at all (204 came by the other path)"), d.out());
        assertTrue(d.out().contains("4 journal (accepted): 204 events"), d.out());
    }

    @Test
    void brokenStdoutPathIsNamed() throws Exception {
        assertEquals(0, LbProcess.runIn(tmp, Map.of("LB_EVENT_ECHO", "0"), null, "run", "-c",
                config("  - {name: w, argv: [echo, hi]}\n").toString()).exitCode());
        LbProcess d = doctor();
        assertEquals(0, d.exitCode(), d.out());
        assertTrue(d.out().contains("the stdout path carried no events at all"), d.out());
        assertTrue(d.out().contains("LB_EVENT_ECHO=0"), d.out());
    }

    @Test
    void streamFileTruncatedOnATargetIsLostBetweenStreamFileAndPoll() throws Exception {
        Path cfg = config("  - name: w\n    argv: [sh, -c, 'echo started; sleep 4; i=0; while [ $i -lt 100 ]; do echo lost $i;"
                + " i=$((i+1)); done; sleep 0.5; : > lb_events.stream.log; i=0; while [ $i -lt 20 ]; do echo after $i;"
                + " i=$((i+1)); done; sleep 1']\n");
        Path out = tmp.resolve("out.txt");
        Process lb = LbProcess.builder(tmp, Map.of(), "run", "-c", cfg.toString(), "--output", "plain")
                .redirectErrorStream(true).redirectOutput(out.toFile()).start();
        long deadline = System.currentTimeMillis() + 120_000;
        while (!(Files.exists(out) && Files.readString(out).contains("INFO agent started"))) {
            assertTrue(System.currentTimeMillis() < deadline, Files.readString(out));
            Thread.sleep(50);
        }
        // Freeze ansible-playbook and its poll step while the workload writes 100 lines and truncates its stream
        // file: those lines are gone before any poll can read them.
        List<ProcessHandle> ansible = lb.toHandle().descendants().toList();
        signal("STOP", ansible);
        Thread.sleep(7000);
        signal("CONT", ansible);
        assertTrue(lb.waitFor(180, TimeUnit.SECONDS));
        LbProcess d = doctor();
        assertEquals(1, d.exitCode(), d.out());
        assertTrue(d.out().contains("lost between stream file and poll on local: 100 events, seq 3-102"), d.out());
        assertTrue(d.out().contains("written again") || d.out().contains("shrank"), "the truncation is named as the reason\n" + d.out());
        assertTrue(!d.out().contains("seq 103"), "what was still in the file after the truncation arrived\n" + d.out());
    }

    private static void signal(String sig, List<ProcessHandle> processes) throws Exception {
        for (ProcessHandle p : processes) {
            new ProcessBuilder("kill", "-" + sig, Long.toString(p.pid())).start().waitFor();
        }
    }
}
