package dev.lb.controller;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lb.controller.config.ConfigException;
import dev.lb.controller.config.ConfigLoader;
import dev.lb.controller.ingest.LineExtractor;
import dev.lb.controller.listener.Rejection;
import dev.lb.controller.listener.RejectionKey;
import dev.lb.controller.listener.RunListener;
import dev.lb.controller.run.JournalReplay;
import dev.lb.controller.state.RunState;
import dev.lb.protocol.Event;
import dev.lb.protocol.EventDecoder;
import dev.lb.protocol.InvalidEventException;
import dev.lb.protocol.Extraction;
import dev.lb.protocol.LbEventExtractor;
import dev.lb.protocol.LineSplitter;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Random and mutated inputs, seeded from the shared corpora, through every reader of untrusted bytes: the marker
 * extractor (stdout, stream files), the payload decoder, the journal reader and the config loader. A fixed budget
 * and a fixed seed keep it deterministic. Nothing may escape but the reader's own "this input is bad" answer, and
 * every input line is accounted for.
 */
class FuzzTest {
    private static final long SEED = 20261201L;
    private static final int ROUNDS = 1500;
    private static final Path CORPORA = Path.of(System.getProperty("lb.root", "..")).resolve("testdata/corpora");
    private static final byte[] NASTY = ("LB_EVENT {}[]\"\\:,\u001b[2J\u0085\u202e\u0000\n\r\t{\"host\":"
            + "\"seq\":-1e999,\"repetition\":99999999999999999999").getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path dir;

    private static List<byte[]> seeds() throws Exception {
        List<byte[]> seeds = new ArrayList<>();
        Path corpora = CORPORA.toAbsolutePath().normalize();
        assertTrue(Files.isDirectory(corpora), "the captured corpora are part of the repository: " + corpora);
        {
            try (Stream<Path> files = Files.walk(corpora)) {
                for (Path f : files.filter(Files::isRegularFile).toList()) {
                    seeds.add(Files.readAllBytes(f));
                }
            }
        }
        // Seeds of our own formats besides the captured ones: a stream line and a journal record.
        seeds.add(("LB_EVENT {\"v\":1,\"run_id\":\"r\",\"host\":\"h\",\"workload\":\"w\",\"repetition\":1,"
                + "\"total_repetitions\":2,\"status\":\"running\",\"type\":\"log\",\"level\":\"INFO\",\"src\":\"agent\","
                + "\"seq\":7,\"ts\":1.5,\"message\":\"hello\"}\n").getBytes(StandardCharsets.UTF_8));
        seeds.add(("{\"received\":1.6,\"path\":\"jsonl\",\"event\":{\"host\":\"h\",\"workload\":\"w\",\"repetition\":1,"
                + "\"status\":\"done\",\"src\":\"agent\",\"seq\":8}}\n").getBytes(StandardCharsets.UTF_8));
        return seeds;
    }

    /** One of: flip bytes, insert nasty bytes, cut, duplicate a slice, splice two seeds, random bytes. */
    private static byte[] mutate(SplittableRandom r, List<byte[]> seeds) {
        byte[] base = seeds.get(r.nextInt(seeds.size()));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int len = base.length == 0 ? 0 : Math.min(base.length, 1 + r.nextInt(4096));
        int from = base.length - len <= 0 ? 0 : r.nextInt(base.length - len + 1);
        byte[] slice = java.util.Arrays.copyOfRange(base, from, from + len);
        switch (r.nextInt(6)) {
            case 0 -> {
                for (int i = 0; i < 1 + r.nextInt(8) && slice.length > 0; i++) {
                    slice[r.nextInt(slice.length)] = (byte) r.nextInt(256);
                }
                out.writeBytes(slice);
            }
            case 1 -> {
                int at = slice.length == 0 ? 0 : r.nextInt(slice.length);
                out.write(slice, 0, at);
                int start = r.nextInt(NASTY.length);
                out.write(NASTY, start, 1 + r.nextInt(Math.min(8, NASTY.length - start)));
                out.write(slice, at, slice.length - at);
            }
            case 2 -> out.write(slice, 0, slice.length == 0 ? 0 : r.nextInt(slice.length));
            case 3 -> {
                out.writeBytes(slice);
                out.writeBytes(slice);
            }
            case 4 -> {
                out.writeBytes(slice);
                byte[] other = seeds.get(r.nextInt(seeds.size()));
                out.write(other, 0, Math.min(other.length, r.nextInt(2048)));
            }
            default -> {
                byte[] noise = new byte[r.nextInt(512)];
                for (int i = 0; i < noise.length; i++) {
                    noise[i] = (byte) r.nextInt(256);
                }
                out.writeBytes(noise);
            }
        }
        return out.toByteArray();
    }

    /** Lines the journal reader considers at all: a blank line (as String.isBlank says) is neither record nor problem. */
    private static long nonBlankLines(byte[] b) {
        long n = 0;
        int start = 0;
        for (int i = 0; i <= b.length; i++) {
            if (i == b.length || b[i] == '\n') {
                if (i > start || i < b.length) {
                    String line = new String(b, start, i - start, java.nio.charset.StandardCharsets.UTF_8);
                    n += line.isBlank() ? 0 : 1;
                }
                start = i + 1;
            }
        }
        return n;
    }

    private static long newlines(byte[] b) {
        long n = 0;
        for (byte x : b) {
            if (x == '\n') {
                n++;
            }
        }
        return n + (b.length > 0 && b[b.length - 1] != '\n' ? 1 : 0);
    }

    @Test
    void theExtractorAccountsForEveryLineAndNeverThrows() throws Exception {
        SplittableRandom r = new SplittableRandom(SEED);
        List<byte[]> seeds = seeds();
        LbEventExtractor extractor = new LbEventExtractor(4096);
        long events = 0;
        long rejections = 0;
        for (int i = 0; i < ROUNDS; i++) {
            byte[] input = mutate(r, seeds);
            long[] counts = new long[2];
            LineExtractor lines = new LineExtractor("fuzz", extractor, new LineExtractor.Downstream() {
                @Override
                public void payload(Extraction.Payload payload, String source, long line, String deliveredBy) {
                    if (payload.decode() instanceof Extraction.Found) {
                        counts[0]++;
                    } else {
                        counts[1]++;
                    }
                }

                @Override
                public void rejected(Rejection rejection, RejectionKey key) {
                    counts[1]++;
                    assertTrue(rejection.reason() != null && !rejection.describe().isEmpty());
                }
            });
            LineSplitter splitter = new LineSplitter(4096, lines);
            int at = 0;
            while (at < input.length) { // fed in random chunks, as a pipe delivers them
                int n = Math.min(input.length - at, 1 + r.nextInt(700));
                splitter.feed(input, at, n);
                at += n;
            }
            splitter.finish();
            assertEquals(newlines(input), lines.lines(), "every line counted, round " + i);
            events += counts[0];
            rejections += counts[1];
        }
        assertTrue(events > 0 && rejections > 0, "the mutations reached both outcomes: " + events + "/" + rejections);
    }

    @Test
    void theDecoderAnswersEveryPayloadWithAnEventOrAReason() throws Exception {
        SplittableRandom r = new SplittableRandom(SEED + 1);
        List<byte[]> seeds = seeds();
        int rejected = 0;
        for (int i = 0; i < ROUNDS; i++) {
            String text = new String(mutate(r, seeds), StandardCharsets.UTF_8);
            int brace = text.indexOf('{');
            try {
                EventDecoder.decode(brace < 0 ? text : text.substring(brace));
            } catch (InvalidEventException e) {
                assertTrue(e.reason() != null && e.getMessage() != null, "a reason");
                rejected++;
            }
        }
        assertTrue(rejected > 0);
    }

    @Test
    void theJournalReaderSkipsWhatItCannotReadAndNeverThrows() throws Exception {
        SplittableRandom r = new SplittableRandom(SEED + 2);
        List<byte[]> seeds = seeds();
        for (int i = 0; i < 300; i++) {
            Path journal = dir.resolve("journal-" + i + ".jsonl");
            Files.write(journal, mutate(r, seeds));
            List<String> problems = new ArrayList<>();
            long[] accepted = {0};
            long bad = JournalReplay.replay(journal, null, new RunState(List.of(), List.of(), 1), new RunListener() {
                @Override
                public void accepted(dev.lb.controller.listener.Sighting s, RunState state) {
                    accepted[0]++;
                }
            }, false, problems::add);
            assertEquals(bad, problems.stream().filter(p -> p.contains("unreadable record")).count(),
                    "every skipped record is reported");
            long lines = nonBlankLines(Files.readAllBytes(journal));
            assertEquals(lines, accepted[0] + bad, "each line that is not blank an event or a reported skip");
        }
    }

    @Test
    void theConfigLoaderAnswersEveryFileWithAConfigOrItsProblems() throws Exception {
        SplittableRandom r = new SplittableRandom(SEED + 3);
        List<byte[]> seeds = new ArrayList<>(seeds());
        Path example = Path.of(System.getProperty("lb.root", "..")).resolve("examples/benchmark.yaml");
        if (Files.exists(example)) {
            seeds.add(Files.readAllBytes(example));
        }
        int problems = 0;
        for (int i = 0; i < 600; i++) {
            Path f = dir.resolve("c" + i + ".yaml");
            Files.write(f, mutate(r, seeds));
            try {
                ConfigLoader.load(f);
            } catch (ConfigException e) {
                assertTrue(!e.problems().isEmpty(), "a problem is named");
                problems++;
            }
        }
        assertTrue(problems > 0);
    }
}
