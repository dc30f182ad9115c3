package dev.lb.results;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Reads a result file as text, bounded: a result is a few kilobytes, so anything past {@link #MAX_BYTES} is a wrong
 * file or a runaway tool, and reading it whole could exhaust the agent's small heap.
 */
final class ResultFile {
    static final long MAX_BYTES = 64L * 1024 * 1024;

    private ResultFile() {
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
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
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
