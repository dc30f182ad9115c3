package dev.lb.controller.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class SharedMachinesTest {
    private static RunConfig.Host ssh(String name, String address, Integer port, String user) {
        return new RunConfig.Host(name, address, port, user, null, "ssh", null);
    }

    private static RunConfig.Host local(String name) {
        return new RunConfig.Host(name, null, null, null, null, "local", null);
    }

    @Test
    void severalLocalHostsAreOneMachine() {
        assertEquals(List.of("hosts l1, l2, l3 are one machine and user (this machine, connection: local): each has its"
                + " own target directory, but their workloads run on the same machine at the same time"),
                SharedMachines.warnings(List.of(local("l1"), local("l2"), local("l3"))));
    }

    @Test
    void twoNamesForOneAddressPortAndUserAreOneMachine() {
        List<String> w = SharedMachines.warnings(List.of(ssh("a", "10.0.0.1", 22, "bench"), ssh("b", "10.0.0.1", null,
                "bench"), ssh("c", "10.0.0.1", 2222, "bench"), ssh("d", "10.0.0.1", 22, "other")));
        assertEquals(1, w.size(), w.toString());
        assertEquals(true, w.get(0).startsWith("hosts a, b are one machine and user (bench@10.0.0.1:22)"), w.get(0));
    }

    @Test
    void distinctMachinesSayNothing() {
        assertEquals(List.of(), SharedMachines.warnings(List.of(ssh("a", "h1", 22, "u"), ssh("b", "h2", 22, "u"),
                local("l"))));
    }
}
