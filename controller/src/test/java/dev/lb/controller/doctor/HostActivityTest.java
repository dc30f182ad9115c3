package dev.lb.controller.doctor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The doctor log as ansible-core 2.14's default callback writes it, fed to HostActivity in pieces. */
class HostActivityTest {
    private static final List<String> HOSTS = List.of("web-1", "web-10", "dead");

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void beforeThePlayNoHostIsTimedAndEveryByteReachesTheLog() throws Exception {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        HostActivity a = new HostActivity(log, HOSTS);
        a.write(bytes("[WARNING]: something about web-1\n"));
        assertEquals(-1, a.playStartedNanos());
        assertEquals(-1, a.lastHeardNanos("web-1"));
        a.write(bytes("\nPLAY [Check lb targets] ****\n"));
        assertTrue(a.playStartedNanos() > 0);
        assertEquals(a.playStartedNanos(), a.lastHeardNanos("dead"), "never heard of since: the play's start");
        assertEquals("[WARNING]: something about web-1\n\nPLAY [Check lb targets] ****\n", log.toString(StandardCharsets.UTF_8));
    }

    @Test
    void eachResultLineIsHeardForTheHostItNamesOnly() throws Exception {
        HostActivity a = new HostActivity(new ByteArrayOutputStream(), HOSTS);
        a.write(bytes("PLAY [x] ***\n"));
        long play = a.playStartedNanos();
        Thread.sleep(5);
        a.write(bytes("ok: [web-1]\nchanged: [web-10 -> localhost]\n"));
        assertTrue(a.lastHeardNanos("web-1") > play);
        assertTrue(a.lastHeardNanos("web-10") > play);
        assertEquals(play, a.lastHeardNanos("dead"));
        assertEquals("ok: [web-1]", a.lastLine("web-1"), "web-10's line is not web-1's");
        assertEquals("changed: [web-10 -> localhost]", a.lastLine("web-10"));
        assertNull(a.lastLine("dead"));
    }

    @Test
    void aLineSplitAcrossWritesAtEveryByteIsHeardWhole() throws Exception {
        byte[] log = bytes("PLAY [x]\nfatal: [dead]: UNREACHABLE! => {\"msg\": \"timed out\"}\r\n");
        for (int split = 1; split < log.length; split++) {
            HostActivity a = new HostActivity(new ByteArrayOutputStream(), HOSTS);
            a.write(log, 0, split);
            a.write(log, split, log.length - split);
            assertEquals("fatal: [dead]: UNREACHABLE! => {\"msg\": \"timed out\"}", a.lastLine("dead"), "split " + split);
        }
        HostActivity byteByByte = new HostActivity(new ByteArrayOutputStream(), HOSTS);
        for (byte b : log) {
            byteByByte.write(b);
        }
        assertTrue(byteByByte.lastLine("dead").startsWith("fatal: [dead]"));
    }

    @Test
    void aHugeLineIsMatchedByItsHead() throws Exception {
        HostActivity a = new HostActivity(new ByteArrayOutputStream(), HOSTS);
        a.write(bytes("PLAY [x]\nok: [web-1] => " + "y".repeat(100_000) + "\n"));
        assertTrue(a.lastLine("web-1").startsWith("ok: [web-1]"));
        assertTrue(a.lastLine("web-1").length() <= 4096);
    }
}
