#!/usr/bin/env bash
# `lb events parse` against the seed's own extractor (bench/seed_extractor.py: linux-benchmark-lib's
# _extract_lb_event_data, line by line), whole processes, on real ansible-playbook captures, one shape at a time (made
# by bench/events-parse-capture.sh if missing: lb runs with the default, -v, yaml and colour callbacks, and the
# seed's own `debug: msg` printing of the events). Both must recover every distinct event each capture's run
# emitted; the script fails otherwise. Per shape, ROUNDS alternating rounds (default 5; odd rounds lb first, even
# rounds the seed first); the figures are medians of wall and CPU (user + system, the process and its children: for
# lb the ./lb launcher and its JVM) time. LB_EVENTS_PARSE_DIR: where the captures are (default
# bench/target/events-parse). LB_EVENTS_PARSE_SHAPES: which captures, in order (default "default verbose yaml colour
# debug"). Missing captures are made first (250,000 lines) in the default directory only; in another one a missing
# capture is an error (making it there would remove the runs the captures came from).
# Usage: bench/events-parse-vs-seed.sh [ROUNDS]; LB_BENCH_LOCK=FILE holds flock FILE meanwhile.
# Writes bench/results/events-parse-vs-seed.json (LB_EVENTS_PARSE_RESULT: another file); prints a line per shape
# (events recovered by each against those emitted, wall and CPU medians of both, the ratios, the load before and after
# the shape's rounds), then the smallest ratios.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
rounds=${1:-5}
if [[ -n ${LB_BENCH_LOCK:-} && -z ${LB_BENCH_LOCKED:-} ]]; then
  LB_BENCH_LOCKED=1 exec flock "$LB_BENCH_LOCK" "$0" "$@"
fi
dir=${LB_EVENTS_PARSE_DIR:-bench/target/events-parse}
read -r -a captures <<< "${LB_EVENTS_PARSE_SHAPES:-default verbose yaml colour debug}"
for c in "${captures[@]}"; do
  if [[ ! -s $dir/$c.log || ! -s $dir/$c.expected ]]; then
    [[ -z ${LB_EVENTS_PARSE_DIR:-} ]] || { echo "no capture $c in $dir ($c.log and $c.expected): make it with" \
      "bench/events-parse-capture.sh LINES $dir" >&2; exit 1; }
    bench/events-parse-capture.sh 250000 "$dir"
    break
  fi
done
./lb --version >/dev/null   # builds the jars first if needed, outside the measurement
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT

timed() { # SHAPE NAME, then the command; appends "SHAPE NAME wall user sys events" to $work/rounds
  local shape=$1 name=$2; shift 2
  /usr/bin/time -f "%e %U %S" -o "$work/time" "$@" > "$work/out" 2> "$work/err" || { cat "$work/err" >&2; exit 1; }
  local events
  if [[ $name == lb ]]; then
    events=$(sed -n 's/.*, events: \([0-9]*\),.*/\1/p' "$work/err" | tail -n1)
  else
    events=$(sed -n 's/^events: \([0-9]*\)$/\1/p' "$work/out")
  fi
  echo "$shape $name $(cat "$work/time") ${events:-0}" >> "$work/rounds"
}
: > "$work/rounds"; : > "$work/shapes"
for c in "${captures[@]}"; do
  f="$dir/$c.log"
  load_before=$(cut -d' ' -f1 /proc/loadavg)
  # Once, untimed: every event printed is one line, as many as the summary says.
  ./lb events parse "$f" > "$work/events.jsonl" 2> "$work/lb.err"
  printed=$(wc -l < "$work/events.jsonl"); rm -f "$work/events.jsonl"
  grep -q "events: $printed," "$work/lb.err" || { cat "$work/lb.err"; echo "$c: lb printed $printed lines" >&2; exit 1; }
  for ((r = 1; r <= rounds; r++)); do
    if ((r % 2)); then
      timed "$c" lb ./lb events parse "$f"; timed "$c" seed python3 bench/seed_extractor.py "$f"
    else
      timed "$c" seed python3 bench/seed_extractor.py "$f"; timed "$c" lb ./lb events parse "$f"
    fi
    tail -n2 "$work/rounds" | sed "s/^/round $r: /" >&2
  done
  echo "$c $(wc -l < "$f") $(wc -c < "$f") $(grep -c LB_EVENT "$f") $(cat "$dir/$c.expected") $load_before" \
    "$(cut -d' ' -f1 /proc/loadavg)" >> "$work/shapes"
done

mkdir -p bench/results
python3 - "$work/rounds" "$work/shapes" "$rounds" <<'PY'
import json, os, platform, statistics, subprocess, sys
rounds_file, shapes_file, rounds = sys.argv[1], sys.argv[2], int(sys.argv[3])
shapes = {}
for row in open(shapes_file):
    name, lines, size, marked, expected, load_before, load_after = row.split()
    shapes[name] = {"lines": int(lines), "bytes": int(size), "lines_with_marker": int(marked),
                    "events": int(expected), "load_before": float(load_before), "load_after": float(load_after),
                    "runs": {"lb": [], "seed": []}}
for row in open(rounds_file):
    shape, name, wall, user, sys_s, events = row.split()
    shapes[shape]["runs"][name].append({"wall_s": float(wall), "cpu_s": round(float(user) + float(sys_s), 2),
                                        "events": int(events)})
java = subprocess.run(["java", "-version"], capture_output=True, text=True).stderr.split("\n")[0]
out = []
for shape, s in shapes.items():
    for name, rs in s["runs"].items():
        wrong = [r["events"] for r in rs if r["events"] != s["events"]]
        if wrong:
            sys.exit("%s: %s recovered %s distinct events, the run emitted %d" % (shape, name, wrong, s["events"]))
    med = {n: {k: statistics.median(r[k] for r in rs) for k in ("wall_s", "cpu_s")} for n, rs in s["runs"].items()}
    s["lb"], s["seed"] = med["lb"], med["seed"]
    s["ratio_wall"] = round(med["seed"]["wall_s"] / med["lb"]["wall_s"], 2)
    s["ratio_cpu"] = round(med["seed"]["cpu_s"] / med["lb"]["cpu_s"], 2)
    # Every round recovered exactly the events the run emitted (checked above): said per shape, for both.
    recovered = {n: sorted({r["events"] for r in rs}) for n, rs in s["runs"].items()}
    out.append("%-8s %9d lines %6.1f MB %5.1f %% with a marker; events recovered lb %s, seed %s of %d emitted;"
               " wall lb %.2f s, seed %.2f s: %.1fx; CPU lb %.2f s, seed %.2f s: %.1fx; load %.1f -> %.1f"
               % (shape, s["lines"], s["bytes"] / 1e6, 100.0 * s["lines_with_marker"] / s["lines"],
                  "/".join(map(str, recovered["lb"])), "/".join(map(str, recovered["seed"])), s["events"],
                  med["lb"]["wall_s"], med["seed"]["wall_s"], s["ratio_wall"], med["lb"]["cpu_s"],
                  med["seed"]["cpu_s"], s["ratio_cpu"], s["load_before"], s["load_after"]))
res = {"bench": "events-parse-vs-seed", "rounds": rounds, "shapes": shapes, "cores": os.cpu_count(),
       "load_average_after": os.getloadavg()[0], "java": java, "python": platform.python_version()}
open(os.environ.get("LB_EVENTS_PARSE_RESULT", "bench/results/events-parse-vs-seed.json"), "w").write(json.dumps(res) + "\n")
print("lb events parse vs the seed's extractor, per shape, whole processes, medians of %d alternating rounds"
      " (load %.1f after):" % (rounds, os.getloadavg()[0]))
print("\n".join(out))
print("smallest wall ratio: %.1fx (%s); smallest CPU ratio: %.1fx (%s)"
      % (min((s["ratio_wall"], n) for n, s in shapes.items()) + min((s["ratio_cpu"], n) for n, s in shapes.items())))
PY
