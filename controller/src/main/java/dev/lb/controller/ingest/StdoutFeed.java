package dev.lb.controller.ingest;

import dev.lb.controller.listener.DeliveryPath;
import dev.lb.controller.ansible.AnsibleMessages;
import dev.lb.controller.ansible.AnsibleProgress;
import dev.lb.controller.listener.RunListener;
import dev.lb.protocol.LbEventExtractor;
import dev.lb.protocol.LineSplitter;
import dev.lb.protocol.TerminalText;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Where ansible-playbook's stdout goes, byte for byte: to the raw log ({@code ansible.log}), then line by line to
 * the progress tracker and the extractor. Lines a user must see (fatal, warnings) are passed to the view; task
 * banners and the polling loop only update progress.
 */
public final class StdoutFeed extends OutputStream {
    private final OutputStream rawLog;
    private final String rawLogName;
    private final LineSplitter splitter;
    private final LineExtractor extractor;
    private final AnsibleProgress progress;
    private final RunListener view;
    private long lastProgressMillis;
    private static final String CALLBACK_SAYS = "[lb_events] ";
    private final java.util.List<String> callbackSaid = new java.util.ArrayList<>();
    private final AnsibleMessages ansibleSaid = new AnsibleMessages();
    private long rawLogBytes;
    private String rawLogFailure;

    public StdoutFeed(OutputStream rawLog, int maxLineBytes, LbEventExtractor extractor, Ingest ingest,
                      AnsibleProgress progress, RunListener view) {
        this(rawLog, "ansible.log", maxLineBytes, extractor, ingest, progress, view);
    }

    /**
     * {@code rawLogName}: the raw log as sightings and messages name it ({@code slices/2/ansible.log} in a sliced
     * run). Several feeds (one per slice) may share one ingest and one progress tracker: both are thread-safe.
     */
    public StdoutFeed(OutputStream rawLog, String rawLogName, int maxLineBytes, LbEventExtractor extractor,
                      Ingest ingest, AnsibleProgress progress, RunListener view) {
        this.rawLog = rawLog;
        this.rawLogName = rawLogName;
        this.progress = progress;
        this.view = view;
        this.extractor = new LineExtractor(rawLogName, extractor, ingest.forPath(DeliveryPath.STDOUT));
        this.splitter = new LineSplitter(maxLineBytes, new LineSplitter.Sink() {
            @Override
            public void line(String line) {
                onLine(line);
            }

            @Override
            public void tooLong(String head, long lengthBytes) {
                StdoutFeed.this.extractor.tooLong(head, lengthBytes);
            }
        });
    }

    private void onLine(String line) {
        extractor.line(line);
        long now = System.currentTimeMillis();
        if (line.startsWith(CALLBACK_SAYS)) {
            // The callback's own word on stdout, e.g. that the JSONL file failed: the summary must carry it.
            String said = "callback: " + TerminalText.sanitize(line.substring(CALLBACK_SAYS.length()));
            if (callbackSaid.size() < 50) {
                callbackSaid.add(said);
            }
            view.notice(said);
            return;
        }
        if (progress.line(line, now)) {
            String shown = TerminalText.sanitize(line);
            view.notice(shown);
            ansibleSaid.shown(shown);
        }
        if (now - lastProgressMillis >= 200) {
            lastProgressMillis = now;
            view.progress(progress.snapshot(now));
        }
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    /**
     * The raw log is a copy for people; the events are in the lines. A raw log that cannot be written (a full disk)
     * is given up with its reason, and the lines are still read: the stdout path must not fail with the file.
     */
    @Override
    public synchronized void write(byte[] b, int off, int len) throws IOException {
        if (rawLogFailure == null) {
            try {
                rawLog.write(b, off, len);
                rawLog.flush();
                rawLogBytes += len;
            } catch (IOException e) {
                rawLogFailure = rawLogName + " could not be written after " + rawLogBytes + " bytes (" + e.getMessage()
                        + "); ansible-playbook's output is still read for events";
                view.notice(rawLogFailure);
            }
        }
        splitter.feed(b, off, len);
    }

    @Override
    public synchronized void flush() {
        // every write is flushed already
    }

    /** The process has ended: a last line without newline is still a line. */
    @Override
    public synchronized void close() throws IOException {
        splitter.finish();
        try {
            rawLog.close();
        } catch (IOException e) {
            if (rawLogFailure == null) {
                rawLogFailure = rawLogName + " could not be closed (" + e.getMessage() + ")";
            }
        }
    }

    /** What the callback said on stdout about its own failures (the first 50). */
    public synchronized java.util.List<String> callbackSaid() {
        return java.util.List.copyOf(callbackSaid);
    }

    /** Ansible's own warnings and errors in this output, each whole (see {@link AnsibleMessages}). */
    public java.util.List<String> ansibleSaid() {
        return ansibleSaid.messages();
    }

    /** Why the raw log is incomplete, or null. */
    public synchronized String rawLogFailure() {
        return rawLogFailure;
    }

    public long lines() {
        return extractor.lines();
    }
}
