#!/usr/bin/python3
# -*- coding: utf-8 -*-
"""lb_tool_check: are the programs the workloads run there, and do they run? (runs on the target)

Standard library only. Each program is found the way the agent finds it (execvp's rule: a name with a slash is a
path, relative to the workload's working directory; otherwise the first executable file on PATH, the workload's own
PATH when it sets one) and, when it has version arguments, run once with them as argv (never through a shell), with
no input and a time limit. What a program prints is untrusted: only its first line is kept, cut to 200 characters;
the controller sanitizes it before printing. Never fails: every answer is in the result, for lb doctor (one line per
program) and for setup (install_tools).
"""

DOCUMENTATION = r"""
module: lb_tool_check
short_description: Find the programs an lb run's workloads use on a target, and read their versions
options:
  tools:
    type: str
    required: true
    description: >-
      base64 of the JSON [{label, kind: tool|k6|command, executable, version_args: [..], package, path, cwd}], as
      the controller writes lb_tools (base64, so that Ansible never templates the user's programs and paths).
"""

import base64
import json
import os
import subprocess

DEFAULT_PATH = "/usr/local/bin:/usr/bin:/bin"  # what the agent searches when PATH is unset
VERSION_TIMEOUT_S = 15
MAX_LINE = 200
K6_INSTALL = "https://grafana.com/docs/k6/latest/set-up/install-k6/"


def executable_file(path):
    return os.path.isfile(path) and os.access(path, os.X_OK)


def find(name, path_variable, cwd):
    """(path or None, why not): the program the agent would run for this name."""
    if not name:
        return None, "the name is empty"
    if "/" in name:
        if not name.startswith("/"):
            if not cwd:
                return None, "a relative path, and the working directory is the run's own directory, made at setup"
            name = os.path.normpath(os.path.join(cwd, name))
        return (name, "") if executable_file(name) else (None, "no executable file at " + name)
    for d in (path_variable if path_variable is not None else DEFAULT_PATH).split(os.pathsep):
        candidate = os.path.join(d or ".", name)
        if executable_file(candidate):
            return candidate, ""
    return None, "not on PATH"


def first_line(data):
    text = data.decode("utf-8", "replace") if isinstance(data, bytes) else (data or "")
    for line in text.splitlines():
        if line.strip():
            line = line.strip()
            return line if len(line) <= MAX_LINE else line[:MAX_LINE] + "..."
    return ""


def version(path, args, timeout_s=VERSION_TIMEOUT_S):
    """(first line of its output, error or "")."""
    argv = [path] + list(args)
    try:
        p = subprocess.run(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           timeout=timeout_s)
    except subprocess.TimeoutExpired:
        return "", "'%s' did not finish within %d s" % (" ".join(argv), timeout_s)
    except OSError as e:
        return "", "'%s' cannot be run: %s" % (" ".join(argv), e.strerror or e)
    line = first_line(p.stdout)
    if p.returncode != 0:
        return line, "'%s' exited with %d%s" % (" ".join(argv), p.returncode, (": " + line) if line else "")
    return line, ""


def check(tool, environ=None):
    environ = os.environ if environ is None else environ
    path_variable = tool.get("path") or environ.get("PATH")
    found, why = find(tool.get("executable") or "", path_variable, tool.get("cwd"))
    answer = {"label": tool.get("label"), "kind": tool.get("kind"), "executable": tool.get("executable"),
              "found": found is not None, "path": found, "PATH": path_variable if path_variable is not None
              else DEFAULT_PATH, "why": why, "version": "", "error": ""}
    if found is not None and tool.get("version_args"):
        answer["version"], answer["error"] = version(found, tool["version_args"])
    return answer


def problem(tool, answer):
    """What setup says about a required program that is missing or does not run; None when it is fine."""
    if tool.get("kind") == "command":
        return None
    if answer["found"] and not answer["error"]:
        return None
    label = tool.get("label")
    if answer["found"]:
        return "%s does not run: %s" % (label, answer["error"])
    where = "%s not found (%s; PATH=%s)" % (label, answer["why"], answer["PATH"])
    if tool.get("kind") == "k6":
        return where + ": k6 is not a Debian package, install_tools does not install it; install it by hand (" \
            + K6_INSTALL + ")"
    if not tool.get("package"):
        return where
    return where + " even after installing the package %s%s" % (
        tool["package"], "; set binary: to where the package put it" if "/" in (tool.get("executable") or "") else "")


def check_all(tools, environ=None):
    answers = [check(t, environ) for t in tools]
    missing_packages = []
    for t, a in zip(tools, answers):
        if t.get("kind") == "tool" and not a["found"] and t.get("package") and t["package"] not in missing_packages:
            missing_packages.append(t["package"])
    problems = [p for p in (problem(t, a) for t, a in zip(tools, answers)) if p]
    return {"tools": answers, "missing_packages": missing_packages, "problems": problems}


def decode_tools(text):
    """The list lb_tools carries: base64 of a JSON array of objects."""
    try:
        tools = json.loads(base64.b64decode(text, validate=True).decode("utf-8"))
    except (ValueError, UnicodeDecodeError) as e:
        raise ValueError(str(e))
    if not isinstance(tools, list) or not all(isinstance(t, dict) for t in tools):
        raise ValueError("expected a JSON array of objects")
    return tools


ARGUMENT_SPEC = {"tools": {"type": "str", "required": True}}


def direct(p):
    """The module's result for checked parameters (run by main(), or by the lb_tool_check action without
    AnsibleModule)."""
    try:
        tools = decode_tools(p["tools"])
    except ValueError as e:
        return {"failed": True, "msg": "lb_tools is not the base64 JSON list the controller writes: %s" % e}
    return dict(changed=False, **check_all(tools))


def main():
    from ansible.module_utils.basic import AnsibleModule

    module = AnsibleModule(argument_spec=ARGUMENT_SPEC, supports_check_mode=True)
    result = direct(module.params)
    if result.pop("failed", False):
        module.fail_json(**result)
    module.exit_json(**result)


# LB_PARAMS: run as a program by the action plugin, whose runner calls direct().
if __name__ == "__main__" and "LB_PARAMS" not in globals():
    main()
