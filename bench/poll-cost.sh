#!/usr/bin/env bash
# What one poll costs the target's CPU: the poll program exactly as the lb_stream_poll action sends it, run by
# `python3 -I -S -` over a stream file holding LINES new event lines (default 500, about what a poll carries at
# 1,000 lines/s), POLLS times each way, the ways interleaved: the module compiled from its text on every poll, and
# its code kept by an earlier poll (the action's code cache). MODULE=FILE measures another copy of the module (e.g.
# `git show REV:ansible/roles/workload_runner/library/lb_stream_poll.py > /tmp/old.py`) the same way.
# Prints CPU ms per poll (user + system of the python3 process, from getrusage) per way; the last line sums up.
# BEFORE=FILE adds that copy of the module, its code kept, to the same rotation and prints the paired difference.
# Usage: bench/poll-cost.sh [POLLS [LINES]]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
exec /usr/bin/python3 -B bench/lib/pollcost.py "$@"
