#!/usr/bin/env bash
# See bench/lib/fleet.py: N SSH target containers, RATE lines/s each for SECONDS s, through one real lb run.
# Usage: bench/fleet.sh N RATE SECONDS [--slices auto|K] [--poll-batch-s S] [--sync]. Prints `run dir: PATH` (kept)
# and the figures; the last line sums them up. Writes bench/results/fleet-N-RATE-SECONDS[-slices-K][-batch-S]
# [-sync].json; exits 1 when any event is missing. Needs Docker and the lb-target image
# (scripts/build-target-image.sh).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
exec python3 bench/lib/fleet.py "$@"
