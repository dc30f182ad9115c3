#!/usr/bin/env bash
# Agent figures: events/s it sustains into the stream file for short lines (one core), and its CPU use while a
# quiet workload runs. Prints the figure as its last line; writes bench/results/agent.json.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
jar=runner-agent/target/lb-agent.jar
if [[ ! -f $jar ]] || [[ -n $(find protocol/src runner-agent/src -newer "$jar" -type f -print -quit) ]]; then
  mvn -B -q -o -DskipTests -pl runner-agent -am install >/dev/null 2>&1 || mvn -B -q -DskipTests -pl runner-agent -am install
fi
lines=${LINES_TOTAL:-2000000}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
pin=()
command -v taskset >/dev/null 2>&1 && pin=(taskset -c 0)

# 1. Throughput: the workload prints short lines as fast as it can; the agent turns each into an event.
"${pin[@]}" java -XX:+UseSerialGC -Xmx256m -XX:TieredStopAtLevel=1 -jar "$jar" run --run-dir "$work/tp" --workload bench --repetition 1 \
  --host bench -- seq 1 "$lines" 2>/dev/null
read -r events first last < <(python3 - "$work/tp/lb_events.stream.log" <<'PY'
import json, sys
n = 0; first = last = None
for line in open(sys.argv[1], encoding="utf-8"):
    e = json.loads(line[len("LB_EVENT "):])
    if e.get("stream") == "stdout":
        n += 1
        first = first if first is not None else e["ts"]
        last = e["ts"]
print(n, first, last)
PY
)
[[ $events -eq $lines ]] || { echo "lost events: $events of $lines" >&2; exit 1; }
rate=$(python3 -c "print(round($events / max($last - $first, 1e-9)))")

# 2. Idle: CPU the agent uses while its workload sleeps (STOP-file polling and nothing else).
java -XX:+UseSerialGC -Xmx256m -XX:TieredStopAtLevel=1 -jar "$jar" run --run-dir "$work/idle" --workload idle --repetition 1 \
  --host bench -- sleep 12 2>/dev/null &
agent=$!
sleep 3
ticks() { awk '{print $14 + $15}' "/proc/$agent/stat"; }
t0=$(ticks); sleep 8; t1=$(ticks)
rss_kb=$(awk '/VmHWM/ {print $2}' "/proc/$agent/status")
wait $agent
hz=$(getconf CLK_TCK)
idle_pct=$(python3 -c "print(round(100.0 * ($t1 - $t0) / $hz / 8, 2))")

mkdir -p bench/results
printf '{"bench":"agent","short_lines":%d,"events_per_s":%d,"idle_cpu_percent":%s,"idle_peak_rss_kb":%d}\n' \
  "$events" "$rate" "$idle_pct" "$rss_kb" > bench/results/agent.json
echo "agent: $(printf "%'d" "$rate") events/s into the stream file (target 200,000), idle CPU ${idle_pct}% while a quiet workload runs, RSS $((rss_kb / 1024)) MiB"
