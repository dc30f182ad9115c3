package dev.lb.agent.containers;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * One watcher per machine: a PID file whose lock is held for the process's whole life. The lock, not the file's
 * content, decides: a stale file from a dead process (its lock died with it) never blocks a start, nor does a live
 * but unrelated pid left in such a file. No check-then-write race: taking the lock is the check.
 */
public final class SingleInstance implements AutoCloseable {
    /** Where the PID file is unless told otherwise. */
    public static final Path DEFAULT_PID_FILE = Path.of("/var/lib/lb/event_listener.pid");

    private final FileChannel channel;
    private final FileLock lock;

    private SingleInstance(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** The default for this user: /var/lib/lb as root, else a per-user runtime directory. */
    public static Path defaultPidFile(boolean root, String xdgRuntimeDir, String uid) {
        if (root) {
            return DEFAULT_PID_FILE;
        }
        Path base = xdgRuntimeDir != null && !xdgRuntimeDir.isBlank() ? Path.of(xdgRuntimeDir) : Path.of("/tmp", "lb-" + uid);
        return base.resolve("lb").resolve("event_listener.pid");
    }

    /** Takes the lock and writes our pid; empty when another live watcher holds it. */
    public static Optional<SingleInstance> acquire(Path pidFile) throws IOException {
        Files.createDirectories(pidFile.toAbsolutePath().getParent());
        FileChannel ch = FileChannel.open(pidFile, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        FileLock lock = ch.tryLock();
        if (lock == null) {
            ch.close();
            return Optional.empty();
        }
        ch.truncate(0);
        ch.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.UTF_8)), 0);
        ch.force(true);
        return Optional.of(new SingleInstance(ch, lock));
    }

    /** The pid a running watcher wrote, when the file is locked by it; empty when nobody holds the lock. */
    public static Optional<Long> holder(Path pidFile) throws IOException {
        if (!Files.exists(pidFile)) {
            return Optional.empty();
        }
        try (FileChannel ch = FileChannel.open(pidFile, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            FileLock probe = ch.tryLock();
            if (probe != null) {
                probe.release();
                return Optional.empty();
            }
        } catch (java.nio.channels.OverlappingFileLockException e) {
            // this very process holds it: held, like a lock of another process
        }
        // The holder writes its pid just after taking the lock: a reader may come in between, so it looks again.
        for (int attempt = 0; attempt < 40; attempt++) {
            String text = Files.readString(pidFile, StandardCharsets.UTF_8).trim();
            if (text.matches("\\d+")) {
                return Optional.of(Long.parseLong(text));
            }
            try {
                Thread.sleep(25);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return Optional.of(-1L);
    }

    @Override
    public void close() throws IOException {
        lock.release();
        channel.close();
    }
}
