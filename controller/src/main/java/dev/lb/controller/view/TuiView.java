package dev.lb.controller.view;

import dev.lb.controller.listener.RunListener;
import dev.lb.controller.ansible.AnsibleProgress;
import dev.lb.controller.listener.IngestStats;
import dev.lb.controller.listener.Rejection;
import dev.lb.controller.listener.Sighting;
import dev.lb.controller.state.RunInfo;
import dev.lb.controller.state.RunState;
import dev.lb.controller.state.RunSummary;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jline.terminal.Attributes;
import org.jline.terminal.Size;
import org.jline.terminal.Terminal;
import org.jline.utils.AttributedString;
import org.jline.utils.Display;
import org.jline.utils.InfoCmp.Capability;
import org.jline.utils.NonBlockingReader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The full-screen dashboard. Listener calls only update the {@link DashboardModel} (O(1), never waiting for the
 * terminal); a render thread draws at most {@code maxFps} frames a second, so a burst of events costs one frame,
 * and a slow terminal costs frames, never events. Resizes are picked up every frame. On exit the screen is restored
 * and the summary printed in the normal scrollback.
 */
public final class TuiView implements RunListener {
    private static final Logger log = LoggerFactory.getLogger(TuiView.class);

    /** What q (after confirmation) does: stop the run, or end a replay. */
    public interface QuitAction {
        void quit();
    }

    private final Terminal terminal;
    private final PrintWriter scrollback;
    private final DashboardModel model;
    private final DashboardRenderer renderer;
    private final long frameMillis;
    private final boolean waitAtEnd;
    private final QuitAction quit;
    private final CountDownLatch keyAtEnd = new CountDownLatch(1);
    private volatile RunState state;
    private volatile boolean running;
    private volatile boolean finished;
    private Thread renderThread;
    private Thread keyThread;
    private Attributes savedAttributes;
    private Display display;
    private long frames;
    private long firstFrameMillis;

    public TuiView(Terminal terminal, PrintWriter scrollback, int logCapacity, int maxFps, long silentAfterMillis,
                   boolean waitAtEnd, QuitAction quit) {
        this.terminal = terminal;
        this.scrollback = scrollback;
        this.model = new DashboardModel(logCapacity);
        this.renderer = new DashboardRenderer(silentAfterMillis);
        this.frameMillis = 1000L / Math.max(1, maxFps);
        this.waitAtEnd = waitAtEnd;
        this.quit = quit;
    }

    @Override
    public void started(RunInfo info) {
        model.started(info);
        savedAttributes = terminal.enterRawMode();
        terminal.puts(Capability.enter_ca_mode);
        terminal.puts(Capability.cursor_invisible);
        terminal.puts(Capability.clear_screen); // the alternate screen may hold an old frame
        terminal.flush();
        display = new Display(terminal, true);
        running = true;
        firstFrameMillis = System.currentTimeMillis();
        renderThread = new Thread(this::renderLoop, "tui-render");
        renderThread.setDaemon(true);
        renderThread.start();
        keyThread = new Thread(this::keyLoop, "tui-keys");
        keyThread.setDaemon(true);
        keyThread.start();
    }

    @Override
    public void accepted(Sighting s, RunState runState) {
        this.state = runState;
        model.accepted(s, null);
    }

    @Override
    public void rejected(Rejection r) {
        model.rejected(r);
    }

    @Override
    public void stats(IngestStats stats) {
        model.stats(stats);
    }

    @Override
    public void progress(AnsibleProgress.Snapshot p) {
        model.progress(p);
    }

    @Override
    public void notice(String message) {
        model.notice(message);
    }

    @Override
    public void finished(RunSummary summary) {
        model.finished(summary.outcome(), summary.state());
        finished = true;
        if (waitAtEnd) {
            model.prompt("run " + summary.outcome() + " (exit " + summary.exitCode() + "): press any key to leave");
            try {
                keyAtEnd.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        close();
        SummaryText.lines(summary).forEach(scrollback::println);
        scrollback.flush();
    }

    /** Frames drawn so far and the rate they were drawn at: for the benchmark and the frame-cap test. */
    public double framesPerSecond() {
        long elapsed = Math.max(1, System.currentTimeMillis() - firstFrameMillis);
        return frames * 1000.0 / elapsed;
    }

    public long frames() {
        return frames;
    }

    private void renderLoop() {
        long drawnVersion = -1;
        long lastDraw = 0;
        Size lastSize = null;
        while (running) {
            long start = System.currentTimeMillis();
            try {
                Size size = terminal.getSize();
                boolean resized = !size.equals(lastSize);
                long version = model.version();
                // Redraw on change, and once a second anyway so ages and the elapsed time move.
                if (resized || version != drawnVersion || start - lastDraw >= 1000) {
                    RunState st = state;
                    if (st != null) {
                        model.rows(st.snapshot());
                    }
                    draw(size, resized);
                    lastSize = size;
                    drawnVersion = version;
                    lastDraw = start;
                }
            } catch (RuntimeException e) {
                log.error("drawing the dashboard failed; trying again next frame", e);
            }
            long sleep = frameMillis - (System.currentTimeMillis() - start);
            if (sleep > 0) {
                try {
                    Thread.sleep(sleep);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    private synchronized void draw(Size size, boolean resized) {
        if (display == null) {
            return;
        }
        int rows = Math.max(1, size.getRows());
        int cols = Math.max(1, size.getColumns());
        if (resized) {
            display.clear();
            display.resize(rows, cols);
            terminal.puts(Capability.clear_screen);
        }
        List<AttributedString> lines = renderer.render(model.snapshot(System.currentTimeMillis(), rows), rows, cols);
        display.update(lines, -1);
        terminal.flush();
        frames++;
    }

    private void keyLoop() {
        NonBlockingReader reader = terminal.reader();
        try {
            while (running) {
                int c = reader.read(100);
                if (c == NonBlockingReader.READ_EXPIRED) {
                    continue;
                }
                if (c < 0) {
                    return;
                }
                if (finished) {
                    keyAtEnd.countDown();
                    continue;
                }
                onKey(c, reader);
            }
        } catch (IOException e) {
            if (running) {
                log.warn("reading keys failed; the dashboard keeps running without keys: {}", e.toString());
            }
        }
    }

    private void onKey(int c, NonBlockingReader reader) throws IOException {
        switch (c) {
            case 'q' -> confirmQuit(reader);
            case 'p' -> model.togglePause();
            case 'f' -> readFilter(reader);
            case 27 -> escape(reader);
            default -> {
                // other keys do nothing
            }
        }
    }

    private void confirmQuit(NonBlockingReader reader) throws IOException {
        model.prompt("Stop the run? y = stop (targets report 'stopped'), any other key = go on");
        int answer = reader.read();
        model.prompt(null);
        if (answer == 'y' || answer == 'Y') {
            quit.quit();
        }
    }

    private void readFilter(NonBlockingReader reader) throws IOException {
        StringBuilder text = new StringBuilder();
        while (true) {
            model.prompt("filter by host or level (Enter applies, empty clears, Esc cancels): " + text);
            int c = reader.read();
            if (c == '\r' || c == '\n') {
                model.filter(text.toString());
                break;
            }
            if (c == 27 || c < 0) {
                break;
            }
            if ((c == 127 || c == 8) && text.length() > 0) {
                text.setLength(text.length() - 1);
            } else if (c >= 32 && c != 127 && text.length() < 40) {
                text.append((char) c);
            }
        }
        model.prompt(null);
    }

    /** Arrows and PgUp/PgDn arrive as ESC [ A/B and ESC [ 5~/6~. */
    private void escape(NonBlockingReader reader) throws IOException {
        if (reader.read(50) != '[') {
            return;
        }
        int page = Math.max(1, terminal.getSize().getRows() / 2);
        switch (reader.read(50)) {
            case 'A' -> model.scroll(1);
            case 'B' -> model.scroll(-1);
            case '5' -> {
                reader.read(50);
                model.scroll(page);
            }
            case '6' -> {
                reader.read(50);
                model.scroll(-page);
            }
            default -> {
                // an escape sequence we do not use
            }
        }
    }

    private void close() {
        running = false;
        try {
            renderThread.join(2000);
            keyThread.join(500);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (this) {
            display = null;
        }
        terminal.puts(Capability.cursor_visible);
        terminal.puts(Capability.exit_ca_mode);
        terminal.setAttributes(savedAttributes);
        terminal.flush();
        try {
            terminal.close();
        } catch (IOException e) {
            log.warn("closing the terminal failed: {}", e.toString());
        }
    }

}
