package dev.lb.controller.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lb.controller.ingest.CallbackRecord;
import dev.lb.controller.ingest.LineExtractor;
import dev.lb.controller.listener.Rejection;
import dev.lb.protocol.Extraction;
import dev.lb.protocol.Json;
import dev.lb.protocol.TerminalText;
import dev.lb.protocol.LineSplitter;
import dev.lb.protocol.RejectReason;

/**
 * The lines of a file given to {@code lb events parse}: a journal record ({@code {"received":..,"event":{..}}}) carries
 * its event as an object, with no marker; a callback JSONL record ({@link CallbackRecord}) carries a forwarded line
 * after its header, read like any other line (or, from callbacks before that, an event object); every other line
 * (stream files, ansible-playbook output) goes to the marker extractor. Callback records of other kinds are not
 * events (warnings, stats), except {@code rejected}, which is counted as the rejection it reports.
 */
final class RecordOrTextLines implements LineSplitter.Sink {
    private final String source;
    private final LineExtractor text;
    private final LineExtractor.Downstream downstream;
    private long lines;

    RecordOrTextLines(String source, LineExtractor text, LineExtractor.Downstream downstream) {
        this.source = source;
        this.text = text;
        this.downstream = downstream;
    }

    @Override
    public void line(String line) {
        line(line, true);
    }

    @Override
    public void line(String line, boolean controls) {
        lines++;
        if (!line.startsWith("{\"")) {
            text.line(line, lines, null, controls);
            return;
        }
        CallbackRecord parsed = CallbackRecord.parse(line);
        if (parsed instanceof CallbackRecord.Line l) {
            text.line(l.text(), lines, l.host());
            return;
        }
        if (!(parsed instanceof CallbackRecord.Other other)) {
            text.line(line, lines, null); // not a record after all: whatever it is, the extractor decides
            return;
        }
        JsonNode record = other.record();
        if (!record.has("event") && !record.has("kind")) {
            text.line(line, lines, null); // some other JSON (ansible's json callback): payloads are in its strings
            return;
        }
        String kind = record.path("kind").asText("event");
        if (kind.equals("rejected")) {
            downstream.rejected(new Rejection(source, lines, RejectReason.ofLabel(record.path("reason").asText(""), RejectReason.MALFORMED_JSON),
                    "reported by the callback: " + record.path("detail").asText(""), 1, record.path("snippet").asText("")),
                    null);
            return;
        }
        if (!kind.equals("event") || !(record.get("event") instanceof ObjectNode event)) {
            return; // a warning, diagnostic or stats record: not an event
        }
        String json = Json.line(event);
        downstream.payload(new Extraction.Payload(json, 1, TerminalText.sanitize(json.substring(0, Math.min(80, json.length())))),
                source, lines, null);
    }

    @Override
    public void tooLong(String head, long lengthBytes) {
        lines++;
        text.tooLong(head, lengthBytes);
    }

    long lines() {
        return lines;
    }
}
