package dev.lb.controller.ansible;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.lb.protocol.WorkloadPlan;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The workload plan has one owner, {@link WorkloadPlan}: the role hands it to the agent as a file and never reads a
 * field of it, so a new workload option never needs a line of Jinja.
 */
class RoleSpellsNoWorkloadFieldTest {
    private static final Path ANSIBLE = Path.of("..", "ansible");
    /** A workload as the playbooks see it: the loop item and the variables made from it. */
    private static final Pattern WORKLOAD_FIELD = Pattern.compile("\\b(lb_wl|lb_pair\\[0\\]|lb_workloads\\[\\d+\\])\\.(\\w+)");

    private static List<Path> playbookFiles() throws IOException {
        try (Stream<Path> files = Files.walk(ANSIBLE)) {
            return files.filter(p -> p.toString().endsWith(".yml")).sorted().toList();
        }
    }

    @Test
    void thePlaybooksReadNoFieldOfAWorkloadButItsName() throws IOException {
        List<String> found = new ArrayList<>();
        List<Path> files = playbookFiles();
        assertTrue(files.size() > 10, "the role's files were found: " + files);
        for (Path f : files) {
            Matcher m = WORKLOAD_FIELD.matcher(Files.readString(f));
            while (m.find()) {
                if (!m.group(2).equals("name")) {
                    found.add(ANSIBLE.relativize(f) + ": " + m.group());
                }
            }
        }
        assertEquals(List.of(), found, "a workload field spelt in the playbooks instead of read from the plan");
    }

    @Test
    void noKeyOfThePlanAppearsAsAnAgentFlagInTheRole() throws IOException {
        String rep = Files.readString(ANSIBLE.resolve("roles/workload_runner/tasks/run_single_rep.yml"));
        for (var c : WorkloadPlan.class.getRecordComponents()) {
            String key;
            try {
                key = WorkloadPlan.class.getDeclaredField(c.getName()).getAnnotation(JsonProperty.class).value();
            } catch (NoSuchFieldException e) {
                throw new AssertionError(e);
            }
            if (!key.equals("name")) {
                assertTrue(!rep.contains("'--" + key.replace('_', '-')) && !rep.contains("." + key),
                        "run_single_rep.yml passes the plan's " + key + " itself");
            }
        }
        assertTrue(rep.contains("'--plans'"), "the agent is given the plans file");
    }

    @Test
    void thePlansAreWrittenDecodedAndUntemplated() throws IOException {
        // The base64 text goes to the setup module as it came (base64 has no braces for Jinja to see), and the module
        // decodes it into the file: no workload field is ever a template.
        String setup = Files.readString(ANSIBLE.resolve("roles/workload_runner/tasks/setup.yml"));
        assertTrue(setup.contains("plans_b64: \"{{ lb_plans }}\""), "setup.yml sends the plans as sent");
        String module = Files.readString(ANSIBLE.resolve("roles/workload_runner/library/lb_target_setup.py"));
        assertTrue(module.contains("base64.b64decode(p[\"plans_b64\"] or \"\", validate=True)"),
                "lb_target_setup.py decodes them into the plans file");
    }
}
