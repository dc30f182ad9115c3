package dev.lb.agent.cli;

import dev.lb.agent.containers.ContainerExit;
import dev.lb.agent.containers.ContainerTracker;
import dev.lb.agent.containers.ContainerWatcher;
import dev.lb.agent.containers.ExitStateFile;
import dev.lb.agent.containers.SingleInstance;
import dev.lb.agent.containers.TrackFilter;
import dev.lb.agent.logging.EventLogAppender;
import dev.lb.agent.stream.Emitter;
import dev.lb.agent.stream.EventStream;
import dev.lb.protocol.Json;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code lb-agent container-events}: the container exit watcher, and its status and stop commands. */
@Command(name = "container-events", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Watches containerd through 'ctr events' and records the exit code of every tracked container (exit 137"
                    + " after /tasks/oom is reported as out of memory) in a state file, and as a type=container"
                    + " event in its own stream file, which the poll step forwards like any other.",
            "",
            "A container is tracked when its namespace is given with --namespace, its id matches --id-pattern, or it"
                    + " is listed with --track NS/ID. Only one watcher runs per machine (a locked PID file). When"
                    + " 'ctr events' ends it is restarted with capped backoff, and tracked containers that exited"
                    + " meanwhile are reported (exit code unknown).",
            "",
            "An exit is kept in the state file until its container is deleted; a container run with --rm is deleted"
                    + " as soon as it exits, and its exit code is then only in the stream file (see status --help).",
            ""},
        subcommands = {ContainerEventsCommand.Status.class, ContainerEventsCommand.Stop.class})
final class ContainerEventsCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--ctr", paramLabel = "ARG", description = "The ctr command, one argument per option"
            + " (default: ctr). E.g. --ctr sudo --ctr ctr --ctr --address --ctr /run/containerd/containerd.sock")
    List<String> ctr = new ArrayList<>();

    @Option(names = "--namespace", paramLabel = "NS", description = "Track every container of this namespace; repeatable.")
    List<String> namespaces = new ArrayList<>();

    @Option(names = "--id-pattern", paramLabel = "REGEX", description = "Track containers whose id matches.")
    String idPattern;

    @Option(names = "--track", paramLabel = "NS/ID", description = "Track this container; repeatable.")
    List<String> track = new ArrayList<>();

    @Option(names = "--state-file", paramLabel = "FILE", description = "Exit codes (default: next to the PID file).")
    Path stateFile;

    @Option(names = "--stream-file", paramLabel = "FILE", description = "Event stream (default: next to the PID file).")
    Path streamFile;

    @Option(names = "--artifacts-dir", paramLabel = "DIR",
            description = "Containers' artifacts are DIR/NS/ID: removed on delete after exit 0, kept otherwise.")
    Path artifactsDir;

    @Option(names = "--pid-file", paramLabel = "FILE", description = "Default: " + "/var/lib/lb/event_listener.pid"
            + " as root, else a per-user runtime directory.")
    Path pidFile;

    @Option(names = "--host", paramLabel = "NAME", description = "Inventory name for the events (default: host name).")
    String host;

    @Option(names = "--run-id", paramLabel = "ID", description = "Run id for the events.")
    String runId;

    @Option(names = "--max-backoff", paramLabel = "SECONDS", defaultValue = "30",
            description = "Longest wait between restarts of ctr events (default: ${DEFAULT-VALUE}).")
    int maxBackoff;

    @Option(names = "--daemon", description = "Run in the background, detached; return once it holds the PID file.")
    boolean daemon;

    static Path pidFileOr(Path given) {
        if (given != null) {
            return given;
        }
        boolean root = "root".equals(System.getProperty("user.name"));
        return SingleInstance.defaultPidFile(root, System.getenv("XDG_RUNTIME_DIR"), uid());
    }

    private static String uid() {
        try {
            return String.valueOf(Files.getAttribute(Path.of(System.getProperty("user.home")), "unix:uid"));
        } catch (IOException | UnsupportedOperationException e) {
            return System.getProperty("user.name");
        }
    }

    static Path stateFileOr(Path given, Path pid) {
        return given != null ? given : pid.resolveSibling("container_exits.json");
    }

    /**
     * An option of a subcommand that may also stand before it ({@code container-events --pid-file F status} means
     * {@code container-events status --pid-file F}): the value given, wherever it was; two different values are
     * refused rather than one silently winning.
     */
    static Path either(String option, String subcommand, Path before, Path after) {
        if (before != null && after != null && !before.equals(after)) {
            throw new InvalidInputException(option + " is given before " + subcommand + " (" + before + ") and after it ("
                    + after + "): give it once");
        }
        return after != null ? after : before;
    }

    /**
     * Options of the watcher given before a subcommand that the subcommand does not read are refused by name: they
     * would otherwise be dropped without a word.
     */
    void refuseOptionsBefore(String subcommand, java.util.Set<String> meaningful) {
        List<String> ignored = spec.commandLine().getParseResult().matchedOptions().stream()
                .map(CommandLine.Model.OptionSpec::longestName).filter(n -> !meaningful.contains(n)).distinct().toList();
        if (!ignored.isEmpty()) {
            throw new InvalidInputException(String.join(", ", ignored) + " " + (ignored.size() == 1 ? "has" : "have")
                    + " no meaning for container-events " + subcommand + " (only " + String.join(", ", meaningful)
                    + " may stand before it)");
        }
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        Path pid = pidFileOr(pidFile);
        TrackFilter filter = filter();
        if (daemon) {
            return daemonize(pid, err);
        }
        Optional<SingleInstance> lock = SingleInstance.acquire(pid);
        if (lock.isEmpty()) {
            err.println("lb-agent: a container watcher is already running as pid "
                    + SingleInstance.holder(pid).map(String::valueOf).orElse("?") + " (" + pid + ")");
            return AgentCommand.INVALID;
        }
        try (SingleInstance held = lock.get();
             EventStream stream = EventStream.open(streamFile != null ? streamFile : pid.resolveSibling("containers.stream.log"))) {
            Emitter emitter = new Emitter(stream, new Emitter.Context(runId, host != null ? host : hostName(), "containers",
                    0, null), Clock.systemUTC());
            EventLogAppender.install(emitter, System.getenv(EventLogAppender.ENV));
            Path state = stateFileOr(stateFile, pid);
            ContainerTracker tracker = new ContainerTracker(filter, ExitStateFile.read(state));
            ContainerWatcher watcher = new ContainerWatcher(new ContainerWatcher.Settings(
                    ctr.isEmpty() ? List.of("ctr") : List.copyOf(ctr), state, artifactsDir, Duration.ofSeconds(maxBackoff)),
                    tracker, emitter, Clock.systemUTC());
            CountDownLatch done = new CountDownLatch(1);
            AtomicBoolean stop = new AtomicBoolean();
            // SIGTERM (container-events stop): the hook holds the JVM open until run() has returned and the final
            // record, with the stream's seal, is written.
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                stop.set(true);
                watcher.interrupt();
                try {
                    done.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "stop-watcher"));
            Throwable failure = null;
            try {
                watcher.run(stop::get);
            } catch (Throwable e) {
                failure = e;
                throw e;
            } finally {
                try {
                    watcher.finish(failure);
                } finally {
                    done.countDown();
                }
            }
            if (emitter.streamFailure() != null) {
                err.println("lb-agent: " + (emitter.streamFailure().diskFull() ? "target disk full: " : "")
                        + emitter.streamFailure().describe() + "; " + emitter.failedWrites() + " events could not be"
                        + " written");
                return AgentCommand.STREAM_WRITE_FAILED;
            }
            if (emitter.failure() != null) {
                err.println("lb-agent: writing events to " + stream.path() + " failed (" + emitter.failedWrites()
                        + " events lost): " + emitter.failure().getMessage());
                return AgentCommand.FAILED;
            }
        }
        return AgentCommand.DONE;
    }

    private TrackFilter filter() {
        Pattern pattern = null;
        if (idPattern != null) {
            try {
                pattern = Pattern.compile(idPattern);
            } catch (PatternSyntaxException e) {
                throw new InvalidInputException("--id-pattern is not a regular expression: " + e.getDescription());
            }
        }
        for (String t : track) {
            if (!t.matches("[^/]+/.+")) {
                throw new InvalidInputException("--track expects NAMESPACE/ID, got '" + t + "'");
            }
        }
        if (namespaces.isEmpty() && pattern == null && track.isEmpty()) {
            throw new InvalidInputException("nothing to track: give --namespace, --id-pattern or --track");
        }
        return new TrackFilter(new HashSet<>(namespaces), pattern, new HashSet<>(track));
    }

    private int daemonize(Path pid, PrintWriter err) throws IOException, InterruptedException {
        Optional<Long> running = SingleInstance.holder(pid);
        if (running.isPresent()) {
            err.println("lb-agent: a container watcher is already running as pid " + running.get() + " (" + pid + ")");
            return AgentCommand.DONE; // reusing the running instance is what --daemon callers want
        }
        List<String> args = new ArrayList<>(List.of("container-events"));
        List<String> original = spec.commandLine().getParseResult().originalArgs();
        original.subList(original.indexOf("container-events") + 1, original.size()).stream()
                .filter(a -> !a.equals("--daemon")).forEach(args::add);
        Path logFile = pid.resolveSibling("container-events.log");
        Process child = Detacher.startDetached(args, "-Xmx128m", logFile);
        long deadline = System.currentTimeMillis() + 30_000;
        while (System.currentTimeMillis() < deadline) {
            Optional<Long> holder = SingleInstance.holder(pid);
            if (holder.isPresent()) {
                err.println("lb-agent: container watcher running as pid " + holder.get() + " (log: " + logFile + ")");
                return AgentCommand.DONE;
            }
            if (!child.isAlive()) {
                err.println("lb-agent: the container watcher exited with " + child.exitValue() + "; see " + logFile);
                return child.exitValue() == 0 ? AgentCommand.FAILED : child.exitValue();
            }
            Thread.sleep(20);
        }
        err.println("lb-agent: the container watcher did not start within 30 s; see " + logFile);
        return AgentCommand.FAILED;
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "unknown-host";
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true,
            description = {"Prints the recorded exits (all, or NS ID's), and whether a watcher is running."
                    + " --pid-file and --state-file mean the same before and after 'status'.",
                "",
                "An exit stays here until its container is deleted: on /containers/delete the entry is cleared."
                        + " A container run with --rm is deleted as soon as it exits, so status shows nothing"
                        + " for it; its exit code is then only in the watcher's stream file (containers.stream.log"
                        + " next to the PID file, or --stream-file), as a type=container event with its exit_code,"
                        + " which lb run journals."})
    static final class Status implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @CommandLine.ParentCommand
        ContainerEventsCommand parent;

        @Parameters(arity = "0..2", paramLabel = "NS ID", description = "One container: namespace and id.")
        List<String> nsId = new ArrayList<>();

        @Option(names = "--state-file", paramLabel = "FILE")
        Path stateFile;

        @Option(names = "--pid-file", paramLabel = "FILE")
        Path pidFile;

        @Override
        public Integer call() throws IOException {
            PrintWriter out = spec.commandLine().getOut();
            parent.refuseOptionsBefore("status", java.util.Set.of("--pid-file", "--state-file"));
            Path pid = pidFileOr(either("--pid-file", "status", parent.pidFile, pidFile));
            Map<String, ContainerExit> exits = ExitStateFile.read(stateFileOr(
                    either("--state-file", "status", parent.stateFile, stateFile), pid));
            Optional<Long> holder = SingleInstance.holder(pid);
            spec.commandLine().getErr().println("watcher: " + holder.map(p -> "running as pid " + p).orElse("not running"));
            if (nsId.size() == 1) {
                throw new InvalidInputException("give both NS and ID, or neither");
            }
            if (nsId.size() == 2) {
                ContainerExit e = exits.get(nsId.get(0) + "/" + nsId.get(1));
                if (e == null) {
                    out.println("no exit recorded for " + nsId.get(0) + "/" + nsId.get(1));
                    return AgentCommand.FAILED;
                }
                out.println(ExitStateFile.toJson(e));
                return AgentCommand.DONE;
            }
            var all = Json.MAPPER.createObjectNode();
            exits.forEach((k, e) -> all.set(k, ExitStateFile.toJson(e)));
            out.println(Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(all));
            return AgentCommand.DONE;
        }
    }

    @Command(name = "stop", mixinStandardHelpOptions = true, description = "Stops the running watcher cleanly (SIGTERM)."
            + " --pid-file means the same before and after 'stop'.")
    static final class Stop implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @CommandLine.ParentCommand
        ContainerEventsCommand parent;

        @Option(names = "--pid-file", paramLabel = "FILE")
        Path pidFile;

        @Override
        public Integer call() throws Exception {
            parent.refuseOptionsBefore("stop", java.util.Set.of("--pid-file"));
            Path pid = pidFileOr(either("--pid-file", "stop", parent.pidFile, pidFile));
            Optional<Long> holder = SingleInstance.holder(pid);
            if (holder.isEmpty()) {
                spec.commandLine().getErr().println("lb-agent: no container watcher is running (" + pid + ")");
                return AgentCommand.DONE;
            }
            Optional<ProcessHandle> h = ProcessHandle.of(holder.get());
            h.ifPresent(ProcessHandle::destroy);
            long deadline = System.currentTimeMillis() + 15_000;
            while (SingleInstance.holder(pid).isPresent() && System.currentTimeMillis() < deadline) {
                Thread.sleep(50);
            }
            if (SingleInstance.holder(pid).isPresent()) {
                spec.commandLine().getErr().println("lb-agent: the watcher (pid " + holder.get() + ") did not stop in 15 s");
                return AgentCommand.FAILED;
            }
            spec.commandLine().getErr().println("lb-agent: container watcher (pid " + holder.get() + ") stopped");
            return AgentCommand.DONE;
        }
    }
}
