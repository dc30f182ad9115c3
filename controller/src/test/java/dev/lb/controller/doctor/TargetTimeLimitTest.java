package dev.lb.controller.doctor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** What lb doctor -c says of a target it gave up after --host-timeout of silence. */
class TargetTimeLimitTest {
    @Test
    void aTargetAnsibleSaidNothingOfIsUnreachableWithinTheLimit() {
        Check c = TargetChecks.overTime("dead", Duration.ofSeconds(10), null, Path.of("/tmp/d.log"));
        assertFalse(c.ok());
        assertEquals("dead reachable", c.name());
        assertEquals("no answer within 10 s (--host-timeout)", c.detail());
    }

    @Test
    void aTargetThatAnsweredButThenHungSaysWhatAnsibleLastSaidOfIt() {
        Check c = TargetChecks.overTime("web-1", Duration.ofMillis(2_500), "ok: [web-1]", Path.of("/tmp/d.log"));
        assertEquals("web-1 checks", c.name());
        assertEquals("no step finished for 2.5 s (--host-timeout); the last Ansible said of it: ok: [web-1]",
                c.detail());
        assertTrue(c.fix().contains("--host-timeout SECONDS"));
    }

    @Test
    void aLongLastLineIsCut() {
        Check c = TargetChecks.overTime("h", Duration.ofSeconds(1), "fatal: [h]: " + "x".repeat(500), Path.of("/l"));
        assertTrue(c.detail().endsWith("x..."), c.detail());
        assertTrue(c.detail().length() < 300);
    }
}
