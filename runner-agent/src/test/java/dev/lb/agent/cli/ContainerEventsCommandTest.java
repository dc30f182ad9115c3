package dev.lb.agent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lb.agent.containers.SingleInstance;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** container-events status and stop read their options the same before and after the subcommand. */
class ContainerEventsCommandTest {
    @TempDir
    Path dir;

    private record Result(int code, String out, String err) {
    }

    private static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = AgentCommand.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new Result(code, out.toString(), err.toString());
    }

    private void recordExit(Path state) throws Exception {
        Files.writeString(state, "{\"ns/fn\": {\"namespace\": \"ns\", \"container_id\": \"fn\", \"exit_code\": 3,"
                + " \"exited_at\": \"2026-12-01T06:00:00Z\", \"oom\": false}}");
    }

    @Test
    void pidFileBeforeStatusFindsTheRunningWatcherAsAfterIt() throws Exception {
        Path pid = dir.resolve("watcher.pid");
        try (SingleInstance held = SingleInstance.acquire(pid).orElseThrow()) {
            String running = "watcher: running as pid " + ProcessHandle.current().pid();
            Result before = run("container-events", "--pid-file", pid.toString(), "status");
            Result after = run("container-events", "status", "--pid-file", pid.toString());
            assertEquals(0, before.code(), before.err());
            assertTrue(before.err().contains(running), before.err());
            assertTrue(after.err().contains(running), after.err());
        }
    }

    @Test
    void stateFileBeforeStatusIsTheOneRead() throws Exception {
        Path state = dir.resolve("exits.json");
        recordExit(state);
        Result r = run("container-events", "--pid-file", dir.resolve("w.pid").toString(), "--state-file",
                state.toString(), "status", "ns", "fn");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("\"exit_code\":3"), r.out());
        assertTrue(r.err().contains("watcher: not running"), r.err());
    }

    @Test
    void theDefaultStateFileIsNextToAPidFileGivenBeforeStatus() throws Exception {
        recordExit(dir.resolve("container_exits.json"));
        Result r = run("container-events", "--pid-file", dir.resolve("w.pid").toString(), "status", "ns", "fn");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("\"exit_code\":3"), r.out());
    }

    @Test
    void twoDifferentPidFilesBeforeAndAfterAreRefusedNotOneSilentlyChosen() {
        Result r = run("container-events", "--pid-file", dir.resolve("a.pid").toString(), "status", "--pid-file",
                dir.resolve("b.pid").toString());
        assertEquals(AgentCommand.INVALID, r.code());
        assertTrue(r.err().contains("--pid-file is given before status"), r.err());
    }

    @Test
    void aWatcherOptionThatStatusDoesNotReadIsRefusedByName() {
        Result r = run("container-events", "--namespace", "openfaas-fn", "status");
        assertEquals(AgentCommand.INVALID, r.code());
        assertTrue(r.err().contains("--namespace has no meaning for container-events status"), r.err());
    }

    @Test
    void pidFileBeforeStopIsTheWatcherStopped() {
        Result r = run("container-events", "--pid-file", dir.resolve("none.pid").toString(), "stop");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("no container watcher is running (" + dir.resolve("none.pid") + ")"), r.err());
    }

    @Test
    void statusHelpSaysWhereTheExitCodeOfARemovedContainerIs() {
        Result r = run("container-events", "status", "--help");
        String help = r.out().replaceAll("\\s+", " ");
        assertTrue(help.contains("A container run with --rm is deleted as soon as it exits"), help);
        assertTrue(help.contains("only in the watcher's stream file (containers.stream.log"), help);
    }
}
