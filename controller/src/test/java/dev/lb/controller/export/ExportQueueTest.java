package dev.lb.controller.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lb.controller.state.RunSummary;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * How a queue makes batches: a full batch goes at once, a partial one when it is due, the close sends what is
 * queued without waiting for the batch to fill, and the sending thread is not woken for every item it is given
 * (each wake-up is a system call on the ingest thread and a context switch on the sender's).
 */
class ExportQueueTest {
    private final List<List<Integer>> batches = new CopyOnWriteArrayList<>();
    private final List<Long> sentAtNanos = new CopyOnWriteArrayList<>();

    private ExportQueue<Integer> queue(String kind, int batchItems, long maxWaitMillis) {
        return new ExportQueue<>(kind, "http://127.0.0.1:9/", 100_000, batchItems, maxWaitMillis, 1_000, batch -> {
            batches.add(List.copyOf(batch));
            sentAtNanos.add(System.nanoTime());
            return Delivery.SENT;
        }, w -> {
            throw new AssertionError("no warning expected: " + w);
        });
    }

    private static List<Integer> flat(List<List<Integer>> batches) {
        List<Integer> all = new ArrayList<>();
        batches.forEach(all::addAll);
        return all;
    }

    @Test
    void aFullBatchGoesAtOnceWithoutWaitingForItsTime() throws Exception {
        ExportQueue<Integer> q = queue("full-batch", 100, 30_000);
        long start = System.nanoTime();
        for (int i = 0; i < 250; i++) {
            q.offer(i);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (batches.size() < 2 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(2, batches.size(), "two full batches of 100 within 10 s of a 30 s batch wait");
        assertEquals(100, batches.get(0).size());
        assertEquals(100, batches.get(1).size());
        assertTrue(sentAtNanos.get(1) - start < TimeUnit.SECONDS.toNanos(10));
        q.close(System.nanoTime() + TimeUnit.SECONDS.toNanos(5));
        RunSummary.Export account = q.await();
        assertEquals(250, account.sent(), account.describe());
        assertEquals(0, account.dropped(), account.describe());
        List<Integer> expected = new ArrayList<>();
        for (int i = 0; i < 250; i++) {
            expected.add(i);
        }
        assertEquals(expected, flat(batches), "every item once, in the order offered");
    }

    @Test
    void aPartialBatchGoesWhenItIsDueAndNotBefore() throws Exception {
        ExportQueue<Integer> q = queue("partial-batch", 100, 400);
        long start = System.nanoTime();
        for (int i = 0; i < 5; i++) {
            q.offer(i);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (batches.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertEquals(List.of(List.of(0, 1, 2, 3, 4)), batches);
        long waited = TimeUnit.NANOSECONDS.toMillis(sentAtNanos.get(0) - start);
        assertTrue(waited >= 400, "a batch of 5 of 100 was sent after " + waited + " ms, before its 400 ms");
        q.close(System.nanoTime() + TimeUnit.SECONDS.toNanos(5));
        assertEquals(5, q.await().sent());
    }

    @Test
    void theCloseSendsAFillingBatchWithoutWaitingForItsTime() throws Exception {
        ExportQueue<Integer> q = queue("close-batch", 100, 60_000);
        for (int i = 0; i < 7; i++) {
            q.offer(i);
        }
        Thread.sleep(100); // the thread now sleeps on a batch of 7 due in a minute
        long start = System.nanoTime();
        q.close(System.nanoTime() + TimeUnit.SECONDS.toNanos(5));
        RunSummary.Export account = q.await();
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertEquals(7, account.sent(), account.describe());
        assertTrue(millis < 5_000, "the close took " + millis + " ms");
    }

    @Test
    void theCloseOfAnIdleQueueEndsItsThreadAtOnce() throws Exception {
        ExportQueue<Integer> q = queue("idle-close", 1, 60_000);
        q.offer(1);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (batches.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        Thread.sleep(100); // the thread now waits up to a minute for a first item
        long start = System.nanoTime();
        q.close(System.nanoTime() + TimeUnit.SECONDS.toNanos(5));
        assertEquals(1, q.await().sent());
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertTrue(millis < 5_000, "the close of an idle queue took " + millis + " ms");
    }

    @Test
    void theSenderIsNotWokenForEveryItem() throws Exception {
        // Linux: the sender thread's voluntary context switches, from /proc, by its name (lb-export-<kind>, the
        // kernel keeps 15 characters).
        ExportQueue<Integer> q = queue("ctxsw", 1_000, 60_000);
        Thread.sleep(100);
        Path task = senderTask("lb-export-ctxsw");
        long before = voluntarySwitches(task);
        // 900 items, one every 0.2 ms or so: a sender woken per item would switch about 900 times.
        for (int i = 0; i < 900; i++) {
            q.offer(i);
            LockSupport.parkNanos(200_000);
        }
        long switches = voluntarySwitches(task) - before;
        assertTrue(batches.isEmpty(), "nothing sent before the batch is full or due");
        assertTrue(switches < 50, "the sender switched " + switches + " times for 900 items");
        for (int i = 900; i < 1_000; i++) {
            q.offer(i);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (batches.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertEquals(1, batches.size(), "the 1,000th item completes the batch and wakes the sender");
        assertEquals(1_000, batches.get(0).size());
        q.close(System.nanoTime() + TimeUnit.SECONDS.toNanos(5));
        assertEquals(1_000, q.await().sent());
    }

    private static Path senderTask(String name) throws IOException {
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            List<Path> found = tasks.filter(t -> {
                try {
                    return Files.readString(t.resolve("comm")).strip().equals(name);
                } catch (IOException gone) {
                    return false;
                }
            }).toList();
            assertEquals(1, found.size(), "threads named " + name + ": " + found);
            return found.get(0);
        }
    }

    private static long voluntarySwitches(Path task) throws IOException {
        for (String line : Files.readAllLines(task.resolve("status"))) {
            if (line.startsWith("voluntary_ctxt_switches:")) {
                return Long.parseLong(line.substring(line.indexOf(':') + 1).strip());
            }
        }
        throw new AssertionError("no voluntary_ctxt_switches in " + task.resolve("status"));
    }
}
