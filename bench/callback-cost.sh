#!/usr/bin/env bash
# See bench/lib/figures.py (callback_cost): ansible-playbook CPU per 100,000 events, the lb_events callback before
# and after it forwarded lines unparsed, side by side; prints the figure as its last line.
# Usage: bench/callback-cost.sh [EVENTS] [RATE] [ROUNDS]; writes bench/results/callback-cost.json.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
exec python3 bench/lib/figures.py callback_cost "$@"
