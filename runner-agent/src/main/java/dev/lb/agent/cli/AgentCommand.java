package dev.lb.agent.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code lb-agent}: runs on a target, started by the lb Ansible role. */
@Command(name = "lb-agent", mixinStandardHelpOptions = true, versionProvider = AgentCommand.Version.class,
        description = {
            "The lb agent: runs on a target host, started by the workload_runner Ansible role. It runs one"
                    + " repetition of a workload and writes every event (its status, each output line, k6's log)"
                    + " to the run's event stream file as LB_EVENT lines.",
            ""},
        subcommands = {RunCommand.class, ContainerEventsCommand.class, SysinfoCommand.class},
        footer = {"", "Exit codes: 0 done, 1 the workload failed, 2 invalid input, 3 stopped, 4 timed out, 5 the event"
                + " stream file could not be written (e.g. the disk is full; the workload was stopped, status.json"
                + " says how many events were written whole)."})
public final class AgentCommand implements Runnable {
    public static final int DONE = 0;
    public static final int FAILED = 1;
    public static final int INVALID = 2;
    public static final int STOPPED = 3;
    public static final int TIMEOUT = 4;
    /** The stream file could not be written (ENOSPC, EIO): the workload was stopped; see StreamWriteFailure. */
    public static final int STREAM_WRITE_FAILED = 5;

    @Spec
    CommandSpec spec;

    /** The build's version and commit: the same as the controller's when both came from one ./lb build. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"lb-agent " + dev.lb.protocol.BuildInfo.describe()};
        }
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required (see lb-agent --help)");
    }

    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new AgentCommand());
        cl.setUsageHelpAutoWidth(true);
        cl.setParameterExceptionHandler(RunCommand::onInvalidArguments);
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            commandLine.getErr().println("lb-agent: " + ex.getMessage());
            return ex instanceof InvalidInputException ? INVALID : FAILED;
        });
        return cl;
    }
}
