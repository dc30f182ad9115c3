package dev.lb.controller.cli;

import dev.lb.controller.run.StopSignal;
import sun.misc.Signal;

/**
 * Turns SIGINT (Ctrl-C), SIGTERM and SIGHUP (the terminal or the SSH session to the controller lost) into stop
 * requests instead of an immediate JVM exit, so the first one can stop the targets properly and a second one can
 * still end everything at once. (A shutdown hook could not do the latter: once the JVM is shutting down, further
 * signals are ignored.) A signal the JVM was started with ignored (nohup) stays ignored: the JVM keeps it so.
 */
final class SignalBridge {
    private SignalBridge() {
    }

    static void install(StopSignal stop) {
        Signal.handle(new Signal("INT"), s -> stop.request("Ctrl-C"));
        Signal.handle(new Signal("TERM"), s -> stop.request("SIGTERM"));
        Signal.handle(new Signal("HUP"), s -> stop.request("SIGHUP (the terminal or session was lost)"));
    }
}
