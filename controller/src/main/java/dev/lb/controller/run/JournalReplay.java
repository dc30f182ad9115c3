package dev.lb.controller.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lb.controller.listener.DeliveryPath;
import dev.lb.controller.listener.Sighting;
import dev.lb.controller.state.RunInfo;
import dev.lb.controller.state.RunState;
import dev.lb.controller.listener.RunListener;
import dev.lb.protocol.EventDecoder;
import dev.lb.protocol.InvalidEventException;
import dev.lb.protocol.Json;
import dev.lb.protocol.Utf8Lines;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

/**
 * Feeds a run's journal to a view as if the run were live: at the recorded pace (the gaps between receive times,
 * each capped at 2 s) or as fast as possible. The journal is the source of truth; nothing else is needed.
 */
public final class JournalReplay {
    private JournalReplay() {
    }

    /** Returns the number of unreadable records (each reported through {@code problems}). */
    public static long replay(Path journal, RunInfo info, RunState state, RunListener view, boolean recordedPace,
                              Consumer<String> problems) throws IOException, InterruptedException {
        long bad = 0;
        long line = 0;
        long previousReceived = -1;
        try (Utf8Lines r = new Utf8Lines(Files.newInputStream(journal))) {
            for (Utf8Lines.Line l; (l = r.next()) != null; ) {
                line = l.number();
                String text = l.text();
                if (l.replaced()) {
                    problems.accept(journal + ":" + line + ": not valid UTF-8; read with U+FFFD in place of the bad"
                            + " bytes");
                }
                Sighting s;
                try {
                    JsonNode rec = Json.MAPPER.readTree(text);
                    long received = Math.round(rec.path("received").asDouble() * 1000);
                    DeliveryPath path = switch (rec.path("path").asText()) {
                        case "jsonl" -> DeliveryPath.JSONL;
                        case "recovered" -> DeliveryPath.RECOVERED;
                        default -> DeliveryPath.STDOUT;
                    };
                    if (!(rec.get("event") instanceof ObjectNode event)) {
                        throw new IOException("no event object");
                    }
                    s = new Sighting(EventDecoder.decode(event), path, received, journal.getFileName().toString(), line);
                } catch (IOException | InvalidEventException e) {
                    bad++;
                    problems.accept(journal + ":" + line + ": unreadable record (" + e.getMessage() + "), skipped");
                    continue;
                }
                if (recordedPace && previousReceived > 0) {
                    Thread.sleep(Math.min(2000, Math.max(0, s.receivedMillis() - previousReceived)));
                }
                previousReceived = s.receivedMillis();
                state.accept(s.event(), s.receivedMillis());
                view.accepted(s, state);
            }
        }
        return bad;
    }

    public static RunInfo info(Path runDir, long startedMillis) {
        return new RunInfo(runDir.getFileName().toString(), "replay of " + runDir, runDir, List.of(), List.of(), 0,
                startedMillis);
    }
}
