package dev.lb.controller.listener;

import dev.lb.controller.ansible.AnsibleProgress;
import dev.lb.controller.state.RunInfo;
import dev.lb.controller.state.RunState;
import dev.lb.controller.state.RunSummary;

/** Two listeners hearing the same run, in order (the view first, then the export stage). */
public final class RunListeners {
    private RunListeners() {
    }

    public static RunListener both(RunListener first, RunListener second) {
        return new RunListener() {
            @Override
            public void started(RunInfo info) {
                first.started(info);
                second.started(info);
            }

            @Override
            public void accepted(Sighting sighting, RunState state) {
                first.accepted(sighting, state);
                second.accepted(sighting, state);
            }

            @Override
            public void rejected(Rejection rejection) {
                first.rejected(rejection);
                second.rejected(rejection);
            }

            @Override
            public void stats(IngestStats stats) {
                first.stats(stats);
                second.stats(stats);
            }

            @Override
            public void progress(AnsibleProgress.Snapshot progress) {
                first.progress(progress);
                second.progress(progress);
            }

            @Override
            public void notice(String message) {
                first.notice(message);
                second.notice(message);
            }

            @Override
            public void finished(RunSummary summary) {
                first.finished(summary);
                second.finished(summary);
            }
        };
    }
}
