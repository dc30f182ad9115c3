package dev.lb.agent.run;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lb.agent.stream.Emitter;
import dev.lb.protocol.EventLevel;
import dev.lb.protocol.EventStatus;
import dev.lb.protocol.Json;
import java.io.File;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one of a repetition's hooks ({@code before_repetition}, {@code after_repetition}) the way the workload is run:
 * its working directory and environment, stdin from /dev/null, a session and process group of its own (setsid, the
 * group on record in {@code workload.pgid} while it runs), each line of its stdout and stderr one event, marked
 * {@code "stream": "before"} or {@code "after"}. An event says when it starts and one when it ends.
 *
 * <p>It fails when it cannot start, exits non-zero, or is still running when its caller says it must end (a STOP,
 * a signal, the repetition's time-out): it is then stopped like the workload, TERM to its whole tree, KILL after the
 * grace period. What it leaves running after exiting is stopped too, as for the workload.
 */
final class RepetitionHook {
    private static final Logger log = LoggerFactory.getLogger(RepetitionHook.class);
    private static final JsonNodeFactory NODES = Json.MAPPER.getNodeFactory();
    private static final String SRC = "agent";

    private final String name;
    private final String stream;
    private final List<String> argv;
    private final WorkloadSpec spec;
    private final RunSettings settings;
    private final Emitter emitter;
    private final Clock clock;

    private RepetitionHook(String name, String stream, List<String> argv, WorkloadSpec spec, RunSettings settings,
                           Emitter emitter, Clock clock) {
        this.name = name;
        this.stream = stream;
        this.argv = argv;
        this.spec = spec;
        this.settings = settings;
        this.emitter = emitter;
        this.clock = clock;
    }

    static RepetitionHook before(List<String> argv, WorkloadSpec spec, RunSettings settings, Emitter emitter,
                                 Clock clock) {
        return new RepetitionHook("before_repetition", "before", argv, spec, settings, emitter, clock);
    }

    static RepetitionHook after(List<String> argv, WorkloadSpec spec, RunSettings settings, Emitter emitter,
                                Clock clock) {
        return new RepetitionHook("after_repetition", "after", argv, spec, settings, emitter, clock);
    }

    /** {@code before_repetition} or {@code after_repetition}: the config key, the event's {@code hook}. */
    String name() {
        return name;
    }

    /** {@code before_repetition_failed} or {@code after_repetition_failed}. */
    String errorType() {
        return name + "_failed";
    }

    /**
     * How the hook ended: {@code started} false when it could not be started; {@code failure} null when it exited 0,
     * else why it failed, naming the hook and its argv; {@code rc} null when there was no exit.
     */
    record Result(boolean started, Integer rc, String failure, List<String> stderrTail) {
    }

    /**
     * Runs the hook to its end. {@code mustEnd} is asked while it runs: a reason means it is stopped now, TERM then
     * KILL after {@code grace}, and fails.
     */
    Result run(Supplier<String> mustEnd, Duration grace) {
        Map<String, String> env = new HashMap<>(System.getenv());
        env.putAll(spec.env());
        Optional<Path> exe = Executables.find(argv.get(0), env.get("PATH"), spec.workingDir());
        if (exe.isEmpty()) {
            return ended(new Result(false, null, name + " " + quoted() + " cannot start: '" + argv.get(0)
                    + "' not found or not executable (PATH=" + env.get("PATH") + ")", List.of()), null);
        }
        List<String> command = new ArrayList<>();
        Optional<Path> setsid = Executables.setsid();
        setsid.ifPresent(s -> command.addAll(List.of(s.toString(), "--wait")));
        command.addAll(argv);
        ProcessBuilder pb = new ProcessBuilder(command).directory(spec.workingDir().toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.environment().putAll(spec.env());
        Instant start = clock.instant();
        Process process;
        try {
            process = pb.start();
        } catch (IOException e) {
            return ended(new Result(false, null, name + " " + quoted() + " cannot start: " + e.getMessage(),
                    List.of()), null);
        }
        ArrayNode argvJson = NODES.arrayNode();
        argv.forEach(argvJson::add);
        emitter.emit(SRC, EventStatus.RUNNING, b -> b.message(name + " started: " + String.join(" ", argv) + " (pid "
                + process.pid() + ")").extra("hook", NODES.textNode(name))
                .extra("pid", NODES.numberNode(process.pid())).extra("command", argvJson));
        OutputPump out = new OutputPump(stream + "-stdout", process.getInputStream(), settings.maxLineBytes(),
                new LineEvents(emitter, SRC, stream, l -> EventLevel.INFO));
        OutputPump err = new OutputPump(stream + "-stderr", process.getErrorStream(), settings.maxLineBytes(),
                new LineEvents(emitter, SRC, stream, l -> EventLevel.WARNING));
        out.start();
        err.start();
        Optional<WorkloadGroup> group = Optional.empty();
        String stoppedBecause = null;
        int rc;
        try {
            if (setsid.isPresent()) {
                group = recordGroup(process);
            }
            while (!process.waitFor(settings.stopPoll().toMillis(), TimeUnit.MILLISECONDS)) {
                stoppedBecause = mustEnd.get();
                if (stoppedBecause != null) {
                    log.info("stopping the {} hook: {}", name, stoppedBecause);
                    ProcessTree.terminate(process, grace);
                    break;
                }
            }
            rc = process.waitFor();
            drain(process, out, err, grace);
            if (group.isPresent()) {
                group.get().release(grace);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stoppedBecause = "the agent was interrupted";
            try {
                ProcessTree.terminate(process, Duration.ZERO);
                if (group.isPresent()) {
                    group.get().release(Duration.ZERO);
                }
            } catch (InterruptedException again) {
                Thread.currentThread().interrupt();
            }
            rc = -1;
        }
        IOException readFailure = out.failure() != null ? out.failure() : err.failure();
        String failure = stoppedBecause != null
                ? name + " " + quoted() + " was still running when " + stoppedBecause + "; stopped it (rc " + rc + ")"
                : rc != 0 ? name + " " + quoted() + " exited with rc " + rc
                : readFailure != null ? name + " " + quoted() + ": reading its output failed, lines may be missing: "
                        + readFailure
                : null;
        return ended(new Result(true, rc, failure, err.events().tail()), Duration.between(start, clock.instant()));
    }

    /** The end event: rc and duration, or why the hook failed. */
    private Result ended(Result r, Duration took) {
        StringBuilder message = new StringBuilder(r.failure() != null ? r.failure() : name + " done: rc=0");
        if (took != null) {
            message.append(" after ").append(BigDecimal.valueOf(took.toMillis(), 3).setScale(3, RoundingMode.UNNECESSARY))
                    .append("s");
        }
        emitter.emit(SRC, EventStatus.RUNNING, b -> {
            b.message(message.toString()).level(r.failure() == null ? EventLevel.INFO : EventLevel.WARNING)
                    .extra("hook", NODES.textNode(name));
            if (r.rc() != null) {
                b.extra("rc", NODES.numberNode(r.rc()));
            }
        });
        return r;
    }

    /** The failed event's error_context entry for this hook: its command, rc and last stderr lines. */
    ObjectNode context(Result r) {
        ObjectNode o = NODES.objectNode();
        ArrayNode command = o.putArray("command");
        argv.forEach(command::add);
        if (r.rc() == null) {
            o.putNull("rc");
        } else {
            o.put("rc", r.rc());
        }
        ArrayNode tail = o.putArray("stderr_tail");
        r.stderrTail().forEach(tail::add);
        return o;
    }

    private Optional<WorkloadGroup> recordGroup(Process process) throws InterruptedException {
        try {
            return WorkloadGroup.record(process, settings.runDir());
        } catch (IOException e) {
            log.error("cannot record the {} hook's process group in {}: {}", name, settings.runDir(), e.toString());
            return Optional.empty();
        }
    }

    /** The hook has exited; output still open after a moment is held by children it left running: they are stopped. */
    private void drain(Process process, OutputPump out, OutputPump err, Duration grace) throws InterruptedException {
        if (out.awaitEnd(2, TimeUnit.SECONDS) && err.awaitEnd(2, TimeUnit.SECONDS)) {
            return;
        }
        log.warn("the {} hook exited but its output is still open (children left running); stopping them", name);
        ProcessTree.terminate(process, grace);
        if (!out.awaitEnd(5, TimeUnit.SECONDS) || !err.awaitEnd(5, TimeUnit.SECONDS)) {
            log.error("the {} hook's output is still open after stopping its process group; lines written after this"
                    + " point are not reported", name);
        }
    }

    /** The argv as JSON: unambiguous about spaces and quotes. */
    private String quoted() {
        try {
            return Json.MAPPER.writeValueAsString(argv);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a list of strings is always JSON", e);
        }
    }
}
