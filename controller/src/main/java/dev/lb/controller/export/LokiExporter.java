package dev.lb.controller.export;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * Loki's push API ({@code POST /loki/api/v1/push}), JSON gzipped: a batch is one push of one entry list per stream,
 * each list in time order (timestamps in nanoseconds, as strings). Stream labels are the bounded ones; the run id,
 * repetition and seq are in the line, which is the event's payload as journalled.
 *
 * <p>The body is written straight into the gzip stream (no JSON tree, no intermediate string) at gzip's fastest
 * level: the lines are small JSON objects that compress well at any level, and this thread's CPU is the
 * controller's.
 */
final class LokiExporter implements ExportQueue.Sender<LokiExporter.Entry> {
    /** One log line of one stream. */
    record Entry(SortedMap<String, String> stream, long timestampNanos, String line) {
    }

    /** A plain factory: the body is an HTTP body, not a terminal line, so no line-safe escapes are needed. */
    private static final JsonFactory JSON = JsonFactory.builder()
            .disable(StreamWriteFeature.AUTO_CLOSE_TARGET).build();

    private final URI url;
    private final HttpEndpoint http;
    /** Reused from batch to batch (one sending thread): holds the compressed body. */
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream(1 << 16);

    LokiExporter(URI url, HttpEndpoint http) {
        this.url = url;
        this.http = http;
    }

    @Override
    public Delivery send(List<Entry> batch) {
        buffer.reset();
        try (GZIPOutputStream z = new FastGzip(buffer)) {
            write(batch, z);
        } catch (IOException e) {
            throw new UncheckedIOException("gzip in memory failed", e);
        }
        return http.send("POST", url, buffer.toByteArray(), Map.of("Content-Type", "application/json",
                "Content-Encoding", "gzip", "User-Agent", "lb"));
    }

    private static void write(List<Entry> batch, OutputStream out) throws IOException {
        Map<SortedMap<String, String>, List<Entry>> streams = new LinkedHashMap<>();
        for (Entry e : batch) {
            streams.computeIfAbsent(e.stream(), k -> new ArrayList<>()).add(e);
        }
        try (JsonGenerator g = JSON.createGenerator(out, JsonEncoding.UTF8)) {
            g.writeStartObject();
            g.writeArrayFieldStart("streams");
            for (Map.Entry<SortedMap<String, String>, List<Entry>> s : streams.entrySet()) {
                List<Entry> entries = s.getValue();
                // Stable: entries of the same nanosecond keep the order they were accepted in.
                entries.sort(Comparator.comparingLong(Entry::timestampNanos));
                g.writeStartObject();
                g.writeObjectFieldStart("stream");
                for (Map.Entry<String, String> l : s.getKey().entrySet()) {
                    g.writeStringField(l.getKey(), l.getValue());
                }
                g.writeEndObject();
                g.writeArrayFieldStart("values");
                for (Entry e : entries) {
                    g.writeStartArray();
                    g.writeString(Long.toString(e.timestampNanos()));
                    g.writeString(e.line());
                    g.writeEndArray();
                }
                g.writeEndArray();
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        }
    }

    /** gzip at its fastest level (GZIPOutputStream has no constructor for the level). */
    private static final class FastGzip extends GZIPOutputStream {
        FastGzip(OutputStream out) throws IOException {
            super(out, 1 << 16);
            def.setLevel(Deflater.BEST_SPEED);
        }
    }
}
