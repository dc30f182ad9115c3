package dev.lb.controller.run;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * {@code run.lock} in a run directory, held by the one lb process that writes the run ({@code lb run} for its whole
 * length, {@code lb recover} while it recovers): two writers would interleave the journal and each journal the
 * other's events again. The operating system releases it when the process ends, however it ends.
 */
public final class RunLock implements AutoCloseable {
    public static final String FILE = "run.lock";

    /** The run directory is being written by another lb process. */
    public static final class InUse extends IOException {
        InUse(Path runDir) {
            super(runDir + " is in use by another lb process (lb run or lb recover); wait for it to end");
        }
    }

    private final FileChannel channel;
    private final FileLock lock;

    private RunLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    public static RunLock acquire(Path runDir) throws IOException {
        FileChannel ch = FileChannel.open(runDir.resolve(FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = ch.tryLock();
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
        if (lock == null) {
            ch.close();
            throw new InUse(runDir);
        }
        return new RunLock(ch, lock);
    }

    @Override
    public void close() throws IOException {
        lock.release();
        channel.close();
    }
}
