package dev.lb.it;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.testcontainers.containers.Container;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.images.builder.Transferable;
import org.testcontainers.utility.DockerImageName;

/**
 * Target hosts for end-to-end tests: containers of the lb-target image (sshd, python3, Java 17), each with host
 * networking and its sshd on 127.0.0.1 at a port of its own, so tests talk only to loopback while every target has
 * its own processes and files. A fresh SSH key per test class; the image is never pulled.
 */
final class SshTargets implements AutoCloseable {
    /** One target: its inventory name, its port, its container. */
    record Target(String name, int port, GenericContainer<?> container) {
        Container.ExecResult exec(String... cmd) throws IOException, InterruptedException {
            return container.execInContainer(cmd);
        }
    }

    final List<Target> targets = new ArrayList<>();
    final Path key;

    private SshTargets(Path key) {
        this.key = key;
    }

    static String image() {
        String image = System.getenv("LB_TARGET_IMAGE");
        if (image == null || image.isBlank()) {
            throw new IllegalStateException("LB_TARGET_IMAGE is not set: run the tests through scripts/test.sh, which"
                    + " builds the target image (scripts/build-target-image.sh) and exports its name");
        }
        return image;
    }

    static SshTargets start(Path dir, String... names) throws Exception {
        Files.createDirectories(dir);
        Path key = dir.resolve("id_ed25519");
        Files.deleteIfExists(key);
        Files.deleteIfExists(dir.resolve("id_ed25519.pub"));
        Process p = new ProcessBuilder("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", key.toString()).start();
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("ssh-keygen failed");
        }
        String pub = Files.readString(dir.resolve("id_ed25519.pub"));
        SshTargets t = new SshTargets(key);
        for (String name : names) {
            int port = freePort();
            GenericContainer<?> c = new GenericContainer<>(DockerImageName.parse(image()))
                    .withImagePullPolicy(imageName -> false)
                    .withNetworkMode("host")
                    .withCopyToContainer(Transferable.of(pub, 0600), "/root/.ssh/authorized_keys")
                    .withCommand("/usr/sbin/sshd", "-D", "-e", "-p", Integer.toString(port), "-o", "ListenAddress=127.0.0.1",
                            "-o", "PasswordAuthentication=no", "-o", "MaxSessions=50", "-o", "MaxStartups=50")
                    .waitingFor(Wait.forLogMessage(".*Server listening on 127\\.0\\.0\\.1 port " + port + ".*", 1)
                            .withStartupTimeout(Duration.ofSeconds(60)));
            c.start();
            t.targets.add(new Target(name, port, c));
        }
        return t;
    }

    /** The config's targets section for these hosts. */
    String targetsYaml() {
        StringBuilder y = new StringBuilder("targets:\n  test_targets: true\n  hosts:\n");
        for (Target t : targets) {
            y.append("    - {name: ").append(t.name()).append(", address: 127.0.0.1, port: ").append(t.port())
                    .append(", user: root, ssh_key: ").append(key).append(", python: /usr/bin/python3}\n");
        }
        return y.toString();
    }

    Target get(String name) {
        return targets.stream().filter(t -> t.name().equals(name)).findFirst().orElseThrow();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() {
        targets.forEach(t -> t.container().stop());
    }
}
