package dev.lb.controller.export;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lb.protocol.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.zip.GZIPOutputStream;

/**
 * Loki's push API ({@code POST /loki/api/v1/push}), JSON gzipped: a batch is one push of one entry list per stream,
 * each list in time order (timestamps in nanoseconds, as strings). Stream labels are the bounded ones; the run id,
 * repetition and seq are in the line, which is the event's payload as journalled.
 */
final class LokiExporter implements ExportQueue.Sender<LokiExporter.Entry> {
    /** One log line of one stream. */
    record Entry(SortedMap<String, String> stream, long timestampNanos, String line) {
    }

    private final URI url;
    private final HttpEndpoint http;

    LokiExporter(URI url, HttpEndpoint http) {
        this.url = url;
        this.http = http;
    }

    @Override
    public Delivery send(List<Entry> batch) {
        return http.send("POST", url, gzip(body(batch)), Map.of("Content-Type", "application/json",
                "Content-Encoding", "gzip", "User-Agent", "lb"));
    }

    static byte[] body(List<Entry> batch) {
        Map<SortedMap<String, String>, List<Entry>> streams = new LinkedHashMap<>();
        for (Entry e : batch) {
            streams.computeIfAbsent(e.stream(), k -> new ArrayList<>()).add(e);
        }
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode root = f.objectNode();
        ArrayNode list = root.putArray("streams");
        streams.forEach((labels, entries) -> {
            // Stable: entries of the same nanosecond keep the order they were accepted in.
            entries.sort(Comparator.comparingLong(Entry::timestampNanos));
            ObjectNode s = list.addObject();
            ObjectNode l = s.putObject("stream");
            labels.forEach(l::put);
            ArrayNode values = s.putArray("values");
            for (Entry e : entries) {
                values.addArray().add(Long.toString(e.timestampNanos())).add(e.line());
            }
        });
        return Json.line(root).getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] gzip(byte[] raw) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length / 4 + 64);
        try (GZIPOutputStream z = new GZIPOutputStream(out)) {
            z.write(raw);
        } catch (IOException e) {
            throw new UncheckedIOException("gzip in memory failed", e);
        }
        return out.toByteArray();
    }
}
