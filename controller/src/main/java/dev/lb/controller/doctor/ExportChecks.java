package dev.lb.controller.doctor;

import dev.lb.controller.config.RunConfig;
import dev.lb.controller.export.EndpointProbe;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** {@code lb doctor -c}: each export endpoint of the config answers as its kind should. */
public final class ExportChecks {
    private ExportChecks() {
    }

    public static List<Check> run(RunConfig.Export export, Duration timeout) {
        List<Check> checks = new ArrayList<>();
        for (RunConfig.Endpoint e : export.endpoints()) {
            String problem = EndpointProbe.problem(e, timeout);
            checks.add(problem == null ? Check.ok("export " + e.kind(), e.url() + " answers")
                    : Check.fail("export " + e.kind(), e.url() + ": " + problem, "start the endpoint or correct its"
                    + " URL under export: (a run would only count what it drops there: its events and exit code are"
                    + " not affected)"));
        }
        return checks;
    }
}
