#!/usr/bin/env bash
# See bench/lib/figures.py (latency): runs the real lb run and prints the figure as its last line.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
exec python3 bench/lib/figures.py latency "$@"
