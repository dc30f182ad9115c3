package dev.lb.controller.ansible;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lb.controller.config.HostLimit;
import java.io.IOException;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Ansible's answers to {@code ansible PATTERN --limit L --list-hosts} as ansible-core 2.14 prints them. */
class HostPatternsTest {
    private static final List<String> INVENTORY = List.of("web-1", "web-2", "db-1");

    @Test
    void theHostsAnsibleListsAreTheLimitInItsOrder() throws Exception {
        HostLimit l = HostPatterns.limit("web-*", new HostPatterns.Answer(0, "  hosts (2):\n    web-1\n    web-2\n", ""),
                INVENTORY);
        assertEquals(List.of("web-1", "web-2"), l.hosts());
        assertEquals("--limit 'web-*': 2 of 3 hosts (web-1, web-2)", l.describe());
        assertEquals(List.of(), l.warnings());
    }

    @Test
    void aPartOfThePatternThatMatchedNothingIsKeptAsAWarning() throws Exception {
        HostLimit l = HostPatterns.limit("web-1:nope", new HostPatterns.Answer(0, "  hosts (1):\n    web-1\n",
                "[WARNING]: Could not match supplied host pattern, ignoring: nope\n"), INVENTORY);
        assertEquals(List.of("web-1"), l.hosts());
        assertEquals(List.of("Could not match supplied host pattern, ignoring: nope"), l.warnings());
    }

    @Test
    void aPatternThatSelectsNoHostIsRefusedInOneLineNamingThePatternAndTheInventorysHosts() {
        HostPatterns.Refused e = assertThrows(HostPatterns.Refused.class, () -> HostPatterns.limit("nomatch",
                new HostPatterns.Answer(1, "", "[WARNING]: Could not match supplied host pattern, ignoring: nomatch\n"
                        + "ERROR! Specified inventory, host pattern and/or --limit leaves us with no hosts to target.\n"),
                INVENTORY));
        assertEquals("--limit 'nomatch' selects no host of the inventory; its hosts: web-1, web-2, db-1", e.getMessage());
    }

    @Test
    void aLongInventoryIsNamedByItsFirstTwentyHostsAndItsSize() {
        List<String> many = IntStream.rangeClosed(1, 25).mapToObj(i -> "h" + i).toList();
        HostPatterns.Refused e = assertThrows(HostPatterns.Refused.class, () -> HostPatterns.limit("x",
                new HostPatterns.Answer(0, "  hosts (0):\n", ""), many));
        assertTrue(e.getMessage().endsWith("h19, h20, ... (25 in all)"), e.getMessage());
        assertTrue(!e.getMessage().contains("\n"));
    }

    @Test
    void anErrorOfAnsibleOtherThanNoHostsIsQuotedAsAnsibleSaidIt() {
        HostPatterns.Refused e = assertThrows(HostPatterns.Refused.class, () -> HostPatterns.limit("@/nonexist",
                new HostPatterns.Answer(1, "", "ERROR! Unable to find limit file b'/nonexist'\n"), INVENTORY));
        assertEquals("--limit '@/nonexist': ansible: ERROR! Unable to find limit file b'/nonexist'", e.getMessage());
    }

    @Test
    void aHostTheInventoryDoesNotHaveIsAnErrorNotALimit() {
        IOException e = assertThrows(IOException.class, () -> HostPatterns.limit("*",
                new HostPatterns.Answer(0, "  hosts (1):\n    stranger\n", ""), INVENTORY));
        assertTrue(e.getMessage().contains("stranger"), e.getMessage());
    }

    @Test
    void aListingWhoseCountDisagreesWithItsLinesIsNotTrusted() {
        IOException e = assertThrows(IOException.class, () -> HostPatterns.listed("  hosts (3):\n    web-1\n"));
        assertEquals("ansible --list-hosts announced 3 hosts and listed 1", e.getMessage());
        assertThrows(IOException.class, () -> HostPatterns.listed("something else entirely\n"));
    }
}
