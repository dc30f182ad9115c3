package dev.lb.agent.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stops a workload and everything it started: TERM to its process group and to every descendant, then KILL to
 * whatever is still alive after the grace period. The workload runs in its own session (started through
 * {@code setsid}), so the group also catches children that were re-parented away from it.
 */
final class ProcessTree {
    private static final Logger log = LoggerFactory.getLogger(ProcessTree.class);
    private static final Path KILL = findKill();

    private ProcessTree() {
    }

    static void terminate(Process root, Duration grace) throws InterruptedException {
        List<ProcessHandle> tree = snapshot(root.toHandle());
        signalGroup(root.pid(), "TERM");
        tree.forEach(ProcessHandle::destroy);
        long deadline = System.nanoTime() + grace.toNanos();
        for (ProcessHandle p : tree) {
            long left = deadline - System.nanoTime();
            if (left > 0) {
                try {
                    p.onExit().get(left, TimeUnit.NANOSECONDS);
                } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                    log.debug("process {} still alive after TERM: {}", p.pid(), e.toString());
                }
            }
        }
        // New descendants may have appeared during the grace period; take the tree again before KILL.
        List<ProcessHandle> survivors = new ArrayList<>(snapshot(root.toHandle()));
        tree.stream().filter(ProcessHandle::isAlive).filter(p -> !survivors.contains(p)).forEach(survivors::add);
        if (!survivors.isEmpty() && survivors.stream().anyMatch(ProcessHandle::isAlive)) {
            log.warn("{} process(es) ignored TERM for {} ms; sending KILL", survivors.size(), grace.toMillis());
        }
        signalGroup(root.pid(), "KILL");
        survivors.forEach(ProcessHandle::destroyForcibly);
        for (ProcessHandle p : survivors) {
            try {
                p.onExit().get(5, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                log.error("process {} survived KILL: {}", p.pid(), e.toString());
            }
        }
    }

    /**
     * Stops what is left of a process group whose leader has exited: TERM to the group and to each member, KILL
     * after the grace period. Returns whether the group is gone.
     */
    static boolean terminateGroup(long pgid, Duration grace) throws IOException, InterruptedException {
        List<ProcessHandle> members = groupMembers(pgid);
        signalGroup(pgid, "TERM");
        members.forEach(ProcessHandle::destroy);
        long deadline = System.nanoTime() + grace.toNanos();
        while (System.nanoTime() < deadline && !groupMembers(pgid).isEmpty()) {
            Thread.sleep(20);
        }
        members = groupMembers(pgid);
        if (!members.isEmpty()) {
            log.warn("{} process(es) of group {} ignored TERM for {} ms; sending KILL", members.size(), pgid,
                    grace.toMillis());
            signalGroup(pgid, "KILL");
            members.forEach(ProcessHandle::destroyForcibly);
        }
        deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < deadline && !groupMembers(pgid).isEmpty()) {
            Thread.sleep(20);
        }
        return groupMembers(pgid).isEmpty();
    }

    /** The live (not zombie) processes whose process group is {@code pgid}, from /proc. */
    static List<ProcessHandle> groupMembers(long pgid) throws IOException {
        List<ProcessHandle> members = new ArrayList<>();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path p : (Iterable<Path>) procs::iterator) {
                String name = p.getFileName().toString();
                if (name.isEmpty() || !name.chars().allMatch(Character::isDigit)) {
                    continue;
                }
                long pid = Long.parseLong(name);
                String[] stat = stat(pid);
                if (stat != null && !stat[0].equals("Z") && Long.parseLong(stat[2]) == pgid) {
                    ProcessHandle.of(pid).ifPresent(members::add);
                }
            }
        }
        return members;
    }

    /** The process group of a live process, from /proc; empty once it has exited. */
    static OptionalLong processGroup(long pid) throws IOException {
        String[] stat = stat(pid);
        return stat == null || stat[0].equals("Z") ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(stat[2]));
    }

    /** The fields of /proc/PID/stat after the command name: state, ppid, pgrp, session, ...; null when gone. */
    private static String[] stat(long pid) throws IOException {
        String stat;
        try {
            stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            if (Files.notExists(Path.of("/proc", Long.toString(pid)))) {
                return null; // it exited while we read
            }
            throw e;
        }
        return stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    }

    /** The root and its descendants, root first. */
    static List<ProcessHandle> snapshot(ProcessHandle root) {
        List<ProcessHandle> all = new ArrayList<>();
        all.add(root);
        root.descendants().forEach(all::add);
        return all;
    }

    private static void signalGroup(long pgid, String signal) {
        if (KILL == null) {
            return;
        }
        try {
            Process p = new ProcessBuilder(KILL.toString(), "-s", signal, "--", "-" + pgid)
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            p.waitFor(5, TimeUnit.SECONDS);
            // rc 1 means the group is already gone, which is the goal; nothing to report.
        } catch (IOException e) {
            log.warn("cannot signal process group {}: {}", pgid, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Path findKill() {
        for (String p : List.of("/bin/kill", "/usr/bin/kill")) {
            if (Files.isExecutable(Path.of(p))) {
                return Path.of(p);
            }
        }
        return null;
    }
}
