package dev.lb.controller.cli;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;

/** Runs the real command line with captured streams: what a user would see, as data. */
record CliRun(int exitCode, String out, String err) {

    static CliRun withStdin(String stdin, String... args) {
        return withEnv(java.util.Map.of(), stdin, args);
    }

    /** ... with these environment variables, as Main passes the process's. */
    static CliRun withEnv(java.util.Map<String, String> env, String stdin, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = LbCommand.commandLine(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintWriter(out, true), new PrintWriter(err, true), env).execute(args);
        return new CliRun(code, out.toString(), err.toString());
    }

    static CliRun run(String... args) {
        return withStdin("", args);
    }
}
