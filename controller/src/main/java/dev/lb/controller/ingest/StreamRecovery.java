package dev.lb.controller.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lb.controller.listener.DeliveryPath;
import dev.lb.controller.listener.PayloadSighting;
import dev.lb.controller.listener.Rejection;
import dev.lb.controller.listener.RejectionKey;
import dev.lb.protocol.Extraction;
import dev.lb.protocol.IdentityProbe;
import dev.lb.protocol.Json;
import dev.lb.protocol.LbEventExtractor;
import dev.lb.protocol.LineSplitter;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The third delivery path: the stream files collected from the targets ({@code artifacts/<host>/}), the source of
 * truth. Every event in them goes to ingest as a {@link DeliveryPath#RECOVERED} sighting; the de-duplicator keeps
 * only those no live path delivered. A host counts as collected only when the collect wrote its manifest
 * ({@code collected.json}); otherwise its stream file may be partial or absent, and the host is reported with why.
 *
 * <p>Lines that cannot be framed here were, as a rule, already rejected live; they are counted apart (with the
 * torn last line a killed agent may leave) so the live rejection count is not doubled. Payloads go to ingest
 * undecoded: one whose identity is journalled is counted as a duplicate; one that was never delivered is decoded
 * there, and a rejection by the decoder is the same rejection as the live paths' when they saw it.
 */
public final class StreamRecovery {
    public static final String MANIFEST = "collected.json";
    /** The agent's repetitions, the container watcher, the system information (lb-agent sysinfo at setup). */
    public static final List<String> STREAM_FILES = List.of("lb_events.stream.log", "containers.stream.log",
            "system.stream.log");
    private static final int MAX_EXAMPLES = 10;

    /** What recovery read: per host whether it was collected (and why not), lines and rejections in the files. */
    public record Result(Map<String, String> uncollected, long lines, long rejected, List<String> rejectedExamples,
                         List<String> readErrors) {
    }

    private StreamRecovery() {
    }

    /**
     * Reads every collected stream file of {@code hosts} into ingest. {@code notCollectedWhy} is the default reason
     * for a host without a manifest (e.g. "finish.yml failed for it; see finish.log").
     */
    public static Result recover(Path artifacts, List<String> hosts, Ingest ingest, int maxLineBytes,
                                 String notCollectedWhy) {
        Map<String, String> uncollected = new LinkedHashMap<>();
        long[] lines = {0};
        long[] rejected = {0};
        List<String> examples = new ArrayList<>();
        List<String> readErrors = new ArrayList<>();
        for (String host : hosts) {
            Path dir = artifacts.resolve(host);
            Path manifest = dir.resolve(MANIFEST);
            if (!Files.isRegularFile(manifest)) {
                uncollected.put(host, notCollectedWhy);
                continue;
            }
            List<String> listed = new ArrayList<>();
            try {
                JsonNode m = Json.MAPPER.readTree(manifest.toFile());
                m.path("files").forEach(f -> listed.add(f.asText()));
            } catch (IOException e) {
                uncollected.put(host, "its collect manifest " + manifest + " is unreadable: " + e.getMessage());
                continue;
            }
            for (String name : STREAM_FILES) {
                Path file = dir.resolve(name);
                if (!Files.isRegularFile(file)) {
                    if (listed.contains(name)) {
                        uncollected.put(host, name + " was on the target but did not arrive in " + dir);
                    }
                    continue; // otherwise not on the target: nothing was written to it
                }
                String source = "artifacts/" + host + "/" + name;
                LineExtractor.Downstream down = new LineExtractor.Downstream() {
                    @Override
                    public void payload(Extraction.Payload payload, String src, long line, String deliveredBy) {
                        // Nearly every event here was delivered live: its identity is known, and it is not decoded.
                        ingest.submit(new PayloadSighting(payload, IdentityProbe.read(payload.json()),
                                DeliveryPath.RECOVERED, System.currentTimeMillis(), src, line, host));
                    }

                    @Override
                    public void rejected(Rejection r, RejectionKey key) {
                        rejected[0]++;
                        if (examples.size() < MAX_EXAMPLES) {
                            examples.add(r.describe());
                        }
                    }
                };
                LineExtractor extractor = new LineExtractor(source, new LbEventExtractor(maxLineBytes), down);
                LineSplitter splitter = new LineSplitter(maxLineBytes, extractor);
                try (InputStream in = Files.newInputStream(file)) {
                    byte[] buf = new byte[1 << 16];
                    for (int n; (n = in.read(buf)) >= 0; ) {
                        splitter.feed(buf, 0, n);
                    }
                    splitter.finish();
                } catch (IOException e) {
                    readErrors.add(source + ": " + e);
                    uncollected.put(host, "reading " + source + " failed: " + e.getMessage());
                }
                lines[0] += extractor.lines();
            }
        }
        return new Result(uncollected, lines[0], rejected[0], examples, readErrors);
    }
}
