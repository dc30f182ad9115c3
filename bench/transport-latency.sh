#!/usr/bin/env bash
# Transport latency on localhost: delay from an event's ts (written by the agent) to the lb_events callback writing
# it to the JSONL file, through the real role, poll module and ansible-playbook. Paced workload: RATE events/s for
# SECONDS s, poll interval INTERVAL (default 1 s). Prints p50/p95/p99 as its last line; writes
# bench/results/transport-latency-<interval>.json.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
interval=${1:-1.0}; rate=${RATE:-200}; seconds=${SECONDS_TOTAL:-20}
jar=runner-agent/target/lb-agent.jar
[[ -f $jar ]] || mvn -B -q -o -DskipTests -pl runner-agent -am install
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
printf '[lb_targets]\nlocalhost ansible_connection=local ansible_python_interpreter=/usr/bin/python3\n' > "$work/inv.ini"
# The extra vars as the controller writes them: the workload's plan in base64 (lb_plans) and its name (lb_workloads).
python3 - "$work/vars.json" "$work/target" "$root/$jar" "$interval" "$rate" "$seconds" <<'PY'
import base64, json, sys
out, target, jar, interval, rate, seconds = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6])
code = ("import sys, time\nn = %d * %d\nt0 = time.time()\nfor i in range(n):\n    d = t0 + i / %d - time.time()\n"
        "    if d > 0: time.sleep(d)\n    print('paced', i, flush=True)" % (rate, seconds, rate))
plans = [{"name": "paced", "argv": ["python3", "-c", code], "metrics_interval_s": 0}]
json.dump({"lb_run_id": "lat", "lb_target_root": target, "lb_agent_jar": jar, "lb_repetitions": 1,
           "lb_poll_interval_s": interval, "lb_workloads": [{"name": "paced"}], "lb_controller_run_dir": target,
           "lb_plans": base64.b64encode(json.dumps(plans).encode()).decode()}, open(out, "w"))
PY
ANSIBLE_CONFIG="$root/ansible/ansible.cfg" LB_EVENT_LOG_PATH="$work/events.jsonl" LB_EVENT_ECHO=0 \
  ansible-playbook -i "$work/inv.ini" -e @"$work/vars.json" ansible/playbooks/run_benchmark.yml > "$work/ansible.log" 2>&1 \
  || { tail -20 "$work/ansible.log"; exit 1; }
mkdir -p bench/results
python3 - "$work/events.jsonl" "$interval" "$rate" "$seconds" <<'PY'
import json, sys
path, interval, rate, seconds = sys.argv[1], float(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
d = []
for line in open(path):
    # A forwarded line: the callback's header, then the stream file's line as it was ("LB_EVENT {payload}").
    header, sep, rest = line.partition(" LB_EVENT ")
    if not sep:
        continue
    r, e = json.loads(header), json.loads(rest)
    if r.get("kind") == "line" and e.get("stream") == "stdout":
        d.append(r["seen"] - e["ts"])
d.sort()
expected = rate * seconds
if len(d) != expected:
    sys.exit("lost events: %d of %d" % (len(d), expected))
pct = lambda p: d[min(len(d) - 1, int(p / 100.0 * len(d)))]
res = {"bench": "transport-latency", "host": "localhost", "poll_interval_s": interval, "events": len(d),
       "p50_s": round(pct(50), 3), "p95_s": round(pct(95), 3), "p99_s": round(pct(99), 3), "max_s": round(d[-1], 3)}
open("bench/results/transport-latency-%s.json" % interval, "w").write(json.dumps(res) + "\n")
print("transport latency ts -> JSONL, localhost, poll interval %ss, %d events: p50 %.3f s, p95 %.3f s, p99 %.3f s"
      % (interval, len(d), res["p50_s"], res["p95_s"], res["p99_s"]))
PY
