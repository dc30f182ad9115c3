package dev.lb.controller.cli;

import dev.lb.controller.run.StopSignal;
import sun.misc.Signal;

/**
 * Turns SIGINT (Ctrl-C) and SIGTERM into stop requests instead of an immediate JVM exit, so the first one can stop
 * the targets properly and a second one can still end everything at once. (A shutdown hook could not do the
 * latter: once the JVM is shutting down, further signals are ignored.)
 */
final class SignalBridge {
    private SignalBridge() {
    }

    static void install(StopSignal stop) {
        Signal.handle(new Signal("INT"), s -> stop.request("Ctrl-C"));
        Signal.handle(new Signal("TERM"), s -> stop.request("SIGTERM"));
    }
}
