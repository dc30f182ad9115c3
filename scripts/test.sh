#!/usr/bin/env bash
# Runs every test. On a fresh Debian machine it first installs what the tests need.
# Usage: scripts/test.sh            all tests
#        scripts/test.sh --fast     unit tests only (no processes beyond the JVM, python3 and the throwaway
#                                   PostgreSQL the history tests start)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

need=()
command -v java >/dev/null 2>&1 || need+=(openjdk-17-jdk-headless)
command -v mvn >/dev/null 2>&1 || need+=(maven)
[[ -x /usr/bin/python3 ]] || need+=(python3)
command -v ansible-playbook >/dev/null 2>&1 || need+=(ansible-core)
command -v tmux >/dev/null 2>&1 || need+=(tmux)
# The result parsers are tested on the real tools' output; the report in a real headless browser.
command -v stress-ng >/dev/null 2>&1 || need+=(stress-ng)
command -v fio >/dev/null 2>&1 || need+=(fio)
command -v sysbench >/dev/null 2>&1 || need+=(sysbench)
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v chromedriver >/dev/null 2>&1 || need+=(chromium-driver)
# The history tests run every store test on SQLite and on a PostgreSQL cluster they start themselves (initdb, pg_ctl:
# Debian keeps them in /usr/lib/postgresql/<version>/bin, where the tests look too).
command -v initdb >/dev/null 2>&1 || compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || need+=(postgresql)
# The exporters are tested against the real Prometheus and Pushgateway (started by the tests themselves).
[[ -x /usr/bin/prometheus ]] || need+=(prometheus)
[[ -x /usr/bin/prometheus-pushgateway ]] || need+=(prometheus-pushgateway)
if [[ "${1:-}" != "--fast" ]]; then
  # The SSH end-to-end tests: target containers built from a debootstrap rootfs, reached over loopback.
  command -v dockerd >/dev/null 2>&1 || need+=(docker.io)
  command -v containerd >/dev/null 2>&1 || need+=(containerd)
  command -v runc >/dev/null 2>&1 || need+=(runc)
  command -v debootstrap >/dev/null 2>&1 || need+=(debootstrap)
  command -v ssh >/dev/null 2>&1 || need+=(openssh-client)
  [[ -x /bin/busybox ]] || need+=(busybox-static)
fi
if ((${#need[@]})); then
  if [[ $(id -u) -ne 0 ]]; then
    echo "missing: ${need[*]}; run: sudo apt-get install -y ${need[*]}" >&2
    exit 2
  fi
  echo "installing: ${need[*]}" >&2
  apt-get update -q
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${need[@]}"
fi

if [[ "${1:-}" != "--fast" ]]; then
  # dockerd (and the containerd it uses) are started here when they are not running: CI starts with neither.
  if ! docker info >/dev/null 2>&1; then
    if ! pgrep -x containerd >/dev/null 2>&1; then
      echo "starting containerd" >&2
      setsid containerd >/tmp/lb-test-containerd.log 2>&1 < /dev/null &
      sleep 2
    fi
    echo "starting dockerd" >&2
    setsid dockerd >/tmp/lb-test-dockerd.log 2>&1 < /dev/null &
    for _ in $(seq 1 60); do docker info >/dev/null 2>&1 && break; sleep 1; done
    docker info >/dev/null 2>&1 || { echo "dockerd did not start; see /tmp/lb-test-dockerd.log" >&2; exit 1; }
  fi
  LB_TARGET_IMAGE=$(scripts/build-target-image.sh | tail -n 1)
  export LB_TARGET_IMAGE
fi

# The poll module and the callback plugin: Python unittest, with the Debian python3 that ansible-core runs on.
/usr/bin/python3 -m unittest discover -s ansible/tests
# The bench library's readers and CPU accounting (bench/fleet.sh's figures rest on them).
/usr/bin/python3 -B -m unittest discover -s bench/lib -p 'test_*.py'

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
