package dev.lb.controller.run;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code run.json}: what a run is, written when it starts, so that {@code lb recover} can finish it after the
 * controller died: the plan (hosts, workloads, repetitions), the attempt token that names the targets' directories,
 * and the inventory and extra-vars files the playbooks ran with. {@code limit}: the {@code lb run --limit} pattern that
 * chose {@code hosts} from the inventory, or null.
 */
public record RunRecord(String runId, String config, String attempt, long startedMillis, List<String> hosts,
                        List<String> workloads, int repetitions, String inventory, String vars, boolean testTargets,
                        String limit) {
    public static final String FILE = "run.json";
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    public RunRecord(String runId, String config, String attempt, long startedMillis, List<String> hosts,
                     List<String> workloads, int repetitions, String inventory, String vars, boolean testTargets) {
        this(runId, config, attempt, startedMillis, hosts, workloads, repetitions, inventory, vars, testTargets, null);
    }

    public void write(Path runDir) throws IOException {
        MAPPER.writeValue(runDir.resolve(FILE).toFile(), this);
    }

    public static RunRecord read(Path runDir) throws IOException {
        return MAPPER.readValue(runDir.resolve(FILE).toFile(), RunRecord.class);
    }
}
