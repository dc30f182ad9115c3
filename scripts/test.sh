#!/usr/bin/env bash
# Runs every test. On a fresh Debian machine it first installs what the tests need.
# Usage: scripts/test.sh            all tests
#        scripts/test.sh --fast     unit tests only (no processes beyond the JVM and python3)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

need=()
command -v java >/dev/null 2>&1 || need+=(openjdk-17-jdk-headless)
command -v mvn >/dev/null 2>&1 || need+=(maven)
command -v python3 >/dev/null 2>&1 || need+=(python3)
if ((${#need[@]})); then
  if [[ $(id -u) -ne 0 ]]; then
    echo "missing: ${need[*]}; run: sudo apt-get install -y ${need[*]}" >&2
    exit 2
  fi
  echo "installing: ${need[*]}" >&2
  apt-get update -q
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${need[@]}"
fi

modules=()
if [[ "${1:-}" == "--fast" ]]; then
  modules=(-pl protocol,runner-agent,controller -am)
fi
mvn -B -ntp verify "${modules[@]}" 2>&1 | grep -v '^\[INFO\] \(Download\|---\|$\)' || true
# grep hides Maven's chatter; the exit status is Maven's.
exit "${PIPESTATUS[0]}"
