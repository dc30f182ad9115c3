package dev.lb.agent.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lb.protocol.Event;
import dev.lb.protocol.EventStatus;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Lines another process appends to the stream file (a workload writing its own LB_EVENT lines) are kept. */
class OtherAppendersTest {
    @TempDir
    Path dir;

    @Test
    void aLineAppendedByAnotherWriterIsNeverOverwritten() throws Exception {
        Path file = dir.resolve("lb_events.stream.log");
        try (EventStream stream = EventStream.open(file)) {
            stream.write(Event.builder("h", "w", 1, EventStatus.RUNNING).src("agent").seq(1).build());
            Files.writeString(file, "LB_EVENT {\"foreign\":1}\n", StandardOpenOption.APPEND);
            stream.write(Event.builder("h", "w", 1, EventStatus.DONE).src("agent").seq(2).build());
            assertEquals(2, stream.events());
        }
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        assertEquals(3, lines.size(), lines.toString());
        assertEquals("LB_EVENT {\"foreign\":1}", lines.get(1));
    }

    /**
     * Issue 29: a line another writer left without its newline ("a cut line") must not swallow the agent's next
     * event: that event starts on a line of its own, so only the cut line is broken.
     */
    @Test
    void aCutLineByAnotherWriterNeverSwallowsTheNextEvent() throws Exception {
        Path file = dir.resolve("lb_events.stream.log");
        try (EventStream stream = EventStream.open(file)) {
            stream.write(Event.builder("h", "w", 1, EventStatus.RUNNING).src("agent").seq(1).build());
            Files.writeString(file, "LB_EVENT {\"cut\":", StandardOpenOption.APPEND);
            stream.write(Event.builder("h", "w", 1, EventStatus.RUNNING).src("agent").seq(2).build());
            stream.write(Event.builder("h", "w", 1, EventStatus.DONE).src("agent").seq(3).build());
            assertEquals(3, stream.events());
        }
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        assertEquals(4, lines.size(), lines.toString());
        assertEquals("LB_EVENT {\"cut\":", lines.get(1));
        assertTrue(lines.get(2).startsWith("LB_EVENT {") && lines.get(2).contains("\"seq\":2"), lines.get(2));
        assertTrue(lines.get(3).startsWith("LB_EVENT {") && lines.get(3).contains("\"seq\":3"), lines.get(3));
    }
}
