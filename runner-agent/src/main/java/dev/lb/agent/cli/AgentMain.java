package dev.lb.agent.cli;

import picocli.CommandLine;

/** Builds the command line, runs it, exits with its code. */
public final class AgentMain {
    private AgentMain() {
    }

    public static void main(String[] args) {
        CommandLine cl = AgentCommand.commandLine();
        int code = cl.execute(args);
        System.exit(code);
    }
}
