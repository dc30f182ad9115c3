package dev.lb.agent.metrics;

/** A /proc file that does not read the way the kernel writes it; the message says where. */
final class ProcFormatException extends Exception {
    ProcFormatException(String message) {
        super(message);
    }
}
