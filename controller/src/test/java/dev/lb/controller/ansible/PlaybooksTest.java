package dev.lb.controller.ansible;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class PlaybooksTest {
    private static final Installation INSTALL = new Installation(Path.of("/lb"));

    private static Playbooks playbooks(List<String> limitArgs) {
        return new Playbooks(INSTALL, Path.of("/usr/bin/ansible-playbook"), Path.of("/run/inventory.yml"),
                Path.of("/run/vars.json"), Path.of("/run"), false, limitArgs);
    }

    @Test
    void everyPlaybookOfALimitedRunIsHeldToItsHosts() {
        List<String> argv = playbooks(List.of("--limit", "@/run/limit-hosts.txt")).argv("stop.yml", List.of());
        assertEquals(List.of("/usr/bin/ansible-playbook", "-i", "/run/inventory.yml", "-e", "@/run/vars.json",
                "--limit", "@/run/limit-hosts.txt", INSTALL.playbook("stop.yml").toString()), argv);
    }

    @Test
    void aPlaybookForSomeOfTheRunsHostsGetsItsOwnLimitOnly() {
        List<String> argv = playbooks(List.of("--limit", "@/run/limit-hosts.txt"))
                .argv("finish.yml", List.of("--limit", "@/run/finish-hosts.txt"));
        assertEquals(1, argv.stream().filter("--limit"::equals).count(), argv.toString());
        assertEquals("@/run/finish-hosts.txt", argv.get(argv.indexOf("--limit") + 1));
    }

    @Test
    void withoutALimitNoLimitIsPassed() {
        assertEquals(List.of("/usr/bin/ansible-playbook", "-i", "/run/inventory.yml", "-e", "@/run/vars.json",
                INSTALL.playbook("run_benchmark.yml").toString()), playbooks(List.of()).argv("run_benchmark.yml", List.of()));
    }
}
