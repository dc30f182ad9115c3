package dev.lb.agent.stream;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lb.protocol.Json;
import java.nio.file.Path;

/**
 * Why a stream file stopped being written, and what it holds: the events written whole before the failure (the
 * file was cut back to the end of the last one), the OS's message ("No space left on device"), and whether cutting
 * back worked (when it did not, the file may end in a partial line, which readers already skip).
 *
 * @param osMessage     the error's own text, as the OS gave it
 * @param eventsWritten events written whole before the failure, all of them still in the file
 * @param bytesWritten  the file's length at the end of the last whole event (what it was cut back to); -1 when
 *                      even the file's size could not be read
 * @param truncateError why cutting back failed; null when it worked
 */
public record StreamWriteFailure(Path file, String osMessage, long eventsWritten, long bytesWritten,
                                 String truncateError) {
    public static final String ERROR_TYPE = "stream_write_failed";

    /** ENOSPC and EDQUOT: the disk (or the user's quota) is full, a condition to name as such. */
    public boolean diskFull() {
        return osMessage.contains("No space left on device") || osMessage.contains("Disk quota exceeded");
    }

    public String describe() {
        return "writing the event stream " + file + " failed (" + osMessage + ") after " + eventsWritten
                + " events written whole; "
                + (truncateError == null ? "the file ends at the last whole event"
                + (bytesWritten >= 0 ? " (byte " + bytesWritten + ")" : "") + " and is not written any more"
                : "cutting it back to the last whole event failed too (" + truncateError + "): it may end in a"
                + " partial line");
    }

    public ObjectNode toJson() {
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("file", file.toString());
        o.put("os_message", osMessage);
        o.put("events_written", eventsWritten);
        o.put("bytes_written", bytesWritten);
        o.put("disk_full", diskFull());
        if (truncateError != null) {
            o.put("truncate_error", truncateError);
        }
        return o;
    }
}
