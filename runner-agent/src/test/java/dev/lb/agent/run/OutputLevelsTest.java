package dev.lb.agent.run;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lb.protocol.EventLevel;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** stress-ng's report on stderr is read by its tags; every other output keeps its stream's level. */
class OutputLevelsTest {
    private static final WorkloadSpec STRESS_NG = new WorkloadSpec.Tool("stress-ng", "stress-ng", List.of(),
            Path.of("r.yaml"), Path.of("."), Map.of());

    @Test
    void stressNgsOwnLinesOnStderrTakeTheLevelOfTheirTag() {
        var level = OutputLevels.of(STRESS_NG, true);
        assertEquals(EventLevel.INFO, level.apply("stress-ng: info:  [17576] dispatching hogs: 1 cpu"));
        assertEquals(EventLevel.INFO, level.apply("stress-ng: metrc: [17576] cpu   1699  1.00  0.99  0.00  1697.26"));
        assertEquals(EventLevel.DEBUG, level.apply("stress-ng: debug: [17576] cache allocate: size 1024K"));
        assertEquals(EventLevel.WARNING, level.apply("stress-ng: warn:  [17576] unknown cpu method"));
        assertEquals(EventLevel.ERROR, level.apply("stress-ng: fail:  [17576] cpu: matrix failed"));
        assertEquals(EventLevel.ERROR, level.apply("stress-ng: error: [17576] no stressor"));
    }

    @Test
    void anUntaggedLineKeepsItsStreamsLevel() {
        assertEquals(EventLevel.WARNING, OutputLevels.of(STRESS_NG, true).apply("Segmentation fault"));
        assertEquals(EventLevel.WARNING, OutputLevels.of(STRESS_NG, true).apply("xstress-ng: info: not at the start"));
        assertEquals(EventLevel.INFO, OutputLevels.of(STRESS_NG, false).apply("anything"));
    }

    @Test
    void otherWorkloadsAreLevelledByStreamWhateverTheyPrint() {
        WorkloadSpec cmd = new WorkloadSpec.Command(List.of("sh"), Path.of("."), Map.of(),
                ResultSource.Command.timedOnly());
        assertEquals(EventLevel.WARNING, OutputLevels.of(cmd, true).apply("stress-ng: info:  [1] printed by a script"));
        assertEquals(EventLevel.INFO, OutputLevels.of(cmd, false).apply("stress-ng: fail:  [1] printed by a script"));
    }
}
