#!/usr/bin/env bash
# The whole pipeline on localhost: a workload emitting RATE events/s for SECONDS s through lb run (agent, poll
# module, ansible-playbook, callback, both paths, ingest, journal). Checks the journal is complete, and reports the
# controller's CPU seconds and peak RSS and the p50/p99 delay from each event's ts to its journal receive time.
# Usage: bench/run-throughput.sh [RATE] [SECONDS] [POLL_INTERVAL]; writes bench/results/run-throughput.json.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
rate=${1:-10000}; seconds=${2:-30}; interval=${3:-1.0}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cat > "$work/bench.yaml" <<YAML
name: run-throughput
run_id: bench
output_dir: $work/runs
poll_interval_s: $interval
targets: {hosts: [{name: local, connection: local}]}
workloads:
  - name: paced
    argv: [python3, -c, "import sys, time\nrate, n = $rate, $rate * $seconds\nt0 = time.time()\nout = sys.stdout\nfor i in range(n):\n    if i % 100 == 0:\n        d = t0 + i / rate - time.time()\n        if d > 0: time.sleep(d)\n    out.write('event %d of the paced benchmark\\\\n' % i)\nout.flush()"]
YAML
./lb --version >/dev/null   # builds the jars first if needed, outside the measurement
# The controller JVM alone (./lb execs java, so $! is the JVM): its CPU ticks and peak RSS, read from /proc
# until it exits. ansible-playbook and the agent are separate processes and not counted here.
start=$(date +%s.%N)
./lb run -c "$work/bench.yaml" --output json > /dev/null 2> "$work/err.txt" &
pid=$!
hz=$(getconf CLK_TCK); ticks=0; rss_kb=0
while kill -0 "$pid" 2>/dev/null; do
  if t=$(awk '{print $14 + $15}' "/proc/$pid/stat" 2>/dev/null); then ticks=$t; fi
  if r=$(awk '/VmHWM/ {print $2}' "/proc/$pid/status" 2>/dev/null) && [[ -n $r ]]; then rss_kb=$r; fi
  sleep 0.2
done
wait "$pid" || { tail -20 "$work/err.txt"; exit 1; }
wall=$(python3 -c "import time; print(round(time.time() - $start, 1))")
user=$(python3 -c "print($ticks / $hz)"); sys=0
mkdir -p bench/results
python3 - "$work/runs/bench" "$rate" "$seconds" "$interval" "$wall" "$user" "$sys" "$rss_kb" <<'PY'
import json, sys
run, rate, seconds, interval = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4])
wall, user, sys_s, rss_kb = float(sys.argv[5]), float(sys.argv[6]), float(sys.argv[7]), int(sys.argv[8])
delays, seqs = [], set()
for line in open(run + "/journal.jsonl"):
    r = json.loads(line)
    e = r["event"]
    if e.get("stream") == "stdout":
        delays.append(r["received"] - e["ts"])
        seqs.add(e["seq"])
summary = json.load(open(run + "/summary.json"))
expected = rate * seconds
if len(delays) != expected or summary["gaps"]:
    sys.exit("incomplete: %d of %d events, gaps %s" % (len(delays), expected, summary["gaps"]))
delays.sort()
pct = lambda p: delays[min(len(delays) - 1, int(p / 100.0 * len(delays)))]
res = {"bench": "run-throughput", "rate_per_s": rate, "seconds": seconds, "poll_interval_s": interval,
       "events": len(delays), "complete": True, "controller_cpu_s": round(user + sys_s, 2), "controller_wall_s": wall,
       "controller_peak_rss_mb": round(rss_kb / 1024.0, 1), "delay_p50_s": round(pct(50), 3),
       "delay_p99_s": round(pct(99), 3), "delay_max_s": round(delays[-1], 3),
       "by_path": {k: summary["events"][k] for k in ("stdout_only", "jsonl_only", "both")}}
open("bench/results/run-throughput.json", "w").write(json.dumps(res) + "\n")
print("run throughput: %d events at %d/s journalled completely; controller %.1f CPU s, peak RSS %.0f MB;"
      " ts->journal p50 %.3f s, p99 %.3f s" % (len(delays), rate, user + sys_s, rss_kb / 1024.0, pct(50), pct(99)))
PY
