package dev.lb.controller.ansible;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.commons.exec.CommandLine;
import org.apache.commons.exec.DefaultExecuteResultHandler;
import org.apache.commons.exec.DefaultExecutor;
import org.apache.commons.exec.ExecuteException;
import org.apache.commons.exec.ExecuteStreamHandler;
import org.apache.commons.exec.ProcessDestroyer;
import org.apache.commons.exec.environment.EnvironmentUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ansible-playbook run through Commons Exec under {@code lb_guard.py}: arguments as argv (no shell, no quoting),
 * any exit code accepted, its output as raw bytes (decoded as UTF-8 downstream, whatever the locale).
 *
 * <p>The guard puts ansible-playbook in a process group of its own and ends that group when its stdin, a pipe this
 * process holds and never writes to, reaches end-of-file: when the controller dies (even by kill -9) nothing it
 * started lives on, and {@link #endNow} is one close. It also ends the group when ansible-playbook exits, so an
 * orphaned fork worker never holds the output pipe open. stdout (ansible-playbook's stdout and stderr, merged by the
 * guard in write order) and stderr (the guard's own messages) are read by separate pumps; a pump that fails records
 * why, and {@link #failure()} says so at once.
 */
public final class AnsibleProcess {
    private static final Logger log = LoggerFactory.getLogger(AnsibleProcess.class);

    private final DefaultExecuteResultHandler result = new DefaultExecuteResultHandler();
    private final Streams streams;
    private volatile Process process;
    /** ansible-playbook's pid, which is its process group's id (the guard starts it in a session of its own). */
    private volatile long group = -1;
    /** What was said when the guard died while ansible-playbook's group lived on, or null. */
    private volatile String guardDeath;

    private AnsibleProcess(OutputStream stdout, OutputStream stderr) {
        this.streams = new Streams(stdout, stderr);
    }

    /** Starts {@code argv} under the guard ({@code python guard argv...}). */
    public static AnsibleProcess start(Guard guard, List<String> argv, Map<String, String> extraEnv, File workingDir,
                                       OutputStream stdout, OutputStream stderr) throws IOException {
        AnsibleProcess p = new AnsibleProcess(stdout, stderr);
        CommandLine cl = new CommandLine(guard.python().toString());
        cl.addArgument(guard.script().toString(), false);
        cl.addArgument("--log", false);
        cl.addArgument(guard.log().toString(), false);
        for (String a : argv) {
            cl.addArgument(a, false);
        }
        DefaultExecutor executor = DefaultExecutor.builder().setWorkingDirectory(workingDir).get();
        executor.setExitValues(null);
        executor.setStreamHandler(p.streams);
        executor.setProcessDestroyer(new ProcessDestroyer() {
            @Override
            public boolean add(Process process) {
                p.process = process;
                return true;
            }

            @Override
            public boolean remove(Process process) {
                return true;
            }

            @Override
            public int size() {
                return p.process == null ? 0 : 1;
            }
        });
        Map<String, String> env = EnvironmentUtils.getProcEnvironment();
        env.putAll(extraEnv);
        executor.execute(cl, env, p.result);
        p.learnGroup(System.nanoTime() + TimeUnit.SECONDS.toNanos(2));
        return p;
    }

    /**
     * Waits (until {@code deadlineNanos} at most) for the guard's child, ansible-playbook, whose pid is its process
     * group: known from the start, so a guard killed at any time leaves no group behind unseen. If the guard is slow
     * to start it, {@link #waitFor} learns it later.
     */
    private void learnGroup(long deadlineNanos) {
        while (group < 0 && System.nanoTime() < deadlineNanos && !result.hasResult()) {
            Process p = process;
            if (p != null) {
                p.toHandle().children().findFirst().ifPresent(c -> group = c.pid());
            }
            if (group < 0) {
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** The interpreter and path of {@code lb_guard.py}, and the file it appends its messages to. */
    public record Guard(java.nio.file.Path python, java.nio.file.Path script, java.nio.file.Path log) {
    }

    /** The exit code, or null when it has not exited within the timeout. */
    public Integer waitFor(Duration timeout) throws InterruptedException {
        watchGuard();
        result.waitFor(timeout);
        if (!result.hasResult()) {
            return null;
        }
        ExecuteException e = result.getException();
        if (e != null && e.getExitValue() == org.apache.commons.exec.Executor.INVALID_EXITVALUE) {
            log.error("ansible-playbook could not be run: {}", e.getMessage());
            return -1;
        }
        return result.getExitValue();
    }

    /**
     * Learns ansible-playbook's process group while the guard lives; once the guard is gone (killed: it never exits
     * while ansible-playbook runs) and that group still runs, ends the group, which nobody else would: it was
     * re-parented to init, holding the output pipe open. Said by {@link #guardDeath()}.
     */
    private void watchGuard() throws InterruptedException {
        Process p = process;
        if (p == null || guardDeath != null || result.hasResult()) {
            return;
        }
        if (p.isAlive()) {
            if (group < 0) {
                p.toHandle().children().findFirst().ifPresent(c -> group = c.pid());
            }
            return;
        }
        if (group > 0 && ProcessGroups.alive(group)) {
            int rc = p.exitValue();
            ProcessGroups.end(group, Duration.ofSeconds(2));
            guardDeath = "ansible-playbook's guard (lb_guard.py) died (" + (rc > 128 ? "signal " + (rc - 128)
                    : "exit " + rc) + ") while ansible-playbook still ran; its process group " + group + " was ended";
            log.debug(guardDeath);
        }
    }

    /** Why the run lost ansible-playbook when its guard died (it then ended the playbook's group), or null. */
    public String guardDeath() {
        return guardDeath;
    }

    /** Why reading its output failed (a pump died), or null: the run cannot go on without its output. */
    public Throwable failure() {
        return streams.failure;
    }

    public long pid() {
        Process p = process;
        return p == null ? -1 : p.pid();
    }

    /**
     * Ends ansible-playbook and everything it started: the guard is told by closing its pipe, and whatever is still
     * a descendant after the grace period is killed as well (in case the guard itself is gone).
     */
    public void endNow(Duration grace) throws InterruptedException {
        streams.closeLifeline();
        Process p = process;
        if (p == null) {
            return;
        }
        List<ProcessHandle> tree = new ArrayList<>();
        tree.add(p.toHandle());
        p.toHandle().descendants().forEach(tree::add);
        try {
            p.toHandle().onExit().get(grace.toMillis() + 1000, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            log.warn("the guard of ansible-playbook did not end within {} ms; killing the tree", grace.toMillis() + 1000);
        }
        for (ProcessHandle h : tree) {
            if (h.isAlive()) {
                h.destroyForcibly();
            }
        }
        endOrphanedGroup();
    }

    /** ansible-playbook's group, when it outlived its guard (no longer a descendant here): ended at once. */
    private void endOrphanedGroup() throws InterruptedException {
        Process p = process;
        if (group > 0 && p != null && !p.isAlive() && ProcessGroups.alive(group)) {
            ProcessGroups.end(group, Duration.ZERO);
        }
    }

    /**
     * Ends ansible-playbook at once (a second Ctrl-C): everything below the guard is killed without a grace period,
     * then the guard, which ends what is left of the playbook's process group, gets a second to exit.
     */
    public void killNow() throws InterruptedException {
        streams.closeLifeline();
        Process p = process;
        if (p == null) {
            return;
        }
        List<ProcessHandle> below = p.toHandle().descendants().toList();
        below.forEach(ProcessHandle::destroyForcibly);
        try {
            p.toHandle().onExit().get(1, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            log.warn("the guard of ansible-playbook did not end within 1 s of the kill; killing it");
            p.destroyForcibly();
        }
        endOrphanedGroup();
    }

    /** stdin kept open as the guard's lifeline; stdout and stderr each pumped by a thread of its own. */
    private static final class Streams implements ExecuteStreamHandler {
        private final OutputStream stdoutSink;
        private final OutputStream stderrSink;
        private final List<Thread> pumps = new ArrayList<>();
        private volatile OutputStream lifeline;
        private volatile Throwable failure;

        Streams(OutputStream stdoutSink, OutputStream stderrSink) {
            this.stdoutSink = stdoutSink;
            this.stderrSink = stderrSink;
        }

        @Override
        public void setProcessInputStream(OutputStream os) {
            lifeline = os;
        }

        @Override
        public void setProcessOutputStream(InputStream is) {
            pumps.add(pump("ansible-stdout", is, stdoutSink));
        }

        @Override
        public void setProcessErrorStream(InputStream is) {
            pumps.add(pump("ansible-stderr", is, stderrSink));
        }

        private Thread pump(String name, InputStream in, OutputStream sink) {
            Thread t = new Thread(() -> {
                byte[] buf = new byte[1 << 16];
                try (in) {
                    for (int n; (n = in.read(buf)) >= 0; ) {
                        sink.write(buf, 0, n);
                    }
                } catch (IOException | RuntimeException | Error e) {
                    if (failure == null) {
                        failure = new IOException(name + " pump failed: " + e, e);
                    }
                    log.error("{} pump failed; the run is ended", name, e);
                }
            }, name);
            t.setDaemon(true);
            return t;
        }

        @Override
        public void start() {
            pumps.forEach(Thread::start);
        }

        /** Called by Commons Exec once the process has exited: its output is read to the end (the guard made sure). */
        @Override
        public void stop() {
            closeLifeline();
            for (Thread t : pumps) {
                try {
                    t.join(TimeUnit.SECONDS.toMillis(30));
                    if (t.isAlive()) {
                        failure = new IOException(t.getName() + " still open 30 s after the process exited");
                        log.error("{} is still open 30 s after ansible-playbook's guard exited", t.getName());
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }

        void closeLifeline() {
            OutputStream l = lifeline;
            if (l == null) {
                return;
            }
            try {
                l.close();
            } catch (IOException e) {
                log.warn("closing the guard's lifeline failed: {}", e.toString());
            }
        }
    }
}
