package dev.lb.controller.export;

import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.xerial.snappy.Snappy;

/**
 * Prometheus remote write: samples batched into one {@code WriteRequest} per request, snappy-compressed (block
 * format, as the protocol says), POSTed to the endpoint ({@code .../api/v1/write}). Each sample keeps the time it
 * was measured at, so a series gets the target's own 1 s resolution rather than a scrape's.
 */
final class RemoteWriteExporter implements ExportQueue.Sender<RemoteWriteExporter.Sample> {
    /** One value of one series at one time; labels without {@code __name__}. */
    record Sample(String name, SortedMap<String, String> labels, double value, long timestampMillis) {
    }

    private final URI url;
    private final HttpEndpoint http;

    RemoteWriteExporter(URI url, HttpEndpoint http) {
        this.url = url;
        this.http = http;
    }

    @Override
    public Delivery send(List<Sample> batch) {
        byte[] body;
        try {
            body = Snappy.compress(encode(batch));
        } catch (IOException e) {
            return Delivery.drop("cannot compress (" + e.getMessage() + ")");
        }
        return http.send("POST", url, body, Map.of("Content-Type", "application/x-protobuf",
                "Content-Encoding", "snappy", "X-Prometheus-Remote-Write-Version", "0.1.0",
                "User-Agent", "lb"));
    }

    /** The batch as a WriteRequest: samples grouped by series, each series' samples in time order. */
    static byte[] encode(List<Sample> batch) {
        Map<SortedMap<String, String>, List<RemoteWriteProto.Point>> series = new LinkedHashMap<>();
        for (Sample s : batch) {
            SortedMap<String, String> labels = new TreeMap<>(s.labels());
            labels.put("__name__", s.name());
            series.computeIfAbsent(labels, k -> new ArrayList<>())
                    .add(new RemoteWriteProto.Point(s.value(), s.timestampMillis()));
        }
        List<RemoteWriteProto.Series> out = new ArrayList<>();
        series.forEach((labels, points) -> {
            points.sort(Comparator.comparingLong(RemoteWriteProto.Point::timestampMillis));
            out.add(new RemoteWriteProto.Series(labels, points));
        });
        return RemoteWriteProto.writeRequest(out);
    }
}
