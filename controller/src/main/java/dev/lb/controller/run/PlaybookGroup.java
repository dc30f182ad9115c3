package dev.lb.controller.run;

import dev.lb.controller.ansible.AnsibleProcess;
import dev.lb.controller.listener.RunListener;
import java.time.Duration;
import java.util.List;

/**
 * The benchmark playbook's processes, one per slice, waited for and ended together. A slice whose process exits
 * (failed or not) leaves the others running: each has its own hosts. The run's exit code is the first non-zero exit
 * in slice order, else 0; every slice's own code goes to the summary through {@link LivePaths#exited}.
 */
final class PlaybookGroup {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(PlaybookGroup.class);
    private final List<AnsibleProcess> processes;
    private final LivePaths live;
    private final RunListener view;
    private final Integer[] exits;

    PlaybookGroup(List<AnsibleProcess> processes, LivePaths live, RunListener view) {
        this.processes = List.copyOf(processes);
        this.live = live;
        this.view = view;
        this.exits = new Integer[processes.size()];
    }

    /** Null until every process has exited (within {@code timeout}); then the run's exit code. */
    Integer waitFor(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            boolean all = true;
            for (int i = 0; i < processes.size(); i++) {
                if (exits[i] != null) {
                    continue;
                }
                Integer rc = processes.get(i).waitFor(processes.size() == 1 ? timeout : Duration.ZERO);
                if (rc == null) {
                    all = false;
                    continue;
                }
                exits[i] = rc;
                live.exited(i, rc);
                if (processes.size() > 1) {
                    LivePaths.Slice s = live.slices().get(i);
                    view.notice(s.files().label() + " (" + String.join(", ", s.hosts()) + "): ansible-playbook exited"
                            + " with " + rc + (remaining() > 0 ? "; " + remaining() + " other slices go on" : ""));
                }
            }
            if (all) {
                return runExitCode();
            }
            if (System.nanoTime() >= deadline) {
                return null;
            }
            Thread.sleep(Math.min(20, Math.max(1, (deadline - System.nanoTime()) / 1_000_000)));
        }
    }

    private int remaining() {
        int n = 0;
        for (Integer e : exits) {
            if (e == null) {
                n++;
            }
        }
        return n;
    }

    private int runExitCode() {
        for (Integer e : exits) {
            if (e != 0) {
                return e;
            }
        }
        return 0;
    }

    /**
     * "ansible-playbook died (signal 9)" (naming the slice when there are several) for an exit nobody here caused, or
     * what was said when its guard died while it ran (and its group was ended).
     */
    String died() {
        for (int i = 0; i < exits.length; i++) {
            Integer rc = exits[i];
            String guard = processes.get(i).guardDeath();
            String label = live.slices().get(i).files().label();
            if (rc != null && guard != null) {
                return (label == null ? "" : label + ": ") + guard;
            }
            if (rc != null && rc > 128 && rc < 160) {
                return (label == null ? "" : label + ": ") + "ansible-playbook died (signal " + (rc - 128) + ")";
            }
        }
        return null;
    }

    /** Why reading some process's output failed, or null: the run cannot go on without it. */
    Throwable failure() {
        for (AnsibleProcess p : processes) {
            if (p.failure() != null) {
                return p.failure();
            }
        }
        return null;
    }

    /** Ends every process still running, each given {@code grace}, together rather than one after the other. */
    void endNow(Duration grace) throws InterruptedException {
        if (processes.size() == 1) {
            processes.get(0).endNow(grace);
            return;
        }
        runOnEach(p -> p.endNow(grace));
    }

    /** A second Ctrl-C: every process killed at once. */
    void killNow() throws InterruptedException {
        runOnEach(AnsibleProcess::killNow);
    }

    private interface Action {
        void on(AnsibleProcess p) throws InterruptedException;
    }

    private void runOnEach(Action action) throws InterruptedException {
        List<Thread> threads = processes.stream().map(p -> new Thread(() -> {
            try {
                action.on(p);
            } catch (InterruptedException e) {
                // Only this helper thread was interrupted; the kill below the guard (lifeline closed) still happens.
                log.warn("ending a slice's ansible-playbook (pid {}) was interrupted; its guard ends it", p.pid());
                Thread.currentThread().interrupt();
            }
        }, "end-slice")).toList();
        threads.forEach(Thread::start);
        for (Thread t : threads) {
            t.join();
        }
    }
}
