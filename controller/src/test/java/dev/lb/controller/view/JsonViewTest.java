package dev.lb.controller.view;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lb.controller.listener.DeliveryPath;
import dev.lb.controller.listener.Sighting;
import dev.lb.controller.state.RunState;
import dev.lb.controller.state.RunSummary;
import dev.lb.protocol.EventDecoder;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

class JsonViewTest {
    @Test
    void everyEventIsALineMetricEventsIncluded() throws Exception {
        List<String> events = List.of(
                "{\"host\":\"web-1\",\"workload\":\"cpu\",\"repetition\":1,\"status\":\"running\",\"type\":\"metric\","
                        + "\"src\":\"agent\",\"seq\":1,\"ts\":1,\"metrics\":[{\"name\":\"mem_used\",\"value\":1234.5,\"unit\":\"MiB\"}]}",
                "{\"host\":\"web-1\",\"workload\":\"cpu\",\"repetition\":1,\"status\":\"running\",\"type\":\"result\","
                        + "\"src\":\"agent\",\"seq\":2,\"ts\":2,\"message\":\"stress-ng: 0 metrics\",\"metrics\":[]}",
                "{\"host\":\"web-1\",\"workload\":\"cpu\",\"repetition\":1,\"status\":\"done\",\"src\":\"agent\",\"seq\":3,"
                        + "\"ts\":3}");
        StringWriter out = new StringWriter();
        JsonView view = new JsonView(new PrintWriter(out), new PrintWriter(new StringWriter()));
        RunState state = new RunState(List.of("web-1"), List.of("cpu"), 1);
        for (String e : events) {
            view.accepted(new Sighting(EventDecoder.decode(e), DeliveryPath.JSONL, 1000, "t", 1), state);
        }
        view.finished(RunSummary.empty("r1", "cfg", "done", state.snapshot()));
        assertEquals(String.join("\n", events) + "\n", out.toString());
    }
}
