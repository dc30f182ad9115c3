#!/usr/bin/env bash
# What exporting costs the controller: lb run with every exporter on (remote write, Pushgateway, Loki, /metrics)
# against sinks that accept and discard, and without, alternating, RUNS times each. TARGETS local targets each emit
# RATE lines/s for SECONDS s. Per run: the controller JVM's CPU (from /proc) per 100,000 journalled events and the
# p99 delay from each workload line's ts to its journal receive time. Prints each way's mean and the difference with
# its 95 % CI (Welch, and paired by round: each round runs every way once), and each way's CPU per thread group
# (JIT, GC, ingest, each exporter: read from /proc/PID/task/*/stat while the run goes on); writes
# bench/results/export-cost.json.
# The runs alternate without, with, without, ... so a drift in the machine's load hits both ways alike.
# A failing run stops the benchmark and keeps the work directory (its stderr, config and run directory, the reason);
# KEEP=1 keeps it after a successful benchmark too. The default is the issue's shape: 10 targets x 1,000 lines/s.
# BEFORE=DIR (another checkout of lb, e.g. a git worktree of an older commit) adds a third way, that checkout's lb
# with every exporter on, in the same rotation (without, with, before), each compared with the same runs without.
# ANALYZE=WORKDIR (a kept work directory) only computes the figures again from the runs that finished there.
# Usage: bench/export-cost.sh [TARGETS] [RATE] [SECONDS] [RUNS]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
targets=${1:-10}; rate=${2:-1000}; seconds=${3:-20}; runs=${4:-5}
sink_pid=""
cleanup() {
  local rc=$?
  if [[ -n $sink_pid ]]; then kill "$sink_pid" 2>/dev/null || true; fi
  if [[ $rc -ne 0 || ${KEEP:-0} == 1 || -n ${ANALYZE:-} ]]; then
    echo "export-cost: work directory kept: $work" >&2
  else
    rm -rf "$work"
  fi
}
if [[ -n ${ANALYZE:-} ]]; then
  work=$ANALYZE
  [[ -f $work/cpu.txt ]] || { echo "export-cost: ANALYZE=$work has no finished run (cpu.txt)" >&2; exit 2; }
else
work=$(mktemp -d /tmp/lb-export-cost.XXXXXX)
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
sink=$(free_port); metrics=$(free_port)
# A sink that reads every request and answers 204: the exporters' work without a server's.
python3 - "$sink" <<'PY' &
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
class Discard(BaseHTTPRequestHandler):
    def handle_one(self):
        n = int(self.headers.get("Content-Length") or 0)
        self.rfile.read(n)
        self.send_response(204)
        self.end_headers()
    do_POST = do_PUT = do_GET = handle_one
    def log_message(self, *a):
        pass
ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Discard).serve_forever()
PY
sink_pid=$!
hosts=""
for i in $(seq 1 "$targets"); do hosts+="    - {name: t$i, connection: local}"$'\n'; done
config() { # $1: name, $2: extra YAML
  cat > "$work/$1.yaml" <<YAML
name: export-cost
output_dir: $work/runs-$1
metrics_interval_s: 1
targets:
  target_root: $work/targets
  hosts:
$hosts
workloads:
  - name: paced
    argv: [python3, -c, "import sys, time\nrate, n = $rate, $rate * $seconds\nt0 = time.time()\nout = sys.stdout\nfor i in range(n):\n    if i % 100 == 0:\n        d = t0 + i / rate - time.time()\n        if d > 0: time.sleep(d)\n    out.write('event %d of the paced benchmark\\\\n' % i)\nout.flush()"]
$2
YAML
}
config off ""
exporters="export:
  remote_write: http://127.0.0.1:$sink/api/v1/write
  pushgateway: http://127.0.0.1:$sink
  loki: http://127.0.0.1:$sink/loki/api/v1/push
  prometheus: {listen: 127.0.0.1:$metrics}"
config on "$exporters"
ways="off on"
declare -A lb_of=([off]=./lb [on]=./lb)
if [[ -n ${BEFORE:-} ]]; then
  [[ -x $BEFORE/lb ]] || { echo "export-cost: BEFORE=$BEFORE has no lb" >&2; exit 2; }
  config before "$exporters"
  ways="off on before"
  lb_of[before]="$BEFORE/lb"
  "$BEFORE/lb" --version >/dev/null
fi
./lb --version >/dev/null   # builds the jars first if needed, outside the measurement
hz=$(getconf CLK_TCK)
measure() { # $1: off|on|before, $2: run number
  local load
  load=$(cut -d' ' -f1 /proc/loadavg)
  "${lb_of[$1]}" run -c "$work/$1.yaml" --run-id "r$2" --output json > /dev/null 2> "$work/err-$1-$2.txt" &
  local pid=$! ticks=0 t
  while kill -0 "$pid" 2>/dev/null; do
    if t=$(awk '{print $14 + $15}' "/proc/$pid/stat" 2>/dev/null); then ticks=$t; fi
    # Each thread's CPU so far (tid, name, ticks; the name may hold spaces): the last sample of a tid counts.
    cat /proc/"$pid"/task/*/stat 2>/dev/null | awk '{ o = index($0, "("); c = 0
        for (i = length($0); i > 0; i--) if (substr($0, i, 1) == ")") { c = i; break }
        split(substr($0, c + 2), f, " "); print $1 "\t" substr($0, o + 1, c - o - 1) "\t" f[12] + f[13] }' \
      >> "$work/threads-$1-$2.txt" || true
    sleep 0.2
  done
  if ! wait "$pid"; then
    echo "export-cost: run $2 ($1) failed; its stderr ($work/err-$1-$2.txt) ends:" >&2
    tail -20 "$work/err-$1-$2.txt" >&2
    exit 1
  fi
  echo "$1 $2 $(python3 -c "print($ticks / $hz)") $load" >> "$work/cpu.txt"
}
for r in $(seq 1 "$runs"); do
  for way in $ways; do measure "$way" "$r"; done
  echo "run $r of $runs done ($(cut -d' ' -f1-3 /proc/loadavg))" >&2
done
fi
hz=$(getconf CLK_TCK)
mkdir -p bench/results
python3 - "$work" "$targets" "$rate" "$seconds" "$runs" "$hz" "$([[ -n ${ANALYZE:-} ]] || uptime)" <<'PY'
import json, math, re, statistics, sys
work, targets, rate, seconds, runs = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
hz, uptime = int(sys.argv[6]), sys.argv[7]
def group(name):
    """Threads of one kind under one name: the JIT's compilers, the HTTP client's workers, ..."""
    if "CompilerThre" in name:
        return "JIT compilers"
    if name in ("VM Thread", "VM Periodic Tas") or name.startswith("GC "):
        return "GC and VM"
    if name.startswith("HttpClient") or name.startswith("prometheus-http"):
        return re.sub(r"[-#]?\d+$", "", name).rstrip("-")
    return re.sub(r"\d+", "#", name)
def threads(way, r):
    last = {}
    for line in open("%s/threads-%s-%s.txt" % (work, way, r)):
        tid, name, ticks = line.rstrip("\n").split("\t")
        last[tid] = (name, int(ticks))
    per = {}
    for name, ticks in last.values():
        per[group(name)] = per.get(group(name), 0) + ticks / hz
    return per
cpu, load = {}, {}
for line in open(work + "/cpu.txt"):
    way, r, s, l = line.split()
    cpu[(way, r)] = float(s)
    load[(way, r)] = float(l)
per = {}
for (way, r), cpu_s in sorted(cpu.items()):
    per.setdefault(way, [])
    run = "%s/runs-%s/r%s" % (work, way, r)
    delays = []
    events = 0
    for line in open(run + "/journal.jsonl"):
        rec = json.loads(line)
        events += 1
        e = rec["event"]
        if e.get("stream") == "stdout" and e.get("workload") == "paced":
            delays.append(rec["received"] - e["ts"])
    summary = json.load(open(run + "/summary.json"))
    if len(delays) != targets * rate * seconds or summary["gaps"] or summary["exit_code"] != 0:
        sys.exit("run %s %s incomplete: %d workload lines of %d, exit %s" % (way, r, len(delays),
                 targets * rate * seconds, summary["exit_code"]))
    if way != "off":
        for x in summary["exports"]:
            if x["dropped"]:
                sys.exit("run on %s: %s dropped %d" % (r, x["kind"], x["dropped"]))
    delays.sort()
    per[way].append({"events": events, "cpu_s": cpu_s, "cpu_s_per_100k": cpu_s / events * 1e5,
                     "p99_s": delays[min(len(delays) - 1, int(0.99 * len(delays)))],
                     "thread_cpu_s": threads(way, r), "load_at_start": load[(way, r)], "round": r})
if any(len(per.get(w, [])) < 2 for w in ("off", "on")):
    sys.exit("export-cost: fewer than 2 finished runs each way in %s (%s): no difference to give"
             % (work, ", ".join("%s %d" % (w, len(per.get(w, []))) for w in ("off", "on"))))
T975 = {1: 12.706, 2: 4.303, 3: 3.182, 4: 2.776, 5: 2.571, 6: 2.447, 7: 2.365, 8: 2.306, 9: 2.262, 10: 2.228,
        12: 2.179, 15: 2.131, 20: 2.086, 30: 2.042}
def diff(key, way="on"):
    a = [x[key] for x in per[way]]; b = [x[key] for x in per["off"]]
    va, vb = statistics.variance(a) / len(a), statistics.variance(b) / len(b)
    df = (va + vb) ** 2 / (va ** 2 / (len(a) - 1) + vb ** 2 / (len(b) - 1)) if va + vb > 0 else len(a) + len(b) - 2
    t = T975[max(k for k in T975 if k <= max(1, int(df)))]
    d = statistics.mean(a) - statistics.mean(b)
    half = t * math.sqrt(va + vb)
    return {"off_mean": statistics.mean(b), "on_mean": statistics.mean(a), "difference": d,
            "ci95": [d - half, d + half], "relative": d / statistics.mean(b), "welch_df": df,
            "paired": paired(key, way)}
def paired(key, way):
    """Each round ran every way once, one after the other: the difference within each round, its mean and a t
    interval over the rounds. A drift of the machine between rounds widens Welch's interval above, not this one."""
    off = {x["round"]: x[key] for x in per["off"]}
    both = [x for x in per[way] if x["round"] in off]
    if len(both) < 2:
        return None
    d = [x[key] - off[x["round"]] for x in both]
    m = statistics.mean(d)
    half = T975[max(k for k in T975 if k <= len(d) - 1)] * statistics.stdev(d) / math.sqrt(len(d))
    base = statistics.mean(off[x["round"]] for x in both)
    return {"rounds": len(d), "difference": m, "ci95": [m - half, m + half], "relative": m / base,
            "relative_ci95": [(m - half) / base, (m + half) / base]}
groups = sorted({g for way in per for x in per[way] for g in x["thread_cpu_s"]})
by_thread = {g: {way: statistics.mean(x["thread_cpu_s"].get(g, 0.0) for x in per[way]) for way in per} for g in groups}
# ANALYZE: the load at the end of the runs is not known any more.
res = {"bench": "export-cost", "load_at_end": uptime.split("load average:")[-1].strip() or None, "source": work,
       "targets": targets, "rate_per_target": rate, "seconds": seconds, "runs_each_way": {w: len(per[w]) for w in per},
       "runs": per, "cpu_s_per_100k_events": diff("cpu_s_per_100k"), "delay_p99_s": diff("p99_s"),
       "thread_cpu_s_mean": by_thread}
if "before" in per:
    res["before"] = {"cpu_s_per_100k_events": diff("cpu_s_per_100k", "before"),
                     "delay_p99_s": diff("p99_s", "before")}
open("bench/results/export-cost.json", "w").write(json.dumps(res, indent=1) + "\n")
def say_paired(p):
    if p:
        print("    paired by round (%d rounds): %+.4f (95 %% CI %+.4f to %+.4f; %+.1f %%, %+.1f to %+.1f %%)" % (
              p["rounds"], p["difference"], p["ci95"][0], p["ci95"][1], 100 * p["relative"],
              100 * p["relative_ci95"][0], 100 * p["relative_ci95"][1]))
for k in ("cpu_s_per_100k_events", "delay_p99_s"):
    x = res[k]
    print("%s: off %.4f, on %.4f, difference %+.4f (95 %% CI %+.4f to %+.4f, Welch; %+.1f %%)" % (k, x["off_mean"],
          x["on_mean"], x["difference"], x["ci95"][0], x["ci95"][1], 100 * x["relative"]))
    say_paired(x["paired"])
    if "before" in res:
        x = res["before"][k]
        print("  before (BEFORE's lb with exporters): on %.4f, difference %+.4f (95 %% CI %+.4f to %+.4f, %+.1f %%)"
              % (x["on_mean"], x["difference"], x["ci95"][0], x["ci95"][1], 100 * x["relative"]))
        say_paired(x["paired"])
print("CPU s per run by thread (mean %s):" % " / ".join(per))
for g in sorted(by_thread, key=lambda g: -max(by_thread[g].values())):
    if max(by_thread[g].values()) >= 0.05:
        print("  %-28s" % g + "".join(" %7.2f" % by_thread[g][w] for w in per))
print("load average (1 min) at each run's start: %s" % ", ".join("%s %s %.1f" % (w, i + 1, x["load_at_start"])
      for w in per for i, x in enumerate(per[w])))
if res["load_at_end"]:
    print("load average at the end: %s" % res["load_at_end"])
PY
