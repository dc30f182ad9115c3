package dev.lb.controller.ansible;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A playbook's log file (finish.log, stop.log, guard.log): a record for people, never a reason to stop the playbook.
 * A write that fails (a full disk) is said once with its reason and the rest of the output is dropped, so that the
 * pump reading the playbook keeps going and the playbook's exit code still decides.
 */
final class LogFile extends OutputStream {
    private static final Logger log = LoggerFactory.getLogger(LogFile.class);

    private final Path path;
    private final OutputStream out;
    private long written;
    private long dropped;
    private IOException failure;

    private LogFile(Path path, OutputStream out) {
        this.path = path;
        this.out = out;
    }

    static LogFile append(Path path) throws IOException {
        return new LogFile(path, Files.newOutputStream(path, StandardOpenOption.CREATE, StandardOpenOption.APPEND));
    }

    @Override
    public void write(int b) {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) {
        if (failure != null) {
            dropped += len;
            return;
        }
        try {
            out.write(b, off, len);
            out.flush();
            written += len;
        } catch (IOException e) {
            failure = e;
            dropped += len;
            log.warn("{} could not be written after {} bytes ({}); the rest of its output is dropped, the playbook"
                    + " runs on", path.getFileName(), written, e.getMessage());
        }
    }

    @Override
    public synchronized void close() {
        try {
            out.close();
        } catch (IOException e) {
            if (failure == null) {
                log.warn("{} could not be closed ({})", path.getFileName(), e.getMessage());
            }
        }
        if (dropped > 0) {
            log.warn("{}: {} bytes of output were not written", path.getFileName(), dropped);
        }
    }
}
