package dev.lb.controller.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Where a run directory keeps the files of its ansible-playbook processes. A run of one process (the default) has
 * {@code ansible.log} and {@code events.jsonl} at the top; a sliced run ({@code slices: K}) has, per slice k from 1,
 * {@code slices/<k>/hosts.txt} (the slice's hosts, handed to its process as {@code --limit @FILE}),
 * {@code slices/<k>/ansible.log} and {@code slices/<k>/events.jsonl}. Every reader of run directories asks here.
 */
public final class RunLayout {
    public static final String SLICES_DIR = "slices";
    public static final String HOSTS_FILE = "hosts.txt";

    private RunLayout() {
    }

    /**
     * The live files of one ansible-playbook process: {@code slice} is its number from 1, or 0 for the single
     * process of an unsliced run (whose files are at the top of the run directory).
     */
    public record LiveFiles(int slice, Path rawLog, Path events, Path hostsFile) {
        /** "slice 2", or null for the single process of an unsliced run. */
        public String label() {
            return slice == 0 ? null : "slice " + slice;
        }

        /** The raw log's name as a reader shows it: {@code ansible.log} or {@code slices/2/ansible.log}. */
        public String rawLogName() {
            return slice == 0 ? RunPipeline.RAW_LOG : SLICES_DIR + "/" + slice + "/" + RunPipeline.RAW_LOG;
        }

        public String eventsName() {
            return slice == 0 ? RunPipeline.EVENTS_FILE : SLICES_DIR + "/" + slice + "/" + RunPipeline.EVENTS_FILE;
        }
    }

    public static LiveFiles single(Path runDir) {
        return new LiveFiles(0, runDir.resolve(RunPipeline.RAW_LOG), runDir.resolve(RunPipeline.EVENTS_FILE), null);
    }

    public static LiveFiles slice(Path runDir, int k) {
        Path dir = runDir.resolve(SLICES_DIR).resolve(Integer.toString(k));
        return new LiveFiles(k, dir.resolve(RunPipeline.RAW_LOG), dir.resolve(RunPipeline.EVENTS_FILE),
                dir.resolve(HOSTS_FILE));
    }

    /** Whether {@code runDir} was run in slices (it has a {@code slices/} directory). */
    public static boolean sliced(Path runDir) {
        return Files.isDirectory(runDir.resolve(SLICES_DIR));
    }

    /**
     * The live files of a run directory, either layout: its slices in order (every directory of {@code slices/}
     * named by a number), or the single process's files.
     */
    public static List<LiveFiles> of(Path runDir) throws IOException {
        if (!sliced(runDir)) {
            return List.of(single(runDir));
        }
        List<Integer> numbers = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(runDir.resolve(SLICES_DIR))) {
            dirs.filter(Files::isDirectory).map(d -> d.getFileName().toString())
                    .filter(n -> n.matches("[1-9][0-9]{0,3}")).map(Integer::valueOf).sorted().forEach(numbers::add);
        }
        return numbers.stream().map(k -> slice(runDir, k)).toList();
    }

    /** A slice's hosts as its hosts.txt lists them (empty for the single process, which has every host). */
    public static List<String> hostsOf(LiveFiles files) throws IOException {
        if (files.hostsFile() == null || !Files.exists(files.hostsFile())) {
            return List.of();
        }
        return Files.readAllLines(files.hostsFile()).stream().filter(l -> !l.isBlank()).toList();
    }
}
