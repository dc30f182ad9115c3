package dev.lb.controller.cli;

import dev.lb.protocol.TerminalText;

import dev.lb.controller.ExitCode;
import dev.lb.controller.ansible.AnsibleLocator;
import dev.lb.controller.ansible.Installation;
import dev.lb.controller.config.ConfigException;
import dev.lb.controller.config.ConfigLoader;
import dev.lb.controller.doctor.Check;
import dev.lb.controller.doctor.ControllerChecks;
import dev.lb.controller.doctor.RunDiagnosis;
import dev.lb.controller.doctor.TargetChecks;
import dev.lb.controller.view.ProgressLine;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code lb doctor}: what is wrong, and where events got lost. */
@Command(name = "doctor", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Checks what a run needs, one line per check with ok/FAIL and a fix.",
            "",
            "Without options: this machine (Java, ansible-playbook, the lb_events callback loaded for real, the role,"
                    + " the agent). With -c CONFIG: each target too (reachable, Python, Java >= 17, run directory"
                    + " writable, agent deployable, each program the workloads run: stress-ng, fio, sysbench, k6 with its version,"
                    + " a command's argv[0]). With --run RUN: follows a run's events stage by stage (stream"
                    + " files on the targets, poll steps, stdout, JSONL, journal) and names the first stage where"
                    + " events were lost, per host, with seq ranges.",
            ""},
        footer = {"", "Exit codes: 0 everything fine (--run: every stage read, nothing lost), 1 a check failed (--run:"
                + " events lost, each named), 2 usage error, 3 (--run) cannot tell: a stage could not be read."})
final class DoctorCommand implements Callable<Integer> {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = {"-c", "--config"}, paramLabel = "FILE", description = "Also check this config's targets.")
    Path config;

    @Option(names = "--run", paramLabel = "RUN", description = "Diagnose this run (an id under --output-dir, or a run directory).")
    String run;

    @Option(names = "--host-timeout", paramLabel = "SECONDS", defaultValue = "10",
            description = "With -c: all targets are checked at once, and a target Ansible says nothing of for this"
                    + " long (from the start, or since its last finished step) is given up and fails"
                    + " (default: ${DEFAULT-VALUE}).")
    double hostTimeout;

    @Option(names = "--output-dir", paramLabel = "DIR",
            description = LbCommand.RUNS_DIR_HELP)
    Path outputDir;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        if (run != null) {
            Path dir = JournalCommand.runDir(run, outputDir == null ? Path.of("runs") : outputDir);
            if (java.util.stream.Stream.of("run.json", "journal.jsonl", "summary.json", "events.jsonl", "ansible.log",
                    "slices")
                    .noneMatch(f -> java.nio.file.Files.exists(dir.resolve(f)))) {
                throw new LbException(ExitCode.USAGE, TerminalText.sanitize(dir + " is not a run directory: it has"
                        + " none of run.json, journal.jsonl, summary.json, events.jsonl, ansible.log, slices/"));
            }
            RunDiagnosis.Report r = RunDiagnosis.diagnose(dir);
            out.println(TerminalText.sanitize("run " + dir.getFileName() + ":"));
            r.stages().forEach(s -> out.println(TerminalText.sanitize("  " + s)));
            r.findings().forEach(f -> out.println(TerminalText.sanitize("- " + f)));
            r.cannotTell().forEach(c -> out.println(TerminalText.sanitize("- " + c)));
            if (r.lost()) {
                return ExitCode.FAILED;
            }
            if (!r.cannotTell().isEmpty()) {
                out.println("cannot tell whether events were lost: the evidence above is missing");
                return ExitCode.INCOMPLETE;
            }
            out.println(r.findings().isEmpty()
                    ? "no event was lost: every repetition's seal checked, every stage has every event the one before it had"
                    : "no event was lost: every repetition's seal checked; what one path missed, another delivered");
            return ExitCode.OK;
        }
        if (!(hostTimeout > 0 && hostTimeout <= 3600)) {
            throw new LbException(ExitCode.USAGE, "--host-timeout must be more than 0 and at most 3600 seconds, was "
                    + hostTimeout);
        }
        Installation install = Installation.locate(System.getenv("LB_HOME"));
        Path scratch = Files.createTempDirectory("lb-doctor");
        // This machine's checks (one of which runs ansible-playbook) go on while the targets are checked.
        java.util.concurrent.FutureTask<List<Check>> controller = new java.util.concurrent.FutureTask<>(
                () -> ControllerChecks.run(install, System.getenv("PATH"), scratch));
        Thread controllerChecks = new Thread(controller, "doctor-controller-checks");
        controllerChecks.setDaemon(true);
        controllerChecks.start();
        List<Check> checks = new java.util.ArrayList<>();
        if (config != null) {
            try {
                var cfg = ConfigLoader.load(config);
                if (outputDir != null) {
                    cfg = cfg.withOutputDir(outputDir); // as lb run would put the run: the room is checked there
                }
                dev.lb.controller.config.SharedMachines.warnings(cfg.targets().hosts())
                        .forEach(w -> checks.add(Check.warning("shared machine", w)));
                checks.add(roomCheck(cfg));
                checks.addAll(dev.lb.controller.doctor.ExportChecks.run(cfg.export(), java.time.Duration.ofSeconds(5)));
                Path ansible = AnsibleLocator.find(System.getenv("PATH")).orElse(null);
                if (ansible != null) {
                    ProgressLine progress = new ProgressLine(out, System.console() != null);
                    try {
                        checks.addAll(TargetChecks.run(cfg, install, ansible, scratch.resolve("targets"),
                                java.time.Duration.ofMillis((long) (hostTimeout * 1000)), progress));
                    } finally {
                        progress.clear();
                    }
                }
            } catch (ConfigException e) {
                checks.add(Check.fail("config", e.getMessage(), "correct the config"));
            }
        }
        try {
            checks.addAll(0, controller.get());
        } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
        checks.forEach(c -> out.println(TerminalText.sanitize(c.line())));
        return checks.stream().allMatch(Check::ok) ? ExitCode.OK : ExitCode.FAILED;
    }

    /** The run directory's disk: refused below the floor, a warning below the estimate of a run of this size. */
    private static Check roomCheck(dev.lb.controller.config.RunConfig cfg) {
        try {
            var room = dev.lb.controller.run.RunDirRoom.of(cfg);
            if (room.belowFloor()) {
                return Check.fail("run directory room", room.refusal(cfg.outputDir()), "free space or change output_dir");
            }
            return room.tight() ? Check.warning("run directory room", room.describe(cfg.outputDir()))
                    : Check.ok("run directory room", room.describe(cfg.outputDir()));
        } catch (java.io.IOException e) {
            return Check.fail("run directory room", "cannot read the free space under " + cfg.outputDir() + ": "
                    + e.getMessage(), "check that output_dir is on a mounted filesystem");
        }
    }
}
