#!/usr/bin/env bash
# lb compare on real runs of this machine: how often two runs of one config are called different (false alarms), with
# the correction lb applies (a verdict on each workload's primary metric, Holm-corrected) and without it (any row
# with Welch p < alpha), and how often a known 10 % slowdown (a timed `sleep 0.20` against `sleep 0.22`) is called
# worse. Prints one line per figure; the last line holds them all.
# Usage: bench/compare-false-alarms.sh [PAIRS]   (default 20: 21 stress-ng runs and 40 sleep runs, about 15 min)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
pairs=${1:-20}
work=$(mktemp -d /tmp/lb-compare-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT
for c in same sleep-020 sleep-022; do
  sed "s|output_dir: .*|output_dir: $work/$c|" "bench/configs/compare-$c.yaml" > "$work/$c.yaml"
done
run() { # config -> run id (the run's directory name), or exit naming the failure
  local out
  out=$(./lb run -c "$work/$1.yaml" --output plain --wait-for-targets 900 2>&1) || { echo "lb run -c $1 failed:" >&2; tail -20 <<<"$out" >&2; exit 1; }
  # The newest directory (runs/ also holds the history store, history.db, which each run updates).
  basename "$(ls -td "$work/$1"/*/ | head -n 1)"
}
compare() { # base-dir new-dir -> the comparison's JSON file
  local f="$work/cmp-$RANDOM$RANDOM.json"
  ./lb compare "$1" "$2" --output json > "$f" 2>/dev/null || [[ $? -eq 4 ]]
  echo "$f"
}
same=() ; slowdown=()
prev=$(run same)
for ((i = 1; i <= pairs; i++)); do
  next=$(run same)
  same+=("$(compare "$work/same/$prev" "$work/same/$next")")
  prev=$next
  a=$(run sleep-020); b=$(run sleep-022)
  slowdown+=("$(compare "$work/sleep-020/$a" "$work/sleep-022/$b")")
  echo "pair $i of $pairs done" >&2
done
python3 - "${#same[@]}" "${same[@]}" "${slowdown[@]}" <<'PY'
import json, sys
n = int(sys.argv[1]); same = sys.argv[2:2 + n]; slow = sys.argv[2 + n:]
def rows(f):
    return json.load(open(f))["rows"]
alpha = json.load(open(same[0]))["alpha"]
uncorrected = sum(any(r["p_value"] is not None and r["p_value"] < alpha for r in rows(f)) for f in same)
corrected = sum(any(r["primary"] and r["outcome"] is not None for r in rows(f)) for f in same)
worse = sum(any(r["primary"] and r["outcome"] == "worse" and r["host"] != "all hosts" for r in rows(f)) for f in slow)
rows_same = len(rows(same[0]))
print(f"same config, {n} comparisons of {rows_same} rows each: any row p < {alpha} (uncorrected) in {uncorrected}/{n};"
      f" any verdict of change (lb's correction) in {corrected}/{n}")
print(f"sleep 0.20 s vs 0.22 s (+10 %), {len(slow)} comparisons: called worse in {worse}/{len(slow)}")
print(f"false alarms uncorrected {uncorrected}/{n}, corrected {corrected}/{n}; 10 % slowdown found {worse}/{len(slow)}")
PY
