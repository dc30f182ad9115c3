package dev.lb.controller.report;

/** A report could not be made: a file it reads is missing or damaged, or the page could not be written. One line. */
public final class ReportException extends Exception {
    public ReportException(String message) {
        super(message);
    }

    public ReportException(String message, Throwable cause) {
        super(message, cause);
    }
}
