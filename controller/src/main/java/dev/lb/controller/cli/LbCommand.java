package dev.lb.controller.cli;

import dev.lb.controller.ExitCode;
import dev.lb.protocol.TerminalText;
import java.io.InputStream;
import java.io.PrintWriter;
import java.time.Clock;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code lb}: the top of the command tree. */
@Command(name = "lb", mixinStandardHelpOptions = true, versionProvider = LbCommand.Version.class,
        description = {
            "Runs benchmarks on many Linux hosts through Ansible and shows, live and without losing one, every"
                    + " event the hosts emit. Every event is journalled exactly once under runs/<run_id>/.",
            "",
            "Runs are under runs/ in the current directory, or $LB_RUNS_DIR, or --output-dir; a run is named by its"
                    + " id, its directory, or 'last' for the newest.",
            ""},
        subcommands = {RunCommand.class, RecoverCommand.class, RunsCommand.class, JournalCommand.class, DoctorCommand.class,
                EventsCommand.class, ResultsCommand.class, CompareCommand.class,
                ReportCommand.class, HistoryCommand.class, ExportCommand.class},
        footer = {"", "Exit codes: 0 ok, 1 some repetition failed or timed out, 2 usage/config/input error,", "3 events lost or completeness cannot be shown, 4 (lb compare, lb history check) a regression beyond",
            "--fail-on-regression, 130 interrupted."})
public final class LbCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required (see lb --help)");
    }

    /** The environment variable that says where runs are when no --output-dir is given. */
    public static final String RUNS_DIR_ENV = "LB_RUNS_DIR";
    static final String RUNS_DIR_HELP = "Where runs are (default: $LB_RUNS_DIR when set, else runs in the current"
            + " directory).";

    /** The command line as tests build it: streams passed in, and no environment (no LB_RUNS_DIR). */
    public static CommandLine commandLine(InputStream in, PrintWriter out, PrintWriter err) {
        return commandLine(in, out, err, java.util.Map.of());
    }

    /**
     * The command line with its streams and environment passed in, so tests run exactly what users run. From the
     * environment, {@value #RUNS_DIR_ENV} is the default of every command's {@code --output-dir}.
     */
    public static CommandLine commandLine(InputStream in, PrintWriter out, PrintWriter err,
                                          java.util.Map<String, String> env) {
        CommandLine cl = new CommandLine(new LbCommand(), new Factory(in));
        cl.setDefaultValueProvider(new EnvironmentDefaults(env));
        cl.setUsageHelpAutoWidth(true);
        cl.setOut(out);
        cl.setErr(err);
        // Error messages quote what the user or a target gave (a run id, a file name, a payload): made inert.
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            if (ex instanceof LbException lb) {
                // Line by line: a message of several lines (a config's problems, one per line) keeps its lines.
                commandLine.getErr().println("lb: " + String.join("\n", lb.getMessage().lines()
                        .map(TerminalText::sanitize).toList()));
                return lb.exitCode();
            }
            boolean debug = System.getenv("LB_DEBUG") != null;
            commandLine.getErr().println("lb: internal error: " + TerminalText.sanitize(ex.toString())
                    + (debug ? "" : " (set LB_DEBUG=1 for the stack trace)"));
            if (debug) {
                ex.printStackTrace(commandLine.getErr());
            }
            return ExitCode.FAILED;
        });
        cl.setParameterExceptionHandler((ex, args) -> {
            CommandLine c = ex.getCommandLine();
            c.getErr().println("lb: " + TerminalText.sanitize(ex.getMessage()));
            if (!CommandLine.UnmatchedArgumentException.printSuggestions(ex, c.getErr())) {
                c.getErr().println("see: " + c.getCommandSpec().qualifiedName() + " --help");
            }
            return ExitCode.USAGE;
        });
        cl.setExitCodeExceptionMapper(t -> t instanceof LbException lb ? lb.exitCode() : ExitCode.USAGE);
        return cl;
    }

    /**
     * Defaults that come from the environment: {@value #RUNS_DIR_ENV} for {@code --output-dir} (lb runs, journal,
     * results, compare, report, recover, doctor, and where lb run puts a run). Unset or empty: the option's own
     * default (runs/ in the current directory; for lb run the config's output_dir).
     */
    static final class EnvironmentDefaults implements CommandLine.IDefaultValueProvider {
        private final java.util.Map<String, String> env;

        EnvironmentDefaults(java.util.Map<String, String> env) {
            this.env = java.util.Map.copyOf(env);
        }

        @Override
        public String defaultValue(CommandLine.Model.ArgSpec arg) {
            if (arg instanceof CommandLine.Model.OptionSpec o && o.longestName().equals("--output-dir")) {
                String dir = env.get(RUNS_DIR_ENV);
                return dir == null || dir.isBlank() ? null : dir;
            }
            if (arg instanceof CommandLine.Model.OptionSpec o && o.longestName().equals("--history-url")) {
                String url = env.get(dev.lb.history.store.StoreLocation.ENV);
                return url == null || url.isBlank() ? null : url;
            }
            return null;
        }
    }

    /** Gives commands the process's stdin without reaching for {@code System.in} themselves. */
    static final class Factory implements CommandLine.IFactory {
        private final InputStream in;

        Factory(InputStream in) {
            this.in = in;
        }

        @Override
        public <K> K create(Class<K> cls) throws Exception {
            if (cls == EventsParseCommand.class) {
                return cls.cast(new EventsParseCommand(in));
            }
            if (cls == ReportCommand.class) {
                return cls.cast(new ReportCommand(Clock.systemUTC()));
            }
            return CommandLine.defaultFactory().create(cls);
        }
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"lb " + dev.lb.protocol.BuildInfo.describe()};
        }
    }
}
