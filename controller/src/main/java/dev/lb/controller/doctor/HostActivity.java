package dev.lb.controller.doctor;

import java.io.ByteArrayOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * ansible-playbook's stdout on its way to the doctor log, read line by line for when each host was last heard of:
 * the play's start ({@code PLAY [}) counts for every host, then each result line that names a host ({@code ok:
 * [web-1]}, {@code fatal: [web-1]: ...}, {@code changed: [web-1 -> localhost]}) for that host. A host's time limit
 * counts from the last time it was heard of, so a slow but answering host is not given up while a silent one is.
 */
final class HostActivity extends FilterOutputStream {
    /** Only the head of a line is kept for matching: a result line names its host at its start. */
    private static final int HEAD = 4096;

    private final Collection<String> hosts;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();
    private final Map<String, Long> heardNanos = new HashMap<>();
    private final Map<String, String> lastLine = new HashMap<>();
    private long playNanos = -1;

    HostActivity(OutputStream log, Collection<String> hosts) {
        super(log);
        this.hosts = hosts;
    }

    @Override
    public void write(int b) throws IOException {
        take((byte) b);
        out.write(b);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        for (int i = off; i < off + len; i++) {
            take(b[i]);
        }
        out.write(b, off, len);
    }

    private void take(byte b) {
        if (b == '\n') {
            endOfLine(line.toString(StandardCharsets.UTF_8).strip());
            line.reset();
        } else if (line.size() < HEAD) {
            line.write(b);
        }
    }

    private synchronized void endOfLine(String text) {
        long now = System.nanoTime();
        if (playNanos < 0 && text.startsWith("PLAY [")) {
            playNanos = now;
        }
        for (String host : hosts) {
            if (text.contains("[" + host + "]") || text.contains("[" + host + " -> ")) {
                heardNanos.put(host, now);
                lastLine.put(host, text);
            }
        }
    }

    /** System.nanoTime() when the play started, or -1 while it has not. */
    synchronized long playStartedNanos() {
        return playNanos;
    }

    /** When {@code host} was last heard of (the play's start if never since), or -1 before the play started. */
    synchronized long lastHeardNanos(String host) {
        return heardNanos.getOrDefault(host, playNanos);
    }

    /** The last line that named {@code host}, or null when Ansible has said nothing of it. */
    synchronized String lastLine(String host) {
        return lastLine.get(host);
    }
}
