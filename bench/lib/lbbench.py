"""Shared by the bench/*.sh scripts: run the real `lb run` with a generated config, sample the CPU and RSS of each
component (controller JVM, ansible-playbook and its modules, agent JVMs) from /proc while it runs, and read the
journal afterwards. Standard library only."""
import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
HZ = os.sysconf("SC_CLK_TCK")
PAGE = os.sysconf("SC_PAGE_SIZE")


def paced_workload(rate, seconds, text="event %d of the paced benchmark", chunk=100):
    """argv of a python3 workload printing `rate` lines/s for `seconds` s: every `chunk` lines, when it is ahead of
    time, it flushes what it wrote (stdout is a pipe, block-buffered: 8 KiB, some 250 lines, would otherwise leave
    in bursts) and sleeps."""
    code = ("import sys, time\nrate, n = %d, %d\nt0 = time.time()\nw = sys.stdout.write\n"
            "for i in range(n):\n    if i %% %d == 0:\n        d = t0 + i / rate - time.time()\n"
            "        if d > 0: sys.stdout.flush(); time.sleep(d)\n    w(%r %% i + '\\n')\nsys.stdout.flush()\n") % (
        rate, rate * seconds, chunk, text)
    return ["python3", "-c", code]


def config(work, workloads, targets_yaml, interval=1.0, repetitions=1, extra=""):
    """Writes work/bench.yaml (run id `bench`, runs under work/runs); `extra` is more top-level YAML."""
    path = os.path.join(work, "bench.yaml")
    with open(path, "w") as f:
        f.write("name: bench\nrun_id: bench\noutput_dir: %s\nrepetitions: %d\npoll_interval_s: %s\n"
                % (os.path.join(work, "runs"), repetitions, interval))
        f.write(extra)
        f.write(targets_yaml)
        f.write("workloads:\n")
        for w in workloads:
            f.write("  - " + json.dumps(w) + "\n")
    return path


LOCAL = "targets: {hosts: [{name: local, connection: local}]}\n"


class Container(object):
    """One running container: its id, and its cgroup's CPU time (every process in it), read from this host."""

    def __init__(self, cid):
        self.cid = cid
        pid = int(subprocess.check_output(["docker", "inspect", "-f", "{{.State.Pid}}", cid]).decode().strip())
        self.usage = self._usage_file(pid)

    @staticmethod
    def _usage_file(pid):
        """cgroup v1: cpuacct.usage (ns) of the container's cpuacct group; v2: cpu.stat usage_usec."""
        tried = []
        for line in (_read("/proc/%d/cgroup" % pid) or "").splitlines():
            _, controllers, path = line.split(":", 2)
            if "cpuacct" in controllers.split(","):
                for mount in ("cpuacct", "cpu,cpuacct", "cpuacct,cpu"):
                    f = "/sys/fs/cgroup/%s%s/cpuacct.usage" % (mount, path)
                    tried.append(f)
                    if os.path.exists(f):
                        return f
            elif controllers == "" and path != "/":
                f = "/sys/fs/cgroup%s/cpu.stat" % path
                tried.append(f)
                if os.path.exists(f):
                    return f
        raise RuntimeError("cannot find the CPU time of container process %d's cgroup (tried: %s)"
                           % (pid, ", ".join(tried) or "no cgroup line"))

    def cpu_seconds(self):
        text = _read(self.usage)
        if text is None:
            raise RuntimeError("cannot read %s (the container is gone?)" % self.usage)
        if self.usage.endswith("cpuacct.usage"):
            return int(text) / 1e9
        return int(dict(l.split() for l in text.splitlines())["usage_usec"]) / 1e6


class SshTargets(object):
    """`count` lb-target containers named ssh-1..ssh-N, as the integration tests start them: host networking, each
    sshd on 127.0.0.1 at a port of its own, one fresh key for all, so every target has its own processes and files
    and the controller talks to them over real SSH. Needs dockerd and the image scripts/build-target-image.sh makes."""

    def __init__(self, work, count=1):
        self.work = work
        self.count = count
        self.containers = []
        self.hosts = []      # (name, port)

    def __enter__(self):
        try:
            self._start()
        except BaseException:
            self.__exit__()
            raise
        return self

    def _start(self):
        image = subprocess.check_output([os.path.join(ROOT, "scripts", "build-target-image.sh")]).decode().split()[-1]
        self.key = os.path.join(self.work, "id_ed25519")
        subprocess.check_call(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", self.key])
        with open(self.key + ".pub") as f:
            pub = f.read().strip()
        for i in range(1, self.count + 1):
            port = free_port()
            cid = subprocess.check_output([
                "docker", "run", "-d", "--network", "host", image, "sh", "-c",
                "mkdir -p /root/.ssh && echo '%s' > /root/.ssh/authorized_keys && exec /usr/sbin/sshd -D -e -p %d"
                " -o ListenAddress=127.0.0.1 -o PasswordAuthentication=no -o MaxSessions=50 -o MaxStartups=50"
                % (pub, port)]).decode().strip()
            try:
                self.containers.append(Container(cid))
            except BaseException:
                subprocess.run(["docker", "rm", "-f", cid], capture_output=True)
                raise
            self.hosts.append(("ssh-%d" % i, port))
        for c, (name, port) in zip(self.containers, self.hosts):
            for _ in range(300):
                if b"Server listening" in subprocess.run(["docker", "logs", c.cid], capture_output=True).stderr:
                    break
                time.sleep(0.1)
            else:
                raise RuntimeError("the sshd of %s (container %s, port %d) did not start in 30 s"
                                   % (name, c.cid[:12], port))
        self.yaml = "targets:\n  test_targets: true\n  hosts:\n" + "".join(
            "    - {name: %s, address: 127.0.0.1, port: %d, user: root, ssh_key: %s, python: /usr/bin/python3}\n"
            % (name, port, self.key) for name, port in self.hosts)

    def __exit__(self, *exc):
        for c in self.containers:
            subprocess.run(["docker", "rm", "-f", c.cid], capture_output=True)


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def _proc(pid):
    """(ppid, own ticks, reaped children's ticks, rss bytes, start time) of a process, or None when it is gone."""
    try:
        with open("/proc/%d/stat" % pid) as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[1]), int(fields[11]) + int(fields[12]), int(fields[13]) + int(fields[14]),
                int(fields[21]) * PAGE, int(fields[19]))
    except (IOError, OSError, IndexError, ValueError):
        return None


def _read(path, binary=False):
    try:
        with open(path, "rb" if binary else "r") as f:
            return f.read()
    except (IOError, OSError):
        return None


def machine_busy_seconds():
    """CPU seconds every core of this machine has spent busy since boot (/proc/stat: all but idle and iowait)."""
    fields = [int(x) for x in _read("/proc/stat").split("\n", 1)[0].split()[1:]]
    return (sum(fields[:8]) - fields[3] - fields[4]) / float(HZ)


def mem_available_bytes():
    for line in _read("/proc/meminfo").splitlines():
        if line.startswith("MemAvailable:"):
            return int(line.split()[1]) * 1024
    raise RuntimeError("/proc/meminfo has no MemAvailable line")


class Sampler(threading.Thread):
    """Every `interval` s: the CPU seconds each component has used so far, and its RSS.

    controller: the JVM that `./lb` execs. ansible: everything that JVM started (lb_guard, ansible-playbook, its forks,
    their ssh clients and, for local targets, the modules), counted exactly: a live process by its own time plus that
    of the children it reaped, an exited one inside the time of the ancestor that reaped it, so a poll module that
    lives between two samples is not lost. SSH ControlPersist masters daemonize out of that tree and rename themselves
    "ssh: CONTROL_PATH [mux]"; those whose control path an ssh client of the tree named are counted in ansible too.
    agent: the agent JVMs, found by their jar name (they run detached); only those inside `containers` when given.
    workload: the agents' children (their own time). containers: the whole of each given container (its cgroup's CPU
    time: sshd, modules, agent, workload); sshd: the own time of the sshd processes in them (connections, channels,
    crypto; what they start is not theirs). machine: every core of the machine, whoever used it. bench: this
    process (the sampler itself), part of machine."""

    CONTROL_PATH = re.compile(r"-o ControlPath=\"?([^\" ]+)")

    def __init__(self, controller_pid, containers=(), interval=0.2):
        super().__init__(daemon=True)
        self.controller = controller_pid
        self.containers = list(containers)       # objects with .cid and .cpu_seconds()
        self.interval = interval
        self.peak = {"controller": 0, "ansible": 0, "agent": 0}
        self.min_mem_available = mem_available_bytes()
        self.series = []     # (time, {component: CPU seconds so far})
        self.cmdlines = {}   # (pid, start time) -> command line, read once
        self.agents = set()  # (pid, start time) of the agents to count
        self.sshds = set()   # (pid, start time) of the sshd processes in the containers
        self.control_paths = set()   # of this run's ssh connections
        self.last = {}       # (pid, start time) -> (component, last own ticks) of what no process of the tree reaps
        self.running = True

    def cmdline(self, key):
        if key not in self.cmdlines:
            cmd = (_read("/proc/%d/cmdline" % key[0], True) or b"").replace(b"\0", b" ").decode("utf-8", "replace")
            self.cmdlines[key] = cmd
            inside = False
            sshd = cmd.startswith("sshd") or cmd.startswith("/usr/sbin/sshd")
            if self.containers and ("lb-agent.jar" in cmd or sshd):
                cgroup = _read("/proc/%d/cgroup" % key[0]) or ""
                inside = any(c.cid in cgroup for c in self.containers)
            if "lb-agent.jar" in cmd and (inside or not self.containers):
                self.agents.add(key)
            elif inside:
                self.sshds.add(key)
        return self.cmdlines[key]

    def kind(self, key):
        """"agent", "sshd" (in a container), "ssh" (one of this run's ControlPersist masters) or None."""
        cmd = self.cmdline(key)
        if key in self.agents:
            return "agent"
        if key in self.sshds:
            return "sshd"
        title = cmd[5:].strip()
        if cmd.startswith("ssh: ") and title.endswith(" [mux]") and title[:-len(" [mux]")] in self.control_paths:
            return "ssh"
        return None

    def sample(self):
        now = time.time()
        procs = {}
        for d in os.listdir("/proc"):
            if d.isdigit():
                info = _proc(int(d))
                if info:
                    procs[int(d)] = info
        children = {}
        for pid, info in procs.items():
            children.setdefault(info[0], []).append(pid)
        totals = {"controller": 0.0, "ansible": 0.0, "agent": 0.0}
        rss = {"controller": 0, "ansible": 0, "agent": 0}
        tree = set()
        if self.controller in procs:
            _, own, reaped, r, _ = procs[self.controller]
            totals["controller"] = own / float(HZ)
            totals["ansible"] = reaped / float(HZ)
            rss["controller"] = r
            todo = list(children.get(self.controller, []))
            while todo:
                pid = todo.pop()
                _, own, reaped, r, started = procs[pid]
                if self.kind((pid, started)) == "agent":   # launched from the tree, but its own component
                    continue
                tree.add(pid)
                if "ansible-playbook" in self.cmdline((pid, started)):
                    # ansible-playbook itself and its forks, their own time only (not the modules they run): what the
                    # callback costs (bench/callback-cost.sh). A fork that ends between two samples keeps its last.
                    self.last[(pid, started)] = ("ansible_playbook", own)
                cp = self.CONTROL_PATH.search(self.cmdline((pid, started)))
                if cp and self.cmdlines[(pid, started)].startswith("ssh "):
                    self.control_paths.add(cp.group(1))
                totals["ansible"] += (own + reaped) / float(HZ)
                rss["ansible"] += r
                todo.extend(children.get(pid, []))
        for pid, (ppid, own, reaped, r, started) in procs.items():
            k = self.kind((pid, started))
            if k is None and ppid in procs and (ppid, procs[ppid][4]) in self.agents:
                k = "workload"
            # An ssh still in the tree is counted there.
            if k in ("agent", "sshd", "workload") or (k == "ssh" and pid not in tree):
                self.last[(pid, started)] = (k, own)
                if k == "agent":
                    rss["agent"] = max(rss["agent"], r)
        totals.update(sshd=0.0, workload=0.0, ansible_playbook=0.0)
        for k, own in self.last.values():
            totals["ansible" if k == "ssh" else k] += own / float(HZ)
        for c in rss:
            self.peak[c] = max(self.peak[c], rss[c])
        if self.containers:
            totals["containers"] = sum(c.cpu_seconds() for c in self.containers)
        totals["machine"] = machine_busy_seconds()
        totals["bench"] = time.process_time()
        self.min_mem_available = min(self.min_mem_available, mem_available_bytes())
        self.series.append((now, totals))

    def run(self):
        while self.running:
            self.sample()
            time.sleep(self.interval)

    def stop(self):
        """Ends the sampling with one last sample. Called while the controller has exited but is not reaped yet
        (os.waitid with WNOWAIT): its /proc entry then holds its final own time and that of everything it reaped."""
        self.running = False
        self.join()
        self.sample()

    def cpu_seconds(self):
        """CPU seconds per component from the first sample to the last."""
        first, last = self.series[0][1], self.series[-1][1]
        return dict((c, last[c] - first[c]) for c in ("controller", "ansible", "agent", "ansible_playbook"))

    def totals_at(self, t):
        """Every component's CPU seconds so far at the last sample taken at or before time t."""
        chosen = self.series[0][1]
        for when, totals in self.series:
            if when > t:
                break
            chosen = totals
        return chosen


def run_lb_sampled(cfg, env=None, **sampler_options):
    """Runs ./lb run -c cfg --output json under a Sampler (options as Sampler's); its stderr goes to lb.stderr.log
    beside cfg. Returns (exit code, wall seconds, the stopped sampler)."""
    subprocess.run([os.path.join(ROOT, "lb"), "--version"], check=True, stdout=subprocess.DEVNULL)
    e = dict(os.environ)
    e.update(env or {})
    err = os.path.join(os.path.dirname(os.path.abspath(cfg)), "lb.stderr.log")
    t0 = time.time()
    with open(err, "wb") as errf:
        p = subprocess.Popen([os.path.join(ROOT, "lb"), "run", "-c", cfg, "--output", "json"],
                             stdout=subprocess.DEVNULL, stderr=errf, env=e)
    s = Sampler(p.pid, **sampler_options)
    s.start()
    os.waitid(os.P_PID, p.pid, os.WEXITED | os.WNOWAIT)   # exited, not reaped: its final CPU times are readable
    wall = time.time() - t0
    s.stop()
    p.wait()
    if p.returncode not in (0, 1):
        with open(err, "rb") as f:
            sys.stderr.write(f.read().decode("utf-8", "replace")[-3000:])
    return p.returncode, wall, s


def run_lb(cfg, env=None, interval=0.2):
    """Runs ./lb run -c cfg --output json; returns (exit code, wall seconds, cpu seconds, peak rss bytes)."""
    rc, wall, s = run_lb_sampled(cfg, env, interval=interval)
    return rc, wall, s.cpu_seconds(), s.peak


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
