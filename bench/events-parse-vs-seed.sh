#!/usr/bin/env bash
# `lb events parse` against the seed's own extractor (bench/seed_extractor.py: linux-benchmark-lib's
# _extract_lb_event_data, line by line), whole processes, on the same real ansible-playbook captures (made by
# bench/events-parse-capture.sh if missing: about 1,000,000 lines from lb runs with the default, -v, yaml and colour
# callbacks). Both must recover every distinct event the runs emitted; the script fails otherwise.
# ROUNDS alternating rounds (default 5; odd rounds lb first, even rounds the seed first); the figures are medians of
# wall and CPU (user + system, the process and its children: for lb the ./lb launcher and its JVM) time.
# Usage: bench/events-parse-vs-seed.sh [ROUNDS]; LB_BENCH_LOCK=FILE holds flock FILE meanwhile.
# Writes bench/results/events-parse-vs-seed.json; prints the ratio as its last line.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
rounds=${1:-5}
if [[ -n ${LB_BENCH_LOCK:-} && -z ${LB_BENCH_LOCKED:-} ]]; then
  LB_BENCH_LOCKED=1 exec flock "$LB_BENCH_LOCK" "$0" "$@"
fi
dir=bench/target/events-parse
captures=(default verbose yaml colour)
for c in "${captures[@]}"; do
  [[ -s $dir/$c.log && -s $dir/$c.expected ]] || { bench/events-parse-capture.sh; break; }
done
files=(); expected=0
for c in "${captures[@]}"; do files+=("$dir/$c.log"); expected=$((expected + $(cat "$dir/$c.expected"))); done
lines=$(cat "${files[@]}" | wc -l)
./lb --version >/dev/null   # builds the jars first if needed, outside the measurement
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT

# Once, untimed: every event printed is one line, as many as the summary says.
./lb events parse "${files[@]}" > "$work/events.jsonl" 2> "$work/lb.err"
printed=$(wc -l < "$work/events.jsonl"); rm -f "$work/events.jsonl"
grep -q "events: $printed," "$work/lb.err" || { cat "$work/lb.err"; echo "lb printed $printed lines" >&2; exit 1; }

timed() { # NAME, then the command; appends "NAME wall user sys events" to $work/rounds
  local name=$1; shift
  /usr/bin/time -f "%e %U %S" -o "$work/time" "$@" > "$work/out" 2> "$work/err" || { cat "$work/err" >&2; exit 1; }
  local events
  if [[ $name == lb ]]; then
    events=$(sed -n 's/.*, events: \([0-9]*\),.*/\1/p' "$work/err" | tail -n1)
  else
    events=$(sed -n 's/^events: \([0-9]*\)$/\1/p' "$work/out")
  fi
  echo "$name $(cat "$work/time") ${events:-0}" >> "$work/rounds"
}
lb_run() { timed lb ./lb events parse "${files[@]}"; }
seed_run() { timed seed python3 bench/seed_extractor.py "${files[@]}"; }
: > "$work/rounds"
for ((r = 1; r <= rounds; r++)); do
  if ((r % 2)); then lb_run; seed_run; else seed_run; lb_run; fi
  tail -n2 "$work/rounds" | sed "s/^/round $r: /" >&2
done

mkdir -p bench/results
python3 - "$work/rounds" "$expected" "$lines" "$rounds" <<'PY'
import json, os, platform, statistics, subprocess, sys
rounds_file, expected, lines, rounds = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
runs = {"lb": [], "seed": []}
for row in open(rounds_file):
    name, wall, user, sys_s, events = row.split()
    runs[name].append({"wall_s": float(wall), "cpu_s": round(float(user) + float(sys_s), 2), "events": int(events)})
for name, rs in runs.items():
    wrong = [r["events"] for r in rs if r["events"] != expected]
    if wrong:
        sys.exit("%s recovered %s distinct events, the runs emitted %d" % (name, wrong, expected))
med = {name: {k: statistics.median(r[k] for r in rs) for k in ("wall_s", "cpu_s")} for name, rs in runs.items()}
ratio = med["seed"]["wall_s"] / med["lb"]["wall_s"]
cpu_ratio = med["seed"]["cpu_s"] / med["lb"]["cpu_s"]
java = subprocess.run(["java", "-version"], capture_output=True, text=True).stderr.split("\n")[0]
res = {"bench": "events-parse-vs-seed", "lines": lines, "events": expected, "rounds": rounds,
       "captures": ["default", "verbose (-v)", "yaml", "colour"],
       "lb": {"median_wall_s": med["lb"]["wall_s"], "median_cpu_s": med["lb"]["cpu_s"], "runs": runs["lb"]},
       "seed": {"median_wall_s": med["seed"]["wall_s"], "median_cpu_s": med["seed"]["cpu_s"], "runs": runs["seed"]},
       "ratio_wall": round(ratio, 2), "ratio_cpu": round(cpu_ratio, 2), "cores": os.cpu_count(),
       "load_average_after": os.getloadavg()[0], "java": java, "python": platform.python_version()}
open("bench/results/events-parse-vs-seed.json", "w").write(json.dumps(res) + "\n")
print("lb events parse vs the seed's extractor, %d lines, %d events recovered by each: median wall %.2f s vs %.2f s,"
      " CPU %.2f s vs %.2f s (%d rounds): %.1fx faster (CPU %.1fx)" % (lines, expected, med["lb"]["wall_s"],
      med["seed"]["wall_s"], med["lb"]["cpu_s"], med["seed"]["cpu_s"], rounds, ratio, cpu_ratio))
PY
