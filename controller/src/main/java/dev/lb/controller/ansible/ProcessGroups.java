package dev.lb.controller.ansible;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** A process group seen and ended by its id, through kill(1): Java has no killpg. */
final class ProcessGroups {
    private ProcessGroups() {
    }

    /** Whether any process of group {@code pgid} lives (kill -0 -- -PGID). */
    static boolean alive(long pgid) throws InterruptedException {
        return kill("-0", pgid) == 0;
    }

    /** TERM to the group, KILL to what is left after {@code grace}. */
    static void end(long pgid, Duration grace) throws InterruptedException {
        if (!grace.isZero()) {
            kill("-TERM", pgid);
            long until = System.nanoTime() + grace.toNanos();
            while (System.nanoTime() < until) {
                if (!alive(pgid)) {
                    return;
                }
                Thread.sleep(50);
            }
        }
        kill("-KILL", pgid);
    }

    private static int kill(String signal, long pgid) throws InterruptedException {
        try {
            Process k = new ProcessBuilder("kill", signal, "--", "-" + pgid).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!k.waitFor(5, TimeUnit.SECONDS)) {
                k.destroyForcibly();
                return -1;
            }
            return k.exitValue();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot run kill(1) for process group " + pgid, e);
        }
    }
}
