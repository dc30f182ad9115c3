package dev.lb.controller.run;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;

/** {@code runs/<run_id>/}: private (0700), created new for each run so nothing stale is ever read. */
public final class RunDirectory {
    private static final DateTimeFormatter ID_TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);
    private static final SecureRandom RANDOM = new SecureRandom();

    private RunDirectory() {
    }

    public static String newRunId(Clock clock) {
        byte[] b = new byte[2];
        RANDOM.nextBytes(b);
        return ID_TIME.format(clock.instant()) + "-" + HexFormat.of().formatHex(b);
    }

    /**
     * A token for one attempt at a run: it names the targets' directories ({@code <run_id>.<attempt>}), so files of
     * an earlier attempt with the same run id (a leftover RUN_STOP, offsets, a stream) are never read again.
     */
    public static String newAttempt() {
        byte[] b = new byte[4];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    /** The output directory cannot hold runs (a file by that name, or a directory that cannot be made): a config fix. */
    public static final class Unusable extends IOException {
        Unusable(String message) {
            super(message);
        }
    }

    /**
     * Makes sure runs can go under {@code outputDir}, creating it when missing; says the true reason when they cannot
     * (a file in the way, a directory without permission), before anything else is judged of it (its free room).
     */
    public static void checkUsable(Path outputDir) throws Unusable {
        Path existing = outputDir.toAbsolutePath();
        while (existing != null && !Files.exists(existing, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            existing = existing.getParent();
        }
        if (existing != null && !Files.isDirectory(existing)) {
            throw new Unusable("output_dir " + outputDir + ": " + existing + " is a file, not a directory; runs go into"
                    + " a directory");
        }
        try {
            Files.createDirectories(outputDir);
        } catch (java.nio.file.AccessDeniedException e) {
            throw new Unusable("output_dir " + outputDir + " cannot be created: permission denied on " + e.getFile());
        } catch (IOException e) {
            throw new Unusable("output_dir " + outputDir + " cannot be created: " + e);
        }
        if (!Files.isWritable(outputDir)) {
            throw new Unusable("output_dir " + outputDir + " is not writable by this user");
        }
    }

    /** Creates the run directory; fails when it already exists (a run id is used once). */
    public static Path create(Path outputDir, String runId) throws IOException {
        checkUsable(outputDir);
        Path dir = outputDir.resolve(runId);
        try {
            Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (FileAlreadyExistsException e) {
            throw new FileAlreadyExistsException(dir.toString(), null,
                    "a run with this id exists already; choose another run_id or leave it on auto");
        }
        return dir;
    }
}
