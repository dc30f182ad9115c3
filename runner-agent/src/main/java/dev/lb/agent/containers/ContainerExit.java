package dev.lb.agent.containers;

import java.time.Instant;

/**
 * A tracked container's exit. {@code exitCode} is null when it is not known (it exited while the watcher was not
 * connected and containerd no longer had its status): reported as unknown, never invented.
 */
public record ContainerExit(String namespace, String containerId, Integer exitCode, Instant exitedAt, boolean oom,
                            String source) {
    public String key() {
        return namespace + "/" + containerId;
    }
}
