package dev.lb.agent.containers;

import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Which containers are watched: by namespace, by id pattern, or by an explicit namespace/id list. A container
 * matches when any given criterion matches; with no criterion at all, nothing is tracked.
 */
public record TrackFilter(Set<String> namespaces, Pattern idPattern, Set<String> explicit) {
    public boolean tracks(String namespace, String id) {
        return namespaces.contains(namespace)
                || (idPattern != null && idPattern.matcher(id).matches())
                || explicit.contains(namespace + "/" + id);
    }

    public List<String> namespacesToReconcile() {
        return namespaces.isEmpty() ? List.of("default") : List.copyOf(namespaces);
    }
}
