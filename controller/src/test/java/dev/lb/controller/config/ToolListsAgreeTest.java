package dev.lb.controller.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lb.protocol.WorkloadPlan;
import dev.lb.results.ResultParsers;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The workload types lb runs itself are listed once, in the plan; the parsers are listed once, in ResultParsers
 * (whose module cannot see the plan). This is where the two lists are held to each other.
 */
class ToolListsAgreeTest {
    @Test
    void everyToolTypeAndK6HasAParserAndEveryParserAType() {
        List<String> types = new ArrayList<>(WorkloadPlan.TOOLS);
        types.add(WorkloadPlan.K6);
        assertEquals(new TreeSet<>(types), new TreeSet<>(ResultParsers.names()));
    }

    @Test
    void everyToolHasItsDebianPackageForInstallTools() {
        assertEquals(new TreeSet<>(WorkloadPlan.TOOLS), new TreeSet<>(TargetTools.DEBIAN_PACKAGE.keySet()));
    }
}
