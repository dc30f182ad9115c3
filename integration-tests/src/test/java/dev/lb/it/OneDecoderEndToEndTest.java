package dev.lb.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * One decoder, live and offline: every line of the corpora (testdata/corpora, the shared captures) and a set of
 * hostile lines are written into a target's stream file during a real run, and what the run accepted and rejected
 * is compared with what {@code lb events parse} makes of the collected stream file, of events.jsonl and of
 * ansible.log. The run is named after the captures (run demo, host web-1, workload cpu), so that their events are
 * this run's: whatever the decoder accepts is journalled, and attribution rejects nothing.
 */
class OneDecoderEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Emitters of the run itself, not in the stream file: left out of the comparison. */
    /** Sources whose events are not in the agent's stream file: the poll step, lb's own notices, and the system
     *  information, which has a stream file of its own (system.stream.log). */
    private static final Set<String> NOT_FROM_THE_STREAM = Set.of("poll", "playbook", "controller", "sysinfo");
    private static final Pattern EXPLAINED = Pattern.compile("^rejected .*?:\\d+:\\d+: ([^:]+): ");

    private Path work;

    @BeforeEach
    void setUp(TestInfo info) throws IOException {
        work = RunFiles.workDir(info);
        Files.createDirectories(work);
    }

    private static String event(int seq, String message) {
        return "{\"v\":1,\"run_id\":\"demo\",\"host\":\"web-1\",\"workload\":\"cpu\",\"repetition\":1,"
                + "\"total_repetitions\":1,\"status\":\"running\",\"type\":\"log\",\"src\":\"corpus\",\"seq\":" + seq
                + ",\"message\":\"" + message + "\"}";
    }

    /** Lines the captures do not have: raw control bytes, bad UTF-8, cut and non-JSON payloads, escapes. */
    private static byte[] hostileLines() {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        List<String> text = List.of(
                "LB_EVENT " + event(101, "raw \u0001 control byte"),
                "LB_EVENT " + event(102, "raw \t tab"),
                "LB_EVENT " + event(103, "raw \r carriage return"),
                "LB_EVENT " + event(104, "raw \u2028 line separator and \u202e bidi"),
                "\u001b[0;32mLB_EVENT " + event(105, "coloured") + "\u001b[0m",
                "LB_EVENT " + event(106, "first of two") + " LB_EVENT " + event(107, "second of two"),
                "LB_EVENT " + event(108, "level escape").replace("\"type\":\"log\"", "\"type\":\"log\",\"level\":\"\\u001b[5mX\""),
                "LB_EVENT " + event(109, "dup").replace("\"seq\":109", "\"seq\":109,\"seq\":110"),
                "LB_EVENT " + event(111, "status").replace("running", "bogus"),
                "LB_EVENT garbage after the marker",
                "LB_EVENT",
                "LB_EVENT [1, 2]",
                "LB_EVENT {\"host\": \"web-1\", \"workload\": \"cu",
                "  LB_EVENT {\"seq\": 1}",
                "the word LB_EVENT in prose",
                "LB_EVENT garbage after the marker");
        for (String t : text) {
            b.writeBytes(t.getBytes(StandardCharsets.UTF_8));
            b.write('\n');
        }
        b.writeBytes(("LB_EVENT " + event(112, "bad byte ")).getBytes(StandardCharsets.UTF_8));
        byte[] last = b.toByteArray();
        // an invalid UTF-8 byte inside the message: 'bad byte ' + 0xff before the closing quote
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String s = new String(last, StandardCharsets.UTF_8);
        int cut = s.lastIndexOf("bad byte ") + "bad byte ".length();
        out.writeBytes(s.substring(0, cut).getBytes(StandardCharsets.UTF_8));
        out.write(0xff);
        out.writeBytes(s.substring(cut).getBytes(StandardCharsets.UTF_8));
        out.write('\n');
        return out.toByteArray();
    }

    private static byte[] corpora() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (Stream<Path> files = Files.walk(LbProcess.ROOT.resolve("testdata/corpora"))) {
            for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                byte[] bytes = Files.readAllBytes(f);
                b.writeBytes(bytes);
                if (bytes.length > 0 && bytes[bytes.length - 1] != '\n') {
                    b.write('\n');
                }
            }
        }
        return b.toByteArray();
    }

    /** What lb events parse makes of a file: distinct events by identity, rejections counted by reason. */
    private record Verdicts(Map<String, JsonNode> events, Map<String, Integer> rejected) {
    }

    private Verdicts parse(Path file) throws Exception {
        LbProcess r = LbProcess.runIn(work, Map.of(), null, "events", "parse", "--explain", file.toString());
        assertEquals(0, r.exitCode(), r.err());
        Map<String, JsonNode> events = new TreeMap<>();
        for (String l : r.out().split("\n")) {
            if (!l.isBlank()) {
                JsonNode e = JSON.readTree(l);
                if (!NOT_FROM_THE_STREAM.contains(e.path("src").asText())) {
                    events.put(id(e), e);
                }
            }
        }
        Map<String, Integer> rejected = new TreeMap<>();
        for (String l : r.err().split("\n")) {
            Matcher m = EXPLAINED.matcher(l);
            if (m.find()) {
                rejected.merge(m.group(1), 1, Integer::sum);
            }
        }
        return new Verdicts(events, rejected);
    }

    private static String id(JsonNode e) {
        return e.path("run_id").asText() + "/" + e.path("host").asText() + "/" + e.path("workload").asText() + "/"
                + e.path("repetition").asInt() + "/" + e.path("src").asText() + "/" + e.path("seq").asLong();
    }

    @Test
    void everyCorpusLineIsAcceptedOrRejectedLiveForTheReasonLbEventsParseGives() throws Exception {
        Path lines = work.resolve("corpus-and-hostile.txt");
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        all.writeBytes(corpora());
        all.writeBytes(hostileLines());
        Files.write(lines, all.toByteArray());
        String script = "cat '" + lines + "' >> lb_events.stream.log; echo written";
        Path cfg = work.resolve("corpus.yaml");
        Files.writeString(cfg, "poll_interval_s: 1.0\noutput_dir: runs\nmetrics_interval_s: 0\n"
                + "targets:\n  hosts:\n    - {name: web-1, connection: local}\n"
                + "workloads:\n  - name: cpu\n    argv: [sh, -c, " + JSON.writeValueAsString(script) + "]\n");
        LbProcess run = LbProcess.runIn(work, Map.of(), null, "run", "-c", cfg.toString(), "--output", "plain",
                "--run-id", "demo");
        Path runDir = RunFiles.onlyRunDir(work.resolve("runs"));
        assertTrue(Files.exists(runDir.resolve("summary.json")), "the run finished:\n" + run.out() + run.err());

        Map<String, JsonNode> journalled = new TreeMap<>();
        for (JsonNode r : RunFiles.journal(runDir)) {
            JsonNode e = r.get("event");
            if (!NOT_FROM_THE_STREAM.contains(e.path("src").asText())) {
                assertEquals(null, journalled.put(id(e), e), "journalled once: " + id(e));
            }
        }
        Map<String, Integer> liveRejected = new TreeMap<>();
        JSON.readTree(runDir.resolve("summary.json").toFile()).path("rejected").fields()
                .forEachRemaining(f -> liveRejected.put(f.getKey(), f.getValue().asInt()));

        Verdicts stream = parse(runDir.resolve("artifacts/web-1/lb_events.stream.log"));
        assertTrue(stream.events().keySet().containsAll(List.of("demo/web-1/cpu/1/corpus/105",
                "demo/web-1/cpu/1/corpus/104", "demo/web-1/cpu/1/corpus/112", "demo/web-1/cpu/1/agent/2")),
                "the hostile but valid events and the captures' are accepted: " + stream.events().keySet());
        assertFalse(stream.rejected().isEmpty());

        assertEquals(stream.events(), journalled, "the run accepted exactly what lb events parse accepts, payload for"
                + " payload");
        // Both name an identity seen again with other content a conflict and keep the payload seen first (the
        // captured corpora hold several versions of agent seq 1-4, some escaped inside other lines). How many differs
        // by design: ingest counts a rejection once however many paths carried it, and which version is "other"
        // depends on which one a path brought first; lb events parse counts each sighting in the one file it reads.
        // Every other rejection is the same, once each.
        Integer conflicts = liveRejected.remove("conflict");
        assertTrue(conflicts != null && conflicts > 0, "the corpora's other versions of an identity are named: "
                + liveRejected);
        assertTrue(stream.rejected().getOrDefault("conflict", 0) > 0, "and named by lb events parse too: "
                + stream.rejected());
        assertEquals(withoutConflicts(stream.rejected()), liveRejected, "the run rejected what lb events parse"
                + " rejects, each once, for the same reasons\n" + JSON.readTree(runDir.resolve("summary.json")
                .toFile()));
        Verdicts jsonl = parse(runDir.resolve("events.jsonl"));
        assertEquals(stream.events(), jsonl.events(), "events.jsonl alone carries every event");
        assertEquals(withoutConflicts(stream.rejected()), withoutConflicts(jsonl.rejected()), "and every rejection");
        Verdicts stdout = parse(runDir.resolve("ansible.log"));
        assertEquals(stream.events(), stdout.events(), "ansible.log alone carries every event");
        assertEquals(withoutConflicts(stream.rejected()), withoutConflicts(stdout.rejected()), "and every rejection");
    }

    private static Map<String, Integer> withoutConflicts(Map<String, Integer> rejected) {
        Map<String, Integer> rest = new TreeMap<>(rejected);
        rest.remove("conflict");
        return rest;
    }
}
