package dev.lb.controller.ingest;

import dev.lb.controller.listener.Rejection;
import dev.lb.controller.listener.RejectionKey;
import dev.lb.protocol.CompactEvent;
import dev.lb.protocol.Extraction;
import dev.lb.protocol.LbEventExtractor;
import dev.lb.protocol.LineSplitter;
import dev.lb.protocol.RejectReason;
import dev.lb.protocol.TerminalText;

/**
 * The extract stage for one source (a file, stdout, the JSONL file): numbers its lines, frames payloads, and hands
 * each payload (not decoded: whoever receives it decides whether it needs decoding) or rejection downstream with
 * its source and line number. A line that is just the marker and a payload with nothing to judge is framed and read
 * in one pass ({@link LbEventExtractor#frame(String, CompactEvent)}). Used by one thread at a time. Over-long lines become rejections too: they were not scanned, so they may have held
 * events, and that must be visible.
 */
public final class LineExtractor implements LineSplitter.Sink {
    /** Where framed payloads go. */
    public interface Downstream {
        /** A payload of line {@code line}; {@code deliveredBy} the inventory host whose task held it, or null. */
        void payload(Extraction.Payload payload, String source, long line, String deliveredBy);

        /** A line that could not be framed; {@code key} is the same for the same line on any path. */
        void rejected(Rejection rejection, RejectionKey key);
    }

    private final String source;
    private final LbEventExtractor extractor;
    private final Downstream downstream;
    private final CompactEvent compact = new CompactEvent();
    private long lines;

    public LineExtractor(String source, LbEventExtractor extractor, Downstream downstream) {
        this.source = source;
        this.extractor = extractor;
        this.downstream = downstream;
    }

    @Override
    public void line(String line) {
        line(line, ++lines, null);
    }

    @Override
    public void line(String line, boolean controls) {
        line(line, ++lines, null, controls);
    }

    /** A line numbered by the caller (a record of the JSONL file), delivered by {@code deliveredBy}. */
    public void line(String line, long number, String deliveredBy) {
        line(line, number, deliveredBy, true);
    }

    /** The same for a line known to hold no ESC when {@code controls} is false ({@link LineSplitter.Sink}). */
    public void line(String line, long number, String deliveredBy, boolean controls) {
        lines = Math.max(lines, number);
        for (Extraction x : extractor.frame(line, compact, controls)) {
            if (x instanceof Extraction.Payload p) {
                downstream.payload(p, source, number, deliveredBy);
            } else if (x instanceof Extraction.Rejected r) {
                downstream.rejected(new Rejection(source, number, r.reason(), r.detail(), r.column(), r.snippet()),
                        RejectionKey.of(r.reason().name(), r.column(), line));
            }
        }
    }

    @Override
    public void tooLong(String head, long lengthBytes) {
        lines++;
        String snippet = TerminalText.sanitize(head.substring(0, Math.min(80, head.length())));
        downstream.rejected(new Rejection(source, lines, RejectReason.LINE_TOO_LONG,
                "line of " + lengthBytes + " bytes is over the limit of " + head.length() + "; not scanned", 1,
                snippet), RejectionKey.of(RejectReason.LINE_TOO_LONG.name(), (int) Math.min(Integer.MAX_VALUE, lengthBytes), head));
    }

    public long lines() {
        return lines;
    }
}
