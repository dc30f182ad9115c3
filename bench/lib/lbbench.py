"""Shared by the bench/*.sh scripts: run the real `lb run` with a generated config, sample the CPU and RSS of each
component (controller JVM, ansible-playbook and its modules, agent JVMs) from /proc while it runs, and read the
journal afterwards. Standard library only."""
import json
import os
import subprocess
import sys
import tempfile
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
HZ = os.sysconf("SC_CLK_TCK")
PAGE = os.sysconf("SC_PAGE_SIZE")


def paced_workload(rate, seconds, text="event %d of the paced benchmark"):
    """argv of a python3 workload printing `rate` lines/s for `seconds` s (sleeping every 100 lines)."""
    code = ("import sys, time\nrate, n = %d, %d\nt0 = time.time()\nw = sys.stdout.write\n"
            "for i in range(n):\n    if i %% 100 == 0:\n        d = t0 + i / rate - time.time()\n"
            "        if d > 0: time.sleep(d)\n    w(%r %% i + '\\n')\nsys.stdout.flush()\n") % (rate, rate * seconds, text)
    return ["python3", "-c", code]


def config(work, workloads, targets_yaml, interval=1.0, repetitions=1):
    path = os.path.join(work, "bench.yaml")
    with open(path, "w") as f:
        f.write("name: bench\nrun_id: bench\noutput_dir: %s\nrepetitions: %d\npoll_interval_s: %s\n"
                % (os.path.join(work, "runs"), repetitions, interval))
        f.write(targets_yaml)
        f.write("workloads:\n")
        for w in workloads:
            f.write("  - " + json.dumps(w) + "\n")
    return path


LOCAL = "targets: {hosts: [{name: local, connection: local}]}\n"


def _proc(pid):
    try:
        with open("/proc/%d/stat" % pid) as f:
            fields = f.read().rsplit(")", 1)[1].split()
        with open("/proc/%d/cmdline" % pid, "rb") as f:
            cmd = f.read().replace(b"\0", b" ").decode("utf-8", "replace")
        ppid, ticks, rss = int(fields[1]), int(fields[11]) + int(fields[12]), int(fields[21]) * PAGE
        return ppid, ticks, rss, cmd
    except (IOError, OSError, IndexError, ValueError):
        return None


class Sampler(threading.Thread):
    """Every 0.2 s: CPU ticks and RSS per component. Agents are found by their jar name (they run detached)."""

    def __init__(self, controller_pid, interval=0.2):
        super().__init__(daemon=True)
        self.controller = controller_pid
        self.interval = interval
        self.ticks = {}      # pid -> (component, last ticks)
        self.playbook = {}   # pid -> last ticks, for ansible-playbook itself and its forks (not the modules it runs)
        self.peak = {"controller": 0, "ansible": 0, "agent": 0}
        self.running = True

    def component(self, pid, procs):
        if pid == self.controller:
            return "controller"
        if "lb-agent.jar" in procs[pid][3]:
            return "agent"
        p = pid
        for _ in range(50):
            p = procs.get(p, (0,))[0]
            if p == self.controller:
                return "ansible"
            if p in (0, 1):
                return None
        return None

    def run(self):
        while self.running:
            procs = {}
            for d in os.listdir("/proc"):
                if d.isdigit():
                    info = _proc(int(d))
                    if info:
                        procs[int(d)] = info
            rss = {"controller": 0, "ansible": 0, "agent": 0}
            for pid, (ppid, ticks, r, cmd) in procs.items():
                c = self.component(pid, procs)
                if c:
                    self.ticks[pid] = (c, ticks)
                    if c == "ansible" and "ansible-playbook" in cmd:
                        self.playbook[pid] = ticks
                    rss[c] += r if c != "agent" else 0
                    if c == "agent":
                        rss[c] = max(rss[c], r)
            for c in rss:
                self.peak[c] = max(self.peak[c], rss[c])
            time.sleep(self.interval)

    def cpu_seconds(self):
        out = {"controller": 0.0, "ansible": 0.0, "agent": 0.0}
        for c, t in self.ticks.values():
            out[c] += t / HZ
        out["ansible_playbook"] = sum(self.playbook.values()) / HZ
        return out


def run_lb(cfg, env=None, interval=0.2):
    """Runs ./lb run -c cfg --output json; returns (exit code, wall seconds, cpu seconds, peak rss bytes)."""
    subprocess.run([os.path.join(ROOT, "lb"), "--version"], check=True, stdout=subprocess.DEVNULL)
    t0 = time.time()
    e = dict(os.environ)
    e.update(env or {})
    p = subprocess.Popen([os.path.join(ROOT, "lb"), "run", "-c", cfg, "--output", "json"],
                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=e)
    s = Sampler(p.pid, interval)
    s.start()
    _, err = p.communicate()
    s.running = False
    s.join()
    if p.returncode not in (0, 1):
        sys.stderr.write(err.decode("utf-8", "replace")[-3000:])
    return p.returncode, time.time() - t0, s.cpu_seconds(), s.peak


def journal(run_dir):
    """(delays of workload stdout events, distinct seq count per host) from journal.jsonl."""
    delays, seqs = [], {}
    with open(os.path.join(run_dir, "journal.jsonl")) as f:
        for line in f:
            r = json.loads(line)
            e = r["event"]
            if e.get("stream") == "stdout":
                delays.append(r["received"] - e["ts"])
                seqs.setdefault(e["host"], set()).add((e["repetition"], e["seq"]))
    return delays, dict((h, len(s)) for h, s in seqs.items())


def pct(sorted_values, p):
    return sorted_values[min(len(sorted_values) - 1, int(p / 100.0 * len(sorted_values)))]


def save(name, result):
    os.makedirs(os.path.join(ROOT, "bench", "results"), exist_ok=True)
    with open(os.path.join(ROOT, "bench", "results", name + ".json"), "w") as f:
        f.write(json.dumps(result) + "\n")


def workdir():
    return tempfile.mkdtemp(prefix="lb-bench-")
