package dev.lb.controller.ingest;

import dev.lb.controller.listener.Rejection;
import dev.lb.protocol.Event;
import dev.lb.protocol.Extraction;
import dev.lb.protocol.LbEventExtractor;
import dev.lb.protocol.LineSplitter;
import dev.lb.protocol.RejectReason;
import dev.lb.protocol.TerminalText;

/**
 * The extract stage for one source (a file, stdout, the JSONL file): numbers its lines, finds payloads, and hands
 * each event or rejection downstream with its source and line number. Over-long lines become rejections too: they
 * were not scanned, so they may have held events, and that must be visible.
 */
public final class LineExtractor implements LineSplitter.Sink {
    /** Where extracted payloads go. */
    public interface Downstream {
        void event(Event event, String source, long line);

        void rejected(Rejection rejection);
    }

    private final String source;
    private final LbEventExtractor extractor;
    private final Downstream downstream;
    private long lines;

    public LineExtractor(String source, LbEventExtractor extractor, Downstream downstream) {
        this.source = source;
        this.extractor = extractor;
        this.downstream = downstream;
    }

    @Override
    public void line(String line) {
        lines++;
        for (Extraction x : extractor.extract(line)) {
            if (x instanceof Extraction.Found f) {
                downstream.event(f.event(), source, lines);
            } else if (x instanceof Extraction.Rejected r) {
                downstream.rejected(new Rejection(source, lines, r.reason(), r.detail(), r.column(), r.snippet()));
            }
        }
    }

    @Override
    public void tooLong(String head, long lengthBytes) {
        lines++;
        String snippet = TerminalText.sanitize(head.substring(0, Math.min(80, head.length())));
        downstream.rejected(new Rejection(source, lines, RejectReason.LINE_TOO_LONG,
                "line of " + lengthBytes + " bytes is over the limit of " + head.length() + "; not scanned", 1,
                snippet));
    }

    public long lines() {
        return lines;
    }
}
