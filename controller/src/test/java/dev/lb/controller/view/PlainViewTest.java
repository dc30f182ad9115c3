package dev.lb.controller.view;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lb.controller.listener.DeliveryPath;
import dev.lb.controller.listener.Sighting;
import dev.lb.controller.state.RunState;
import dev.lb.controller.state.RunSummary;
import dev.lb.protocol.EventDecoder;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class PlainViewTest {
    private static final String LOG = "{\"host\":\"web-1\",\"workload\":\"cpu\",\"repetition\":1,\"status\":\"running\","
            + "\"type\":\"log\",\"src\":\"agent\",\"seq\":1,\"ts\":1.5,\"message\":\"warming up\"}";
    private static final String METRIC = "{\"host\":\"web-1\",\"workload\":\"cpu\",\"repetition\":1,\"status\":\"running\","
            + "\"type\":\"metric\",\"src\":\"agent\",\"seq\":%d,\"ts\":%d,\"metrics\":[{\"name\":\"cpu_user\",\"value\":12.5,"
            + "\"unit\":\"%%\"}]}";
    private static final String RESULT = "{\"host\":\"web-1\",\"workload\":\"cpu\",\"repetition\":1,\"status\":\"running\","
            + "\"type\":\"result\",\"src\":\"agent\",\"seq\":9,\"ts\":9,\"parser\":\"stress-ng\",\"message\":\"stress-ng: 4 metrics\","
            + "\"metrics\":[]}";

    private static Sighting sighting(String json) throws Exception {
        return new Sighting(EventDecoder.decode(json), DeliveryPath.STDOUT, 1000, "t", 1);
    }

    @Test
    void metricEventsAreCountedNotPrintedAndResultsArePrinted() throws Exception {
        StringWriter text = new StringWriter();
        PlainView view = new PlainView(new PrintWriter(text), false);
        RunState state = new RunState(List.of("web-1"), List.of("cpu"), 1);
        view.accepted(sighting(LOG), state);
        for (int i = 2; i <= 8; i++) {
            view.accepted(sighting(String.format(METRIC, i, i)), state);
        }
        view.accepted(sighting(RESULT), state);
        view.finished(RunSummary.empty("r1", "cfg", "done", state.snapshot()));
        List<String> lines = Arrays.asList(text.toString().split("\n"));
        assertEquals(List.of("web-1 cpu 1 INFO agent warming up", "web-1 cpu 1 result agent stress-ng: 4 metrics"),
                lines.stream().filter(l -> l.contains(" agent ")).map(l -> l.substring(l.indexOf(' ') + 1)).toList());
        assertEquals("(7 system metric events not printed: they are in the journal, and in --output json)",
                lines.get(lines.size() - 1));
    }
}
