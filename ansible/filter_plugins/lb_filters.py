# -*- coding: utf-8 -*-
"""Filters for the lb playbooks: small parsing that is clearer in Python than in Jinja."""

import base64
import json
import re


def lb_java_major(result):
    """The major version from a `java -version` command result; 0 when Java is missing or unreadable.

    `java -version` prints to stderr: 'openjdk version "17.0.15" ...' (or '"1.8.0_392"' for Java 8, major 1).
    """
    if not isinstance(result, dict) or result.get("rc", 1) != 0:
        return 0
    m = re.search(r'version "(\d+)', result.get("stderr") or "")
    return int(m.group(1)) if m else 0


def lb_sysinfo_tool_args(tools):
    """lb-agent sysinfo's --tool NAME=EXECUTABLE for each benchmark tool (not a command's program) the workloads run
    from a path of their own; tools run by their bare name are asked for on PATH anyway.

    A tool's label is its name, or 'NAME (EXECUTABLE)' (see TargetTools): the name is its first word. `tools` is
    lb_tools as the controller writes it: base64 of the JSON list (a list is taken as it is).
    """
    if isinstance(tools, str):
        tools = json.loads(base64.b64decode(tools, validate=True).decode("utf-8")) if tools else []
    args = []
    for t in tools or []:
        if not isinstance(t, dict) or t.get("kind") not in ("tool", "k6"):
            continue
        name = str(t.get("label", "")).split(" ")[0]
        executable = str(t.get("executable") or "")
        if not name or not executable or executable == name:
            continue
        if "/" in executable and not executable.startswith("/") and t.get("cwd"):
            executable = str(t["cwd"]).rstrip("/") + "/" + executable
        args.append("--tool=%s=%s" % (name, executable))
    return args


def lb_clock_reading_args(results):
    """lb-agent sysinfo's --clock-reading per clock probe, in order: the last line of each probe's output, as it is
    (a failed probe's text too: the agent says why it cannot use it, rather than pairing the wrong probes)."""
    args = []
    for r in results or []:
        lines = [l.strip() for l in str((r or {}).get("stdout") or (r or {}).get("msg") or "").splitlines() if l.strip()]
        args.append("--clock-reading=" + (lines[-1] if lines else "(no output)"))
    return args


class FilterModule(object):
    def filters(self):
        return {"lb_java_major": lb_java_major, "lb_sysinfo_tool_args": lb_sysinfo_tool_args,
                "lb_clock_reading_args": lb_clock_reading_args}
