package dev.lb.controller.ansible;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where lb's own files are: the ansible/ folder and the agent jar. Found from {@code LB_HOME} (set by the ./lb
 * launcher), else from where the controller's classes were loaded (controller/target/...).
 */
public record Installation(Path home) {

    public static Installation locate(String lbHomeEnv) {
        if (lbHomeEnv != null && !lbHomeEnv.isBlank()) {
            return new Installation(Path.of(lbHomeEnv).toAbsolutePath().normalize());
        }
        try {
            Path code = Path.of(Installation.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            // controller/target/lb.jar or controller/target/classes -> the project root two levels up
            Path root = code.getParent().getParent().getParent();
            return new Installation(root.toAbsolutePath().normalize());
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cannot tell where lb is installed; set LB_HOME", e);
        }
    }

    public Path ansibleDir() {
        return home.resolve("ansible");
    }

    public Path playbook(String name) {
        return ansibleDir().resolve("playbooks").resolve(name);
    }

    public Path ansibleConfig() {
        return ansibleDir().resolve("ansible.cfg");
    }

    /** The guard every ansible-playbook runs under (see {@link AnsibleProcess}). */
    public Path guardScript() {
        return ansibleDir().resolve("bin").resolve("lb_guard.py");
    }

    public Path agentJar() {
        return home.resolve("runner-agent/target/lb-agent.jar");
    }

    /**
     * The agent jar's sha256 (hex): on a target it names the cache directory the jar is kept in and its class-data
     * archive, so that a new build never meets an old archive.
     */
    public String agentJarSha256() throws java.io.IOException {
        try (var in = Files.newInputStream(agentJar())) {
            java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0; ) {
                sha.update(buffer, 0, n);
            }
            return java.util.HexFormat.of().formatHex(sha.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }

    /** A one-line reason this installation cannot run, or null when it can. */
    public String problem() {
        if (!Files.isRegularFile(ansibleConfig())) {
            return "lb's ansible files are not at " + ansibleDir() + " (set LB_HOME to the lb checkout)";
        }
        if (!Files.isRegularFile(agentJar())) {
            return "the agent jar " + agentJar() + " is missing; build it with ./lb (or mvn -pl runner-agent -am package)";
        }
        return null;
    }
}
