package dev.lb.controller.doctor;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * ansible-playbook's stdout on its way to the log, watched for the first {@code PLAY [} line: the moment the hosts'
 * checks begin, from which each host's time limit counts (Ansible's own start-up is not the host's time).
 */
final class PlayStartWatch extends FilterOutputStream {
    private static final byte[] MARK = "PLAY [".getBytes(StandardCharsets.US_ASCII);

    private int matched;
    private volatile long startedNanos = -1;

    PlayStartWatch(OutputStream log) {
        super(log);
    }

    @Override
    public void write(int b) throws IOException {
        if (startedNanos < 0) {
            matched = b == MARK[matched] ? matched + 1 : b == MARK[0] ? 1 : 0;
            if (matched == MARK.length) {
                startedNanos = System.nanoTime();
            }
        }
        out.write(b);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        if (startedNanos < 0) {
            for (int i = off; i < off + len && startedNanos < 0; i++) {
                matched = b[i] == MARK[matched] ? matched + 1 : b[i] == MARK[0] ? 1 : 0;
                if (matched == MARK.length) {
                    startedNanos = System.nanoTime();
                }
            }
        }
        out.write(b, off, len);
    }

    /** System.nanoTime() when the play started, or -1 while it has not. */
    long startedNanos() {
        return startedNanos;
    }
}
