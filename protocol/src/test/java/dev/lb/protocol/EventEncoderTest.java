package dev.lb.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class EventEncoderTest {
    @Test
    void lineIsOneLineOfPrintableTextWhateverTheMessageHolds() throws Exception {
        String nasty = "a\nb\rc\u0000d\u001b[2Je\u0085f\u2028g\u2029h\u007fi\ufeffj\u00e9\ud83d\ude00";
        Event e = Event.builder("h", "w", 1, EventStatus.RUNNING).src("agent").seq(1).message(nasty).build();
        String line = EventEncoder.line(e);
        assertTrue(line.startsWith("LB_EVENT {"), line);
        assertTrue(line.chars().noneMatch(c -> c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == 0x2028 || c == 0x2029
                || c == 0xfeff), line);
        assertTrue(line.contains("\u00e9\ud83d\ude00"), "printable non-ASCII stays readable: " + line);
        assertEquals(nasty, EventDecoder.decode(line.substring(EventEncoder.PREFIX.length())).message());
    }
}
