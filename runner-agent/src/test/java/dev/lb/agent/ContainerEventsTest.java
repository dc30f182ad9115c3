package dev.lb.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lb.protocol.Event;
import dev.lb.protocol.EventStatus;
import dev.lb.protocol.EventType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The container watcher's stream ends, on 'container-events stop', in a final record that seals it. */
class ContainerEventsTest {
    private static final String EXIT = "2026-11-23 16:39:43.490182861 +0000 UTC default /tasks/exit"
            + " {\"container_id\":\"tc1\",\"id\":\"tc1\",\"pid\":4177,\"exit_status\":137,"
            + "\"exited_at\":\"2026-11-23T16:39:43.490138568Z\"}";

    @TempDir
    Path tmp;

    @Test
    void stopEndsTheStreamWithADoneRecordCarryingItsSeal() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("w"));
        // Stands in for 'ctr events': one exit line, then a connection that stays open.
        Path ctr = Files.writeString(dir.resolve("fake-ctr"), "#!/bin/sh\nprintf '%s\\n' '" + EXIT + "'\nexec sleep 600\n");
        Files.setPosixFilePermissions(ctr, PosixFilePermissions.fromString("rwx------"));
        Path stream = dir.resolve("containers.stream.log");
        Path pid = dir.resolve("watcher.pid");
        Process watcher = AgentProcess.start(dir, List.of(), "container-events", "--ctr", ctr.toString(),
                "--namespace", "default", "--pid-file", pid.toString(), "--stream-file", stream.toString(),
                "--state-file", dir.resolve("exits.json").toString(), "--host", "web-1", "--run-id", "r1");
        long deadline = System.currentTimeMillis() + 30_000;
        while (!(Files.exists(stream) && Files.readString(stream).contains("exited with code 137"))
                && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
        assertEquals(0, AgentProcess.run(dir, List.of(), "container-events", "stop", "--pid-file", pid.toString()),
                AgentProcess.output(dir));
        assertTrue(watcher.waitFor(30, TimeUnit.SECONDS));

        List<Event> events = StreamFileReader.events(stream);
        StreamFileReader.assertSeqGapless(events);
        assertEquals(1, events.stream().filter(e -> e.type() == EventType.CONTAINER).count(), events.toString());
        Event last = StreamFileReader.last(events);
        assertEquals(EventStatus.DONE, last.status());
        assertEquals(EventType.STATUS, last.type());
        assertEquals("containers", last.src());
        assertEquals("containers", last.workload());
        assertEquals(0, last.repetition());
        assertEquals(StreamFileReader.sealOf(events), last.field("seal"));
        assertEquals(2, last.field("seal").get("containers").get("count").asLong(), "the exit and the final record");
        assertEquals(last.seq(), last.field("seal").get("containers").get("last_seq").asLong());
    }
}
