package dev.lb.results;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Reads a result file as text, bounded: a result is a few kilobytes, so anything past {@link #MAX_BYTES} is a wrong
 * file or a runaway tool, and reading it whole could exhaust the agent's small heap.
 */
final class ResultFile {
    static final long MAX_BYTES = 64L * 1024 * 1024;

    private ResultFile() {
    }

    /**
     * The file's last {@code maxBytes} at most, from the first line start in them: for a workload's stdout, which may
     * be far longer than a result file, where the last match of a declared regex is what counts. Bytes that are
     * not UTF-8 become U+FFFD.
     */
    static String readTail(Path file, long maxBytes) throws ResultParseException {
        try (SeekableByteChannel ch = Files.newByteChannel(file)) {
            long size = ch.size();
            if (size <= maxBytes) {
                return decode(file, readAll(ch, (int) size), CodingErrorAction.REPLACE);
            }
            ch.position(size - maxBytes);
            byte[] tail = readAll(ch, (int) maxBytes);
            int start = 0;
            while (start < tail.length && tail[start] != '\n') {
                start++;
            }
            // the cut fell inside a line (maybe inside a UTF-8 sequence): that partial line is not read
            return decode(file, Arrays.copyOfRange(tail, Math.min(start + 1, tail.length), tail.length),
                    CodingErrorAction.REPLACE);
        } catch (NoSuchFileException e) {
            throw new ResultParseException(file + ": no such file");
        } catch (AccessDeniedException e) {
            throw new ResultParseException(file + ": permission denied");
        } catch (IOException e) {
            throw new ResultParseException(file + ": cannot be read: " + e.getMessage(), e);
        }
    }

    private static byte[] readAll(SeekableByteChannel ch, int n) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(n);
        while (buf.hasRemaining() && ch.read(buf) >= 0) {
            // keeps reading: a channel may return fewer bytes than asked
        }
        return Arrays.copyOf(buf.array(), buf.position());
    }

    /** The file's text; fails (naming the file) when it is missing, unreadable, too big, empty or not UTF-8 text. */
    static String read(Path file) throws ResultParseException {
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            bytes = in.readNBytes((int) MAX_BYTES + 1);
        } catch (NoSuchFileException e) {
            throw new ResultParseException(file + ": no such file");
        } catch (AccessDeniedException e) {
            throw new ResultParseException(file + ": permission denied");
        } catch (IOException e) {
            throw new ResultParseException(file + ": cannot be read: " + e.getMessage(), e);
        }
        if (bytes.length > MAX_BYTES) {
            throw new ResultParseException(file + ": larger than the " + (MAX_BYTES >> 20)
                    + " MiB limit for a result file");
        }
        return decode(file, bytes, CodingErrorAction.REPORT);
    }

    /** {@code onBadBytes}: REPORT for result files (binary is a wrong file), REPLACE for stdout (any bytes may occur). */
    private static String decode(Path file, byte[] bytes, CodingErrorAction onBadBytes) throws ResultParseException {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(onBadBytes)
                    .onUnmappableCharacter(onBadBytes)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new ResultParseException(file + ": not UTF-8 text (binary data?)");
        }
        if (text.isBlank()) {
            throw new ResultParseException(file + ": is empty");
        }
        return text;
    }
}
