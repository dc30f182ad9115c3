package dev.lb.agent.stream;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lb.protocol.Json;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;

/**
 * {@code status.json}: the repetition's outcome, written atomically and only after the final event is on disk, so
 * whoever sees this file has already been able to read every event of the repetition.
 *
 * <p>It must be writable when nothing else is: the repetition that fills the disk is the one whose outcome has to
 * say so. So its room is taken when the repetition starts ({@link #reserve}): a file of {@value #RESERVED_BYTES}
 * blanks (JSON allows trailing whitespace) under another name. At the end the status is written over it in place,
 * which needs no new blocks, the file cut to the status's length (which frees the rest for the poll step's own small
 * files), and renamed to {@code status.json}, which needs no blocks either: readers still see the whole file or
 * none, as with a temp file and a rename.
 */
public final class StatusFile {
    public static final String NAME = "status.json";
    static final String RESERVE = ".status.json.reserve";
    /** Room for the status; a status is under 2 KiB (the failed event's long error context is not copied into it). */
    public static final int RESERVED_BYTES = 16 * 1024;

    private final Path runDir;
    private final IOException reserveFailure;

    private StatusFile(Path runDir, IOException reserveFailure) {
        this.runDir = runDir;
        this.reserveFailure = reserveFailure;
    }

    /**
     * Takes the room for the status file now. When even that fails (the disk is full already), the status is
     * written the ordinary way at the end; {@link #reserveFailure()} says why, for the agent's log.
     */
    public static StatusFile reserve(Path runDir) {
        byte[] blanks = new byte[RESERVED_BYTES];
        Arrays.fill(blanks, (byte) ' ');
        blanks[blanks.length - 1] = '\n';
        Path reserve = runDir.resolve(RESERVE);
        try (RandomAccessFile f = new RandomAccessFile(reserve.toFile(), "rw")) {
            f.write(blanks);
            f.setLength(blanks.length);
            f.getFD().sync();
            return new StatusFile(runDir, null);
        } catch (IOException e) {
            try {
                Files.deleteIfExists(reserve);
            } catch (IOException again) {
                e.addSuppressed(again);
            }
            return new StatusFile(runDir, e);
        }
    }

    /** No room taken: for a status written at once (invalid input). */
    public static StatusFile unreserved(Path runDir) {
        return new StatusFile(runDir, null);
    }

    public IOException reserveFailure() {
        return reserveFailure;
    }

    /**
     * Syncs the stream, then writes the status. A stream that cannot be synced does not keep the status from being
     * written: the status says so ({@code stream_sync_error}).
     */
    public void write(ObjectNode status, EventStream stream) throws IOException {
        try {
            stream.sync();
        } catch (IOException e) {
            status.put("stream_sync_error", String.valueOf(e.getMessage()));
        }
        byte[] content = (Json.line(status) + "\n").getBytes(StandardCharsets.UTF_8);
        Path reserve = runDir.resolve(RESERVE);
        if (!Files.exists(reserve)) {
            AtomicFiles.write(runDir.resolve(NAME), content);
            return;
        }
        // In place, with RandomAccessFile rather than a FileChannel, which an interrupted thread (a stopped agent)
        // could not write: the status must be written however the repetition ended.
        try (RandomAccessFile f = new RandomAccessFile(reserve.toFile(), "rw")) {
            f.write(content);
            f.setLength(content.length);
            f.getFD().sync();
        }
        try {
            Files.move(reserve, runDir.resolve(NAME), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("cannot rename " + reserve + " to " + NAME + " atomically on this file system", e);
        }
        AtomicFiles.syncDirectory(runDir);
    }
}
