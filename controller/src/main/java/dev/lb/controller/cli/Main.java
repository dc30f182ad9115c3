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
        boolean debug = System.getenv("LB_DEBUG") != null;
        // An error in any thread is one line, never a stack trace (unless asked for): picocli only handles exceptions
        // of the command's own thread, and only Exceptions.
        Thread.setDefaultUncaughtExceptionHandler((t, e) -> said(err, "in thread " + t.getName() + ": ", e, debug));
        int code;
        try {
            code = LbCommand.commandLine(System.in, out, err, System.getenv()).execute(args);
        } catch (Error e) {
            said(err, "", e, debug);
            code = 1;
        }
        out.flush();
        err.flush();
        System.exit(code);
    }

    private static void said(PrintWriter err, String where, Throwable e, boolean debug) {
        if (e instanceof OutOfMemoryError) {
            err.println("lb: out of memory " + where + "(" + e.getMessage() + "; lb's heap is set by LB_JAVA_OPTS,"
                    + " -Xmx256m by default): an input too large to read?");
        } else {
            err.println("lb: internal error " + where + e + (debug ? "" : " (set LB_DEBUG=1 for the stack trace)"));
        }
        if (debug) {
            e.printStackTrace(err);
        }
        err.flush();
    }
}
