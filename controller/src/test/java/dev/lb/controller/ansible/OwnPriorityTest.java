package dev.lb.controller.ansible;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lb.controller.config.ConfigLoader;
import dev.lb.controller.config.RunConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** lb lowers its own priority only where it shares the machine with the workload, and never the workload's. */
class OwnPriorityTest {
    private static final java.util.SortedSet<Integer> TWO = new java.util.TreeSet<>(java.util.List.of(0, 1));

    @Test
    void workloadsThatNameTheirCpusKeepLbOnTheOthersOrLbSaysItCannot() throws Exception {
        RunConfig c = ConfigLoader.parse("t.yaml", "targets: {hosts: [{name: a, connection: local}]}\n"
                + "workloads: [{name: w, argv: ['true'], cpus: '1'}, {name: v, argv: ['true'], cpus: '3-4'}]\n",
                Path.of("/base"));
        OwnPriority p = OwnPriority.decide(c, null, true, new java.util.TreeSet<>(java.util.List.of(0, 1, 2, 3, 4, 5)));
        assertEquals("0,2,5", p.onCpus());
        assertTrue(p.why().endsWith("; lb keeps to CPUs 0,2,5, off the workloads' 1,3-4"), p.why());
        OwnPriority all = OwnPriority.decide(c, "0", false, new java.util.TreeSet<>(java.util.List.of(1, 3, 4)));
        assertEquals(null, all.onCpus());
        assertEquals("a local target (a); the workloads' CPUs (1,3-4) are all this machine lets lb use, so lb cannot"
                + " keep off them", all.why());
    }

    private static RunConfig config(String connection) throws Exception {
        return ConfigLoader.parse("t.yaml", "targets: {hosts: [{name: a, connection: " + connection + "}]}\n"
                + "workloads: [{name: w, argv: ['true']}]\n", Path.of("/base"));
    }

    @Test
    void aLocalTargetAsRootLowersLbAndAnsibleAndRaisesTheAgentBack() throws Exception {
        OwnPriority p = OwnPriority.decide(config("local"), null, true, TWO);
        assertEquals(new OwnPriority(10, true, null, "a local target (a): lb and ansible-playbook run at nice 10 on this"
                + " machine, the agents at 0"), p);
        var vars = dev.lb.protocol.Json.MAPPER.createObjectNode();
        p.addTo(vars);
        assertEquals(0, vars.get("lb_agent_nice").asInt());
    }

    @Test
    void aLocalTargetAsAnotherUserLowersOnlyLbsThreads() throws Exception {
        OwnPriority p = OwnPriority.decide(config("local"), "7", false, TWO);
        assertEquals(7, p.nice());
        assertTrue(!p.playbooks(), "the agent would inherit a priority it could not raise back");
        var vars = dev.lb.protocol.Json.MAPPER.createObjectNode();
        p.addTo(vars);
        assertTrue(vars.isEmpty());
    }

    @Test
    void remoteTargetsOrTurnedOffChangeNothingAndABadValueIsSaid() throws Exception {
        assertEquals(new OwnPriority(0, false, null, null), OwnPriority.decide(config("ssh"), null, true, TWO));
        assertEquals(new OwnPriority(0, false, null, null), OwnPriority.decide(config("local"), "0", true, TWO));
        OwnPriority bad = OwnPriority.decide(config("local"), "-5", true, TWO);
        assertEquals(0, bad.nice());
        assertEquals("LB_LOCAL_NICE=-5 is not 0 to 19: lb keeps its priority on this machine", bad.why());
    }

    @Test
    void applyingLowersEveryThreadButTheCallerWhenAnsibleKeepsItsPriority() throws Exception {
        // In a child JVM would be cleaner; here the test's own threads are lowered, which harms nothing after it.
        OwnPriority p = new OwnPriority(3, false, null, "test");
        Thread worker = new Thread(() -> {
            try {
                Thread.sleep(60_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        worker.setDaemon(true);
        worker.start();
        String self = Files.readSymbolicLink(Path.of("/proc/thread-self")).getFileName().toString();
        int before = nice(self);
        assertNull(p.apply());
        assertEquals(before, nice(self), "the calling thread starts ansible-playbook: it keeps its priority");
        long lowered;
        try (var tasks = Files.list(Path.of("/proc/self/task"))) {
            lowered = tasks.map(t -> t.getFileName().toString()).filter(t -> !t.equals(self))
                    .filter(t -> nice(t) == 3).count();
        }
        assertTrue(lowered > 1, "the other threads run at nice 3");
        worker.interrupt();
    }

    private static int nice(String tid) {
        try {
            String stat = Files.readString(Path.of("/proc/self/task/" + tid + "/stat"));
            return Integer.parseInt(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[16]);
        } catch (java.io.IOException e) {
            return Integer.MIN_VALUE; // a thread that ended
        }
    }
}
