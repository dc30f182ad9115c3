package dev.lb.agent.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lb.agent.stream.Emitter;
import dev.lb.agent.stream.EventStream;
import dev.lb.agent.sysinfo.SystemCollector;
import dev.lb.agent.sysinfo.SystemSources;
import dev.lb.protocol.EventStatus;
import dev.lb.protocol.EventType;
import dev.lb.protocol.Json;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code lb-agent sysinfo}: this machine's system information as one sealed {@code type: system} event. */
@Command(name = "sysinfo", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Reads this machine's system information (CPU model, vendor, logical and physical cores, frequencies,"
                    + " governor; memory and swap; disks; the file systems of / and of each --dir; OS release;"
                    + " kernel release, version and command line; container or VM; the versions of stress-ng, fio,"
                    + " sysbench and k6; the clock offset from the --clock-reading round trips) from /proc, /sys,"
                    + " lscpu -J and lsblk -J, and writes it as one type=system event (workload '(system)',"
                    + " repetition 0, src sysinfo, status done, sealed) to --stream-file. A field that cannot be"
                    + " read is left out and its reason given under 'unread'.",
            "Without --stream-file the system object is printed as JSON.",
            ""})
final class SysinfoCommand implements Callable<Integer> {
    static final String SRC = "sysinfo";

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--stream-file", paramLabel = "FILE", description = "Where the event goes (appended).")
    Path streamFile;

    @Option(names = "--host", paramLabel = "NAME", description = "Inventory name for the event.")
    String host;

    @Option(names = "--run-id", paramLabel = "ID", description = "Run id for the event.")
    String runId;

    @Option(names = "--dir", paramLabel = "DIR", description = "Also report the file system holding DIR; repeatable.")
    List<Path> dirs = new ArrayList<>();

    @Option(names = "--tool", paramLabel = "NAME=EXECUTABLE",
            description = "Ask EXECUTABLE for the version of tool NAME (default: NAME on PATH); repeatable.")
    List<String> tools = new ArrayList<>();

    @Option(names = "--clock-reading", paramLabel = "\"T0 T1\"", description = "A clock probe, in order: the"
            + " controller's time when it was sent and this machine's time while answering, epoch seconds;"
            + " repeatable (each next T0 ends the previous round trip).")
    List<String> clockReadings = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        Map<String, String> given = new LinkedHashMap<>();
        for (String t : tools) {
            int eq = t.indexOf('=');
            if (eq <= 0 || eq == t.length() - 1) {
                throw new InvalidInputException("--tool expects NAME=EXECUTABLE, got '" + t + "'");
            }
            given.put(t.substring(0, eq), t.substring(eq + 1));
        }
        List<String> dirTexts = dirs.stream().map(d -> d.toAbsolutePath().normalize().toString()).toList();
        ObjectNode system = new SystemCollector(SystemSources.thisMachine(System.getenv("PATH")))
                .collect(dirTexts, given, clockReadings);
        PrintWriter out = spec.commandLine().getOut();
        if (streamFile == null) {
            out.println(Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(system));
            out.flush();
            return AgentCommand.DONE;
        }
        if (host == null) {
            throw new InvalidInputException("--host is required with --stream-file");
        }
        try (EventStream stream = EventStream.open(streamFile)) {
            Emitter emitter = new Emitter(stream, new Emitter.Context(runId, host, EventType.SYSTEM_WORKLOAD, 0, null),
                    Clock.systemUTC());
            emitter.emitFinal(SRC, EventStatus.DONE, b -> b.type(EventType.SYSTEM)
                    .message(SystemCollector.describe(system)).extra("system", system));
            if (emitter.failure() != null) {
                spec.commandLine().getErr().println("lb-agent: writing the system event to " + streamFile
                        + " failed: " + emitter.failure().getMessage());
                return emitter.streamFailure() != null ? AgentCommand.STREAM_WRITE_FAILED : AgentCommand.FAILED;
            }
        }
        return AgentCommand.DONE;
    }
}
