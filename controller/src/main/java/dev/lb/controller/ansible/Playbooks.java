package dev.lb.controller.ansible;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The playbooks of one run, started the same way every time: ansible-playbook under the guard, with the run's
 * inventory and extra-vars files, lb's ansible.cfg and the callback's JSONL file. Ansible's local temp dir (where it
 * builds every module it sends) is a private directory outside the run directory, so that a run directory on a full
 * disk still lets the finish play stop the targets. The guard's own messages are appended to {@code guard.log}.
 */
public final class Playbooks {
    public static final String EVENTS_FILE = "events.jsonl";
    public static final String GUARD_LOG = "guard.log";

    private final Installation install;
    private final Path ansiblePlaybook;
    private final Path inventory;
    private final Path vars;
    private final Path runDir;
    private final boolean testTargets;
    private final List<String> limitArgs;
    private final Path eventsFile;
    private Path localTemp;

    public Playbooks(Installation install, Path ansiblePlaybook, Path inventory, Path vars, Path runDir,
                     boolean testTargets) {
        this(install, ansiblePlaybook, inventory, vars, runDir, testTargets, List.of());
    }

    /**
     * {@code limitArgs}: what holds every playbook to the run's hosts ({@code --limit @FILE} of lb run --limit, see
     * {@link AnsibleFiles.Written#limitArgs}); a playbook started with a {@code --limit} of its own (finish.yml for
     * some of the run's hosts) gets that one instead, never both: ansible-playbook keeps only the last.
     */
    public Playbooks(Installation install, Path ansiblePlaybook, Path inventory, Path vars, Path runDir,
                     boolean testTargets, List<String> limitArgs) {
        this(install, ansiblePlaybook, inventory, vars, runDir, testTargets, limitArgs, runDir.resolve(EVENTS_FILE));
    }

    private Playbooks(Installation install, Path ansiblePlaybook, Path inventory, Path vars, Path runDir,
                      boolean testTargets, List<String> limitArgs, Path eventsFile) {
        this.eventsFile = eventsFile;
        this.limitArgs = List.copyOf(limitArgs);
        this.install = install;
        this.ansiblePlaybook = ansiblePlaybook;
        this.inventory = inventory;
        this.vars = vars;
        this.runDir = runDir;
        this.testTargets = testTargets;
    }

    /**
     * The playbooks of one slice of a sliced run: the same inventory and vars, held to the slice's hosts by
     * {@code limitArgs} ({@code --limit @slices/<k>/hosts.txt}), the callback writing {@code eventsFile}.
     */
    public Playbooks forSlice(Path eventsFile, List<String> limitArgs) {
        return new Playbooks(install, ansiblePlaybook, inventory, vars, runDir, testTargets, limitArgs, eventsFile);
    }

    /** Starts {@code playbook} (a file of lb's playbooks/), its output into {@code stdout}. */
    public AnsibleProcess start(String playbook, OutputStream stdout) throws IOException {
        return start(playbook, stdout, List.of());
    }

    /** ... with more ansible-playbook arguments (such as {@code --limit @FILE}). */
    public AnsibleProcess start(String playbook, OutputStream stdout, List<String> extraArgs) throws IOException {
        // The guard appends its own messages to guard.log; its stderr (a Python error, if any) goes there too.
        OutputStream guardErr = LogFile.append(runDir.resolve(GUARD_LOG));
        return AnsibleProcess.start(new AnsibleProcess.Guard(AnsibleLocator.pythonOf(ansiblePlaybook),
                        install.guardScript(), runDir.resolve(GUARD_LOG)),
                argv(playbook, extraArgs),
                environment(), runDir.toFile(), stdout, guardErr);
    }

    /** Starts {@code playbook} with its output into {@code runDir/logName}, flushed as it comes. */
    public AnsibleProcess startLogged(String playbook, String logName) throws IOException {
        return startLogged(playbook, logName, List.of());
    }

    public AnsibleProcess startLogged(String playbook, String logName, List<String> extraArgs) throws IOException {
        return start(playbook, LogFile.append(runDir.resolve(logName)), extraArgs);
    }

    List<String> argv(String playbook, List<String> extraArgs) {
        List<String> argv = new java.util.ArrayList<>(List.of(ansiblePlaybook.toString(), "-i", inventory.toString(),
                "-e", "@" + vars));
        if (!extraArgs.contains("--limit")) {
            argv.addAll(limitArgs);
        }
        argv.addAll(extraArgs);
        argv.add(install.playbook(playbook).toString());
        return argv;
    }

    private synchronized Path localTemp() throws IOException {
        if (localTemp == null) {
            localTemp = Files.createTempDirectory("lb-ansible-"); // mode 700
            localTemp.toFile().deleteOnExit(); // Ansible empties it; the directory itself goes with this process
        }
        return localTemp;
    }

    private Map<String, String> environment() throws IOException {
        Map<String, String> env = new HashMap<>();
        env.put("ANSIBLE_CONFIG", install.ansibleConfig().toString());
        env.put("LB_EVENT_LOG_PATH", eventsFile.toString());
        env.put("ANSIBLE_LOCAL_TEMP", localTemp().toString());
        // ansible-core refuses to start without a UTF-8 locale; C.UTF-8 exists on every Debian/Ubuntu.
        env.put("LC_ALL", "C.UTF-8");
        env.put("LANG", "C.UTF-8");
        env.put("PYTHONUNBUFFERED", "1");
        env.put("ANSIBLE_FORCE_COLOR", "0");
        env.put("ANSIBLE_NOCOLOR", "1");
        if (testTargets) {
            env.put("ANSIBLE_HOST_KEY_CHECKING", "False");
        }
        return env;
    }
}
