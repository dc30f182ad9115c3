package dev.lb.agent.cli;

/** Placeholder until the agent lands; exits non-zero so nothing mistakes it for a working agent. */
public final class AgentMain {
    private AgentMain() {
    }

    public static void main(String[] args) {
        System.err.println("lb-agent: not built yet");
        System.exit(2);
    }
}
