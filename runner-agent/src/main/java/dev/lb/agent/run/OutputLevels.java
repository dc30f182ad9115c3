package dev.lb.agent.run;

import dev.lb.protocol.EventLevel;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The level of a workload's output line. By default the stream decides (stderr is WARNING), but stress-ng writes its
 * whole normal report to stderr, each line tagged with what it is ({@code stress-ng: info:  [pid] ...}): its lines
 * take their level from the tag, so a clean run is not shown as a page of warnings. An untagged line keeps the
 * stream's level.
 */
final class OutputLevels {
    private static final Pattern STRESS_NG_TAG = Pattern.compile("^stress-ng: (info|metrc|debug|warn|fail|error):");

    private OutputLevels() {
    }

    static Function<String, EventLevel> of(WorkloadSpec spec, boolean stderr) {
        EventLevel byStream = stderr ? EventLevel.WARNING : EventLevel.INFO;
        if (spec instanceof WorkloadSpec.Tool t && t.tool().equals("stress-ng")) {
            return line -> stressNg(line, byStream);
        }
        return line -> byStream;
    }

    static EventLevel stressNg(String line, EventLevel otherwise) {
        Matcher m = STRESS_NG_TAG.matcher(line);
        if (!m.find()) {
            return otherwise;
        }
        return switch (m.group(1)) {
            case "info", "metrc" -> EventLevel.INFO;
            case "debug" -> EventLevel.DEBUG;
            case "warn" -> EventLevel.WARNING;
            default -> EventLevel.ERROR;
        };
    }
}
