#!/usr/bin/env bash
# Captures real ansible-playbook output carrying LB_EVENT lines, for bench/events-parse-vs-seed.sh: one local-target
# run per stdout callback, each a command workload printing LINES lines over 2 repetitions (LINES/2 each, paced at
# RATE lines/s):
#   default   ./lb run                                             (lb's own setting: the default callback)
#   verbose   ANSIBLE_VERBOSITY=1 ./lb run                         (as -v)
#   yaml      ANSIBLE_STDOUT_CALLBACK=community.general.yaml ./lb run
#             (or ANSIBLE_CALLBACK_RESULT_FORMAT=yaml with the default callback when that collection is absent)
#   colour    ansible-playbook run_benchmark.yml run by this script with the default run's inventory and vars (a new
#             run id and attempt) and ANSIBLE_FORCE_COLOR=1, because lb itself always turns colour off
#   debug     ansible-playbook bench/events-parse-debug.yml: the default run's collected stream file printed line by
#             line with `debug: msg` in a loop, as the seed's own stream step prints events: each payload once raw in
#             the loop item's header and once JSON-escaped in "msg" (the shape -v and yaml results also take)
# Each capture is the run's ansible.log (the raw stdout). Next to it, NAME.expected holds the number of events the
# run emitted: the LB_EVENT lines of the stream files collected from the target (one line is one event), counted
# without either parser.
# Usage: bench/events-parse-capture.sh [LINES] [DIR] (defaults 250000, bench/target/events-parse; RATE=10000 lines/s;
# DEBUG_LINES=150000).
# The runs use a target root of their own (DIR/targets, or TARGET_ROOT), never the default one: its lease would
# refuse, or be refused by, any other lb run on this machine meanwhile.
# With LB_BENCH_LOCK=FILE it runs under flock FILE (the runs take the machine: hold the lock other heavy work takes).
# Prints the captures' paths, sizes and the events each run emitted.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
lines=${1:-250000}; dir=${2:-bench/target/events-parse}; rate=${RATE:-10000}
mkdir -p "$dir"; dir="$(cd "$dir" && pwd)"
target_root=${TARGET_ROOT:-$dir/targets}
if [[ -n ${LB_BENCH_LOCK:-} && -z ${LB_BENCH_LOCKED:-} ]]; then
  LB_BENCH_LOCKED=1 exec flock "$LB_BENCH_LOCK" "$0" "$@"
fi
./lb --version >/dev/null   # builds the jars first if needed
rm -rf "$dir/runs"
per_rep=$((lines / 2))
# The workload's text has no braces: the seed's extractor counts braces without knowing strings, so a brace inside
# a message would make it miss events, and the comparison is about speed, with both recovering everything.
config() { # RUN_ID
  cat <<YAML
run_id: $1
output_dir: $dir/runs
poll_interval_s: 1.0
repetitions: 2
timeouts: {repetition_s: 600}
targets: {target_root: $target_root, hosts: [{name: local, connection: local}]}
workloads:
  - name: chatty
    argv: [python3, -c, "import sys, time\nrate, n = $rate, $per_rep\nt0 = time.time()\nout = sys.stdout\nfor i in range(n):\n    if i % 100 == 0:\n        out.flush()\n        d = t0 + i / rate - time.time()\n        if d > 0: time.sleep(d)\n    out.write('chatty line %d of %d: value=%d ok\\\\n' % (i + 1, n, i * 7))\nout.flush()"]
YAML
}

expected() { # RUN_DIR: the LB_EVENT lines of the collected stream files
  cat "$1"/artifacts/*/*.stream.log | grep -c 'LB_EVENT' || true
}

lb_capture() { # NAME, then env assignments
  local name=$1; shift
  config "capture-$name" > "$dir/$name.yaml"
  local rc=0
  env "$@" ./lb run -c "$dir/$name.yaml" --output json > /dev/null 2> "$dir/$name.err" || rc=$?
  local run="$dir/runs/capture-$name"
  [[ -f $run/ansible.log ]] || { tail -20 "$dir/$name.err" >&2; echo "capture $name: no ansible.log" >&2; exit 1; }
  [[ $rc -eq 0 ]] || echo "capture $name: lb run exited $rc (see $dir/$name.err); the capture is kept" >&2
  cp "$run/ansible.log" "$dir/$name.log"
  expected "$run" > "$dir/$name.expected"
}

lb_capture default
lb_capture verbose ANSIBLE_VERBOSITY=1
if ansible-doc -t callback -l 2>/dev/null | grep -q '^community.general.yaml '; then
  lb_capture yaml ANSIBLE_STDOUT_CALLBACK=community.general.yaml
else
  lb_capture yaml ANSIBLE_CALLBACK_RESULT_FORMAT=yaml
fi

# colour: the default run's playbook, inventory and vars, with a run id and attempt of its own.
src="$dir/runs/capture-default"; run="$dir/runs/capture-colour"
mkdir -p "$run"
cp "$src/inventory.yml" "$run/"
python3 - "$src/vars.json" "$run/vars.json" "$run" <<'PY'
import json, os, sys
v = json.load(open(sys.argv[1]))
v.update(lb_run_id="capture-colour", lb_attempt=os.urandom(4).hex(), lb_controller_run_dir=sys.argv[3])
json.dump(v, open(sys.argv[2], "w"), indent=1)
PY
tmp=$(mktemp -d)
rc=0
( cd "$run" && env ANSIBLE_CONFIG="$root/ansible/ansible.cfg" LB_EVENT_LOG_PATH="$run/events.jsonl" \
    ANSIBLE_LOCAL_TEMP="$tmp" LC_ALL=C.UTF-8 LANG=C.UTF-8 PYTHONUNBUFFERED=1 ANSIBLE_FORCE_COLOR=1 \
    ansible-playbook -i "$run/inventory.yml" -e "@$run/vars.json" "$root/ansible/playbooks/run_benchmark.yml" \
    > "$run/ansible.log" 2> "$dir/colour.err" ) || rc=$?
rm -rf "$tmp"
[[ $rc -eq 0 ]] || { tail -20 "$dir/colour.err" >&2; echo "capture colour: ansible-playbook exited $rc" >&2; exit 1; }
cp "$run/ansible.log" "$dir/colour.log"
expected "$run" > "$dir/colour.expected"

# debug: the first DEBUG_LINES (default 150000) lines of the default run's stream file, printed by real
# ansible-playbook as the seed's stream step prints them (Ansible takes a few ms per loop item: the whole file would
# take an hour).
head -n "${DEBUG_LINES:-150000}" "$dir/runs/capture-default/artifacts/local/lb_events.stream.log" > "$dir/debug.stream"
rc=0
# Ansible's own configuration, not lb's: the seed's output has no callback of lb's echoing payloads.
( cd "$dir" && env -u ANSIBLE_CONFIG LC_ALL=C.UTF-8 LANG=C.UTF-8 PYTHONUNBUFFERED=1 \
    ansible-playbook -i localhost, -e "stream_file=$dir/debug.stream" "$root/bench/events-parse-debug.yml" \
    > "$dir/debug.log" 2> "$dir/debug.err" ) || rc=$?
[[ $rc -eq 0 ]] || { tail -20 "$dir/debug.err" >&2; echo "capture debug: ansible-playbook exited $rc" >&2; exit 1; }
grep -c 'LB_EVENT' "$dir/debug.stream" > "$dir/debug.expected" || true

for name in default verbose yaml colour debug; do
  printf '%s\t%s lines\t%s bytes\t%s events emitted\n' "$dir/$name.log" "$(wc -l < "$dir/$name.log")" \
    "$(wc -c < "$dir/$name.log")" "$(cat "$dir/$name.expected")"
done
