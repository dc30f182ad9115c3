package dev.lb.controller.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code lb events}: tools for LB_EVENT streams. */
@Command(name = "events", mixinStandardHelpOptions = true,
        description = "Work with LB_EVENT streams: Ansible output, stream files, journals.",
        subcommands = {EventsParseCommand.class})
final class EventsCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is required (see lb events --help)");
    }
}
