package dev.lb.bench;

import dev.lb.controller.ingest.Deduplicator;
import dev.lb.controller.listener.DeliveryPath;
import dev.lb.controller.ingest.Ingest;
import dev.lb.controller.ingest.Journal;
import dev.lb.controller.listener.Sighting;
import dev.lb.controller.state.RunInfo;
import dev.lb.controller.state.RunState;
import dev.lb.controller.state.RunSummary;
import dev.lb.controller.listener.RunListener;
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
import java.util.concurrent.TimeUnit;
import org.jline.terminal.Size;
import org.jline.terminal.Terminal;
import org.jline.terminal.impl.ExternalTerminal;

/**
 * 100,000 events as fast as ingest takes them, journal included: with no view and with the dashboard drawing to a
 * 160x50 virtual xterm. Nine paired rounds, the order alternating; the figure is the median of the per-round
 * slowdowns, with their range: single runs on a 2-core machine vary by tens of percent either way.
 */
final class DashboardBench {
    private static final int EVENTS = 100_000;
    private static final int ROUNDS = 9;

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
        double[] slowdowns = new double[ROUNDS];
        double[] none = new double[ROUNDS];
        double[] tui = new double[ROUNDS];
        double fps = 0;
        for (int round = 0; round < ROUNDS + 1; round++) {
            double[] f = new double[1];
            double a;
            double b;
            if (round % 2 == 0) {
                a = run(events, work.resolve("none" + round), null);
                b = run(events, work.resolve("tui" + round), f);
            } else {
                b = run(events, work.resolve("tui" + round), f);
                a = run(events, work.resolve("none" + round), null);
            }
            if (round == 0) {
                continue; // warm-up
            }
            none[round - 1] = a;
            tui[round - 1] = b;
            slowdowns[round - 1] = 100.0 * (a - b) / a;
            fps = Math.max(fps, f[0]);
        }
        double median = median(slowdowns);
        double min = java.util.Arrays.stream(slowdowns).min().orElse(0);
        double max = java.util.Arrays.stream(slowdowns).max().orElse(0);
        String json = String.format("{\"bench\":\"dashboard\",\"events\":%d,\"rounds\":%d,\"ingest_no_view_median_per_s\":%.0f,"
                + "\"ingest_with_dashboard_median_per_s\":%.0f,\"slowdown_median_percent\":%.1f,\"slowdown_min_percent\":%.1f,"
                + "\"slowdown_max_percent\":%.1f,\"max_frames_per_s\":%.1f,\"frame_cap\":15}%n",
                EVENTS, ROUNDS, median(none), median(tui), median, min, max, fps);
        Path out = Path.of("bench/results/dashboard.json");
        Files.createDirectories(out.getParent());
        Files.writeString(out, json);
        System.out.printf("dashboard: median ingest %,.0f events/s without a view, %,.0f with the dashboard; median"
                + " slowdown %.1f %% (range %.1f to %.1f over %d rounds; target <= 10 %%); at most %.1f frames/s drawn"
                + " (cap 15)%n", median(none), median(tui), median, min, max, ROUNDS, fps);
    }

    private static double median(double[] values) {
        double[] v = values.clone();
        java.util.Arrays.sort(v);
        return v[v.length / 2];
    }

    /** Events per second through ingest into the journal; fills fps[0] with the dashboard's frame rate. */
    private static double run(List<Event> events, Path dir, double[] fps) throws Exception {
        Files.createDirectories(dir);
        RunListener view = RunListener.NONE;
        TuiView tui = null;
        if (fps != null) {
            // Keys never come: an input that blocks, as a terminal nobody types on.
            PipedOutputStream keys = new PipedOutputStream();
            // ExternalTerminal writes straight to the stream, as a real terminal's fd: a pty-backed virtual
            // terminal would add a pump thread copying every frame, which no real run has.
            Terminal terminal = new ExternalTerminal("bench", "xterm-256color", new PipedInputStream(keys),
                    OutputStream.nullOutputStream(), java.nio.charset.StandardCharsets.UTF_8);
            terminal.setSize(new Size(160, 50));
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
            tui.finished(RunSummary.empty("bench", "bench", "done", List.of()));
        }
        return rate;
    }
}
