package dev.lb.controller.doctor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lb.controller.ingest.CallbackRecord;
import dev.lb.controller.ingest.Journal;
import dev.lb.controller.ingest.JournalReader;
import dev.lb.controller.ingest.StreamRecovery;
import dev.lb.controller.run.RunLayout;
import dev.lb.controller.run.RunRecord;
import dev.lb.controller.run.RunPipeline;
import dev.lb.controller.state.RunSummary;
import dev.lb.controller.state.SummaryFile;
import dev.lb.protocol.EventDecoder;
import dev.lb.protocol.Extraction;
import dev.lb.protocol.InvalidEventException;
import dev.lb.protocol.Utf8Lines;
import dev.lb.protocol.LbEventExtractor;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import dev.lb.controller.ingest.SeqSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Follows a run's events stage by stage, from its run directory: the stream files on the targets (as collected
 * into artifacts/), what the poll steps delivered to the callback (events.jsonl), what reached stdout
 * (ansible.log), and what was journalled. Names the first stage where events drop, per host, with seq ranges.
 */
public final class RunDiagnosis {
    /**
     * The report: stage counts, findings (losses and broken paths), and what could not be checked. "Nothing lost" is
     * only true when {@code cannotTell} is empty: every host's stream file collected and every repetition sealed.
     */
    public record Report(List<String> stages, List<String> findings, boolean lost, List<String> cannotTell) {
    }

    private RunDiagnosis() {
    }

    /**
     * Of {@code missing} (not in the journal of an unfinished run), what `lb recover` can still bring in: all of it
     * while the host's stream file was not collected (it is still on the target), else what a live path's file or
     * the collected stream file holds.
     */
    private static SeqSet recoverable(StreamSeqs.Key key, SeqSet missing, StreamSeqs delivered, StreamSeqs targets,
                                      List<String> collectedHosts) {
        SeqSet out = missing.copy();
        if (collectedHosts.contains(key.host())) {
            SeqSet somewhere = delivered.byStream().getOrDefault(key, new SeqSet()).copy();
            somewhere.addAll(targets.byStream().getOrDefault(key, new SeqSet()));
            out.retainAll(somewhere);
        }
        return out;
    }

    private static String notYet(StreamSeqs.Key key, SeqSet seqs, List<String> collectedHosts) {
        return "cannot tell for " + key + ": " + seqs.size() + " events, seq " + StreamSeqs.ranges(seqs)
                + ", not in the journal yet; the run is unfinished, and `lb recover` can still bring them in (from "
                + (collectedHosts.contains(key.host()) ? "the live paths' files and the collected stream file"
                : "the live paths' files and the target's stream file") + ")";
    }

    public static Report diagnose(Path runDir) throws IOException {
        List<String> cannotTell = new ArrayList<>();
        RunRecord plan = Files.exists(runDir.resolve(RunRecord.FILE)) ? RunRecord.read(runDir) : null;
        Path summaryFile = runDir.resolve(RunPipeline.SUMMARY_FILE);
        RunSummary summary = Files.exists(summaryFile) ? SummaryFile.read(summaryFile) : null;
        // An unfinished run's events that sit in a live path's file or on a target not yet collected are not lost:
        // `lb recover` still brings them in. They are "cannot tell" until it has run, never "lost".
        boolean unfinished = summary == null || summary.isUnfinished();
        if (summary == null) {
            cannotTell.add("the run is unfinished (no summary.json): its controller ended before collecting the"
                    + " targets' stream files; `lb recover " + runDir.getFileName() + "` finishes it");
        }
        String disagreement = dev.lb.controller.run.JournalAgreement.disagreement(runDir, summary);
        if (disagreement != null) {
            cannotTell.add(disagreement);
        }
        if (summary != null && summary.isUnfinished()) {
            cannotTell.add("the run is unfinished (summary.json says so): it was ended at once, before the targets'"
                    + " stream files were collected; `lb recover " + runDir.getFileName() + "` finishes it");
        }
        StreamSeqs targets = new StreamSeqs();
        List<String> collectedHosts = new ArrayList<>();
        Path artifacts = runDir.resolve("artifacts");
        List<String> hostNames = new ArrayList<>();
        if (plan != null) {
            hostNames.addAll(plan.hosts());
        } else if (Files.isDirectory(artifacts)) {
            try (Stream<Path> hosts = Files.list(artifacts)) {
                hosts.sorted().forEach(h -> hostNames.add(h.getFileName().toString()));
            }
        }
        for (String host : hostNames) {
            Path dir = artifacts.resolve(host);
            boolean manifest = Files.exists(dir.resolve(StreamRecovery.MANIFEST));
            for (String name : StreamRecovery.STREAM_FILES) {
                if (Files.exists(dir.resolve(name))) {
                    readLines(dir.resolve(name), targets, null);
                }
            }
            if (manifest) {
                collectedHosts.add(host);
            } else {
                cannotTell.add("cannot tell for " + host + ": its stream file was not collected (no artifacts/" + host
                        + "/" + StreamRecovery.MANIFEST + ")");
            }
        }
        // Stages 2 and 3 are one file each per ansible-playbook process: one process, or one per slice.
        StreamSeqs jsonl = new StreamSeqs();
        StreamSeqs stdout = new StreamSeqs();
        Map<String, List<String>> warningsByHost = new TreeMap<>();
        long[] skipped = {0};
        List<String> missingJsonl = new ArrayList<>();
        List<String> sliceStages = new ArrayList<>();
        Map<String, String> sliceOfHost = new TreeMap<>();
        List<RunLayout.LiveFiles> live = RunLayout.of(runDir);
        if (live.isEmpty()) {
            cannotTell.add("slices/ holds no slice directory: what the live paths delivered cannot be read");
        }
        for (RunLayout.LiveFiles lf : live) {
            List<String> sliceHosts = RunLayout.hostsOf(lf);
            sliceHosts.forEach(h -> sliceOfHost.put(h, lf.label()));
            StreamSeqs j = new StreamSeqs();
            long[] sliceSkipped = {0};
            boolean present = Files.exists(lf.events());
            if (present) {
                readJsonl(lf.events(), j, warningsByHost, sliceSkipped);
            } else {
                missingJsonl.add(lf.eventsName());
            }
            StreamSeqs o = new StreamSeqs();
            if (Files.exists(lf.rawLog())) {
                readLines(lf.rawLog(), o, null);
            }
            if (lf.label() != null) {
                String who = lf.label() + " (" + (sliceHosts.isEmpty() ? "hosts.txt missing" : String.join(", ", sliceHosts))
                        + ")";
                sliceStages.add("2 poll steps -> callback, " + who + ": " + (present ? j.distinct() + " events"
                        : lf.eventsName() + " missing") + (sliceSkipped[0] > 0 ? ", " + sliceSkipped[0]
                        + " non-event lines skipped" : ""));
                sliceStages.add("3 stdout, " + who + ": " + o.distinct() + " events in " + o.events()
                        + " sightings (" + lf.rawLogName() + ")");
            }
            skipped[0] += sliceSkipped[0];
            jsonl.addAll(j);
            stdout.addAll(o);
        }
        // Events of a host, workload or repetition not in the run were rejected by ingest (phantoms a target wrote):
        // they are rejections, counted as such, never a stream of the run that lost them.
        Map<String, SeqSet> notInRun = new TreeMap<>();
        if (plan != null) {
            dev.lb.controller.ingest.Attribution attribution = dev.lb.controller.ingest.Attribution.of(plan.runId(),
                    plan.hosts(), plan.workloads(), plan.repetitions());
            for (StreamSeqs stage : List.of(targets, jsonl, stdout)) {
                stage.removeUnless(k -> attribution.notInRun(k.host(), k.workload(), k.repetition()) == null)
                        .forEach((k, seqs) -> notInRun.computeIfAbsent(plan.hosts().contains(k.host())
                                ? k.toString() : "host " + k.host(), x -> new SeqSet()).addAll(seqs));
            }
        }
        boolean jsonlPresent = missingJsonl.isEmpty();
        StreamSeqs journal = new StreamSeqs();
        Map<StreamSeqs.Key, Long> seals = new TreeMap<>();
        java.util.Set<String> sealedReps = new java.util.TreeSet<>();
        long[] unreadable = readJournal(runDir.resolve(Journal.FILE), journal, seals, sealedReps);
        if (unreadable[1] > 0) {
            cannotTell.add("the journal has " + unreadable[1] + " unreadable records before its last line: it is damaged,"
                    + " and what they held cannot be known");
        }
        if (plan == null) {
            cannotTell.add("no " + RunRecord.FILE + ": the run's plan is unknown, so a repetition that ran without its"
                    + " seal cannot be found");
        }

        List<String> stages = new ArrayList<>();
        stages.add("1 stream files on the targets: " + (collectedHosts.isEmpty() ? "not collected"
                : targets.distinct() + " events (collected from " + String.join(", ", collectedHosts) + ")"));
        if (sliceStages.isEmpty()) {
            stages.add("2 poll steps -> callback (events.jsonl): " + (jsonlPresent ? jsonl.distinct() + " events"
                    : "file missing") + (skipped[0] > 0 ? ", " + skipped[0] + " non-event lines skipped" : ""));
            stages.add("3 stdout (ansible.log): " + stdout.distinct() + " events in " + stdout.events() + " sightings");
        } else {
            stages.add("2+3 live paths, " + live.size() + " slices (one ansible-playbook each): " + jsonl.distinct()
                    + " events by the callbacks, " + stdout.distinct() + " by stdout");
            sliceStages.forEach(l -> stages.add("  " + l));
        }
        stages.add("4 journal (accepted): " + journal.distinct() + " events");
        notInRun.forEach((who, seqs) -> stages.add("not in the run (rejected, never journalled): " + seqs.size()
                + " events of " + who));
        if (summary != null && !summary.rejected().isEmpty()) {
            // Each once, whatever paths carried it; an example names every place it was seen.
            stages.add("rejected (summary.json): " + summary.rejected().values().stream().mapToLong(Long::longValue).sum()
                    + " " + summary.rejected());
            summary.rejectedExamples().forEach(x -> stages.add("  " + x));
        }

        List<String> findings = new ArrayList<>();
        boolean lost = false;
        StreamSeqs delivered = union(jsonl, stdout);
        // The seals: every seq an emitter wrote must be in the journal, whichever path brought it.
        for (Map.Entry<StreamSeqs.Key, Long> seal : seals.entrySet()) {
            SeqSet missing = SeqSet.range(1, seal.getValue()).minus(journal.byStream().get(seal.getKey()));
            if (!missing.isEmpty()) {
                SeqSet later = unfinished ? recoverable(seal.getKey(), missing, delivered, targets, collectedHosts)
                        : new SeqSet();
                if (!later.isEmpty()) {
                    cannotTell.add(notYet(seal.getKey(), later, collectedHosts));
                }
                missing.removeAll(later);
            }
            if (!missing.isEmpty()) {
                lost = true;
                findings.add("lost: " + seal.getKey() + ": " + missing.size() + " events, seq "
                        + StreamSeqs.ranges(missing) + (missing.contains(seal.getValue()) ? " (tail)" : "")
                        + " of the " + seal.getValue() + " its seal counts; not in the journal");
            }
        }
        if (plan != null) {
            for (String host : plan.hosts()) {
                for (String w : plan.workloads()) {
                    for (int r = 1; r <= plan.repetitions(); r++) {
                        String rep = host + " " + w + " rep " + r;
                        int repetition = r;
                        boolean ran = journal.byStream().keySet().stream().anyMatch(k -> k.host().equals(host)
                                && k.workload().equals(w) && k.repetition() == repetition);
                        if (ran && !sealedReps.contains(rep)) {
                            cannotTell.add("cannot tell for " + rep + ": not sealed (the agent's final record with its"
                                    + " seal is not in the journal)");
                        }
                    }
                }
            }
        }
        // Stage 1 -> 2/3: on a target but delivered by neither live path: lost unless recovered into the journal.
        if (!collectedHosts.isEmpty()) {
            for (Map.Entry<StreamSeqs.Key, SeqSet> m : targets.missingFrom(jsonl, stdout).entrySet()) {
                SeqSet notJournalled = m.getValue().minus(journal.byStream().get(m.getKey()));
                long recovered = m.getValue().size() - notJournalled.size();
                if (recovered > 0) {
                    findings.add("not delivered live on " + onHost(m.getKey().host(), sliceOfHost) + ", recovered from its stream file: "
                            + recovered + " events (" + m.getKey() + ")");
                }
                if (!notJournalled.isEmpty() && unfinished) {
                    cannotTell.add(notYet(m.getKey(), notJournalled, collectedHosts));
                } else if (!notJournalled.isEmpty()) {
                    lost = true;
                    findings.add("lost between stream file and poll on " + onHost(m.getKey().host(), sliceOfHost) + ": "
                            + notJournalled.size() + " events, seq " + StreamSeqs.ranges(notJournalled) + " ("
                            + m.getKey() + ")");
                }
            }
        }
        // Holes in what left the targets: gone before the poll could read them (a truncated or replaced file).
        for (Map.Entry<StreamSeqs.Key, SeqSet> g : delivered.gaps().entrySet()) {
            SeqSet holes = g.getValue().minus(targets.byStream().get(g.getKey())); // those are reported above
            if (holes.isEmpty()) {
                continue;
            }
            if (unfinished && !collectedHosts.contains(g.getKey().host())) {
                cannotTell.add(notYet(g.getKey(), holes, collectedHosts));
                continue;
            }
            lost = true;
            List<String> w = warningsByHost.getOrDefault(g.getKey().host(), List.of());
            String why = w.isEmpty() ? "no longer in the stream file" : "the poll step warned: " + w.get(0);
            findings.add("lost between stream file and poll on " + onHost(g.getKey().host(), sliceOfHost) + ": " + holes.size()
                    + " events, seq " + StreamSeqs.ranges(holes) + " (" + g.getKey() + "; " + why + ")");
        }
        // Stage 2/3 -> 4: delivered but not journalled.
        for (Map.Entry<StreamSeqs.Key, SeqSet> m : delivered.missingFrom(journal).entrySet()) {
            if (unfinished) {
                cannotTell.add(notYet(m.getKey(), m.getValue(), collectedHosts));
                continue;
            }
            lost = true;
            findings.add("lost between delivery and the journal on " + onHost(m.getKey().host(), sliceOfHost) + ": " + m.getValue().size()
                    + " events, seq " + StreamSeqs.ranges(m.getValue()) + " (the controller did not journal them)");
        }
        // Each path on its own: not a loss while the other carried the events, but a broken path.
        pathFindings("JSONL", missingJsonl, jsonl, stdout, findings);
        pathFindings("stdout", List.of(), stdout, jsonl, findings);
        warningsByHost.forEach((host, ws) -> ws.forEach(w -> findings.add("poll warning on " + onHost(host, sliceOfHost)
                + ": " + w)));
        // A journal that is not the one summary.json summarized: what it lacks may be its damage, not a loss.
        return new Report(stages, findings, lost && disagreement == null, cannotTell);
    }

    /** "web-3", or "web-3 (slice 2)" in a sliced run. */
    private static String onHost(String host, Map<String, String> sliceOfHost) {
        String slice = sliceOfHost.get(host);
        return slice == null ? host : host + " (" + slice + ")";
    }

    private static void pathFindings(String name, List<String> missing, StreamSeqs path, StreamSeqs other,
                                     List<String> findings) {
        if (!missing.isEmpty()) {
            findings.add("the " + name + " path is broken: " + String.join(", ", missing) + (missing.size() == 1
                    ? " is" : " are") + " missing (deleted during the run?); " + other.distinct()
                    + " events came by the other path");
            if (path.isEmpty()) {
                return;
            }
        }
        if (path.isEmpty() && !other.isEmpty()) {
            findings.add("the " + name + " path carried no events at all (" + other.distinct()
                    + " came by the other path)" + (name.equals("stdout")
                    ? ": the lb_events callback's echo is off (LB_EVENT_ECHO=0) or another stdout callback hides it" : ""));
            return;
        }
        Map<StreamSeqs.Key, SeqSet> missed = other.missingFrom(path);
        long n = missed.values().stream().mapToLong(SeqSet::size).sum();
        if (n > 0) {
            Map.Entry<StreamSeqs.Key, SeqSet> first = missed.entrySet().iterator().next();
            findings.add("the " + name + " path missed " + n + " events the other path delivered (first: " + first.getKey()
                    + " seq " + StreamSeqs.ranges(first.getValue()) + ")" + (name.equals("JSONL")
                    ? "; if it stops at some point, events.jsonl was removed or truncated during the run" : ""));
        }
    }

    private static StreamSeqs union(StreamSeqs a, StreamSeqs b) {
        StreamSeqs u = new StreamSeqs();
        u.addAll(a);
        u.addAll(b);
        return u;
    }

    private static void readLines(Path file, StreamSeqs into, LbEventExtractor extractor) throws IOException {
        LbEventExtractor x = extractor != null ? extractor : new LbEventExtractor();
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.ISO_8859_1)) {
            // Read as Latin-1 then re-decode per line: a stray invalid byte must not stop the whole file.
            for (String raw; (raw = r.readLine()) != null; ) {
                String line = new String(raw.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
                for (Extraction e : x.extract(line)) {
                    if (e instanceof Extraction.Found f) {
                        into.add(f.event());
                    }
                }
            }
        }
    }

    private static void readJsonl(Path file, StreamSeqs into, Map<String, List<String>> warnings, long[] skipped)
            throws IOException {
        LbEventExtractor extractor = new LbEventExtractor();
        try (Utf8Lines r = new Utf8Lines(Files.newInputStream(file))) {
            for (Utf8Lines.Line l; (l = r.next()) != null; ) {
                // bad UTF-8 becomes U+FFFD; the JSON of such a line still decodes or not
                CallbackRecord parsed = CallbackRecord.parse(l.text());
                if (parsed instanceof CallbackRecord.Line forwarded) {
                    for (Extraction e : extractor.extract(forwarded.text())) {
                        if (e instanceof Extraction.Found f) {
                            into.add(f.event());
                        }
                    }
                    continue;
                }
                if (!(parsed instanceof CallbackRecord.Other other)) {
                    continue; // counted by the run itself as a rejection; here only events matter
                }
                JsonNode rec = other.record();
                switch (other.kind()) {
                    case "event" -> {
                        if (rec.get("event") instanceof ObjectNode o) {
                            try {
                                into.add(EventDecoder.decode(o));
                            } catch (InvalidEventException e) {
                                // rejected during the run and counted in summary.json
                            }
                        }
                    }
                    case "warning" -> warnings.computeIfAbsent(rec.path("host").asText("?"), h -> new ArrayList<>())
                            .add(rec.path("warning").asText());
                    case "skipped" -> skipped[0] += rec.path("count").asLong();
                    default -> {
                        // stats and diagnostics are reported by the summary
                    }
                }
            }
        }
    }

    /** Returns {unreadable records, unreadable records other than the last line}. */
    private static long[] readJournal(Path file, StreamSeqs into, Map<StreamSeqs.Key, Long> seals,
                                      java.util.Set<String> sealedReps) throws IOException {
        long[] bad = {0, 0};
        if (!Files.exists(file)) {
            return bad;
        }
        // Doctor counts what cannot be read; lb journal show names each line.
        try (JournalReader r = JournalReader.open(file, problem -> { })) {
            long undecodable = 0;
            boolean lastUndecodable = false;
            for (JournalReader.Record rec; (rec = r.next()) != null; ) {
                lastUndecodable = false;
                try {
                    var event = EventDecoder.decode(rec.event());
                    into.add(event);
                    if (event.status().isFinal() && event.field("seal") instanceof ObjectNode seal) {
                        sealedReps.add(event.host() + " " + event.workload() + " rep " + event.repetition());
                        seal.fields().forEachRemaining(f -> seals.put(new StreamSeqs.Key(event.host(),
                                event.workload(), event.repetition(), f.getKey()), f.getValue().path("last_seq").asLong()));
                    }
                } catch (InvalidEventException e) {
                    undecodable++;
                    lastUndecodable = true;
                }
            }
            bad[0] = r.unreadable() + undecodable;
            // A torn last line of a crashed controller is expected; anywhere else the journal is damaged.
            bad[1] = bad[0] - (r.lastLineUnreadable() || lastUndecodable ? 1 : 0);
        }
        return bad;
    }

}
