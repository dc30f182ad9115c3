#!/usr/bin/env bash
# The CPU an agent start costs, with and without the class-data archive lb makes on each target: the agent jar run
# as the role runs it (same JVM options) for one repetition of `true`, N times each way, alternating; the archive made
# once first, as lb_agent_archive makes it. Prints each start, then the medians (user + system CPU seconds).
# Usage: bench/agent-start.sh [N]   (default 10)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
n=${1:-10}
./lb --version >/dev/null # builds the jars when the sources changed
work=$(mktemp -d /tmp/lb-agent-start.XXXXXX)
trap 'rm -rf "$work"' EXIT
cp runner-agent/target/lb-agent.jar "$work/lb-agent.jar"
jvm=(-XX:+UseSerialGC -Xmx256m -XX:TieredStopAtLevel=1)  # the role's lb_agent_jvm
archive=$(/usr/bin/python3 - "$work/lb-agent.jar" "${jvm[@]}" <<'PY'
import subprocess, sys
sys.path.insert(0, "ansible/roles/workload_runner/library")
import lb_agent_archive as m
jar, jvm = sys.argv[1], sys.argv[2:]
version = subprocess.run(["java", "-version"], stderr=subprocess.PIPE, text=True).stderr
r = m.ensure("java", jvm, jar, "0" * 64, version)
if not r["archive"]:
    sys.exit("no archive: %s" % r["reason"])
print(r["archive"])
PY
)
start() { # with|without -> "cpu_s"
  local extra=() tf="$work/t"
  [[ $1 == with ]] && extra=(-XX:SharedArchiveFile="$archive")
  rm -rf "$work/run"
  /usr/bin/time -f "%U %S" -o "$tf" java "${jvm[@]}" "${extra[@]}" -jar "$work/lb-agent.jar" run --run-dir "$work/run" \
    --workload w --repetition 1 --metrics-interval 0 -- true >/dev/null 2>&1
  awk '{printf "%.2f\n", $1 + $2}' "$tf"
}
declare -A all
for ((i = 1; i <= n; i++)); do
  for way in without with; do
    c=$(start $way); all[$way]+="$c "; echo "start $i $way archive: $c CPU s"
  done
done
median() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
echo "agent start CPU, median of $n: without archive $(median <<<"${all[without]}") s, with archive $(median <<<"${all[with]}") s (archive $(($(stat -c %s "$archive") / 1048576)) MiB, load $(cut -d' ' -f1 /proc/loadavg))"
