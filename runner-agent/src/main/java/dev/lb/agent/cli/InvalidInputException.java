package dev.lb.agent.cli;

/** Input the agent cannot act on; its message is the one line the user sees. */
final class InvalidInputException extends RuntimeException {
    InvalidInputException(String message) {
        super(message);
    }
}
