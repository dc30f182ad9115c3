package dev.lb.controller.doctor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** What lb doctor -c says of a target that had not reported when its --host-timeout was up. */
class TargetTimeLimitTest {
    private static final String LOG = """
            PLAY [Check lb targets] ****

            TASK [workload_runner : Reachable, with Python] ****
            ok: [web-1]
            ok: [web-10]
            TASK [workload_runner : Java] ****
            ok: [web-1]
            changed: [web-10 -> localhost]
            """;

    @Test
    void aTargetAnsibleSaidNothingOfIsUnreachableWithinTheLimit() {
        assertNull(TargetChecks.lastWordOn("dead", LOG));
        Check c = TargetChecks.overTime("dead", Duration.ofSeconds(10), null, Path.of("/tmp/d.log"));
        assertFalse(c.ok());
        assertEquals("dead reachable", c.name());
        assertEquals("no answer within 10 s (--host-timeout)", c.detail());
    }

    @Test
    void aTargetThatAnsweredButDidNotFinishSaysWhatAnsibleLastSaidOfIt() {
        assertEquals("ok: [web-1]", TargetChecks.lastWordOn("web-1", LOG), "web-10 is another host");
        assertEquals("changed: [web-10 -> localhost]", TargetChecks.lastWordOn("web-10", LOG));
        Check c = TargetChecks.overTime("web-1", Duration.ofMillis(2_500), "ok: [web-1]", Path.of("/tmp/d.log"));
        assertEquals("web-1 checks", c.name());
        assertEquals("not finished within 2.5 s (--host-timeout); the last Ansible said of it: ok: [web-1]", c.detail());
        assertTrue(c.fix().contains("--host-timeout SECONDS"));
    }

    @Test
    void aLongLastLineIsCut() {
        String word = TargetChecks.lastWordOn("h", "fatal: [h]: UNREACHABLE! => " + "x".repeat(500) + "\n");
        assertEquals(203, word.length());
    }
}
