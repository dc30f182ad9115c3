#!/usr/bin/env python3
"""Generates the series lb's change-point test compares with Apache Otava, and Otava's answers for them.

Run once, by hand, against an Otava source tree (never committed here; PyPI is not needed: Otava's analysis module
only needs numpy and scipy):

    python3 otava_fixture.py --otava /tmp/otava-src --commit <sha> > ../resources/otava-change-points.json

The series are seeded, so running it again with the same Otava commit gives the same file.
"""
import argparse
import json
import sys

import numpy as np


def series_set(rng):
    out = []

    def add(kind, values, **truth):
        out.append({"name": f"{kind}-{len(out):03d}", "kind": kind, "values": [float(round(v, 6)) for v in values],
                    **truth})

    # Single steps: several sizes against several noise levels, anywhere in series of several lengths.
    for size in (0.02, 0.05, 0.10, 0.20, 0.50):
        for cv in (0.005, 0.01, 0.02, 0.05):
            for _ in range(4):
                n = int(rng.integers(20, 121))
                at = int(rng.integers(5, n - 4))
                sign = 1 if rng.random() < 0.5 else -1
                v = 100 * (1 + rng.normal(0, cv, n))
                v[at:] *= 1 + sign * size
                add("step", v, steps=[at])
    # Two or three steps.
    for _ in range(40):
        n = int(rng.integers(40, 161))
        k = int(rng.integers(2, 4))
        ats = sorted(rng.choice(np.arange(8, n - 8), size=k, replace=False).tolist())
        cv = float(rng.choice([0.005, 0.01, 0.02]))
        v = 100 * (1 + rng.normal(0, cv, n))
        for at in ats:
            v[at:] *= 1 + float(rng.choice([-1, 1])) * float(rng.choice([0.05, 0.10, 0.20]))
        add("steps", v, steps=ats)
    # Noise only.
    for cv in (0.005, 0.01, 0.02, 0.05, 0.10):
        for _ in range(4):
            n = int(rng.integers(20, 121))
            add("noise", 100 * (1 + rng.normal(0, cv, n)), steps=[])
    # Slow trends (0.1 % to 1 % a run).
    for slope in (0.001, 0.003, 0.01):
        for _ in range(5):
            n = int(rng.integers(30, 121))
            v = 100 * (1 + rng.normal(0, 0.01, n)) * (1 + slope * np.arange(n))
            add("trend", v, steps=[])
    # One outlier, no step.
    for size in (0.10, 0.30, 1.0):
        for _ in range(6):
            n = int(rng.integers(20, 81))
            v = 100 * (1 + rng.normal(0, 0.01, n))
            v[int(rng.integers(1, n - 1))] *= 1 + size
            add("outlier", v, steps=[])
    # Short series, with and without a step.
    for n in (4, 6, 8, 10, 12, 15):
        for size in (0.0, 0.10, 0.50):
            for _ in range(2):
                v = 100 * (1 + rng.normal(0, 0.01, n))
                at = n // 2
                if size:
                    v[at:] *= 1 + size
                add("short", v, steps=[at] if size else [])
    return out


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--otava", required=True, help="an Apache Otava source tree")
    p.add_argument("--commit", required=True, help="its commit, written into the fixture")
    p.add_argument("--seed", type=int, default=28)
    a = p.parse_args()
    sys.path.insert(0, a.otava)
    from otava.analysis import compute_change_points  # noqa: E402  (from the source tree, on purpose)

    window, max_pvalue = 50, 0.001
    series = series_set(np.random.default_rng(a.seed))
    for s in series:
        # A plain list, as Otava's own callers pass: its detector slices windows out of lists only.
        cps, _ = compute_change_points(list(s["values"]), window_len=window, max_pvalue=max_pvalue)
        s["otava"] = [{"index": int(c.index), "pvalue": float(c.stats.pvalue),
                       "magnitude": float(c.stats.change_magnitude())} for c in cps]
    json.dump({"otava_repository": "https://github.com/apache/otava", "otava_commit": a.commit,
               "function": "otava.analysis.compute_change_points", "window_len": window, "max_pvalue": max_pvalue,
               "numpy": np.__version__, "series": series}, sys.stdout, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
