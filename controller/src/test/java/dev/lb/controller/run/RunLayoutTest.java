package dev.lb.controller.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunLayoutTest {
    @TempDir
    Path run;

    @Test
    void aRunOfOneProcessHasItsFilesAtTheTop() throws Exception {
        List<RunLayout.LiveFiles> live = RunLayout.of(run);
        assertEquals(1, live.size());
        assertEquals(run.resolve("ansible.log"), live.get(0).rawLog());
        assertEquals(run.resolve("events.jsonl"), live.get(0).events());
        assertNull(live.get(0).label());
        assertEquals("events.jsonl", live.get(0).eventsName());
        assertEquals(List.of(), RunLayout.hostsOf(live.get(0)));
    }

    @Test
    void aSlicedRunListsItsNumberedSliceDirectoriesInNumericOrder() throws Exception {
        for (String k : List.of("10", "2", "1")) {
            Files.createDirectories(run.resolve("slices").resolve(k));
        }
        Files.createDirectories(run.resolve("slices/tmp")); // not a slice
        Files.writeString(run.resolve("slices/2/hosts.txt"), "web-3\nweb-4\n");
        List<RunLayout.LiveFiles> live = RunLayout.of(run);
        assertEquals(List.of(1, 2, 10), live.stream().map(RunLayout.LiveFiles::slice).toList());
        RunLayout.LiveFiles two = live.get(1);
        assertEquals("slice 2", two.label());
        assertEquals(run.resolve("slices/2/ansible.log"), two.rawLog());
        assertEquals("slices/2/events.jsonl", two.eventsName());
        assertEquals("slices/2/ansible.log", two.rawLogName());
        assertEquals(List.of("web-3", "web-4"), RunLayout.hostsOf(two));
        assertEquals(List.of(), RunLayout.hostsOf(live.get(0)), "no hosts.txt: no hosts known");
    }
}
