package dev.lb.controller.run;

import dev.lb.controller.ingest.JournalReader;
import dev.lb.controller.listener.DeliveryPath;
import dev.lb.controller.listener.Sighting;
import dev.lb.controller.state.RunInfo;
import dev.lb.controller.state.RunState;
import dev.lb.controller.listener.RunListener;
import dev.lb.protocol.EventDecoder;
import dev.lb.protocol.InvalidEventException;
import java.io.IOException;
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
        long previousReceived = -1;
        try (JournalReader r = JournalReader.open(journal, problems)) {
            for (JournalReader.Record rec; (rec = r.next()) != null; ) {
                DeliveryPath path = switch (rec.path()) {
                    case "jsonl" -> DeliveryPath.JSONL;
                    case "recovered" -> DeliveryPath.RECOVERED;
                    default -> DeliveryPath.STDOUT;
                };
                Sighting s;
                try {
                    s = new Sighting(EventDecoder.decode(rec.event()), path, Math.round(rec.received() * 1000),
                            journal.getFileName().toString(), rec.line());
                } catch (InvalidEventException e) {
                    bad++;
                    problems.accept(journal + ":" + rec.line() + ": unreadable record (" + e.getMessage() + "), skipped");
                    continue;
                }
                if (recordedPace && previousReceived > 0) {
                    Thread.sleep(Math.min(2000, Math.max(0, s.receivedMillis() - previousReceived)));
                }
                previousReceived = s.receivedMillis();
                state.accept(s.event(), s.receivedMillis());
                view.accepted(s, state);
            }
            bad += r.unreadable();
        }
        return bad;
    }

    public static RunInfo info(Path runDir, long startedMillis) {
        return new RunInfo(runDir.getFileName().toString(), "replay of " + runDir, runDir, List.of(), List.of(), 0,
                startedMillis);
    }
}
