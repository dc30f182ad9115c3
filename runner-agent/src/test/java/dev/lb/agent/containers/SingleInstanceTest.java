package dev.lb.agent.containers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SingleInstanceTest {
    @TempDir
    Path dir;

    @Test
    void theLockDecidesNotTheFileContent() throws Exception {
        Path pid = dir.resolve("sub/event_listener.pid");
        try (SingleInstance first = SingleInstance.acquire(pid).orElseThrow()) {
            assertEquals(Optional.of(ProcessHandle.current().pid()), SingleInstance.holder(pid));
            // A second acquisition in the same JVM would be refused by the JVM itself; across processes the lock
            // refuses it (tested end to end with two real watchers).
        }
        assertEquals(Optional.empty(), SingleInstance.holder(pid), "released with the process");
    }

    @Test
    void staleFileWithADeadOrUnrelatedPidNeverBlocks() throws Exception {
        Path pid = dir.resolve("event_listener.pid");
        Files.writeString(pid, "1\n"); // pid 1 is alive and certainly not a watcher
        assertEquals(Optional.empty(), SingleInstance.holder(pid));
        try (SingleInstance s = SingleInstance.acquire(pid).orElseThrow()) {
            assertEquals(ProcessHandle.current().pid() + "\n", Files.readString(pid));
        }
        Files.writeString(pid, "not a pid");
        try (SingleInstance s = SingleInstance.acquire(pid).orElseThrow()) {
            assertTrue(Files.readString(pid).startsWith(Long.toString(ProcessHandle.current().pid())));
        }
    }

    @Test
    void defaultPathIsPerUserWhenNotRoot() {
        assertEquals(SingleInstance.DEFAULT_PID_FILE, SingleInstance.defaultPidFile(true, null, "0"));
        assertEquals(Path.of("/run/user/1000/lb/event_listener.pid"), SingleInstance.defaultPidFile(false, "/run/user/1000", "1000"));
        assertEquals(Path.of("/tmp/lb-1000/lb/event_listener.pid"), SingleInstance.defaultPidFile(false, null, "1000"));
    }
}
