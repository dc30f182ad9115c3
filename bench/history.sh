#!/usr/bin/env bash
# The history at scale (issue #28, item 10): a generated history of 10,000 runs, each with a value in each of 50
# series, on SQLite and on a throwaway PostgreSQL; then, timed inside the JVM: the schema check, lb history (every
# series with its last change point), lb history check on the last run, change points over every series, recording
# one run; JVM start beside them. Targets: lb history and check under 1 s, change points under 3 s, recording under
# 0.5 s. The history is generated through lb's recorder into SQLite (500 runs a transaction), and PostgreSQL gets a
# copy of it (COPY, table by table): both stores are timed on the same rows. Usage: [STORES="sqlite postgresql"]
# bench/history.sh [RUNS [SERIES]]; HISTORY_DB=FILE keeps (or reuses) the generated SQLite history there.
# Figures: docs/performance.md.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
runs=${1:-10000}
series=${2:-50}
jar=bench/target/lb-bench.jar
if [[ ! -f $jar ]] || [[ -n $(find protocol/src results/src history/src controller/src bench/src -newer "$jar" -type f -print -quit) ]]; then
  mvn -B -q -o -DskipTests -pl bench -am package >/dev/null 2>&1 || mvn -B -q -DskipTests -pl bench -am package
fi
stores=${STORES:-sqlite postgresql}
work=$(mktemp -d /tmp/lb-history-bench.XXXXXX)
chmod 755 "$work"   # PostgreSQL runs as nobody when this runs as root: it must reach its directory inside
pg_started=""
cleanup() {
  if [[ -n $pg_started ]]; then
    "${as_pg[@]}" "$pgctl" -D "$work/pg/data" -m immediate -w stop >/dev/null 2>&1 || echo "pg_ctl stop failed" >&2
  fi
  rm -rf "$work"
}
trap cleanup EXIT

bin() {  # initdb / pg_ctl: on PATH, else Debian's /usr/lib/postgresql/<version>/bin
  command -v "$1" 2>/dev/null || ls /usr/lib/postgresql/*/bin/"$1" 2>/dev/null | sort -V | tail -n 1
}
as_pg=()
if [[ $(id -u) -eq 0 ]]; then as_pg=(runuser -u nobody --); fi
pgctl=$(bin pg_ctl)

quiet() { grep -v -E '^(INFO|[A-Z][a-z]{2} [0-9]{2}, )' || true; }
db=${HISTORY_DB:-$work/history.db}
echo "== SQLite"
# Generates the history when the file is new (or reuses it); the timings are printed on SQLite either way.
java -Xmx1g -jar "$jar" history-scale "$db" "$runs" "$series" 2>&1 | quiet
[[ $stores == *postgresql* ]] || exit 0

echo "== PostgreSQL"
mkdir -p "$work/pg"
[[ $(id -u) -eq 0 ]] && chown nobody "$work/pg"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"${as_pg[@]}" "$(bin initdb)" -D "$work/pg/data" -U lb --auth=trust -E UTF8 --no-sync >/dev/null
"${as_pg[@]}" "$pgctl" -D "$work/pg/data" -l "$work/pg/log" -w -o "-p $port -k $work/pg -c listen_addresses=127.0.0.1" start >/dev/null
pg_started=1
url="jdbc:postgresql://127.0.0.1:$port/postgres?user=lb"
java -Xmx1g -jar "$jar" history-copy "$db" "$url" 2>&1 | quiet
java -Xmx1g -jar "$jar" history-scale "$url" "$runs" "$series" 2>&1 | quiet
