package dev.lb.controller.doctor;

/** One line of a doctor report: what was checked, whether it is fine, what was found, and how to fix it. */
public record Check(String name, boolean ok, String detail, String fix) {
    public static Check ok(String name, String detail) {
        return new Check(name, true, detail, "");
    }

    /** Fine to run, but worth knowing before a benchmark. */
    public static Check warning(String name, String detail) {
        return new Check(name, true, "warning: " + detail, "");
    }

    public static Check fail(String name, String detail, String fix) {
        return new Check(name, false, detail, fix);
    }

    public String line() {
        return (ok ? "ok   " : "FAIL ") + name + ": " + detail + (ok || fix.isEmpty() ? "" : "  -> fix: " + fix);
    }
}
