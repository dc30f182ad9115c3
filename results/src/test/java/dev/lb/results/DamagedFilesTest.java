package dev.lb.results;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What every parser says about files that are not a result at all: one line naming the file and the fault. */
class DamagedFilesTest {
    private static ResultParser parser(String name) {
        return ResultParsers.named(name).orElseThrow();
    }

    @ParameterizedTest
    @ValueSource(strings = {"stress-ng", "fio", "sysbench", "k6"})
    void missingFile(String name, @TempDir Path dir) {
        Path f = dir.resolve("absent.out");
        ResultParseException e = assertThrows(ResultParseException.class, () -> parser(name).parse(f));
        assertEquals(f + ": no such file", e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"stress-ng", "fio", "sysbench", "k6"})
    void emptyFile(String name) {
        Path f = Fixtures.path("empty.txt");
        ResultParseException e = assertThrows(ResultParseException.class, () -> parser(name).parse(f));
        assertEquals(f + ": is empty", e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"stress-ng", "fio", "sysbench", "k6"})
    void garbageFileIsOneLineNamingTheFile(String name) {
        Path f = Fixtures.path("garbage.txt");
        ResultParseException e = assertThrows(ResultParseException.class, () -> parser(name).parse(f));
        assertTrue(e.getMessage().startsWith(f + ": "), e.getMessage());
        assertEquals(1, e.getMessage().lines().count(), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"stress-ng", "fio", "sysbench", "k6"})
    void binaryFileIsNotText(String name, @TempDir Path dir) throws IOException {
        Path f = dir.resolve("core");
        Files.write(f, new byte[] {0x7f, 'E', 'L', 'F', (byte) 0xff, (byte) 0xfe, 0, 1});
        ResultParseException e = assertThrows(ResultParseException.class, () -> parser(name).parse(f));
        assertEquals(f + ": not UTF-8 text (binary data?)", e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"stress-ng", "fio", "sysbench", "k6"})
    void fileOverTheSizeLimitIsNotRead(String name, @TempDir Path dir) throws IOException {
        Path f = dir.resolve("huge.out");
        try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "rw")) {
            raf.setLength(ResultFile.MAX_BYTES + 1); // sparse: no 64 MiB written to disk
        }
        ResultParseException e = assertThrows(ResultParseException.class, () -> parser(name).parse(f));
        assertEquals(f + ": larger than the 64 MiB limit for a result file", e.getMessage());
    }
}
