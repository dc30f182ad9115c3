package dev.lb.agent.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lb.protocol.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The status file's room is taken at the start and becomes status.json, whole, at the end. */
class StatusFileTest {
    @TempDir
    Path dir;

    @Test
    void theReserveIsTakenWholeAndBecomesTheStatusFileCutToItsLength() throws Exception {
        StatusFile status = StatusFile.reserve(dir);
        assertNull(status.reserveFailure());
        assertEquals(StatusFile.RESERVED_BYTES, Files.size(dir.resolve(StatusFile.RESERVE)));
        assertEquals("", Files.readString(dir.resolve(StatusFile.RESERVE)).strip(), "blanks only: valid trailing JSON space");
        assertFalse(Files.exists(dir.resolve(StatusFile.NAME)), "no status.json before the end: the poll step reads"
                + " its existence as 'finished'");
        ObjectNode s = Json.MAPPER.createObjectNode().put("status", "failed").put("error_type", "stream_write_failed");
        try (EventStream stream = EventStream.open(dir.resolve("lb_events.stream.log"))) {
            status.write(s, stream);
        }
        String written = Files.readString(dir.resolve(StatusFile.NAME));
        assertEquals(Json.line(s) + "\n", written);
        assertFalse(Files.exists(dir.resolve(StatusFile.RESERVE)));
    }

    @Test
    void withoutAReserveTheStatusIsWrittenTheOrdinaryWay() throws Exception {
        ObjectNode s = Json.MAPPER.createObjectNode().put("status", "done");
        try (EventStream stream = EventStream.open(dir.resolve("lb_events.stream.log"))) {
            StatusFile.unreserved(dir).write(s, stream);
        }
        assertEquals(Json.line(s) + "\n", Files.readString(dir.resolve(StatusFile.NAME)));
    }
}
