package dev.lb.controller.run;

import dev.lb.controller.ansible.AnsibleFiles;
import dev.lb.controller.ansible.AnsibleProcess;
import dev.lb.controller.ansible.AnsibleProgress;
import dev.lb.controller.ansible.Installation;
import dev.lb.controller.config.RunConfig;
import dev.lb.controller.ingest.Deduplicator;
import dev.lb.controller.ingest.Ingest;
import dev.lb.controller.ingest.Journal;
import dev.lb.controller.ingest.JsonlTailer;
import dev.lb.controller.ingest.StdoutFeed;
import dev.lb.controller.state.RunInfo;
import dev.lb.controller.state.RunState;
import dev.lb.controller.state.RunSummary;
import dev.lb.controller.state.SummaryFile;
import dev.lb.controller.view.RunListener;
import dev.lb.protocol.Json;
import dev.lb.protocol.LbEventExtractor;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * One run, assembled in order: launch ansible-playbook → extract (stdout) and tail (JSONL) → validate →
 * de-duplicate → journal → view. Then stop cleanly, check completeness and write the summary.
 */
public final class RunPipeline {
    public static final String EVENTS_FILE = "events.jsonl";
    public static final String RAW_LOG = "ansible.log";
    public static final String SUMMARY_FILE = "summary.json";
    private static final int MAX_LINE_BYTES = 8 * 1024 * 1024;

    private final Installation install;
    private final Path ansiblePlaybook;
    private final StopSignal stop;
    private final Clock clock;

    public RunPipeline(Installation install, Path ansiblePlaybook, StopSignal stop, Clock clock) {
        this.install = install;
        this.ansiblePlaybook = ansiblePlaybook;
        this.stop = stop;
        this.clock = clock;
    }

    /** Runs to the end and returns the exit code; {@code views} builds the view once the run is known. */
    public RunSummary run(RunConfig config, Function<RunInfo, RunListener> views)
            throws IOException, InterruptedException {
        String runId = config.runId() != null ? config.runId() : RunDirectory.newRunId(clock);
        Path runDir = RunDirectory.create(config.outputDir(), runId).toAbsolutePath();
        AnsibleFiles.Written files = AnsibleFiles.write(config, runId, runDir, install);
        List<String> workloads = config.workloads().stream().map(RunConfig.Workload::name).toList();
        RunInfo info = new RunInfo(runId, config.name(), runDir, files.hosts(), workloads, config.repetitions(),
                clock.millis());
        RunListener view = views.apply(info);

        RunState state = new RunState(files.hosts(), workloads, config.repetitions());
        Ingest ingest = new Ingest(new Deduplicator(200_000), Journal.create(runDir), state, view);
        JsonlTailer jsonl = new JsonlTailer(runDir.resolve(EVENTS_FILE), MAX_LINE_BYTES, ingest, view);
        AnsibleProgress progress = new AnsibleProgress();
        StdoutFeed stdout = new StdoutFeed(new BufferedOutputStream(Files.newOutputStream(runDir.resolve(RAW_LOG))),
                MAX_LINE_BYTES, new LbEventExtractor(MAX_LINE_BYTES), ingest, progress, view);
        ingest.start();
        jsonl.start();
        view.started(info);

        AnsibleProcess ansible = AnsibleProcess.start(playbookArgv(files, "run_benchmark.yml"),
                environment(config, runDir), runDir.toFile(), stdout);
        Ending ending = awaitEnd(ansible, config, files, runDir, view);

        stdout.close();
        jsonl.stop();
        if (!ingest.finish(60, TimeUnit.SECONDS)) {
            view.notice("ingest did not catch up within 60 s; the summary may undercount");
        }
        RunSummary summary = Summaries.build(runId, config.name(), info.startedMillis(), clock.millis(), ending, ingest,
                jsonl, stdout.lines());
        SummaryFile.write(runDir.resolve(SUMMARY_FILE), summary);
        view.finished(summary);
        return summary;
    }

    /** How the playbook ended: its exit code (null if it had to be killed), and whether the user or a time-out did it. */
    record Ending(Integer ansibleExitCode, boolean interrupted, boolean timedOut, String reason) {
    }

    private Ending awaitEnd(AnsibleProcess ansible, RunConfig config, AnsibleFiles.Written files, Path runDir,
                            RunListener view) throws InterruptedException, IOException {
        long runDeadline = System.nanoTime() + (long) (config.runTimeoutS() * 1e9);
        long graceDeadline = Long.MAX_VALUE;
        int handledRequests = 0;
        boolean timedOut = false;
        while (true) {
            Integer rc = ansible.waitFor(Duration.ofMillis(100));
            if (rc != null) {
                return new Ending(rc, stop.requests() > 0, timedOut, stop.requests() > 0 ? stop.reason()
                        : timedOut ? "run time-out after " + (long) config.runTimeoutS() + " s" : null);
            }
            int requests = stop.requests();
            if (requests > handledRequests) {
                handledRequests = requests;
                if (requests == 1) {
                    view.notice("stopping (" + stop.reason() + "): STOP sent to every target; waiting up to "
                            + (long) config.stopGraceS() + " s for the agents to report; press Ctrl-C again to end at once");
                    sendStop(files, config, runDir, view);
                    graceDeadline = System.nanoTime() + (long) (config.stopGraceS() * 1e9);
                } else {
                    view.notice("ending now: ansible-playbook and everything it started are being killed");
                    ansible.terminateTree(Duration.ofSeconds(2));
                }
            }
            if (System.nanoTime() > graceDeadline) {
                view.notice("the targets did not finish within the grace period; ending ansible-playbook");
                ansible.terminateTree(Duration.ofSeconds(2));
                graceDeadline = Long.MAX_VALUE;
            }
            if (!timedOut && System.nanoTime() > runDeadline) {
                timedOut = true;
                view.notice("run time-out after " + (long) config.runTimeoutS() + " s: stopping");
                sendStop(files, config, runDir, view);
                graceDeadline = System.nanoTime() + (long) (config.stopGraceS() * 1e9);
            }
        }
    }

    /** stop.yml as a second ansible-playbook, in the background: it touches STOP (and RUN_STOP) on every target. */
    private void sendStop(AnsibleFiles.Written files, RunConfig config, Path runDir, RunListener view) {
        try {
            AnsibleProcess.start(playbookArgv(files, "stop.yml"), environment(config, runDir), runDir.toFile(),
                    new BufferedOutputStream(Files.newOutputStream(runDir.resolve("stop.log"))));
        } catch (IOException e) {
            view.notice("cannot run stop.yml (" + e.getMessage() + "); ending ansible-playbook instead");
        }
    }

    private List<String> playbookArgv(AnsibleFiles.Written files, String playbook) {
        return List.of(ansiblePlaybook.toString(), "-i", files.inventory().toString(), "-e", "@" + files.vars(),
                install.playbook(playbook).toString());
    }

    private Map<String, String> environment(RunConfig config, Path runDir) {
        Map<String, String> env = new HashMap<>();
        env.put("ANSIBLE_CONFIG", install.ansibleConfig().toString());
        env.put("LB_EVENT_LOG_PATH", runDir.resolve(EVENTS_FILE).toString());
        env.put("ANSIBLE_LOCAL_TEMP", runDir.resolve("ansible-tmp").toString());
        // ansible-core refuses to start without a UTF-8 locale; C.UTF-8 exists on every Debian/Ubuntu.
        env.put("LC_ALL", "C.UTF-8");
        env.put("LANG", "C.UTF-8");
        env.put("PYTHONUNBUFFERED", "1");
        env.put("ANSIBLE_FORCE_COLOR", "0");
        env.put("ANSIBLE_NOCOLOR", "1");
        if (config.targets().testTargets()) {
            env.put("ANSIBLE_HOST_KEY_CHECKING", "False");
        }
        return env;
    }

}
