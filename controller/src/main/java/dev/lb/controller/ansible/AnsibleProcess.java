package dev.lb.controller.ansible;

import java.io.File;
import java.io.IOException;
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
import org.apache.commons.exec.ProcessDestroyer;
import org.apache.commons.exec.PumpStreamHandler;
import org.apache.commons.exec.environment.EnvironmentUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ansible-playbook run through Commons Exec: arguments as argv (no shell, no quoting), stdout and stderr as raw
 * bytes into one stream (decoded as UTF-8 downstream, whatever the locale), any exit code accepted. Ending it
 * ends its whole process tree: Commons Exec's own watchdog would kill only the direct child and leave SSH
 * sessions and forks behind.
 */
public final class AnsibleProcess {
    private static final Logger log = LoggerFactory.getLogger(AnsibleProcess.class);

    private final DefaultExecuteResultHandler result = new DefaultExecuteResultHandler();
    private volatile Process process;

    private AnsibleProcess() {
    }

    public static AnsibleProcess start(List<String> argv, Map<String, String> extraEnv, File workingDir,
                                       OutputStream output) throws IOException {
        AnsibleProcess p = new AnsibleProcess();
        CommandLine cl = new CommandLine(argv.get(0));
        for (String a : argv.subList(1, argv.size())) {
            cl.addArgument(a, false);
        }
        DefaultExecutor executor = DefaultExecutor.builder().setWorkingDirectory(workingDir).get();
        executor.setExitValues(null);
        executor.setStreamHandler(new PumpStreamHandler(output, output, null));
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
        return p;
    }

    /** The exit code, or null when it has not exited within the timeout. */
    public Integer waitFor(Duration timeout) throws InterruptedException {
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

    public long pid() {
        Process p = process;
        return p == null ? -1 : p.pid();
    }

    /** TERM to ansible-playbook and all its descendants, KILL to whatever is left after the grace period. */
    public void terminateTree(Duration grace) throws InterruptedException {
        Process p = process;
        if (p == null) {
            return;
        }
        List<ProcessHandle> tree = new ArrayList<>();
        tree.add(p.toHandle());
        p.toHandle().descendants().forEach(tree::add);
        tree.forEach(ProcessHandle::destroy);
        long deadline = System.nanoTime() + grace.toNanos();
        for (ProcessHandle h : tree) {
            long left = deadline - System.nanoTime();
            if (left > 0) {
                try {
                    h.onExit().get(left, TimeUnit.NANOSECONDS);
                } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                    log.debug("{} still alive after TERM", h.pid());
                }
            }
        }
        for (ProcessHandle h : tree) {
            if (h.isAlive()) {
                log.warn("process {} ignored TERM; killing it", h.pid());
                h.destroyForcibly();
            }
        }
    }
}
