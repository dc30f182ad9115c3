package dev.lb.controller.cli;

import dev.lb.controller.ExitCode;

import dev.lb.controller.ingest.DownstreamThread;
import dev.lb.controller.ingest.FramingThread;
import dev.lb.controller.ingest.LineExtractor;
import dev.lb.controller.listener.Rejection;
import dev.lb.controller.listener.RejectionKey;
import dev.lb.protocol.CompactEvent;
import dev.lb.protocol.Event;
import dev.lb.protocol.EventDecoder;
import dev.lb.protocol.Extraction;
import dev.lb.protocol.IdentityProbe;
import dev.lb.protocol.InvalidEventException;
import dev.lb.protocol.Json;
import dev.lb.protocol.LbEventExtractor;
import dev.lb.protocol.LineSplitter;
import dev.lb.protocol.RejectReason;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code lb events parse}: every distinct event in some output, one JSON object per line. */
@Command(name = "parse", mixinStandardHelpOptions = true,
        description = {
            "Recovers every LB_EVENT payload from FILEs (or standard input) and prints each distinct event once, as"
                    + " one compact JSON object per line, in first-seen order, with exactly the payload's fields.",
            "",
            "Reads anything that carries events: agent stream files, ansible-playbook output (default, -v and YAML"
                    + " callbacks, colour codes, loop items), callback JSONL files, journals. Two sightings with the"
                    + " same identity are one event: (run_id, host, workload, repetition, src, seq), or the whole"
                    + " payload when there is no seq. The same identity with other content is not merged: it is"
                    + " rejected as a conflict and the one seen first is kept.",
            "",
            "A summary goes to standard error. Exit code 0, or 2 when a FILE cannot be read (the other FILEs are"
                    + " still read).",
            ""})
final class EventsParseCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "FILE", description = "Files to read; standard input when none is given, or for '-'.")
    List<Path> files = new ArrayList<>();

    @Option(names = "--explain", description = "Write each rejected payload to standard error: file:line:column,"
            + " reason and the start of the text.")
    boolean explain;

    @Option(names = "--max-line-bytes", paramLabel = "N", defaultValue = "8388608",
            description = "Lines longer than this are not scanned and count as rejected (default: ${DEFAULT-VALUE}).")
    int maxLineBytes;

    private final InputStream stdin;

    EventsParseCommand(InputStream stdin) {
        this.stdin = stdin;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (maxLineBytes < 64) {
            throw new LbException(ExitCode.USAGE, "--max-line-bytes must be at least 64, was " + maxLineBytes);
        }
        // Flushed when the judge has nothing queued (and before anything goes to stderr), not after every line.
        PrintWriter printed = new PrintWriter(new BufferedWriter(out, 1 << 16), false);
        Distinct distinct = new Distinct(printed, err, explain);
        // Reading and splitting here, framing on a second thread, judging and printing on a third; the order of
        // everything stays the same.
        DownstreamThread judge = new DownstreamThread("lb-events-judge", distinct, printed::flush);
        LbEventExtractor extractor = new LbEventExtractor(maxLineBytes);
        long lines = 0;
        int unreadable = 0;
        List<Path> inputs = files.isEmpty() ? List.of(Path.of("-")) : files;
        for (Path file : inputs) {
            boolean isStdin = file.toString().equals("-");
            String name = isStdin ? "<stdin>" : file.toString();
            RecordOrTextLines sink = new RecordOrTextLines(name, new LineExtractor(name, extractor, judge), judge);
            // The framing thread hands its payloads to the judge after each batch of lines, and then leaves the
            // judge alone: once it is closed, this thread may drain the judge itself.
            FramingThread framing = new FramingThread("lb-events-framing", sink, judge::handOver);
            LineSplitter splitter = new LineSplitter(maxLineBytes, framing);
            try (InputStream in = isStdin ? nonClosing(stdin) : Files.newInputStream(file)) {
                byte[] buf = new byte[64 * 1024];
                for (int n; (n = in.read(buf)) >= 0; ) {
                    splitter.feed(buf, 0, n);
                    framing.handOver(); // the next read may wait: nothing read so far waits with it
                }
                splitter.finish();
            } catch (NoSuchFileException e) {
                unreadable++;
                settle(framing, judge, printed);
                err.println("lb: cannot read " + name + ": no such file");
            } catch (AccessDeniedException e) {
                unreadable++;
                settle(framing, judge, printed);
                err.println("lb: cannot read " + name + ": permission denied");
            } catch (IOException e) {
                unreadable++;
                settle(framing, judge, printed);
                err.println("lb: cannot read " + name + " after " + sink.lines() + " lines: " + e.getMessage());
            } finally {
                framing.close();
            }
            lines += sink.lines();
        }
        judge.close();
        printed.flush();
        if (unreadable < inputs.size()) {
            err.println(distinct.summary(lines, unreadable));
        }
        return unreadable > 0 ? ExitCode.USAGE : ExitCode.OK;
    }

    /** Everything read so far framed, judged and printed, so that a message on stderr comes after it, as it happened. */
    private static void settle(FramingThread framing, DownstreamThread judge, PrintWriter printed) {
        framing.close();
        judge.drain();
        printed.flush();
    }

    private static InputStream nonClosing(InputStream in) {
        return new java.io.FilterInputStream(in) {
            @Override
            public void close() {
                // standard input belongs to the process, not to this command
            }
        };
    }

    /**
     * Prints each event the first time its identity is seen; counts the rest. Decides as the run's ingest does:
     * identity first ({@link IdentityProbe}), the decoder only for a payload whose identity is not known yet, so a
     * payload is accepted or rejected for the same reason here and live. A payload with nothing to judge ({@link
     * CompactEvent}: the decoder would accept it and print its text unchanged) skips both and is printed as it came.
     */
    private static final class Distinct implements LineExtractor.Downstream {
        private final PrintWriter out;
        private final PrintWriter err;
        private final boolean explain;
        private final SeenEvents seen = new SeenEvents();
        private final CompactEvent compact = new CompactEvent();
        private final Map<RejectReason, Integer> rejected = new EnumMap<>(RejectReason.class);
        private long duplicates;

        Distinct(PrintWriter out, PrintWriter err, boolean explain) {
            this.out = out;
            this.err = err;
            this.explain = explain;
        }

        @Override
        public void payload(Extraction.Payload payload, String source, long line, String deliveredBy) {
            // A payload with nothing to judge is printed as it came: its text is the line Json.line would print.
            IdentityProbe.Probe plain = payload.plainIdentity() != null ? payload.plainIdentity()
                    : compact.identity(payload.json());
            if (plain != null) {
                String text = payload.json();
                switch (seen.add(plain, SeqPrints.of(text))) {
                    case NEW -> out.println(text);
                    case SAME -> duplicates++;
                    case OTHER -> conflict(plain, payload, source, line);
                }
                return;
            }
            judged(payload, source, line);
        }

        /**
         * Any other payload, as the run's ingest decides it: identity first, the decoder for a first sighting and for
         * a known identity whose text differs (the same event written otherwise, or a conflict).
         */
        private void judged(Extraction.Payload payload, String source, long line) {
            IdentityProbe.Probe probe = IdentityProbe.read(payload.json());
            if (probe != null && seen.check(probe, SeqPrints.of(payload.json())) == SeenEvents.Sighting.SAME) {
                duplicates++;
                return;
            }
            Event event;
            try {
                event = EventDecoder.decode(payload.json());
            } catch (InvalidEventException e) {
                rejected(new Rejection(source, line, e.reason(), e.getMessage(), payload.column(), payload.snippet()),
                        null);
                return;
            }
            String canonical = Json.line(event.payload());
            switch (seen.add(event, SeqPrints.of(canonical))) {
                case NEW -> out.println(canonical);
                case SAME -> duplicates++;
                case OTHER -> conflict(probe, payload, source, line);
            }
        }

        /** Same identity, other content: not the same event, never merged into the one printed first. */
        private void conflict(IdentityProbe.Probe p, Extraction.Payload payload, String source, long line) {
            String identity = p == null ? "" : " (" + p.host() + " " + p.workload() + " rep " + p.repetition() + " "
                    + p.src() + " seq " + p.seq() + ")";
            rejected(new Rejection(source, line, RejectReason.CONFLICT, "the identity of an event already printed"
                    + identity + " with other content; the one seen first is kept", payload.column(),
                    payload.snippet()), null);
        }

        @Override
        public void rejected(Rejection r, RejectionKey key) {
            rejected.merge(r.reason(), 1, Integer::sum);
            if (explain) {
                out.flush(); // the events before it first, as they were read
                err.println("rejected " + r.describe());
            }
        }

        String summary(long lines, int unreadable) {
            int total = rejected.values().stream().mapToInt(Integer::intValue).sum();
            String reasons = rejected.isEmpty() ? "" : rejected.entrySet().stream()
                    .map(e -> e.getKey().label() + ": " + e.getValue())
                    .collect(Collectors.joining(", ", " (", ")"));
            return "lines read: " + lines + ", events: " + seen.size() + ", duplicates merged: " + duplicates
                    + ", rejected: " + total + reasons + (unreadable > 0 ? ", unreadable files: " + unreadable : "");
        }
    }
}
