package dev.lb.controller.doctor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class PlayStartWatchTest {
    private static final byte[] LOG = "\nPLAY [Check lb targets] *****\n\nTASK [x]\n".getBytes(StandardCharsets.UTF_8);

    @Test
    void thePlayStartsAtTheFirstPlayLineAndEveryByteReachesTheLog() throws Exception {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        PlayStartWatch w = new PlayStartWatch(log);
        w.write("[WARNING]: PLA".getBytes(StandardCharsets.UTF_8));
        assertEquals(-1, w.startedNanos());
        long before = System.nanoTime();
        w.write(LOG);
        assertTrue(w.startedNanos() >= before);
        assertEquals("[WARNING]: PLA" + new String(LOG, StandardCharsets.UTF_8), log.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aMarkSplitAcrossWritesAtEveryByteIsFound() throws Exception {
        for (int split = 1; split < LOG.length; split++) {
            PlayStartWatch w = new PlayStartWatch(new ByteArrayOutputStream());
            w.write(LOG, 0, split);
            w.write(LOG, split, LOG.length - split);
            assertTrue(w.startedNanos() > 0, "split at " + split);
        }
        PlayStartWatch byteByByte = new PlayStartWatch(new ByteArrayOutputStream());
        for (byte b : LOG) {
            byteByByte.write(b);
        }
        assertTrue(byteByByte.startedNanos() > 0);
    }

    @Test
    void aPartialMarkFollowedByTheWholeOneStillCounts() throws Exception {
        PlayStartWatch w = new PlayStartWatch(new ByteArrayOutputStream());
        w.write("PLAPLAY [".getBytes(StandardCharsets.UTF_8));
        assertTrue(w.startedNanos() > 0);
    }

    @Test
    void noPlayLineNoStart() throws Exception {
        PlayStartWatch w = new PlayStartWatch(new ByteArrayOutputStream());
        w.write("ERROR! the playbook could not be read\n".getBytes(StandardCharsets.UTF_8));
        assertEquals(-1, w.startedNanos());
    }
}
