#!/usr/bin/env bash
# The dashboard's cost to ingest: 100,000 events through ingest and the journal with no view and with the
# dashboard drawing to a virtual terminal. Prints the figure as its last line; writes bench/results/dashboard.json.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
jar=bench/target/lb-bench.jar
if [[ ! -f $jar ]] || [[ -n $(find protocol/src controller/src bench/src -newer "$jar" -type f -print -quit) ]]; then
  mvn -B -q -o -DskipTests -pl bench -am install >/dev/null 2>&1 || mvn -B -q -DskipTests -pl bench -am install
fi
# JLine's pty-backed virtual terminal prints a stack trace from its pump thread when it is closed: kept in a log.
mkdir -p bench/results
exec java -XX:+UseSerialGC -Xmx512m -jar "$jar" dashboard "$@" 2> bench/results/dashboard.stderr.log
