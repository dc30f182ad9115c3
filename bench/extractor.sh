#!/usr/bin/env bash
# Extractor throughput on one core over a generated 1,000,000-line Ansible-like corpus (10% event lines).
# Prints the figure as its last line; writes bench/results/extractor.json.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
jar=bench/target/lb-bench.jar
if [[ ! -f $jar ]] || [[ -n $(find protocol/src bench/src -newer "$jar" -type f -print -quit) ]]; then
  mvn -B -q -o -DskipTests -pl bench -am install >/dev/null 2>&1 || mvn -B -q -DskipTests -pl bench -am install
fi
pin=()
command -v taskset >/dev/null 2>&1 && pin=(taskset -c 0)
exec "${pin[@]}" java -XX:ActiveProcessorCount=1 -Xmx2g -jar "$jar" extractor "$@"
