package dev.lb.bench;

import dev.lb.controller.ingest.Deduplicator;
import dev.lb.controller.ingest.DeliveryPath;
import dev.lb.controller.ingest.Ingest;
import dev.lb.controller.ingest.Journal;
import dev.lb.controller.ingest.Sighting;
import dev.lb.controller.state.RunInfo;
import dev.lb.controller.state.RunState;
import dev.lb.controller.state.RunSummary;
import dev.lb.controller.view.RunListener;
import dev.lb.controller.view.TuiView;
import dev.lb.protocol.Event;
import dev.lb.protocol.EventDecoder;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jline.terminal.Size;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;

/**
 * 100,000 events as fast as ingest takes them, journal included: with no view and with the dashboard drawing to a
 * 160x50 virtual xterm, alternating, best of five rounds each (a 2-core machine is noisy). Reports both rates, the
 * slowdown, and the frames per second drawn.
 */
final class DashboardBench {
    private static final int EVENTS = 100_000;
    private static final int ROUNDS = 5;

    private DashboardBench() {
    }

    public static void main(String[] args) throws Exception {
        List<Event> events = new ArrayList<>(EVENTS);
        for (int i = 1; i <= EVENTS; i++) {
            events.add(EventDecoder.decode("{\"run_id\":\"b\",\"host\":\"web-" + (i % 8) + "\",\"workload\":\"cpu\","
                    + "\"repetition\":1,\"total_repetitions\":3,\"status\":\"running\",\"type\":\"log\",\"src\":\"agent\","
                    + "\"seq\":" + i + ",\"ts\":1760000000." + (i % 1000) + ",\"message\":\"stress-ng: info: line " + i + "\"}"));
        }
        Path work = Files.createTempDirectory("lb-dashboard-bench");
        double bestNone = 0;
        double bestTui = 0;
        double fps = 0;
        for (int round = 0; round < ROUNDS; round++) {
            bestNone = Math.max(bestNone, run(events, work.resolve("none" + round), null));
            double[] tui = new double[1];
            bestTui = Math.max(bestTui, run(events, work.resolve("tui" + round), tui));
            fps = Math.max(fps, tui[0]);
        }
        double slowdown = 100.0 * (bestNone - bestTui) / bestNone;
        String json = String.format("{\"bench\":\"dashboard\",\"events\":%d,\"ingest_no_view_per_s\":%.0f,"
                + "\"ingest_with_dashboard_per_s\":%.0f,\"slowdown_percent\":%.1f,\"frames_per_s\":%.1f,\"frame_cap\":15}%n",
                EVENTS, bestNone, bestTui, slowdown, fps);
        Path out = Path.of("bench/results/dashboard.json");
        Files.createDirectories(out.getParent());
        Files.writeString(out, json);
        System.out.printf("dashboard: ingest %,.0f events/s without a view, %,.0f with the dashboard (%.1f %% slower;"
                + " target <= 10 %%); %.1f frames/s drawn (cap 15)%n", bestNone, bestTui, slowdown, fps);
    }

    /** Events per second through ingest into the journal; fills fps[0] with the dashboard's frame rate. */
    private static double run(List<Event> events, Path dir, double[] fps) throws Exception {
        Files.createDirectories(dir);
        RunListener view = RunListener.NONE;
        TuiView tui = null;
        if (fps != null) {
            // Keys never come: an input that blocks, as a terminal nobody types on.
            PipedOutputStream keys = new PipedOutputStream();
            Terminal terminal = TerminalBuilder.builder().system(false).type("xterm-256color")
                    .streams(new PipedInputStream(keys), OutputStream.nullOutputStream())
                    .size(new Size(160, 50)).build();
            tui = new TuiView(terminal, new PrintWriter(OutputStream.nullOutputStream()), 2000, 15, 10_000, false, () -> { });
            view = tui;
            tui.started(new RunInfo("bench", "bench", dir, List.of(), List.of("cpu"), 3, System.currentTimeMillis()));
        }
        Ingest ingest = new Ingest(new Deduplicator(200_000), Journal.create(dir), new RunState(List.of(), List.of(), 3), view);
        ingest.start();
        long t0 = System.nanoTime();
        long i = 0;
        for (Event e : events) {
            ingest.submit(new Sighting(e, DeliveryPath.STDOUT, System.currentTimeMillis(), "bench", ++i));
        }
        ingest.finish(60, TimeUnit.SECONDS);
        double rate = events.size() / ((System.nanoTime() - t0) / 1e9);
        if (tui != null) {
            Thread.sleep(300); // at least a few frames at the cap even when ingest was very fast
            fps[0] = tui.framesPerSecond();
            tui.finished(new RunSummary("bench", "bench", "done", 0, null, 0, 0, 0, List.of(),
                    new RunSummary.Events(0, 0, 0, 0, 0, 0, 0), Map.of(), List.of(), List.of(),
                    new RunSummary.Transport(0, 0, 0, 0, 0, List.of(), null)));
        }
        return rate;
    }
}
