"""bench/poll-window.sh: one local target printing RATE lines/s for SECONDS s, through the real `lb run`, once per
poll_batch_s window. Per window: events journalled (all must be), poll rounds per second (each poll is a task result:
its retries are the 'FAILED - RETRYING: [host]: poll' lines of ansible.log, plus the one that ended each
repetition's poll), ansible-playbook CPU seconds per 100,000 events (with its forks and modules), and the ts ->
journal delay p50/p99. Prints the table, then the chosen window's line last."""
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import lbbench  # noqa: E402


def one(rate, seconds, window):
    work = lbbench.workdir()
    cfg = lbbench.config(work, [{"name": "busy", "argv": lbbench.paced_workload(rate, seconds)}], lbbench.LOCAL,
                         interval=1.0)
    with open(cfg, "a") as f:
        f.write("metrics_interval_s: 0\npoll_batch_s: %s\n" % window)
    code, wall, cpu, _ = lbbench.run_lb(cfg)
    run_dir = os.path.join(work, "runs", "bench")
    delays, seqs = lbbench.journal(run_dir)
    expected = rate * seconds
    got = sum(seqs.values())
    if code != 0 or got != expected:
        raise SystemExit("window %s: exit %d, %d of %d stdout events journalled (run dir %s)"
                         % (window, code, got, expected, run_dir))
    polls = 0
    with open(os.path.join(run_dir, "ansible.log"), errors="replace") as f:
        for line in f:
            if line.startswith("FAILED - RETRYING: [") and "]: poll " in line:
                polls += 1
    polls += 1  # the poll that saw the repetition end
    delays.sort()
    return {"window_s": window, "events": got, "polls": polls, "polls_per_s": polls / float(seconds),
            "events_per_poll": got / float(polls), "ansible_cpu_per_100k": cpu["ansible"] * 100000.0 / got,
            "controller_cpu_per_100k": cpu["controller"] * 100000.0 / got,
            "p50_s": lbbench.pct(delays, 50), "p99_s": lbbench.pct(delays, 99), "wall_s": wall, "run_dir": run_dir}


def main(argv):
    rate = int(argv[0]) if argv else 2000
    seconds = int(argv[1]) if len(argv) > 1 else 15
    windows = [float(w) for w in argv[2:]] or [0.0, 0.05, 0.1, 0.25, 0.5]
    rows = [one(rate, seconds, w) for w in windows]
    print("%-8s %10s %8s %12s %16s %8s %8s" % ("window", "polls/s", "ev/poll", "ansible cpu", "controller cpu",
                                              "p50", "p99"))
    for r in rows:
        print("%-8s %10.1f %8.0f %10.2f s %14.2f s %7.3fs %7.3fs" % (
            "%.2f s" % r["window_s"], r["polls_per_s"], r["events_per_poll"], r["ansible_cpu_per_100k"],
            r["controller_cpu_per_100k"], r["p50_s"], r["p99_s"]))
    lbbench.save("poll-window-%d" % rate, {"rate": rate, "seconds": seconds, "rows": rows})
    chosen = [r for r in rows if abs(r["window_s"] - 0.25) < 1e-9] or rows[-1:]  # the default poll_batch_s
    c = chosen[0]
    print("poll window %.2f s at %d lines/s: %.1f polls/s, %.2f ansible CPU s per 100,000 events, p99 %.3f s"
          % (c["window_s"], rate, c["polls_per_s"], c["ansible_cpu_per_100k"], c["p99_s"]))


if __name__ == "__main__":
    main(sys.argv[1:])
