#!/usr/bin/env bash
# The agent's system-metrics sampler: CPU per sample of the real /proc (10,000 samples in a loop) and the sampler
# thread's CPU over a minute at the real 1 s interval (SECONDS_AT_1S, default 60). Prints the figure as its last
# line; writes bench/results/sampler-cost.json.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
jar=bench/target/lb-bench.jar
if [[ ! -f $jar ]] || [[ -n $(find protocol/src results/src runner-agent/src bench/src -newer "$jar" -type f -print -quit) ]]; then
  mvn -B -q -o -DskipTests -pl bench -am install >/dev/null 2>&1 || mvn -B -q -DskipTests -pl bench -am install
fi
pin=()
command -v taskset >/dev/null 2>&1 && pin=(taskset -c 0)
exec "${pin[@]}" java -XX:+UseSerialGC -Xmx256m -jar "$jar" sampler-cost --seconds "${SECONDS_AT_1S:-60}" "$@"
