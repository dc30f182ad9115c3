#!/usr/bin/env bash
# The poll step's batching window (poll_batch_s) against polls per second, ansible-playbook CPU per 100,000 events
# and ts -> journal latency: the same busy workload through the real lb run, one window after the other.
# Usage: bench/poll-window.sh [RATE [SECONDS [WINDOW...]]]   (default 2000 lines/s for 15 s; windows 0 0.05 0.1 0.25 0.5; the last line is the default window 0.25 s)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
exec python3 bench/lib/pollwindow.py "$@"
