package dev.lb.controller.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Issue 29: a duplicate YAML key let the last one win in silence, and two hosts of one name planned 2 and ran 1.
 * Both are refused with their lines.
 */
class ConfigDuplicatesTest {
    private static List<String> problems(String yaml) {
        return assertThrows(ConfigException.class, () -> ConfigLoader.parse("test.yaml", yaml, Path.of("/base")))
                .problems();
    }

    @Test
    void aDuplicateKeyIsNamedWithBothLines() {
        List<String> p = problems("repetitions: 3\n"
                + "targets: {hosts: [{name: l, connection: local}]}\n"
                + "workloads: [{name: w, argv: [true]}]\n"
                + "repetitions: 5\n");
        assertEquals(List.of("repetitions (line 4): duplicate key (first at line 1)"), p);
    }

    @Test
    void aDuplicateKeyInsideAMappingIsNamedWithItsPath() {
        List<String> p = problems("targets:\n"
                + "  hosts:\n"
                + "    - name: l\n"
                + "      connection: local\n"
                + "      connection: ssh\n"
                + "workloads: [{name: w, argv: [true]}]\n");
        assertEquals(List.of("targets.hosts[0].connection (line 5): duplicate key (first at line 4)"), p);
    }

    @Test
    void twoHostsOfOneNameAreRefused() {
        List<String> p = problems("targets:\n"
                + "  hosts:\n"
                + "    - {name: web-1, address: 127.0.0.1, port: 2201}\n"
                + "    - {name: web-1, address: 127.0.0.1, port: 2202}\n"
                + "workloads: [{name: w, argv: [true]}]\n");
        assertEquals(List.of("targets.hosts[1].name (line 4): 'web-1' is used by another host (line 3)"), p);
    }
}
