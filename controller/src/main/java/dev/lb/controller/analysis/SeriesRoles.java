package dev.lb.controller.analysis;

import dev.lb.results.ResultParsers;
import dev.lb.results.Unit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What each series of a run is for, as the parsers' registry says ({@link ResultParsers}): which way a change is an
 * improvement, and whether it is its workload's primary metric, the one {@code lb compare} gives a verdict on. Built
 * from the metrics in the order the result events gave them, with the parser each event named.
 */
public record SeriesRoles(Map<RunResults.SeriesKey, Role> roles) {
    /** A series' parser (null: none named), its direction, and whether it is its workload's primary metric. */
    public record Role(String parser, Unit.Direction direction, boolean primary) {
    }

    public SeriesRoles {
        roles = Map.copyOf(roles);
    }

    /** A series this run does not know (only the other run of a comparison has it): its unit's direction. */
    public Role of(RunResults.SeriesKey series) {
        Role r = roles.get(series);
        return r != null ? r : new Role(null, unitDirection(series), false);
    }

    /** These roles, with {@code other}'s for the series these lack (a comparison takes the base run's first). */
    public SeriesRoles orElse(SeriesRoles other) {
        Map<RunResults.SeriesKey, Role> merged = new LinkedHashMap<>(other.roles);
        merged.putAll(roles);
        return new SeriesRoles(merged);
    }

    /**
     * {@code emitted}: per workload, its series in the order the results gave them (each once), with the parser that
     * read each. The workload's primary is chosen by its tool's parser if one read any of its metrics, else by the
     * command-workload rule (first declared metric, else {@code wall_time} in seconds).
     */
    public static SeriesRoles of(Map<String, List<Emitted>> emitted) {
        Map<RunResults.SeriesKey, Role> out = new LinkedHashMap<>();
        emitted.forEach((workload, series) -> {
            String parser = series.stream().map(Emitted::parser)
                    .filter(p -> p != null && ResultParsers.named(p).isPresent()).findFirst()
                    .orElse(series.stream().map(Emitted::parser).filter(Objects::nonNull).findFirst().orElse(null));
            List<Emitted> read = series.stream().filter(e -> Objects.equals(e.parser(), parser)
                    || e.series().metric().equals(dev.lb.results.WallTime.METRIC)).toList();
            Optional<RunResults.SeriesKey> primary = ResultParsers.primary(parser,
                    read.stream().map(e -> e.series().metric()).toList())
                    .flatMap(name -> read.stream().map(Emitted::series).filter(s -> s.metric().equals(name))
                            .findFirst())
                    .filter(s -> !s.metric().equals(dev.lb.results.WallTime.METRIC) || s.unit().equals(Unit.S.symbol()));
            for (Emitted e : series) {
                out.put(e.series(), new Role(e.parser(), direction(e), primary.filter(e.series()::equals).isPresent()));
            }
        });
        return new SeriesRoles(out);
    }

    /** One series as a result event gave it, with the parser the event named. */
    public record Emitted(RunResults.SeriesKey series, String parser) {
    }

    private static Unit.Direction direction(Emitted e) {
        return e.series().knownUnit().map(u -> ResultParsers.direction(e.parser(), e.series().metric(), u))
                .orElse(Unit.Direction.NONE);
    }

    private static Unit.Direction unitDirection(RunResults.SeriesKey s) {
        return s.knownUnit().map(Unit::direction).orElse(Unit.Direction.NONE);
    }

    /** The direction as results.json and lb compare write it: {@code higher_is_better}, {@code none}. */
    public static String label(Unit.Direction d) {
        return d.name().toLowerCase(java.util.Locale.ROOT);
    }

    /** Adds {@code key} to its workload's list unless it is there already (the first repetition's order stands). */
    static void add(Map<String, List<Emitted>> emitted, RunResults.SeriesKey key, String parser) {
        List<Emitted> list = emitted.computeIfAbsent(key.workload(), w -> new ArrayList<>());
        if (list.stream().noneMatch(e -> e.series().equals(key))) {
            list.add(new Emitted(key, parser));
        }
    }
}
