package dev.lb.controller.doctor;

import java.time.Duration;
import java.util.List;

/**
 * What lb doctor -c is waiting for, while it waits: how many targets answered, how many were given up (silent for
 * {@code limit}), and which are still awaited.
 */
public interface Progress {
    Progress NONE = (answered, givenUp, total, waiting, elapsed, limit) -> { };

    void update(int answered, int givenUp, int total, List<String> waiting, Duration elapsed, Duration limit);
}
