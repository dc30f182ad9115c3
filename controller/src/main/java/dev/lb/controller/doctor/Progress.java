package dev.lb.controller.doctor;

import java.time.Duration;
import java.util.List;

/** What lb doctor -c is waiting for, while it waits: how many targets answered, and which have not yet. */
public interface Progress {
    Progress NONE = (answered, total, waiting, elapsed, limit) -> { };

    void update(int answered, int total, List<String> waiting, Duration elapsed, Duration limit);
}
