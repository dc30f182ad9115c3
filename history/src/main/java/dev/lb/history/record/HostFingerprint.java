package dev.lb.history.record;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The fields of a machine that stay put from run to run: CPU model, logical cores, memory in whole GiB (the kernel
 * reserves a little more or less after an update), architecture. Clock speeds and bogomips move with load and power
 * states; a fingerprint built on them would split one machine's history into many.
 */
public record HostFingerprint(String cpuModel, Integer logicalCores, Long memoryGib, String arch) {
    private static final double GIB = 1024.0 * 1024 * 1024;

    /** From one host's entry under {@code system} in results.json. */
    public static HostFingerprint of(JsonNode system) {
        JsonNode cpu = system.path("cpu");
        JsonNode mem = system.path("memory").path("total_bytes");
        return new HostFingerprint(text(cpu.path("model")), cpu.path("logical_cores").isNumber()
                ? cpu.path("logical_cores").asInt() : null,
                mem.isNumber() ? Math.round(mem.asDouble() / GIB) : null, text(system.path("kernel").path("arch")));
    }

    public String hash() {
        return Hashes.sha256(cpuModel + "\n" + logicalCores + "\n" + memoryGib + "\n" + arch).substring(0, 12);
    }

    /** As lb says it: {@code AMD EPYC, 2 cores, 24 GiB, x86_64}. */
    public String describe() {
        return (cpuModel == null ? "unknown CPU" : cpuModel) + ", " + (logicalCores == null ? "?" : logicalCores)
                + " cores, " + (memoryGib == null ? "?" : memoryGib) + " GiB, " + (arch == null ? "?" : arch);
    }

    private static String text(JsonNode n) {
        return n.isMissingNode() || n.isNull() ? null : n.asText();
    }
}
