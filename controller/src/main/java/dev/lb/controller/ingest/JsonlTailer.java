package dev.lb.controller.ingest;

import dev.lb.controller.listener.DeliveryPath;
import dev.lb.controller.listener.PayloadSighting;
import dev.lb.controller.listener.Rejection;
import dev.lb.controller.listener.RejectionKey;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lb.controller.listener.RunListener;
import dev.lb.protocol.Extraction;
import dev.lb.protocol.FileTail;
import dev.lb.protocol.IdentityProbe;
import dev.lb.protocol.LbEventExtractor;
import dev.lb.protocol.Json;
import dev.lb.protocol.LineSplitter;
import dev.lb.protocol.RejectReason;
import dev.lb.protocol.TerminalText;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tails the callback's JSONL file ({@link CallbackRecord}) from byte 0 (the file is new for each run: nothing to skip, nothing stale).
 * Waits for it to appear, emits only complete lines, starts again from 0 when the file shrinks, and never dies
 * silently: a read error is counted, reported and retried at the next tick.
 */
public final class JsonlTailer {
    private static final Logger log = LoggerFactory.getLogger(JsonlTailer.class);
    private static final long TICK_MS = 50;

    private final Path file;
    private final String name;
    private final LbEventExtractor extractor;
    private final Ingest ingest;
    private final RunListener view;
    private final FileTail tail;
    private final Thread thread;
    private volatile boolean stopping;
    private long lines;
    private long readErrors;
    private long truncations;
    private long diagnostics;
    private long streamLinesSkipped;
    private Long callbackEvents;
    private final List<String> warnings = new ArrayList<>();

    public JsonlTailer(Path file, int maxLineBytes, Ingest ingest, RunListener view) {
        this(file, file.getFileName().toString(), maxLineBytes, ingest, view);
    }

    /** {@code name}: the file as sightings and notices name it ({@code slices/2/events.jsonl} in a sliced run). */
    public JsonlTailer(Path file, String name, int maxLineBytes, Ingest ingest, RunListener view) {
        this.file = file;
        this.name = name;
        this.extractor = new LbEventExtractor(maxLineBytes);
        this.ingest = ingest;
        this.view = view;
        this.tail = new FileTail(file, new LineSplitter(maxLineBytes, new Records()));
        this.thread = new Thread(this::follow, "jsonl-tailer");
        this.thread.setDaemon(true);
    }

    public void start() {
        thread.start();
    }

    private void follow() {
        while (!stopping) {
            readAvailable();
            try {
                Thread.sleep(TICK_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                log.error("the JSONL tailer was interrupted; the final read in stop() picks up what is left");
                return;
            }
        }
    }

    /** Reads what is left, emits a last line without newline as a (truncated) record, and stops. */
    public void stop() throws InterruptedException {
        // No interrupt: it could land while a record is being handed to ingest and lose it. The loop sees the
        // flag within one tick.
        stopping = true;
        thread.join(5_000);
        readAvailable();
        synchronized (this) {
            tail.finish();
        }
    }

    private synchronized void readAvailable() {
        try {
            FileTail.Read r = tail.readNew();
            if (r.restarted()) {
                truncations++;
                String w = file + " shrank from " + r.previousOffset() + " to " + r.size()
                        + " bytes; reading it again from the start (events seen twice are merged)";
                log.warn(w);
                warn(w);
            }
        } catch (IOException e) {
            readErrors++;
            log.error("reading {} at byte {} failed ({} errors so far), retrying: {}", file, tail.offset(), readErrors,
                    e.toString());
            if (readErrors == 1 || readErrors % 100 == 0) {
                view.notice("reading " + name + " failed (" + readErrors + "x), retrying: " + e.getMessage());
            }
        }
    }

    private void warn(String w) {
        if (warnings.size() < 100) {
            warnings.add(w);
        }
        view.notice(w);
    }

    /** One record of the callback's file (see {@link CallbackRecord}). */
    private final class Records implements LineSplitter.Sink {
        private final LineExtractor forwarded = new LineExtractor(name, extractor, ingest.forPath(DeliveryPath.JSONL));

        @Override
        public void line(String line) {
            lines++;
            if (line.isBlank()) {
                return;
            }
            CallbackRecord parsed = CallbackRecord.parse(line);
            if (parsed instanceof CallbackRecord.Line l) {
                // The line as the target wrote it: framed and judged exactly as stdout and lb events parse do.
                forwarded.line(l.text(), lines, l.host());
                return;
            }
            if (parsed instanceof CallbackRecord.Damaged d) {
                reject(RejectReason.MALFORMED_JSON, d.why(), line);
                return;
            }
            JsonNode record = ((CallbackRecord.Other) parsed).record();
            String kind = ((CallbackRecord.Other) parsed).kind();
            switch (kind) {
                case "event" -> event(record, line);
                case "warning" -> warn(record.path("host").asText("?") + ": "
                        + TerminalText.sanitize(record.path("warning").asText("")));
                case "diagnostic" -> {
                    diagnostics++;
                    view.notice("callback diagnostic: " + TerminalText.sanitize(record.path("error").asText("")));
                }
                // One stats record per ansible-playbook run (the benchmark, then finish.yml): their sum.
                case "stats" -> callbackEvents = (callbackEvents == null ? 0 : callbackEvents) + record.path("events").asLong();
                case "skipped" -> streamLinesSkipped += record.path("count").asLong();
                // Written by callbacks before the forwarded lines, which judged payloads themselves.
                case "rejected" -> {
                    Rejection r = new Rejection(record.path("host").asText("?") + " stream", lines,
                            RejectReason.ofLabel(record.path("reason").asText(""), RejectReason.MALFORMED_JSON),
                            TerminalText.sanitize(record.path("detail").asText("")), 1,
                            TerminalText.sanitize(record.path("snippet").asText("")));
                    ingest.rejected(r, RejectionKey.of(r.reason().name(), 1, record.path("snippet").asText("")),
                            DeliveryPath.JSONL);
                }
                default -> reject(RejectReason.MALFORMED_JSON, "record of unknown kind '" + kind + "'", line);
            }
        }

        /** A record of a callback before the forwarded lines: its payload was parsed and written again. */
        private void event(JsonNode record, String line) {
            JsonNode payload = record.get("event");
            if (!(payload instanceof ObjectNode o)) {
                reject(RejectReason.NOT_AN_OBJECT, "record's event is not an object", line);
                return;
            }
            String json = Json.line(o);
            ingest.submit(new PayloadSighting(new Extraction.Payload(json, 1, TerminalText.sanitize(
                    json.substring(0, Math.min(80, json.length())))), IdentityProbe.read(json), DeliveryPath.JSONL,
                    System.currentTimeMillis(), name, lines,
                    record.path("host").isTextual() ? record.path("host").asText() : null));
        }

        @Override
        public void tooLong(String head, long lengthBytes) {
            lines++;
            reject(RejectReason.LINE_TOO_LONG, "record of " + lengthBytes + " bytes is over the limit", head);
        }

        private void reject(RejectReason reason, String detail, String text) {
            ingest.rejected(new Rejection(name, lines, reason, detail, 1,
                    TerminalText.sanitize(text.substring(0, Math.min(80, text.length())))),
                    RejectionKey.of(reason.name(), 1, text), DeliveryPath.JSONL);
        }
    }

    public synchronized long lines() {
        return lines;
    }

    public synchronized long readErrors() {
        return readErrors;
    }

    public synchronized long truncations() {
        return truncations;
    }

    public synchronized long diagnostics() {
        return diagnostics;
    }

    /** Lines in the targets' stream files that carried no marker (garbage, stray output), as the poll steps counted. */
    public synchronized long streamLinesSkipped() {
        return streamLinesSkipped;
    }

    public synchronized Long callbackEvents() {
        return callbackEvents;
    }

    public synchronized List<String> warnings() {
        return List.copyOf(warnings);
    }
}
