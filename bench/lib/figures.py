"""bench figures: latency, throughput, overhead, footprint. Each prints its figure as the last line and saves
bench/results/<name>.json. Usage: figures.py NAME [options]; see each function."""
import json
import os
import shutil
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import lbbench as lb  # noqa: E402


def docker_available():
    return shutil.which("docker") and subprocess.run(["docker", "info"], capture_output=True).returncode == 0


def paced_run(work, targets_yaml, rate, seconds, interval):
    cfg = lb.config(work, [{"name": "paced", "argv": lb.paced_workload(rate, seconds)}], targets_yaml, interval)
    rc, wall, cpu, peak = lb.run_lb(cfg)
    delays, per_host = lb.journal(os.path.join(work, "runs", "bench"))
    delays.sort()
    return rc, wall, cpu, peak, delays, per_host


def latency(args):
    """ts -> journal delay, p50/p95/p99, localhost and SSH, for poll intervals 0.25, 1 and 5 s (200 events/s, 20 s)."""
    rate, seconds = 200, 20
    results = []
    places = [("localhost", None)]
    if docker_available():
        places.append(("ssh", "ssh"))
    else:
        print("(no Docker: the SSH figures are skipped)")
    for place, kind in places:
        for interval in (0.25, 1.0, 5.0):
            work = lb.workdir()
            if kind == "ssh":
                with lb.SshTargets(work) as t:
                    rc, _, _, _, d, hosts = paced_run(work, t.yaml, rate, seconds, interval)
            else:
                rc, _, _, _, d, hosts = paced_run(work, lb.LOCAL, rate, seconds, interval)
            complete = sum(hosts.values()) == rate * seconds
            r = {"target": place, "poll_interval_s": interval, "events": len(d), "complete": complete,
                 "p50_s": round(lb.pct(d, 50), 3), "p95_s": round(lb.pct(d, 95), 3), "p99_s": round(lb.pct(d, 99), 3)}
            results.append(r)
            print("%-9s interval %4ss: p50 %.3f s  p95 %.3f s  p99 %.3f s  (%d events%s)" % (
                place, interval, r["p50_s"], r["p95_s"], r["p99_s"], len(d), "" if complete else ", INCOMPLETE"))
            shutil.rmtree(work, ignore_errors=True)
    lb.save("latency", {"bench": "latency", "rate_per_s": rate, "seconds": seconds, "results": results})
    worst = max(r["p99_s"] for r in results if r["poll_interval_s"] == 1.0)
    print("latency ts -> journal at a 1 s poll interval: worst p99 %.3f s (target 1.5 s)" % worst)


def throughput(args):
    """The largest events/s one target sustains for DURATION s with nothing lost and p99 delay under 5 s."""
    duration = int(args[0]) if args else 60
    rates = [int(r) for r in args[1:]] or [20000, 40000, 80000]
    best, results = 0, []
    for rate in rates:
        work = lb.workdir()
        rc, wall, cpu, peak, d, hosts = paced_run(work, lb.LOCAL, rate, duration, 1.0)
        expected = rate * duration
        got = sum(hosts.values())
        p99 = lb.pct(d, 99) if d else float("inf")
        ok = rc == 0 and got == expected and p99 < 5.0
        busiest = max(cpu, key=cpu.get)
        r = {"rate_per_s": rate, "seconds": duration, "journalled": got, "expected": expected, "p99_s": round(p99, 3),
             "cpu_s": dict((k, round(v, 1)) for k, v in cpu.items()), "busiest": busiest, "sustained": ok}
        results.append(r)
        print("%6d/s for %d s: %s, %d of %d journalled, p99 %.2f s; CPU s controller %.1f, ansible %.1f, agent %.1f"
              % (rate, duration, "sustained" if ok else "NOT sustained", got, expected, p99, cpu["controller"],
                 cpu["ansible"], cpu["agent"]))
        shutil.rmtree(work, ignore_errors=True)
        if not ok:
            break
        best = rate
    limit = results[-1]["busiest"]
    lb.save("throughput", {"bench": "throughput", "results": results, "largest_sustained_per_s": best})
    print("throughput: %d events/s sustained for %d s with nothing lost (target 20,000); busiest component at the"
          " highest rate tried: %s" % (best, duration, limit))


def overhead(args):
    """Wall time a do-nothing repetition adds, next to plain ansible-playbook running one command task."""
    work = lb.workdir()
    times = {}
    for reps in (1, 6):
        w = os.path.join(work, "r%d" % reps)
        os.makedirs(w)
        cfg = lb.config(w, [{"name": "noop", "argv": ["true"]}], lb.LOCAL, 1.0, reps)
        rc, wall, _, _ = lb.run_lb(cfg)
        times[reps] = wall
    per_rep = (times[6] - times[1]) / 5
    pb = os.path.join(work, "plain.yml")
    with open(pb, "w") as f:
        f.write("- hosts: localhost\n  gather_facts: false\n  tasks:\n    - ansible.builtin.command: 'true'\n")
    plain = []
    for _ in range(3):
        t0 = time.time()
        subprocess.run(["ansible-playbook", "-i", "localhost,", "-c", "local", "-e",
                        "ansible_python_interpreter=/usr/bin/python3", pb], capture_output=True, check=True)
        plain.append(time.time() - t0)
    floor = sorted(plain)[1]
    r = {"bench": "overhead", "lb_run_1_rep_s": round(times[1], 2), "lb_run_6_reps_s": round(times[6], 2),
         "per_repetition_s": round(per_rep, 2), "plain_ansible_playbook_s": round(floor, 2),
         "ratio": round(per_rep / floor, 2)}
    lb.save("overhead", r)
    shutil.rmtree(work, ignore_errors=True)
    print("overhead: a do-nothing repetition takes %.2f s; plain ansible-playbook with one command task %.2f s"
          " (%.2fx; target within 2x)" % (per_rep, floor, per_rep / floor))


def footprint(args):
    """Controller CPU and peak RSS journalling 1,000,000 events (20,000/s for 50 s); agent peak RSS."""
    rate, seconds = 20000, 50
    work = lb.workdir()
    rc, wall, cpu, peak, d, hosts = paced_run(work, lb.LOCAL, rate, seconds, 1.0)
    got = sum(hosts.values())
    r = {"bench": "footprint", "events": got, "expected": rate * seconds, "controller_cpu_s": round(cpu["controller"], 1),
         "controller_peak_rss_mb": round(peak["controller"] / 2 ** 20, 1), "agent_peak_rss_mb": round(peak["agent"] / 2 ** 20, 1),
         "ansible_cpu_s": round(cpu["ansible"], 1), "agent_cpu_s": round(cpu["agent"], 1)}
    lb.save("footprint", r)
    shutil.rmtree(work, ignore_errors=True)
    print("footprint: %d of %d events journalled; controller %.1f CPU s, peak RSS %.0f MB (target 256 MB);"
          " agent peak RSS %.0f MB" % (got, rate * seconds, r["controller_cpu_s"], r["controller_peak_rss_mb"],
                                      r["agent_peak_rss_mb"]))


def old_callback(work):
    """The lb_events callback as it was before it forwarded lines unparsed (the last version with find_payloads),
    in a directory of its own for ANSIBLE_CALLBACK_PLUGINS."""
    changed = subprocess.check_output(["git", "-C", lb.ROOT, "log", "-S", "def find_payloads", "--format=%H", "-1",
                                       "--", "ansible/callback_plugins/lb_events.py"]).decode().strip()
    ref = changed + "^"
    d = os.path.join(work, "old-callback")
    os.makedirs(d)
    with open(os.path.join(d, "lb_events.py"), "wb") as f:
        f.write(subprocess.check_output(["git", "-C", lb.ROOT, "show", ref + ":ansible/callback_plugins/lb_events.py"]))
    return d, subprocess.check_output(["git", "-C", lb.ROOT, "rev-parse", "--short", ref]).decode().strip()


def callback_cost(args):
    """ansible-playbook's CPU (the process and its forks, not the modules it runs) per 100,000 events, the callback
    before and after it forwarded lines unparsed, side by side on the same local workload. Each side runs a small
    and a large workload; the difference, per 100,000 events, leaves setup and start-up out."""
    events = int(args[0]) if args else 100000
    rate = int(args[1]) if len(args) > 1 else 20000
    rounds = int(args[2]) if len(args) > 2 else 2
    base = 2000
    work = lb.workdir()
    old_dir, old_ref = old_callback(work)
    sides = {"old": {"ANSIBLE_CALLBACK_PLUGINS": old_dir}, "new": {}}
    per = {"old": [], "new": []}
    for r in range(rounds):
        for side in (("old", "new") if r % 2 == 0 else ("new", "old")):
            cpu = {}
            for n in (base, base + events):
                w = os.path.join(work, "%s-%d-%d" % (side, r, n))
                os.makedirs(w)
                cfg = lb.config(w, [{"name": "paced", "argv": counted_workload(rate, n)}], lb.LOCAL)
                rc, wall, c, _ = lb.run_lb(cfg, sides[side], 0.05)
                _, hosts = lb.journal(os.path.join(w, "runs", "bench"))
                if rc != 0 or sum(hosts.values()) != n:
                    sys.exit("%s callback, %d events: exit %d, %d journalled" % (side, n, rc, sum(hosts.values())))
                cpu[n] = c["ansible_playbook"]
            per[side].append((cpu[base + events] - cpu[base]) * 100000.0 / events)
            print("round %d, %s callback: ansible-playbook %.2f CPU s for %d events, %.2f for %d; %.2f CPU s per"
                  " 100,000 events" % (r + 1, side, cpu[base + events], base + events, cpu[base], base, per[side][-1]))
    med = dict((k, median(v)) for k, v in per.items())
    res = {"bench": "callback-cost", "events": events, "rate_per_s": rate, "rounds": rounds, "old_ref": old_ref,
           "old_cpu_s_per_100k": [round(x, 2) for x in per["old"]], "new_cpu_s_per_100k": [round(x, 2) for x in per["new"]],
           "old_median": round(med["old"], 2), "new_median": round(med["new"], 2),
           "ratio": round(med["new"] / med["old"], 2) if med["old"] else None}
    lb.save("callback-cost", res)
    shutil.rmtree(work, ignore_errors=True)
    print("callback cost: ansible-playbook CPU per 100,000 events, old callback (%s) %.2f s, new %.2f s (median of %d"
          " rounds; new/old %.2f, target <= 0.5)" % (old_ref, med["old"], med["new"], rounds, res["ratio"]))


def median(values):
    v = sorted(values)
    return (v[(len(v) - 1) // 2] + v[len(v) // 2]) / 2.0


def counted_workload(rate, n):
    """argv of a python3 workload printing exactly n lines at `rate` lines/s."""
    code = ("import sys, time\nrate, n = %d, %d\nt0 = time.time()\nw = sys.stdout.write\n"
            "for i in range(n):\n    if i %% 100 == 0:\n        d = t0 + i / rate - time.time()\n"
            "        if d > 0: time.sleep(d)\n    w('event %%d of the paced benchmark\\n' %% i)\nsys.stdout.flush()\n") % (rate, n)
    return ["python3", "-c", code]


if __name__ == "__main__":
    {"latency": latency, "throughput": throughput, "overhead": overhead, "footprint": footprint,
     "callback_cost": callback_cost}[sys.argv[1]](sys.argv[2:])
