package dev.lb.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** A tmux session of a fixed size running one command: a real terminal whose screen a test can read. */
final class Tmux implements AutoCloseable {
    private final String session;

    private Tmux(String session) {
        this.session = session;
    }

    static Tmux start(String name, int cols, int rows, String shellCommand) throws IOException, InterruptedException {
        Tmux t = new Tmux(name);
        t.tmux("new-session", "-d", "-s", name, "-x", Integer.toString(cols), "-y", Integer.toString(rows), shellCommand);
        return t;
    }

    List<String> screen() throws IOException, InterruptedException {
        return List.of(tmux("capture-pane", "-p", "-t", session).split("\n", -1));
    }

    /** Also what scrolled off the top (the normal screen's history). */
    String history() throws IOException, InterruptedException {
        return tmux("capture-pane", "-p", "-S", "-2000", "-t", session);
    }

    List<String> awaitScreen(Predicate<List<String>> condition, long timeoutMs) throws Exception {
        long deadline = System.currentTimeMillis() + timeoutMs;
        List<String> last = List.of();
        while (System.currentTimeMillis() < deadline) {
            last = screen();
            if (condition.test(last)) {
                return last;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("screen never matched; last screen:\n" + String.join("\n", last));
    }

    void resize(int cols, int rows) throws IOException, InterruptedException {
        tmux("resize-window", "-t", session, "-x", Integer.toString(cols), "-y", Integer.toString(rows));
    }

    void keys(String... keys) throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(List.of("send-keys", "-t", session));
        args.addAll(List.of(keys));
        tmux(args.toArray(String[]::new));
    }

    String title() throws IOException, InterruptedException {
        return tmux("display-message", "-p", "-t", session, "#{pane_title}").strip();
    }

    private String tmux(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add("tmux");
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("tmux " + String.join(" ", args) + " failed: " + out);
        }
        return out;
    }

    @Override
    public void close() throws IOException, InterruptedException {
        new ProcessBuilder("tmux", "kill-session", "-t", session).start().waitFor(10, TimeUnit.SECONDS);
    }
}
