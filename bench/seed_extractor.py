"""The seed's LB_EVENT extractor, run over whole files: the baseline of bench/events-parse-vs-seed.sh.

The seed is linux-benchmark-lib (github.com/miciav/linux-benchmark-lib), commit
e76b63b13902d15443510975a04b0b88b4c0d349. The functions below are copied verbatim from its
lb_app/services/run_output_parsing.py (_extract_lb_event_data and the helpers it calls); nothing in their logic is
changed. The seed applies _extract_lb_event_data to each line of ansible-playbook's output as it arrives
(run_pipeline.parse_progress_line, run_output_formatting.format_progress_line), one payload per line; this harness
does the same, line by line, over each FILE.

The seed has no notion of "the same event seen twice", so the harness adds the one thing it needs to compare with
`lb events parse`: distinct events are counted by lb's identity rule (run_id, host, workload, repetition, src, seq),
or by the whole payload when there is no seq.

Usage: python3 bench/seed_extractor.py FILE...   prints "events: N" (distinct) and "payloads: M" (every line that
yielded one) on stdout. Standard library only.
"""

from __future__ import annotations

import json
import sys
from typing import Any


# --- verbatim from lb_app/services/run_output_parsing.py @ e76b63b13902d15443510975a04b0b88b4c0d349 ---

def _extract_lb_event_data(line: str, token: str = "LB_EVENT") -> dict[str, Any] | None:
    """Extract LB_EVENT JSON payloads from noisy Ansible output."""
    return _extract_tagged_json(line, token)


def _extract_tagged_json(line: str, token: str) -> dict[str, Any] | None:
    token_idx = line.find(token)
    if token_idx == -1:
        return None

    payload = line[token_idx + len(token) :].strip()
    start, end = _find_json_bounds(payload)
    if start is None or end is None:
        return None
    raw = payload[start:end]
    return _parse_json_candidates(raw)


def _find_json_bounds(payload: str) -> tuple[int | None, int | None]:
    start = payload.find("{")
    if start == -1:
        return None, None
    depth = 0
    for idx, ch in enumerate(payload[start:], start):
        depth = _advance_json_depth(depth, ch)
        if depth == 0 and ch == "}":
            return start, idx + 1
    return None, None


def _advance_json_depth(depth: int, ch: str) -> int:
    if ch == "{":
        return depth + 1
    if ch == "}":
        return depth - 1
    return depth


def _parse_json_candidates(raw: str) -> dict[str, Any] | None:
    candidates = (
        raw,
        raw.strip("\"'"),
        raw.replace(r"\"", '"'),
        raw.strip("\"'").replace(r"\"", '"'),
    )
    for candidate in candidates:
        try:
            parsed = json.loads(candidate)
        except Exception:  # the seed's own, kept verbatim: this file measures the seed as it is (a failed candidate
            continue       # is how it tries the next unquoting); lb's decoder names every rejection instead
        if isinstance(parsed, dict):
            return parsed
    return None

# --- end of the seed's code ---


def identity(data: dict[str, Any]) -> Any:
    """lb's identity rule (docs/design.md): the six identity fields when there is a seq, else the whole payload."""
    if data.get("seq") is not None:
        return (data.get("run_id"), data.get("host"), data.get("workload"), data.get("repetition"),
                data.get("src"), data.get("seq"))
    return json.dumps(data, sort_keys=True)


def main(paths: list[str]) -> int:
    seen = set()
    payloads = 0
    for path in paths:
        # The seed reads ansible-playbook's output as text; undecodable bytes must not stop it.
        with open(path, encoding="utf-8", errors="replace") as f:
            for line in f:
                data = _extract_lb_event_data(line, token="LB_EVENT")
                if data:
                    payloads += 1
                    seen.add(identity(data))
    print("events: %d" % len(seen))
    print("payloads: %d" % payloads)
    return 0


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit("usage: seed_extractor.py FILE...")
    sys.exit(main(sys.argv[1:]))
