package dev.lb.controller.listener;

import dev.lb.controller.ansible.AnsibleProgress;
import dev.lb.controller.state.RunInfo;
import dev.lb.controller.state.RunState;
import dev.lb.controller.state.RunSummary;

/**
 * What a view hears about a run. Called from the ingest thread: implementations must be fast and must not throw
 * (a view that cannot keep up drops display lines, never events: the journal has them). Every {@link #started}
 * is followed by {@link #finished}.
 */
public interface RunListener {
    RunListener NONE = new RunListener() {
    };

    default void started(RunInfo info) {
    }

    /** An event journalled for the first time. */
    default void accepted(Sighting sighting, RunState state) {
    }

    default void rejected(Rejection rejection) {
    }

    /** Ingest's counters, at most every 200 ms while events flow, and once at the end. */
    default void stats(IngestStats stats) {
    }

    /** Ansible's progress: the current task, the polling loop. */
    default void progress(AnsibleProgress.Snapshot progress) {
    }

    /** Something the user should know that is not an event: a warning, a stop request, a read error. */
    default void notice(String message) {
    }

    default void finished(RunSummary summary) {
    }
}
