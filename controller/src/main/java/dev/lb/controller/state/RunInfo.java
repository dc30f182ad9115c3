package dev.lb.controller.state;

import java.nio.file.Path;
import java.util.List;

/** What a run is, for the views' headers. */
public record RunInfo(String runId, String configName, Path runDir, List<String> hosts, List<String> workloads,
                      int repetitions, long startedMillis) {
}
