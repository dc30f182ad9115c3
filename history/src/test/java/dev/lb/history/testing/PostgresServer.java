package dev.lb.history.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A throwaway PostgreSQL cluster: initdb and pg_ctl (Debian's postgresql package, or any on PATH) in a temporary
 * directory, on a free loopback port, trust authentication for the user {@code lb}. Run as root, the cluster runs as
 * {@code nobody} (PostgreSQL refuses root), and its directory is owned by that user.
 */
public final class PostgresServer implements AutoCloseable {
    private static final AtomicInteger DATABASES = new AtomicInteger();
    private final Path dir;
    private final int port;
    private boolean running;

    private PostgresServer(Path dir, int port) {
        this.dir = dir;
        this.port = port;
    }

    public static PostgresServer start() throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("lb-history-pg");
        if (asRoot()) {
            run(List.of("chown", "nobody", dir.toString()), false);
        }
        PostgresServer s = new PostgresServer(dir, freePort());
        run(List.of("initdb", "-D", s.data().toString(), "-U", "lb", "--auth=trust", "-E", "UTF8", "--no-sync"),
                true);
        s.startServer();
        return s;
    }

    private Path data() {
        return dir.resolve("data");
    }

    /** Starts the (stopped) server again on the same port and data. */
    public void startServer() throws IOException, InterruptedException {
        run(List.of("pg_ctl", "-D", data().toString(), "-l", dir.resolve("server.log").toString(), "-w", "-o",
                "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c fsync=off", "start"), true);
        running = true;
    }

    /** Stops it at once, as a crash or an operator would (immediate shutdown). */
    public void stopServer() throws IOException, InterruptedException {
        run(List.of("pg_ctl", "-D", data().toString(), "-m", "immediate", "-w", "stop"), true);
        running = false;
    }

    /** A new, empty database on this server, as the URL lb takes. */
    public String newDatabaseUrl() throws SQLException {
        String name = "lb_test_" + DATABASES.incrementAndGet();
        try (Connection c = DriverManager.getConnection(url("postgres")); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        }
        return url(name);
    }

    public String url(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database + "?user=lb";
    }

    @Override
    public void close() throws IOException, InterruptedException {
        if (running) {
            stopServer();
        }
        run(List.of("rm", "-rf", dir.toString()), false);
    }

    /** initdb and pg_ctl from PATH, else from Debian's /usr/lib/postgresql/<version>/bin (not on PATH there). */
    private static String binary(String name) throws IOException {
        if (!name.equals("initdb") && !name.equals("pg_ctl")) {
            return name;
        }
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, name))) {
                return Path.of(dir, name).toString();
            }
        }
        Path debian = Path.of("/usr/lib/postgresql");
        if (Files.isDirectory(debian)) {
            try (var versions = Files.list(debian)) {
                var found = versions.map(v -> v.resolve("bin").resolve(name)).filter(Files::isExecutable)
                        .max(java.util.Comparator.naturalOrder());
                if (found.isPresent()) {
                    return found.get().toString();
                }
            }
        }
        throw new IOException(name + " not found on PATH nor under /usr/lib/postgresql/*/bin: apt-get install "
                + "postgresql (scripts/test.sh does)");
    }

    private static boolean asRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static void run(List<String> command, boolean asServerUser) throws IOException, InterruptedException {
        List<String> argv = new ArrayList<>();
        if (asServerUser && asRoot()) {
            argv.addAll(List.of("runuser", "-u", "nobody", "--"));
        }
        argv.add(binary(command.get(0)));
        argv.addAll(command.subList(1, command.size()));
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", argv) + " failed: " + new String(out, StandardCharsets.UTF_8));
        }
    }
}
