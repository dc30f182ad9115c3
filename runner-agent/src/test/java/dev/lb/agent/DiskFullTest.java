package dev.lb.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lb.protocol.Event;
import dev.lb.protocol.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent on a run directory whose disk fills up: a real 1 MiB tmpfs (root only; skipped otherwise), a workload
 * that prints without end. The stream file must hold whole events only, the workload must be stopped, and the
 * status file (its room reserved at the start) must say why and how many events were written.
 */
class DiskFullTest {
    @TempDir
    Path tmp;
    private Path disk;
    private boolean mounted;

    @BeforeEach
    void mount() throws Exception {
        disk = tmp.resolve("disk");
        Files.createDirectories(disk);
        Process p = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=1m,mode=0700", "tmpfs", disk.toString())
                .redirectErrorStream(true).start();
        mounted = p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        Assumptions.assumeTrue(mounted, "cannot mount a tmpfs here (needs root): " + new String(p.getInputStream().readAllBytes()));
    }

    @AfterEach
    void unmount() throws Exception {
        if (mounted) {
            new ProcessBuilder("umount", disk.toString()).inheritIO().start().waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void aFullDiskStopsTheWorkloadAndTheStatusSaysHowManyEventsWereWrittenWhole() throws Exception {
        String marker = "lbdiskfull-" + UUID.randomUUID();
        int rc = AgentProcess.run(disk, List.of(), AgentProcess.runArgs(disk, "--grace", "2", "--", "sh", "-c",
                "i=0; while :; do echo line $i; i=$((i+1)); done", marker));
        String out = AgentProcess.output(disk);
        assertEquals(5, rc, "exit code 5: the stream file could not be written\n" + out);
        assertTrue(out.contains("target disk full") && out.contains("No space left on device"), out);
        List<Event> events = StreamFileReader.events(disk.resolve("lb_events.stream.log")); // fails on a torn line
        StreamFileReader.assertSeqGapless(events);
        JsonNode status = Json.MAPPER.readTree(disk.resolve("status.json").toFile());
        assertEquals("failed", status.path("status").asText(), status.toString());
        assertEquals("stream_write_failed", status.path("error_type").asText());
        assertTrue(status.path("reason").asText().contains("No space left on device"), status.toString());
        assertTrue(status.path("reason").asText().contains("workload stopped"), status.toString());
        assertEquals(events.size(), status.path("events_written").asLong());
        assertTrue(events.size() > 1000, "events written before the disk filled: " + events.size());
        assertEquals("{\"agent\":{\"last_seq\":" + events.size() + ",\"count\":" + events.size() + "}}",
                status.path("seal").toString(), "the seal counts what the file holds");
        assertTrue(status.path("stream_failure").path("disk_full").asBoolean(), status.toString());
        assertTrue(status.path("failed_writes").asLong() >= 1, "the final event, at least, could not be written");
        assertFalse(Files.exists(disk.resolve(".status.json.reserve")), "the reserve became status.json");
        assertFalse(ProcessHandle.allProcesses().anyMatch(h -> h.info().arguments()
                .map(a -> String.join(" ", a).contains(marker)).orElse(false)), "the workload was stopped");
    }
}
