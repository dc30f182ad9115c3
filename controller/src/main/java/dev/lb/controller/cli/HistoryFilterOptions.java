package dev.lb.controller.cli;

import dev.lb.controller.ExitCode;
import dev.lb.history.query.SeriesFilter;
import dev.lb.history.record.RunLabels;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/** Which series and runs: {@code --host --workload --metric --label key=value --since}. */
final class HistoryFilterOptions {
    @Option(names = "--host", paramLabel = "ALIAS", description = "Only this host's series.")
    String host;

    @Option(names = "--workload", paramLabel = "NAME", description = "Only this workload's series.")
    String workload;

    @Option(names = "--metric", paramLabel = "NAME", description = "Only this metric's series.")
    String metric;

    @Option(names = "--label", paramLabel = "KEY=VALUE", description = "Only runs with this label (repeatable).")
    List<String> labels = List.of();

    @Option(names = "--since", paramLabel = "WHEN",
            description = "Only runs started since: a date (2026-12-01), an instant (2026-12-01T08:00:00Z) or an age"
                    + " (7d, 12h).")
    String since;

    SeriesFilter filter(Clock clock) {
        Map<String, String> l = new LinkedHashMap<>();
        for (String text : labels) {
            try {
                var e = RunLabels.parse(text);
                l.put(e.getKey(), e.getValue());
            } catch (IllegalArgumentException ex) {
                throw new LbException(ExitCode.USAGE, "--label: " + ex.getMessage());
            }
        }
        return new SeriesFilter(host, workload, metric, l, since == null ? null : since(since, clock));
    }

    static double since(String text, Clock clock) {
        try {
            if (text.matches("\\d+[dhm]")) {
                long n = Long.parseLong(text.substring(0, text.length() - 1));
                Duration d = switch (text.charAt(text.length() - 1)) {
                    case 'd' -> Duration.ofDays(n);
                    case 'h' -> Duration.ofHours(n);
                    default -> Duration.ofMinutes(n);
                };
                return clock.instant().minus(d).toEpochMilli() / 1000.0;
            }
            if (text.matches("\\d{4}-\\d{2}-\\d{2}")) {
                return LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toEpochSecond();
            }
            return Instant.parse(text).toEpochMilli() / 1000.0;
        } catch (DateTimeParseException | NumberFormatException e) {
            throw new LbException(ExitCode.USAGE, "--since takes a date (2026-12-01), an instant"
                    + " (2026-12-01T08:00:00Z) or an age (7d, 12h, 30m), not '" + text + "'");
        }
    }
}
