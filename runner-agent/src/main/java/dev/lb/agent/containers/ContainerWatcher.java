package dev.lb.agent.containers;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lb.agent.stream.Emitter;
import dev.lb.protocol.EventLevel;
import dev.lb.protocol.EventStatus;
import dev.lb.protocol.EventType;
import dev.lb.protocol.Json;
import dev.lb.protocol.LineSplitter;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows {@code ctr events}: records the exits of tracked containers in the state file and reports each as a
 * {@code type=container} event. When {@code ctr events} ends or cannot start, it is restarted with capped
 * exponential backoff (logged once per change of state, not per attempt), and after each reconnect the tracked
 * containers that were running are checked against {@code ctr tasks ls}, so one that exited during the gap is
 * reported, with its exit code unknown. Malformed lines are counted and skipped; the watcher keeps running.
 */
public final class ContainerWatcher {
    private static final Logger log = LoggerFactory.getLogger(ContainerWatcher.class);
    private static final JsonNodeFactory NODES = Json.MAPPER.getNodeFactory();
    private static final String SRC = "containers";

    /** How to reach containerd and where to keep things. {@code ctr} is the command prefix (e.g. sudo ctr --address X). */
    public record Settings(List<String> ctr, Path stateFile, Path artifactsDir, Duration maxBackoff) {
    }

    private final Settings settings;
    private final ContainerTracker tracker;
    private final Emitter emitter;
    private final Clock clock;
    private volatile Process current;
    private long malformed;
    private long lines;

    public ContainerWatcher(Settings settings, ContainerTracker tracker, Emitter emitter, Clock clock) {
        this.settings = settings;
        this.tracker = tracker;
        this.emitter = emitter;
        this.clock = clock;
    }

    public void run(BooleanSupplier stop) throws InterruptedException {
        long backoffMs = 500;
        boolean connectedBefore = false;
        String lastState = "";
        while (!stop.getAsBoolean()) {
            long started = System.currentTimeMillis();
            Process p;
            try {
                List<String> cmd = new ArrayList<>(settings.ctr());
                cmd.add("events");
                p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.PIPE).start();
                current = p;
            } catch (IOException e) {
                lastState = state(lastState, "cannot start", "cannot start " + settings.ctr() + " events: "
                        + e.getMessage() + "; retrying with backoff up to " + settings.maxBackoff().toSeconds() + " s");
                backoffMs = sleep(backoffMs, stop);
                continue;
            }
            drainStderr(p);
            // Read from the first moment (no event may wait), but call it connected only once ctr events has stayed
            // up: a failing retry ends within that time and must not log "connected" and "ended" on every attempt.
            Thread reader = new Thread(() -> read(p.getInputStream()), "ctr-events-reader");
            reader.setDaemon(true);
            reader.start();
            boolean connected = !p.waitFor(2, TimeUnit.SECONDS);
            if (connected) {
                lastState = state(lastState, "connected", "following " + settings.ctr() + " events");
                if (connectedBefore) {
                    reconcile();
                }
                connectedBefore = true;
            }
            int rc = p.waitFor();
            reader.join(5_000);
            current = null;
            if (!connected && rc == 0) {
                // It reached containerd (rc 0) but the stream ended at once: still a reconnect, so look for exits
                // missed in the gap rather than waiting for a longer connection that may not come.
                if (connectedBefore) {
                    reconcile();
                }
                connectedBefore = true;
            }
            if (stop.getAsBoolean()) {
                break;
            }
            if (System.currentTimeMillis() - started > 10_000) {
                backoffMs = 500; // it ran fine for a while: this is a new failure, not the same one
            }
            lastState = state(lastState, "ended rc " + rc, settings.ctr() + " events ended (rc " + rc
                    + "); reconnecting with backoff up to " + settings.maxBackoff().toSeconds() + " s");
            backoffMs = sleep(backoffMs, stop);
        }
    }

    /**
     * Writes the stream's final record once {@link #run} has returned: status {@code done} (or {@code failed}, with
     * error_type {@code watcher_failed}, when it ended by an error), type status, src containers, with the seal of
     * the stream. Nothing is written to the stream after it. Returns the seal.
     */
    public ObjectNode finish(Throwable failure) {
        String counts = lines + " ctr events line(s) read, " + malformed + " malformed";
        if (failure == null) {
            return emitter.emitFinal(SRC, EventStatus.DONE, b -> b.message("container watcher stopped; " + counts));
        }
        return emitter.emitFinal(SRC, EventStatus.FAILED, b -> b.level(EventLevel.ERROR)
                .message("container watcher failed: " + failure + "; " + counts)
                .error("watcher_failed", Json.MAPPER.createObjectNode().put("reason", failure.toString())));
    }

    /** Ends the watcher's ctr process (stop() makes run() return after it). */
    public void interrupt() {
        Process p = current;
        if (p != null) {
            p.destroy();
        }
    }

    private String state(String last, String now, String message) {
        if (!last.equals(now)) {
            if (now.equals("connected")) {
                log.info(message);
            } else {
                log.warn(message);
            }
        }
        return now;
    }

    private long sleep(long backoffMs, BooleanSupplier stop) throws InterruptedException {
        long until = System.currentTimeMillis() + backoffMs;
        while (System.currentTimeMillis() < until && !stop.getAsBoolean()) {
            Thread.sleep(50);
        }
        return Math.min(backoffMs * 2, settings.maxBackoff().toMillis());
    }

    private void read(InputStream in) {
        LineSplitter splitter = new LineSplitter(CtrEventParser.MAX_LINE_CHARS, new LineSplitter.Sink() {
            @Override
            public void line(String line) {
                lines++;
                handle(line);
            }

            @Override
            public void tooLong(String head, long lengthBytes) {
                lines++;
                countMalformed("line of " + lengthBytes + " bytes is over the limit");
            }
        });
        byte[] buf = new byte[1 << 16];
        try (in) {
            for (int n; (n = in.read(buf)) >= 0; ) {
                splitter.feed(buf, 0, n);
            }
        } catch (IOException e) {
            log.warn("reading ctr events failed after {} lines: {}", lines, e.toString());
        }
        splitter.finish();
    }

    synchronized void handle(String line) {
        try {
            apply(tracker.accept(CtrEventParser.parse(line)));
        } catch (CtrEventParser.Malformed e) {
            countMalformed(e.getMessage());
        }
    }

    private void countMalformed(String why) {
        malformed++;
        // Counted, not logged one by one: a noisy source must not flood the event stream.
        if (malformed == 1 || malformed % 1000 == 0) {
            log.warn("skipped {} malformed ctr events line(s); latest: {}", malformed, why);
        }
    }

    private synchronized void reconcile() {
        Set<String> running = new HashSet<>();
        for (String ns : namespacesOf(tracker.running())) {
            List<String> cmd = new ArrayList<>(settings.ctr());
            cmd.addAll(List.of("-n", ns, "tasks", "ls"));
            try {
                Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                    log.warn("cannot reconcile namespace {}: {} failed: {}", ns, cmd, out.strip());
                    return; // without a trustworthy list, reporting exits would be inventing them
                }
                out.lines().skip(1).map(l -> l.trim().split("\\s+")).filter(f -> f.length >= 3 && f[2].equals("RUNNING"))
                        .forEach(f -> running.add(ns + "/" + f[0]));
            } catch (IOException e) {
                log.warn("cannot reconcile namespace {}: {}", ns, e.toString());
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        List<ContainerTracker.Change> changes = tracker.reconcile(running, clock.instant());
        if (!changes.isEmpty()) {
            log.info("{} tracked container(s) exited while ctr events was not connected", changes.size());
        }
        apply(changes);
    }

    private static Set<String> namespacesOf(Set<String> keys) {
        Set<String> ns = new HashSet<>();
        keys.forEach(k -> ns.add(k.substring(0, k.indexOf('/'))));
        return ns;
    }

    private void apply(List<ContainerTracker.Change> changes) {
        if (changes.isEmpty()) {
            return;
        }
        for (ContainerTracker.Change c : changes) {
            if (c instanceof ContainerTracker.Change.Exited x) {
                report(x.exit());
            } else if (c instanceof ContainerTracker.Change.Deleted d) {
                deleted(d);
            }
        }
        try {
            ExitStateFile.write(settings.stateFile(), tracker.exits());
        } catch (IOException e) {
            log.error("cannot write the state file {}: {}", settings.stateFile(), e.toString());
        }
    }

    private void report(ContainerExit e) {
        String what = e.exitCode() == null
                ? "exited while the watcher was reconnecting; exit code unknown"
                : e.oom() ? "was killed: out of memory (exit 137)" : "exited with code " + e.exitCode();
        EventLevel level = e.oom() ? EventLevel.ERROR : (e.exitCode() == null || e.exitCode() != 0) ? EventLevel.WARNING
                : EventLevel.INFO;
        emitter.emit(SRC, EventStatus.RUNNING, b -> {
            b.type(EventType.CONTAINER).level(level).message("container " + e.key() + " " + what)
                    .extra("namespace", NODES.textNode(e.namespace()))
                    .extra("container_id", NODES.textNode(e.containerId()))
                    .extra("exit_code", e.exitCode() == null ? NODES.nullNode() : NODES.numberNode(e.exitCode()))
                    .extra("oom", NODES.booleanNode(e.oom()))
                    .extra("exited_at", e.exitedAt() == null ? NODES.nullNode() : NODES.textNode(e.exitedAt().toString()));
        });
    }

    private void deleted(ContainerTracker.Change.Deleted d) {
        String key = d.namespace() + "/" + d.containerId();
        Integer code = d.lastExit() == null ? null : d.lastExit().exitCode();
        Path artifacts = settings.artifactsDir() == null ? null
                : settings.artifactsDir().resolve(d.namespace()).resolve(d.containerId());
        String message;
        if (artifacts == null || !Files.exists(artifacts)) {
            message = "container " + key + " deleted";
        } else if (code != null && code == 0) {
            try {
                removeTree(artifacts);
                message = "container " + key + " deleted; exit code 0, artifacts removed";
            } catch (IOException e) {
                message = "container " + key + " deleted; exit code 0, but removing " + artifacts + " failed: " + e.getMessage();
            }
        } else {
            message = "container " + key + " deleted; exit code " + (code == null ? "unknown" : code)
                    + ", artifacts kept for inspection in " + artifacts;
        }
        String text = message;
        emitter.emit(SRC, EventStatus.RUNNING, b -> b.type(EventType.CONTAINER).message(text)
                .extra("namespace", NODES.textNode(d.namespace())).extra("container_id", NODES.textNode(d.containerId())));
    }

    private static void removeTree(Path dir) throws IOException {
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    private void drainStderr(Process p) {
        Thread t = new Thread(() -> {
            try (InputStream err = p.getErrorStream()) {
                String text = new String(err.readAllBytes(), StandardCharsets.UTF_8).strip();
                if (!text.isEmpty()) {
                    log.warn("ctr events said: {}", text.length() > 500 ? text.substring(0, 500) + "..." : text);
                }
            } catch (IOException e) {
                log.debug("ctr events' stderr closed: {}", e.toString());
            }
        }, "ctr-stderr");
        t.setDaemon(true);
        t.start();
    }

    public long malformed() {
        return malformed;
    }

    public long lines() {
        return lines;
    }
}
