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
