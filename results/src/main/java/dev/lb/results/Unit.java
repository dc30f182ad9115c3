package dev.lb.results;

import java.util.Optional;

/**
 * The one fixed list of units a result or metric may carry. Rates and sizes are additive across hosts (a fleet's
 * throughput is the sum of its hosts'); the direction says which way a change is an improvement.
 */
public enum Unit {
    COUNT("count", Direction.NONE, false),
    OPS("ops", Direction.NONE, true),
    EVENTS("events", Direction.NONE, true),
    OPS_PER_S("ops/s", Direction.HIGHER_IS_BETTER, true),
    EVENTS_PER_S("events/s", Direction.HIGHER_IS_BETTER, true),
    NS("ns", Direction.LOWER_IS_BETTER, false),
    US("us", Direction.LOWER_IS_BETTER, false),
    MS("ms", Direction.LOWER_IS_BETTER, false),
    S("s", Direction.LOWER_IS_BETTER, false),
    B("B", Direction.NONE, true),
    KIB("KiB", Direction.NONE, true),
    MIB("MiB", Direction.NONE, true),
    GIB("GiB", Direction.NONE, true),
    B_PER_S("B/s", Direction.HIGHER_IS_BETTER, true),
    KIB_PER_S("KiB/s", Direction.HIGHER_IS_BETTER, true),
    MIB_PER_S("MiB/s", Direction.HIGHER_IS_BETTER, true),
    GIB_PER_S("GiB/s", Direction.HIGHER_IS_BETTER, true),
    PERCENT("%", Direction.NONE, false),
    MHZ("MHz", Direction.NONE, false);

    /** Which way a change of a metric in this unit is an improvement, when the unit alone says so. */
    public enum Direction { HIGHER_IS_BETTER, LOWER_IS_BETTER, NONE }

    private final String symbol;
    private final Direction direction;
    private final boolean additive;

    Unit(String symbol, Direction direction, boolean additive) {
        this.symbol = symbol;
        this.direction = direction;
        this.additive = additive;
    }

    /** As written in events, results.json and tables: {@code ops/s}, {@code MiB}, {@code %}. */
    public String symbol() {
        return symbol;
    }

    public Direction direction() {
        return direction;
    }

    /** Whether the fleet's value is the sum of the hosts' values (throughput, bytes, operations). */
    public boolean additive() {
        return additive;
    }

    /** The unit written as {@code symbol}, exactly (units are case-sensitive: {@code MB} is not {@code MiB}). */
    public static Optional<Unit> of(String symbol) {
        for (Unit u : values()) {
            if (u.symbol.equals(symbol)) {
                return Optional.of(u);
            }
        }
        return Optional.empty();
    }
}
