package dev.lb.agent.containers;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns container events into exit records for tracked containers. Pure: no I/O; what to persist and report comes
 * back as {@link Change}s. Only the init process's exit is a container exit ({@code id == container_id}); an exec's
 * is not. A missing {@code exit_status} means 0. {@code /tasks/oom} followed by exit 137 is out of memory.
 */
public final class ContainerTracker {
    /** What an event changed. */
    public sealed interface Change {
        /** An exit to record and report. */
        record Exited(ContainerExit exit) implements Change {
        }

        /** The container is gone; its entry is cleared, its artifacts removed when it exited 0. */
        record Deleted(ContainerExit lastExit, String namespace, String containerId) implements Change {
        }
    }

    private final TrackFilter filter;
    private final Map<String, ContainerExit> exits = new LinkedHashMap<>();
    private final Set<String> oomPending = new HashSet<>();
    private final Set<String> running = new HashSet<>();
    private long ignored;
    private long duplicates;

    public ContainerTracker(TrackFilter filter, Map<String, ContainerExit> restored) {
        this.filter = filter;
        this.exits.putAll(restored);
    }

    public List<Change> accept(CtrEvent e) throws CtrEventParser.Malformed {
        ObjectNode p = e.payload();
        String cid = p.path("container_id").asText(p.path("id").asText(""));
        if (cid.isEmpty()) {
            if (e.topic().startsWith("/tasks/") || e.topic().startsWith("/containers/")) {
                throw new CtrEventParser.Malformed(e.topic() + " without a container id");
            }
            return List.of();
        }
        if (!filter.tracks(e.namespace(), cid)) {
            ignored++;
            return List.of();
        }
        String key = e.namespace() + "/" + cid;
        switch (e.topic()) {
            case "/tasks/create", "/tasks/start" -> {
                running.add(key);
                exits.remove(key); // a container id reused after a delete starts afresh
                oomPending.remove(key);
            }
            case "/tasks/oom" -> oomPending.add(key);
            case "/tasks/exit" -> {
                if (!cid.equals(p.path("id").asText(cid))) {
                    return List.of(); // an exec process ended, not the container
                }
                int code = p.has("exit_status") ? p.path("exit_status").asInt() : 0;
                Instant at = CtrEventParser.exitedAt(p.get("exited_at"));
                ContainerExit exit = new ContainerExit(e.namespace(), cid, code, at != null ? at : e.timestamp(),
                        oomPending.remove(key) && code == 137, "event");
                running.remove(key);
                ContainerExit previous = exits.put(key, exit);
                if (exit.equals(previous)) {
                    duplicates++;
                    return List.of();
                }
                return List.of(new Change.Exited(exit));
            }
            case "/containers/delete" -> {
                running.remove(key);
                oomPending.remove(key);
                ContainerExit last = exits.remove(key);
                return List.of(new Change.Deleted(last, e.namespace(), cid));
            }
            default -> {
                // other topics (images, snapshots, task pause/resume) change nothing about exits
            }
        }
        return List.of();
    }

    /**
     * After a reconnect: tracked containers that were running before the gap and whose task is no longer running
     * exited while the watcher could not see it. Their exit code is unknown.
     */
    public List<Change> reconcile(Set<String> stillRunning, Instant now) {
        List<Change> out = new ArrayList<>();
        for (String key : List.copyOf(running)) {
            if (!stillRunning.contains(key) && !exits.containsKey(key)) {
                String[] nsId = key.split("/", 2);
                ContainerExit exit = new ContainerExit(nsId[0], nsId[1], null, now, false, "reconcile");
                exits.put(key, exit);
                running.remove(key);
                out.add(new Change.Exited(exit));
            }
        }
        return out;
    }

    public Map<String, ContainerExit> exits() {
        return Map.copyOf(exits);
    }

    public Set<String> running() {
        return Set.copyOf(running);
    }

    public long ignored() {
        return ignored;
    }

    public long duplicates() {
        return duplicates;
    }
}
