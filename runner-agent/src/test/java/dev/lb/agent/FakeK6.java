package dev.lb.agent;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Puts the fake k6 (test resources) in a directory as an executable named k6. */
final class FakeK6 {
    private FakeK6() {
    }

    static Path install(Path dir) throws IOException {
        Path bin = Files.createDirectories(dir.resolve("bin")).resolve("k6");
        try (InputStream in = FakeK6.class.getResourceAsStream("/fake-k6")) {
            Files.copy(in, bin, StandardCopyOption.REPLACE_EXISTING);
        }
        if (!bin.toFile().setExecutable(true)) {
            throw new IOException("cannot make " + bin + " executable");
        }
        return bin;
    }
}
