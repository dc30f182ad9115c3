package dev.lb.agent.run;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A copy of the workload's stdout in a file, for the parsers that read a tool's text output (sysbench, declared
 * regular expressions). The events are the record; this copy only feeds the parser, so it is capped: past the cap,
 * or after a write failure, it stops and says why, and the parser is told the copy is incomplete.
 */
public final class OutputCopy implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(OutputCopy.class);

    private final Path file;
    private final long capBytes;
    private BufferedWriter out;
    private long written;
    private String incomplete;

    public OutputCopy(Path file, long capBytes) {
        this.file = file;
        this.capBytes = capBytes;
        try {
            out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            stop("cannot create " + file + ": " + e.getMessage());
        }
    }

    synchronized void line(String line) {
        if (out == null) {
            if (incomplete == null) {
                incomplete = "a line came after the copy in " + file + " was closed (the output outlived the workload)";
            }
            return;
        }
        long bytes = line.getBytes(java.nio.charset.StandardCharsets.UTF_8).length + 1L;
        if (written + bytes > capBytes) {
            stop("the output passed " + capBytes + " bytes; the copy in " + file + " holds the first " + written);
            return;
        }
        try {
            out.write(line);
            out.write('\n');
            written += bytes;
        } catch (IOException e) {
            stop("writing " + file + " failed after " + written + " bytes: " + e.getMessage());
        }
    }

    /** A line the agent cut: its head alone could pass half a number off as a whole one. */
    synchronized void truncated(long lengthBytes) {
        if (out != null) {
            stop("a line of " + lengthBytes + " bytes was cut to its head for its event; " + file + " stops before it");
        }
    }

    private void stop(String why) {
        incomplete = why;
        log.warn("stdout copy for the result parser stopped: {}", why);
        closeQuietlyAfterFailure();
    }

    private void closeQuietlyAfterFailure() {
        if (out != null) {
            try {
                out.close();
            } catch (IOException e) {
                log.warn("closing {} failed: {}", file, e.toString());
            }
            out = null;
        }
    }

    public Path file() {
        return file;
    }

    /** Why the copy does not hold the whole output, or null when it does. */
    public synchronized String incomplete() {
        return incomplete;
    }

    @Override
    public synchronized void close() {
        if (out != null) {
            try {
                out.close();
            } catch (IOException e) {
                incomplete = "closing " + file + " failed: " + e.getMessage();
                log.warn("{}", incomplete);
            }
            out = null;
        }
    }
}
