package dev.lb.controller.cli;

import dev.lb.controller.ExitCode;
import dev.lb.controller.config.ConfigException;
import dev.lb.controller.config.ConfigLoader;
import dev.lb.controller.config.RunConfig;
import dev.lb.history.store.HistoryStoreException;
import dev.lb.history.store.StoreLocation;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * Which history store a command reads, one order for every command that reads one ({@code lb history ...}, {@code
 * lb report}): {@code --history-url}, else LB_HISTORY_URL (the option's default from the environment, see
 * {@link LbCommand.EnvironmentDefaults}), else the config's {@code history.url} (with {@code -c}), else history.db
 * where the runs are. For lb history, the config's {@code output_dir} says where the runs are, as for lb run, unless
 * {@code --output-dir} (or LB_RUNS_DIR) says it; for lb report, history.db is beside the run's directory.
 */
final class HistoryStoreChoice {
    @Option(names = "--history-url", paramLabel = "URL",
            description = "The history store: a file path (SQLite) or postgresql://user@host:port/db (default:"
                    + " $LB_HISTORY_URL when set, else the config's history.url with -c, else history.db where the"
                    + " runs are). A PostgreSQL password comes from PGPASSWORD or ~/.pgpass.")
    String url;

    @Option(names = {"-c", "--config"}, paramLabel = "FILE",
            description = "A run config (YAML): its history.url chooses the store unless --history-url or"
                    + " LB_HISTORY_URL does; for lb history its output_dir says where the runs are, as lb run reads"
                    + " it, unless --output-dir or LB_RUNS_DIR does.")
    Path configFile;

    private RunConfig config;

    /** The config given with -c (read once; its problems are a usage error, one per line), or null. */
    RunConfig config() {
        if (configFile != null && config == null) {
            try {
                config = ConfigLoader.load(configFile);
            } catch (ConfigException e) {
                throw new LbException(ExitCode.USAGE, e.getMessage());
            }
        }
        return config;
    }

    /** Where the runs are: {@code outputDir} when given (or LB_RUNS_DIR), else the config's output_dir, else runs. */
    Path runsDir(Path outputDir) {
        if (outputDir != null) {
            return outputDir;
        }
        RunConfig c = config();
        return c != null ? c.outputDir() : Path.of("runs");
    }

    /** The store, with the setting that chose it; {@code runsDir} is where history.db is when nothing else says. */
    StoreLocation location(Path runsDir) {
        RunConfig c = config();
        try {
            StoreLocation l = StoreLocation.select(url, Map.of(), c == null ? null : c.history().url(), runsDir);
            return url != null ? new StoreLocation(l.jdbcUrl(), l.sqliteFile(), l.shown(),
                    "--history-url or " + StoreLocation.ENV) : l;
        } catch (HistoryStoreException e) {
            throw new LbException(ExitCode.USAGE, e.getMessage());
        }
    }
}
