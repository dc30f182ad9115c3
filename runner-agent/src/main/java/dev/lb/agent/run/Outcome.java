package dev.lb.agent.run;

import dev.lb.agent.stream.StreamWriteFailure;
import dev.lb.protocol.EventStatus;
import java.time.Duration;

/** How a repetition ended: the final status, the workload's rc (null when it never ran or was stopped unexited). */
public record Outcome(EventStatus status, Integer rc, String errorType, String reason, Duration duration) {

    /**
     * The agent's own exit code: 0 done, 1 workload failed, 3 stopped, 4 timed out (the workload's --timeout or the
     * repetition's deadline), 5 the stream file could not be written (a full disk); 2 is for invalid input (see
     * AgentCommand); a repetition skipped because the earlier ones were stable is 0.
     */
    public int agentExitCode() {
        if (status == EventStatus.FAILED && StreamWriteFailure.ERROR_TYPE.equals(errorType)) {
            return 5;
        }
        return switch (status) {
            case DONE, SKIPPED -> 0;
            case STOPPED -> 3;
            case TIMEOUT -> 4;
            default -> 1;
        };
    }
}
