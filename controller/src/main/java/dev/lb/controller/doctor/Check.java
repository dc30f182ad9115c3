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

    /**
     * The check as exactly one line: text that spans lines (Ansible's messages end in CR LF and often hold two) is
     * joined, each line trimmed and the blank ones dropped, with "; " between them.
     */
    public String line() {
        return (ok ? "ok   " : "FAIL ") + oneLine(name) + ": " + oneLine(detail)
                + (ok || fix.isEmpty() ? "" : "  -> fix: " + oneLine(fix));
    }

    static String oneLine(String text) {
        if (text.indexOf('\n') < 0 && text.indexOf('\r') < 0) {
            return text;
        }
        return String.join("; ", text.lines().map(String::strip).filter(l -> !l.isEmpty()).toList());
    }
}
