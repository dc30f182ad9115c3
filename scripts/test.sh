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
[[ -x /usr/bin/python3 ]] || need+=(python3)
command -v ansible-playbook >/dev/null 2>&1 || need+=(ansible-core)
command -v tmux >/dev/null 2>&1 || need+=(tmux)
if ((${#need[@]})); then
  if [[ $(id -u) -ne 0 ]]; then
    echo "missing: ${need[*]}; run: sudo apt-get install -y ${need[*]}" >&2
    exit 2
  fi
  echo "installing: ${need[*]}" >&2
  apt-get update -q
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${need[@]}"
fi

# The poll module and the callback plugin: Python unittest, with the Debian python3 that ansible-core runs on.
/usr/bin/python3 -m unittest discover -s ansible/tests

modules=()
if [[ "${1:-}" == "--fast" ]]; then
  modules=(-pl protocol,runner-agent,controller -am)
fi
# grep only hides Maven's download chatter; the exit status is Maven's, read before anything else runs.
set +e
mvn -B -ntp verify "${modules[@]}" 2>&1 | grep -v '^\[INFO\] \(Download\|---\|$\)'
status=${PIPESTATUS[0]}
set -e
exit "$status"
