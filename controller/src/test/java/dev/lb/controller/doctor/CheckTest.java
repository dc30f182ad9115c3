package dev.lb.controller.doctor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class CheckTest {
    @Test
    void aFailWhoseReasonSpansLinesIsPrintedAsExactlyOneLine() {
        Check c = Check.fail("dead reachable", "no: Data could not be sent to remote host \"127.0.0.1\": Connection"
                + " timed out during banner exchange\r\nConnection to 127.0.0.1 port 47222 timed out\r\n",
                "check the address\nand the port");
        assertEquals("FAIL dead reachable: no: Data could not be sent to remote host \"127.0.0.1\": Connection timed out"
                + " during banner exchange; Connection to 127.0.0.1 port 47222 timed out  -> fix: check the address;"
                + " and the port", c.line());
        assertEquals(1, c.line().lines().count());
    }

    @Test
    void blankLinesAndIndentationOfAMultiLineReasonAreDropped() {
        assertEquals("a; b", Check.oneLine("\n  a  \n\n\tb\r\n"));
        assertEquals("one line stays as it is  ", Check.oneLine("one line stays as it is  "));
    }

    @Test
    void anOkLineNeverShowsAFix() {
        assertEquals("ok   java: Java 17", Check.ok("java", "Java 17").line());
    }
}
