package dev.lb.controller.export;

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
 * <p>The body's JSON is written by {@link LokiPushBody} and compressed at gzip's fastest level: the lines are small
 * JSON objects that compress well at any level (about 20 to 1 in a 10-target run), and this thread's CPU is the
 * controller's.
 */
final class LokiExporter implements ExportQueue.Sender<LokiExporter.Entry> {
    /** One log line of one stream. */
    record Entry(SortedMap<String, String> stream, long timestampNanos, String line) {
    }

    private final URI url;
    private final HttpEndpoint http;
    /** Reused from batch to batch (one sending thread): the body's JSON text. */
    private final LokiPushBody body = new LokiPushBody();
    /** Reused from batch to batch: holds the compressed body, sent from its own array. */
    private final Compressed buffer = new Compressed();

    LokiExporter(URI url, HttpEndpoint http) {
        this.url = url;
        this.http = http;
    }

    @Override
    public Delivery send(List<Entry> batch) {
        body.write(streams(batch));
        buffer.reset();
        try (GZIPOutputStream z = new FastGzip(buffer)) {
            z.write(body.bytes(), 0, body.length());
        } catch (IOException e) {
            throw new UncheckedIOException("gzip in memory failed", e);
        }
        return http.send("POST", url, buffer.array(), buffer.size(), Map.of("Content-Type", "application/json",
                "Content-Encoding", "gzip", "User-Agent", "lb"));
    }

    /** The batch's entries per stream, each stream's in time order. */
    static Map<SortedMap<String, String>, List<Entry>> streams(List<Entry> batch) {
        Map<SortedMap<String, String>, List<Entry>> streams = new LinkedHashMap<>();
        for (Entry e : batch) {
            streams.computeIfAbsent(e.stream(), k -> new ArrayList<>()).add(e);
        }
        for (List<Entry> entries : streams.values()) {
            // Stable: entries of the same nanosecond keep the order they were accepted in.
            entries.sort(Comparator.comparingLong(Entry::timestampNanos));
        }
        return streams;
    }

    /** A byte array output whose array is read in place (no copy per push). */
    private static final class Compressed extends ByteArrayOutputStream {
        Compressed() {
            super(1 << 16);
        }

        byte[] array() {
            return buf;
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
