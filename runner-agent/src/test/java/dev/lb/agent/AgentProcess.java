package dev.lb.agent;

import dev.lb.agent.cli.AgentMain;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The agent as a separate JVM, the way Ansible starts it: real signals, real exit codes, real files. */
final class AgentProcess {
    private AgentProcess() {
    }

    static Process start(Path runDir, List<String> env, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(
                ProcessHandle.current().info().command().orElse("java"),
                "-XX:+UseSerialGC", "-Xmx256m", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), AgentMain.class.getName()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(runDir.resolveSibling(runDir.getFileName() + ".agent-out").toFile()));
        for (String e : env) {
            int eq = e.indexOf('=');
            pb.environment().put(e.substring(0, eq), e.substring(eq + 1));
        }
        return pb.start();
    }

    static int run(Path runDir, List<String> env, String... args) throws IOException, InterruptedException {
        Process p = start(runDir, env, args);
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("agent did not finish in 120 s");
        }
        return p.exitValue();
    }

    static String output(Path runDir) throws IOException {
        Path out = runDir.resolveSibling(runDir.getFileName() + ".agent-out");
        return java.nio.file.Files.exists(out) ? java.nio.file.Files.readString(out) : "";
    }

    /**
     * The common options: run dir, identity of the repetition; no system metrics, so that tests can count events
     * exactly (the sampler's own tests turn it on).
     */
    static String[] runArgs(Path runDir, String... more) {
        List<String> a = new ArrayList<>(List.of("run", "--run-dir", runDir.toString(), "--host", "web-1",
                "--run-id", "r1", "--workload", "wl", "--repetition", "1", "--total-repetitions", "2",
                "--metrics-interval", "0"));
        a.addAll(List.of(more));
        return a.toArray(String[]::new);
    }
}
