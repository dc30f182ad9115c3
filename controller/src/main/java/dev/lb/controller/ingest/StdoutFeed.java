package dev.lb.controller.ingest;

import dev.lb.controller.listener.DeliveryPath;
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
    private final LineSplitter splitter;
    private final LineExtractor extractor;
    private final AnsibleProgress progress;
    private final RunListener view;
    private long lastProgressMillis;

    public StdoutFeed(OutputStream rawLog, int maxLineBytes, LbEventExtractor extractor, Ingest ingest,
                      AnsibleProgress progress, RunListener view) {
        this.rawLog = rawLog;
        this.progress = progress;
        this.view = view;
        this.extractor = new LineExtractor("ansible.log", extractor, ingest.forPath(DeliveryPath.STDOUT));
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
        if (progress.line(line, now)) {
            view.notice(TerminalText.sanitize(line));
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

    @Override
    public synchronized void write(byte[] b, int off, int len) throws IOException {
        rawLog.write(b, off, len);
        rawLog.flush();
        splitter.feed(b, off, len);
    }

    @Override
    public synchronized void flush() throws IOException {
        rawLog.flush();
    }

    /** The process has ended: a last line without newline is still a line. */
    @Override
    public synchronized void close() throws IOException {
        splitter.finish();
        rawLog.close();
    }

    public long lines() {
        return extractor.lines();
    }
}
