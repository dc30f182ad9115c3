"""bench/fleet.sh N RATE SECONDS: N SSH target containers, each running a workload that prints exactly RATE x SECONDS
stdout lines at RATE per second, through one real `lb run` (metrics sampling off, so the counts are exact). Prints
the run directory (kept), then events emitted vs journalled per host, seq gaps, ts -> journal p50/p99, poll rounds
per host per second, and the CPU seconds of ansible-playbook (with everything it started), the controller JVM, the
agents and the rest of the target containers, per 100,000 events. Writes bench/results/fleet-N-RATE-SECONDS.json.
Exits 1 when any event is missing, a seq has a gap or is journalled twice, or lb run fails."""
import argparse
import glob
import json
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import lbbench as lb  # noqa: E402

RETRY = re.compile(r"^FAILED - RETRYING: \[([^\]]+)\]: (.*) \((\d+) retries left\)\.?\s*$")
PER = 100000.0


def read_journal(run_dir):
    """Everything the figures need from journal.jsonl, in one pass."""
    seqs = {}                 # (host, workload, repetition, src) -> [seq, ...]
    stdout = {}               # host -> [(ts, received), ...] of workload stdout events
    stdout_ids = {}           # host -> {(repetition, seq), ...} of workload stdout events
    agent_span = {}           # host -> [first ts, last ts] of the agent's events
    paths = {}
    with open(os.path.join(run_dir, "journal.jsonl")) as f:
        for line in f:
            r = json.loads(line)
            e = r["event"]
            seqs.setdefault((e["host"], e["workload"], e["repetition"], e["src"]), []).append(e["seq"])
            paths[r["path"]] = paths.get(r["path"], 0) + 1
            if e["src"] == "agent":
                span = agent_span.setdefault(e["host"], [e["ts"], e["ts"]])
                span[0], span[1] = min(span[0], e["ts"]), max(span[1], e["ts"])
            if e.get("stream") == "stdout":
                stdout.setdefault(e["host"], []).append((e["ts"], r["received"]))
                stdout_ids.setdefault(e["host"], set()).add((e["repetition"], e["seq"]))
    gaps, duplicates = [], 0
    for (host, workload, rep, src), s in sorted(seqs.items()):
        distinct = set(s)
        duplicates += len(s) - len(distinct)
        missing = sorted(set(range(1, max(distinct) + 1)) - distinct)
        if missing:
            gaps.append({"host": host, "workload": workload, "repetition": rep, "src": src, "missing": len(missing),
                         "first_missing": missing[0], "last_missing": missing[-1], "last_seq": max(distinct)})
    return stdout, stdout_ids, agent_span, paths, gaps, duplicates


def poll_rounds(run_dir):
    """Poll steps per host: each "FAILED - RETRYING" line of a poll task in ansible.log (one per slice in a sliced
    run) is one poll that did not end the loop; the one that ended it (finished, crashed or expired) is shown as the
    task's result, so +1 per host."""
    rounds = {}
    logs = glob.glob(os.path.join(run_dir, "slices", "*", "ansible.log")) or [os.path.join(run_dir, "ansible.log")]
    for log in logs:
        with open(log, encoding="utf-8", errors="replace") as f:
            for line in f:
                m = RETRY.match(line)
                if m and m.group(2).split(" : ")[-1].startswith("poll "):
                    rounds[m.group(1)] = rounds.get(m.group(1), 0) + 1
    return rounds


def per100k(cpu, events):
    return round(cpu / events * PER, 2) if events else None


def cpu_split(before, after):
    """CPU seconds between two sampler totals: ansible-playbook (with its forks and ssh), the controller JVM; on the
    targets the agents, sshd, the workloads and the rest of the containers (the poll and other modules, their shells);
    this bench's own sampling; the rest of the machine (other processes, dockerd, the kernel's own threads)."""
    d = dict((k, after[k] - before[k]) for k in after)
    return {"ansible": d["ansible"], "controller": d["controller"], "agents": d["agent"], "sshd": d["sshd"],
            "workloads": d["workload"], "modules": d["containers"] - d["agent"] - d["sshd"] - d["workload"],
            "bench": d["bench"],
            "machine_other": d["machine"] - d["ansible"] - d["controller"] - d["containers"] - d["bench"],
            "machine": d["machine"]}


def main(args):
    parser = argparse.ArgumentParser(prog="bench/fleet.sh")
    parser.add_argument("n", type=int)
    parser.add_argument("rate", type=int)
    parser.add_argument("seconds", type=int)
    parser.add_argument("--slices", help="the run's slices (auto or K; default: the config's default, 1)")
    parser.add_argument("--poll-batch-s", type=float, help="the poll step's batching window (default: lb's)")
    parser.add_argument("--sync", action="store_true", help="sync: true (every host starts the repetition together)")
    opts = parser.parse_args(args)
    n, rate, seconds = opts.n, opts.rate, opts.seconds
    extra = "metrics_interval_s: 0\n"
    if opts.slices:
        extra += "slices: %s\n" % opts.slices
    if opts.poll_batch_s is not None:
        extra += "poll_batch_s: %s\n" % opts.poll_batch_s
    if opts.sync:
        extra += "sync: true\n"
    label = "fleet-%d-%d-%d%s%s%s" % (n, rate, seconds, "-slices-%s" % opts.slices if opts.slices else "",
                                      "-batch-%s" % opts.poll_batch_s if opts.poll_batch_s is not None else "",
                                      "-sync" if opts.sync else "")
    per_host = rate * seconds
    emitted = n * per_host
    work = lb.workdir()
    run_dir = os.path.join(work, "runs", "bench")
    mem_before = lb.mem_available_bytes()
    with lb.SshTargets(work, n) as targets:
        # Ten flushes a second at most: lines leave the workload at the rate, not in bursts.
        workload = {"name": "paced", "argv": lb.paced_workload(rate, seconds, chunk=max(1, min(100, rate // 10)))}
        cfg = lb.config(work, [workload], targets.yaml, 1.0, 1, extra)
        print("run dir: %s" % run_dir, flush=True)
        rc, wall, sampler = lb.run_lb_sampled(cfg, containers=targets.containers, interval=0.5)
    stdout, stdout_ids, agent_span, paths, gaps, duplicates = read_journal(run_dir)
    with open(os.path.join(run_dir, "summary.json")) as f:
        summary = json.load(f)
    rounds = poll_rounds(run_dir)
    hosts = ["ssh-%d" % i for i in range(1, n + 1)]

    delays = sorted(rcv - ts for h in hosts for ts, rcv in stdout.get(h, []))
    journalled = dict((h, len(stdout_ids.get(h, ()))) for h in hosts)
    hosts_out = []
    for h in hosts:
        span = agent_span.get(h, [0, 0])
        polls = rounds.get(h, 0) + (1 if h in agent_span else 0)
        hosts_out.append({"host": h, "emitted": per_host, "journalled": journalled[h],
                          "missing": per_host - journalled[h], "poll_rounds": polls,
                          "repetition_s": round(span[1] - span[0], 3),
                          "polls_per_s": round(polls / (span[1] - span[0]), 2) if span[1] > span[0] else None})
    rates = [x["polls_per_s"] for x in hosts_out if x["polls_per_s"] is not None]
    first = min(ts for h in hosts for ts, _ in stdout.get(h, [])) if delays else None
    last = max(ts for h in hosts for ts, _ in stdout.get(h, [])) if delays else None
    phases = {"setup_s": round(first - summary["started_at"], 1), "streaming_s": round(last - first, 1),
              "after_s": round(summary["ended_at"] - last, 1)} if delays else None
    missing = sum(x["missing"] for x in hosts_out)

    whole = cpu_split(sampler.series[0][1], sampler.series[-1][1])
    # While every host streams: from the last host's first stdout event to the first host's last one. Fixed costs
    # (setup, agent start, collect) fall outside; agents and targets are divided by the events emitted in the window,
    # ansible-playbook and the controller by the events journalled in it.
    starts = [min(ts for ts, _ in stdout[h]) for h in hosts if stdout.get(h)]
    ends = [max(ts for ts, _ in stdout[h]) for h in hosts if stdout.get(h)]
    window = None
    if len(starts) == n and min(ends) - max(starts) >= 5:
        t_a, t_b = max(starts), min(ends)
        t_a_sample = max(t for t, _ in sampler.series if t <= t_a)
        t_b_sample = max(t for t, _ in sampler.series if t <= t_b)
        cpu = cpu_split(sampler.totals_at(t_a_sample), sampler.totals_at(t_b_sample))
        made = sum(1 for h in hosts for ts, _ in stdout[h] if t_a_sample < ts <= t_b_sample)
        taken = sum(1 for h in hosts for _, rcv in stdout[h] if t_a_sample < rcv <= t_b_sample)
        window = {"seconds": round(t_b_sample - t_a_sample, 2), "events_emitted": made, "events_journalled": taken,
                  "cpu_s": dict((k, round(v, 2)) for k, v in cpu.items()),
                  "cpu_s_per_100k_events": {
                      "ansible": per100k(cpu["ansible"], taken), "controller": per100k(cpu["controller"], taken),
                      "agents": per100k(cpu["agents"], made), "sshd": per100k(cpu["sshd"], made),
                      "modules": per100k(cpu["modules"], made), "workloads": per100k(cpu["workloads"], made)},
                  "cores_busy": round(cpu["machine"] / (t_b_sample - t_a_sample), 2)}

    # The first 15 s of streaming (from the first stdout event's ts), where the overall p99 is set: each group's CPU
    # and the p99 per 5 s window of ts, to tell whose work the late events waited behind (the targets' agent starts
    # and poll modules, ansible-playbook, or the controller).
    start = None
    if delays and sampler.series[0][0] <= first and sampler.series[-1][0] >= first + 15:
        t_a = max(t for t, _ in sampler.series if t <= first)
        t_b = max(t for t, _ in sampler.series if t <= first + 15)
        cpu = cpu_split(sampler.totals_at(t_a), sampler.totals_at(t_b))
        p99s = []
        for lo in (0, 5, 10):
            ds = sorted(rcv - ts for h in hosts for ts, rcv in stdout.get(h, []) if lo <= ts - first < lo + 5)
            p99s.append(round(lb.pct(ds, 99), 3) if ds else None)
        start = {"seconds": round(t_b - t_a, 2), "p99_per_5s": p99s,
                 "cpu_s": dict((k, round(v, 2)) for k, v in cpu.items()),
                 "cores_busy": round(cpu["machine"] / (t_b - t_a), 2)}

    # Setup: from the run's start to the first workload stdout event (every target's lease, setup, sysinfo and first
    # agent start lie before it, the hosts going through the setup plays together). Target side: the containers'
    # cgroups (modules, sshd, the archive's dump start, sysinfo, the first agents), per target.
    setup = None
    if delays:
        t_s = max(t for t, _ in sampler.series if t <= first) if sampler.series[0][0] <= first else None
        if t_s is not None:
            d = cpu_split(sampler.series[0][1], sampler.totals_at(t_s))
            on_targets = sampler.totals_at(t_s)["containers"] - sampler.series[0][1]["containers"]
            setup = {"seconds": round(t_s - sampler.series[0][0], 1),
                     "cpu_s": {"ansible": round(d["ansible"], 2), "controller": round(d["controller"], 2),
                               "targets": round(on_targets, 2), "machine_other": round(d["machine_other"], 2)},
                     "target_cpu_s_per_target": round(on_targets / n, 3),
                     "ansible_cpu_s_per_target": round(d["ansible"] / n, 3)}

    result = {
        "bench": "fleet", "targets": n, "slices": opts.slices, "poll_batch_s": opts.poll_batch_s, "sync": opts.sync, "rate_per_s": rate, "seconds": seconds, "run_dir": run_dir, "lb_exit_code": rc,
        "wall_s": round(wall, 1), "phases": phases, "emitted": emitted, "journalled": sum(journalled.values()),
        "missing": missing,
        "seq_gaps": gaps, "duplicates_in_journal": duplicates, "summary_gaps": summary.get("gaps"),
        "completeness": summary.get("completeness", {}).get("verdict"), "journal_paths": paths,
        "by_path": summary.get("events"),
        "delay_p50_s": round(lb.pct(delays, 50), 3) if delays else None,
        "delay_p99_s": round(lb.pct(delays, 99), 3) if delays else None,
        "delay_max_s": round(delays[-1], 3) if delays else None,
        "polls_per_host_per_s": {"mean": round(sum(rates) / len(rates), 2) if rates else None,
                                 "min": min(rates) if rates else None, "max": max(rates) if rates else None},
        "events_per_poll": round(sum(journalled.values()) / float(sum(x["poll_rounds"] for x in hosts_out)), 1)
        if any(x["poll_rounds"] for x in hosts_out) else None,
        "cpu_s": dict((k, round(v, 2)) for k, v in whole.items()),
        "cpu_s_per_100k_events": dict((k, per100k(whole[k], emitted))
                                      for k in ("ansible", "controller", "agents", "sshd", "modules", "workloads")),
        "streaming_window": window,
        "setup": setup,
        "first_15_s": start,
        "peak_rss_mb": dict((k, round(v / 2.0 ** 20, 1)) for k, v in sampler.peak.items()),
        "mem_available_mb": {"before": round(mem_before / 2.0 ** 20),
                             "lowest": round(sampler.min_mem_available / 2.0 ** 20)},
        "ssh_masters_found": sum(1 for k, _ in sampler.last.values() if k == "ssh"),
        "hosts": hosts_out,
    }
    lb.save(label, result)

    print("%d targets x %d lines/s x %d s: %d stdout events emitted, %d journalled (%d missing), %d seq gaps, %d"
          " journalled twice; lb run exit %d, %.0f s; journal by path %s"
          % (n, rate, seconds, emitted, result["journalled"], missing, len(gaps), duplicates, rc, wall,
             json.dumps(paths, sort_keys=True)))
    for x in hosts_out:
        if x["missing"]:
            print("  MISSING on %s: %d of %d journalled" % (x["host"], x["journalled"], x["emitted"]))
    for g in gaps:
        print("  GAP %s %s rep %s src %s: %d seqs missing, %d-%d (last seq %d)" % (
            g["host"], g["workload"], g["repetition"], g["src"], g["missing"], g["first_missing"], g["last_missing"],
            g["last_seq"]))
    print("ts -> journal: p50 %s s, p99 %s s, max %s s" % (result["delay_p50_s"], result["delay_p99_s"],
                                                         result["delay_max_s"]))
    print("poll rounds per host per second: mean %s (min %s, max %s); %s events per poll"
          % (result["polls_per_host_per_s"]["mean"], result["polls_per_host_per_s"]["min"],
             result["polls_per_host_per_s"]["max"], result["events_per_poll"]))
    c, p = result["cpu_s"], result["cpu_s_per_100k_events"]
    if phases:
        print("phases: %.1f s from the run's start to the first stdout event, %.1f s from the first to the last, %.1f s"
              " from the last to the run's end" % (phases["setup_s"], phases["streaming_s"], phases["after_s"]))
    if setup:
        print("setup (the run's start to the first stdout event, %.0f s): CPU s on the targets %.1f (%.2f a target),"
              " ansible-playbook %.1f (%.2f a target), controller %.1f; rest of the machine %.1f" % (
                  setup["seconds"], setup["cpu_s"]["targets"], setup["target_cpu_s_per_target"],
                  setup["cpu_s"]["ansible"], setup["ansible_cpu_s_per_target"], setup["cpu_s"]["controller"],
                  setup["cpu_s"]["machine_other"]))
    print("CPU s, whole run: ansible-playbook %.1f, controller %.1f; targets: agents %.1f, sshd %.1f, poll and other"
          " modules %.1f, workloads %.1f; this bench %.1f; rest of the machine %.1f" % (
              c["ansible"], c["controller"], c["agents"], c["sshd"], c["modules"], c["workloads"], c["bench"],
              c["machine_other"]))
    print("  per 100,000 events: ansible-playbook %s, controller %s, agents %s, sshd %s, modules %s" % (
        p["ansible"], p["controller"], p["agents"], p["sshd"], p["modules"]))
    if window:
        w = window["cpu_s_per_100k_events"]
        print("CPU s per 100,000 events while all %d stream (%.0f s, %d events, %.2f cores busy): ansible-playbook %s,"
              " controller %s, agents %s, sshd %s, modules %s" % (
                  n, window["seconds"], window["events_journalled"], window["cores_busy"], w["ansible"],
                  w["controller"], w["agents"], w["sshd"], w["modules"]))
    if start:
        c15 = start["cpu_s"]
        print("first 15 s of streaming: p99 per 5 s of ts %s s; %.2f cores busy; CPU s ansible-playbook %.1f, controller"
              " %.1f; targets: agents %.1f, sshd %.1f, poll and other modules %.1f, workloads %.1f; rest %.1f" % (
                  " / ".join(str(x) for x in start["p99_per_5s"]), start["cores_busy"], c15["ansible"],
                  c15["controller"], c15["agents"], c15["sshd"], c15["modules"], c15["workloads"],
                  c15["machine_other"]))
    ok = rc == 0 and missing == 0 and not gaps and duplicates == 0
    print("fleet %d x %d/s x %d s: %s; p99 %s s; ansible-playbook %s CPU s per 100,000 events"
          % (n, rate, seconds, "every event journalled once" if ok else "NOT COMPLETE", result["delay_p99_s"],
             p["ansible"]))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
