package dev.lb.controller.ansible;

import dev.lb.controller.config.HostLimit;
import dev.lb.controller.config.RunConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * {@code lb run --limit PATTERN}: the hosts of the run's inventory that an Ansible host pattern selects, answered by
 * Ansible itself before the run ({@code ansible PLAY_PATTERN -i INVENTORY --limit PATTERN --list-hosts}, as argv; it
 * connects to no host). So a pattern means exactly what it means to {@code ansible-playbook --limit}: group and host
 * names, wildcards, {@code ~regex}, {@code a:b}, {@code !x}, {@code &y}, {@code @file}.
 */
public final class HostPatterns {
    private static final Pattern HEADER = Pattern.compile("(?m)^\\s*hosts \\((\\d+)\\):\\s*$");
    private static final String NO_HOSTS = "leaves us with no hosts to target";
    private static final int MAX_NAMED = 20;

    private HostPatterns() {
    }

    /** A pattern Ansible refused, or one that selects no host: a usage error, said in one line. */
    public static final class Refused extends Exception {
        Refused(String message) {
            super(message);
        }
    }

    /** What {@code ansible --list-hosts} answered: its exit code, stdout and stderr. */
    record Answer(int exitCode, String stdout, String stderr) {
    }

    public static HostLimit select(RunConfig config, String pattern, Path ansiblePlaybook, Installation install)
            throws IOException, InterruptedException, Refused {
        Path scratch = Files.createTempDirectory("lb-limit-");
        try {
            Path inventory;
            List<String> all;
            if (config.targets().inventory() != null) {
                inventory = config.targets().inventory().toAbsolutePath();
                all = AnsibleFiles.hostsOf(inventory);
            } else {
                inventory = scratch.resolve("inventory.yml");
                AnsibleFiles.writeInventory(config, inventory);
                all = config.targets().hosts().stream().map(RunConfig.Host::name).toList();
            }
            Answer answer = listHosts(ansibleNextTo(ansiblePlaybook), inventory, AnsibleFiles.playPattern(config),
                    pattern, install.ansibleConfig(), scratch);
            return limit(pattern, answer, all);
        } finally {
            deleteTree(scratch);
        }
    }

    /** Judges Ansible's answer: the hosts it listed (checked against the inventory's), or why the pattern is refused. */
    static HostLimit limit(String pattern, Answer answer, List<String> inventoryHosts) throws Refused, IOException {
        List<String> warnings = warnings(answer.stderr());
        if (answer.exitCode() != 0) {
            if (answer.stderr().contains(NO_HOSTS)) {
                throw new Refused(noHost(pattern, inventoryHosts));
            }
            throw new Refused("--limit '" + pattern + "': " + error(answer));
        }
        List<String> hosts = listed(answer.stdout());
        if (hosts.isEmpty()) {
            throw new Refused(noHost(pattern, inventoryHosts));
        }
        List<String> unknown = hosts.stream().filter(h -> !inventoryHosts.contains(h)).toList();
        if (!unknown.isEmpty()) {
            throw new IOException("ansible --list-hosts named hosts the inventory does not have: "
                    + String.join(", ", unknown));
        }
        return new HostLimit(pattern, hosts, inventoryHosts.size(), warnings);
    }

    /** The host names of {@code --list-hosts} output: the indented lines after "hosts (N):", exactly N of them. */
    static List<String> listed(String stdout) throws IOException {
        Matcher header = HEADER.matcher(stdout);
        if (!header.find()) {
            throw new IOException("ansible --list-hosts printed no host list: "
                    + stdout.strip().lines().findFirst().orElse("(nothing)"));
        }
        int count = Integer.parseInt(header.group(1));
        List<String> hosts = stdout.substring(header.end()).lines().map(String::strip).filter(l -> !l.isEmpty())
                .toList();
        if (hosts.size() != count) {
            throw new IOException("ansible --list-hosts announced " + count + " hosts and listed " + hosts.size());
        }
        return hosts;
    }

    private static String noHost(String pattern, List<String> inventoryHosts) {
        String named = inventoryHosts.stream().limit(MAX_NAMED).reduce((a, b) -> a + ", " + b).orElse("none");
        if (inventoryHosts.size() > MAX_NAMED) {
            named += ", ... (" + inventoryHosts.size() + " in all)";
        }
        return "--limit '" + pattern + "' selects no host of the inventory; its hosts: " + named;
    }

    /** Ansible's own error line ("ERROR! Unable to find limit file ..."), or the last thing it said. */
    private static String error(Answer answer) {
        List<String> lines = answer.stderr().lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
        return lines.stream().filter(l -> l.startsWith("ERROR!")).findFirst()
                .or(() -> lines.isEmpty() ? java.util.Optional.empty() : java.util.Optional.of(lines.get(lines.size() - 1)))
                .map(l -> "ansible: " + l)
                .orElse("ansible --list-hosts failed with exit code " + answer.exitCode());
    }

    private static List<String> warnings(String stderr) {
        return stderr.lines().map(String::strip).filter(l -> l.startsWith("[WARNING]:"))
                .map(l -> l.substring("[WARNING]:".length()).strip()).toList();
    }

    private static Path ansibleNextTo(Path ansiblePlaybook) throws IOException {
        Path ansible = ansiblePlaybook.resolveSibling("ansible");
        if (!Files.isExecutable(ansible)) {
            throw new IOException("--limit needs the ansible command next to " + ansiblePlaybook + "; " + ansible
                    + " is not there");
        }
        return ansible;
    }

    private static Answer listHosts(Path ansible, Path inventory, String playPattern, String pattern,
                                    Path ansibleConfig, Path scratch) throws IOException, InterruptedException {
        Path err = scratch.resolve("stderr.txt");
        ProcessBuilder pb = new ProcessBuilder(List.of(ansible.toString(), playPattern, "-i", inventory.toString(),
                "--limit", pattern, "--list-hosts"))
                .redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        pb.environment().put("ANSIBLE_CONFIG", ansibleConfig.toString());
        pb.environment().put("ANSIBLE_LOCAL_TEMP", scratch.resolve("tmp").toString());
        pb.environment().put("ANSIBLE_NOCOLOR", "1");
        pb.environment().put("LC_ALL", "C.UTF-8");
        pb.environment().put("LANG", "C.UTF-8");
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("ansible --list-hosts did not answer within 60 s");
        }
        return new Answer(p.exitValue(), new String(out, StandardCharsets.UTF_8),
                new String(Files.readAllBytes(err), StandardCharsets.UTF_8));
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> all = Files.walk(dir)) {
            List<Path> paths = new ArrayList<>(all.sorted(Comparator.reverseOrder()).toList());
            for (Path p : paths) {
                Files.deleteIfExists(p);
            }
        }
    }
}
