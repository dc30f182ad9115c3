#!/usr/bin/env bash
# lb out of the way of what it measures, on a local target: examples/stress-ng.yaml run N times with lb at its usual
# priority (LB_LOCAL_NICE=0) and N times as lb runs by default (nice 10 for lb's own threads, and for
# ansible-playbook when lb runs as root), alternating so that both ways see the same machine. Per way: the median
# cv of the primary metric (cpu.bogo_ops_per_s_real over the config's 5 repetitions) and the median CPU seconds of
# lb's own processes (the controller and ansible-playbook with everything it waited for; the agents and the workload
# are started in sessions of their own and are not counted) over the whole run. The last line holds the figures.
# Usage: bench/local-nice.sh [N]   (default 10: 20 runs, about 12 min on an idle 2-core machine)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
n=${1:-10}
work=$(mktemp -d /tmp/lb-nice-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT
# Its own target directory (and so its own target lock): other runs on this machine neither wait for it nor it for them.
sed -e "s|output_dir: .*|output_dir: $work/runs|" -e "s|^targets:|targets:\n  target_root: $work/targets|" \
  examples/stress-ng.yaml > "$work/stress-ng.yaml"
./lb --version >/dev/null # builds the jars once, outside the measured runs
one() { # way (off|on) -> "cv cpu_s load1"
  local way=$1 env=() before tf out dir
  [[ $way == off ]] && env=(LB_LOCAL_NICE=0)
  tf="$work/time-$RANDOM"
  read -r before _ < /proc/loadavg
  out=$(env "${env[@]}" /usr/bin/time -f "%U %S" -o "$tf" ./lb run -c "$work/stress-ng.yaml" --output plain \
    --wait-for-targets 900 2>&1) || { echo "lb run ($way) failed:" >&2; tail -20 <<<"$out" >&2; exit 1; }
  dir=$(ls -td "$work"/runs/*/ | head -n 1)
  python3 - "$dir/results.json" "$tf" "$before" <<'PY'
import json, sys
rows = [r for r in json.load(open(sys.argv[1]))["results"] if r["primary"]]
user, system = (float(x) for x in open(sys.argv[2]).read().split()[-2:])
print("%.5f %.2f %s" % (rows[0]["cv"], user + system, sys.argv[3]))
PY
}
declare -A cvs cpus loads
for ((i = 1; i <= n; i++)); do
  for way in off on; do
    read -r cv cpu load < <(one "$way")
    cvs[$way]+="$cv "; cpus[$way]+="$cpu "; loads[$way]+="$load "
    echo "run $i $way: cv $cv, lb CPU $cpu s, load before $load"
  done
done
median() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
summary=""
for way in off on; do
  mcv=$(median <<<"${cvs[$way]}"); mcpu=$(median <<<"${cpus[$way]}"); mload=$(median <<<"${loads[$way]}")
  label=$([[ $way == off ]] && echo "lb at nice 0" || echo "lb at nice 10")
  summary+="$label: median cv $(awk -v x="$mcv" 'BEGIN{printf "%.2f %%", x*100}'), lb CPU $mcpu s (median load before a run $mload); "
done
echo "${summary%; } ($n runs each way, $(id -un))"
