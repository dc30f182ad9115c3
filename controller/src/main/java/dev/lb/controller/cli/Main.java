package dev.lb.controller.cli;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

/** Builds the command line, runs it, exits with its code. Nothing else lives here. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(new java.io.OutputStreamWriter(System.out, StandardCharsets.UTF_8), true);
        PrintWriter err = new PrintWriter(new java.io.OutputStreamWriter(System.err, StandardCharsets.UTF_8), true);
        int code = LbCommand.commandLine(System.in, out, err, System.getenv()).execute(args);
        out.flush();
        err.flush();
        System.exit(code);
    }
}
