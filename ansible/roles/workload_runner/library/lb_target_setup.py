#!/usr/bin/python3
# -*- coding: utf-8 -*-
"""lb_target_setup: a target's setup for one run in one step (runs on the target, through its action plugin).

Standard library only. What took seven modules (each paying Ansible's module wrapper on the target, about 0.2 CPU s)
and a round trip each: `java -version`, the agent's cache directory, the check and copy of the jar, the class-data
archive, the workload plans. step=prepare does all of them but the copy: it reads `java -version` (the result has
the command module's keys, for the role's Java checks), makes <target_root>/cache/<jar sha256 prefix> (0700),
removes other lb versions' cache directories there but the three most recently used, writes the plans (0600,
under a temporary name then renamed), and looks at the cached jar: when its sha256 is the
one given, the jar is not sent again and the archive is made or found at once (Java 17 or later only: an older Java
is refused here when require_java_for names the host, else by the role after installing Java); otherwise it answers
need_jar. The action then sends the jar to a temporary name in the
cache directory and runs step=install_jar: the jar's sha256 is checked, it is made 0600 and renamed into place, and
the archive is made. The archive's logic is lb_agent_archive's (its text is sent in front of this one).
"""

DOCUMENTATION = r"""
module: lb_target_setup
short_description: Set up a target for an lb run in one step
options:
  step: {type: str, required: true, choices: [prepare, install_jar]}
  java: {type: str, required: true, description: The Java launcher on the target.}
  jvm_args: {type: list, elements: str, required: true, description: The agent's JVM options (for the archive).}
  cache_dir: {type: path, required: true, description: "<target_root>/cache/<first 32 hex digits of the jar's sha256>"}
  jar_sha256: {type: str, required: true}
  plans_b64: {type: str, description: "step=prepare: the workload plans, base64."}
  plans_path: {type: path, description: "step=prepare: where the agent reads them."}
  staged: {type: path, description: "step=install_jar: the jar as just sent, a temporary name in cache_dir."}
  java_version_text: {type: str, description: "step=install_jar: what `java -version` said at step=prepare."}
  require_java_for: {type: str, description: "step=prepare: the inventory host; when given, a target without Java 17
    or later fails the step, naming the host and what `java -version` said (set unless install_java)."}
"""

import base64
import hashlib
import os
import re
import shutil
import subprocess
import sys

JAR_NAME = "lb-agent.jar"
JAVA_VERSION_TIMEOUT_S = 60
# Other lb versions' cache directories kept beside the one in use, the most recently used first: a target that goes
# back and forth between a few versions (comparing two builds of lb) does not get the jar again, and one that has
# seen many builds does not keep ~18 MB (jar and class-data archive) for each of them for ever.
KEEP_OTHER_VERSIONS = 3
CACHE_DIR_NAME = re.compile(r"^[0-9a-f]{32}$")

ARGUMENT_SPEC = dict(
    step=dict(type="str", required=True, choices=["prepare", "install_jar"]),
    java=dict(type="str", required=True),
    jvm_args=dict(type="list", elements="str", required=True),
    cache_dir=dict(type="path", required=True),
    jar_sha256=dict(type="str", required=True),
    plans_b64=dict(type="str"),
    plans_path=dict(type="path"),
    staged=dict(type="path"),
    java_version_text=dict(type="str"),
    require_java_for=dict(type="str"),
)


def java_check(java):
    """`java -version` as the command module reports it: rc, stdout, stderr (and msg when it could not run)."""
    try:
        done = subprocess.run([java, "-version"], stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, timeout=JAVA_VERSION_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        return {"rc": 124, "stdout": "", "stderr": "", "msg": "'%s -version' took over %d s" % (
            java, JAVA_VERSION_TIMEOUT_S)}
    except OSError as e:
        return {"rc": 2, "stdout": "", "stderr": "", "msg": "%s cannot be run: %s" % (java, e)}
    return {"rc": done.returncode, "stdout": done.stdout.decode("utf-8", "replace").rstrip("\n"),
            "stderr": done.stderr.decode("utf-8", "replace").rstrip("\n")}


def java_major(check):
    """The major version `java -version` printed (as lb_filters.lb_java_major reads it); 0 when unreadable."""
    if check.get("rc", 1) != 0:
        return 0
    m = re.search(r'version "(\d+)', check.get("stderr") or "")
    return int(m.group(1)) if m else 0


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def private_dir(path):
    """path, 0700, with its missing parents (each 0700 too: os.makedirs gives the mode to the last one only)."""
    missing = []
    while not os.path.isdir(path):
        missing.append(path)
        parent = os.path.dirname(path)
        if parent == path:
            break
        path = parent
    for made in reversed(missing):
        try:
            os.mkdir(made, 0o700)
        except FileExistsError:
            pass  # made meanwhile by another host of the run on this machine; a file there fails below
    path = missing[0] if missing else path
    if os.stat(path).st_mode & 0o777 != 0o700:
        os.chmod(path, 0o700)


def write_private(path, data):
    """data into path, mode 0600, never seen half written: a temporary name in the same directory, then renamed."""
    tmp = "%s.%d.tmp" % (path, os.getpid())
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.rename(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass  # the write's own error is raised just below and fails the step; a leftover temporary is private
        raise


def archive(p, jar, version_text):
    """The class-data archive for jar (lb_agent_archive.ensure, whose text the action sends in front of this
    module's), or why there is none."""
    if java_major({"rc": 0, "stderr": version_text}) < 17:
        return {"archive": None, "created": False, "reason": "no Java 17 or later yet"}
    return ensure(p["java"], p["jvm_args"], jar, p["jar_sha256"], version_text)  # noqa: F821 (lb_agent_archive)


def prune_cache(cache_dir, keep=KEEP_OTHER_VERSIONS):
    """Removes other lb versions' cache directories beside cache_dir (named by a jar's sha256 prefix, nothing else
    there is touched) but the `keep` most recently used (a directory's mtime, set by each run's setup). The run holds
    the target's lease, so no other run of this target root uses them now; an agent still running from a removed jar
    keeps its open file. Returns (names removed, problems): a failure is said, never the step's failure."""
    parent, own = os.path.split(os.path.abspath(cache_dir))
    removed, problems = [], []
    try:
        os.utime(cache_dir)
        others = []
        for name in os.listdir(parent):
            path = os.path.join(parent, name)
            if name != own and CACHE_DIR_NAME.match(name) and os.path.isdir(path) and not os.path.islink(path):
                others.append((os.stat(path).st_mtime, name))
    except OSError as e:
        return removed, ["could not look for old agent caches in %s: %s" % (parent, e)]
    others.sort(reverse=True)
    for _, name in others[keep:]:
        errors = []

        def failed(_function, path, error):
            error = error[1] if isinstance(error, tuple) else error
            if not isinstance(error, FileNotFoundError):  # removed meanwhile by another host of this run
                errors.append("%s: %s" % (path, error))
        if sys.version_info >= (3, 12):
            shutil.rmtree(os.path.join(parent, name), onexc=failed)
        else:
            shutil.rmtree(os.path.join(parent, name), onerror=failed)
        if errors:
            problems.append("could not remove the old agent cache %s (%s)" % (os.path.join(parent, name), errors[0]))
        else:
            removed.append(name)
    return removed, problems


def no_java_message(host, java, check):
    said = (check.get("stderr") or check.get("msg") or "not found").strip()
    if len(said) > 200:
        said = said[:197] + "..."
    return ("%s has no Java 17 or later ('%s -version' said: %s). Install openjdk-17-jre-headless there, or set"
            " install_java: true in the lb config." % (host, java, said))


def prepare(p):
    if len(p["jar_sha256"] or "") != 64:
        # The controller sends the jar's sha256 (lb_agent_jar_sha256); without it no copy could ever be checked.
        return {"failed": True, "msg": "lb_target_setup: jar_sha256 must be the agent jar's sha256 (64 hex digits,"
                " lb_agent_jar_sha256), not %r" % (p["jar_sha256"],)}
    check = java_check(p["java"])
    if p["require_java_for"] is not None and java_major(check) < 17:
        return {"failed": True, "java_check": check, "msg": no_java_message(p["require_java_for"], p["java"], check)}
    private_dir(p["cache_dir"])
    removed, problems = prune_cache(p["cache_dir"])
    if p["plans_path"] is not None:
        write_private(p["plans_path"], base64.b64decode(p["plans_b64"] or "", validate=True))
    jar = os.path.join(p["cache_dir"], JAR_NAME)
    present = os.path.isfile(jar) and sha256(jar) == p["jar_sha256"]
    result = {"changed": p["plans_path"] is not None, "java_check": check, "cache_dir": p["cache_dir"], "jar": jar,
              "need_jar": not present, "jar_copied": False, "old_caches_removed": removed}
    if problems:
        result["warnings"] = problems
    if present:
        result["agent_archive"] = archive(p, jar, check.get("stderr") or "")
    return result


def install_jar(p):
    staged = p["staged"]
    if os.path.dirname(os.path.abspath(staged)) != os.path.abspath(p["cache_dir"]):
        return {"failed": True, "msg": "lb_target_setup: the staged jar %s is not in %s" % (staged, p["cache_dir"])}
    got = sha256(staged)
    if got != p["jar_sha256"]:
        os.unlink(staged)
        return {"failed": True, "msg": "lb_target_setup: the jar sent to %s has sha256 %s, expected %s" % (
            staged, got, p["jar_sha256"])}
    jar = os.path.join(p["cache_dir"], JAR_NAME)
    os.chmod(staged, 0o600)
    os.rename(staged, jar)
    return {"changed": True, "jar": jar, "jar_copied": True,
            "agent_archive": archive(p, jar, p["java_version_text"] or "")}


def direct(p):
    """The module's result for checked parameters (run by the lb_target_setup action)."""
    try:
        return prepare(p) if p["step"] == "prepare" else install_jar(p)
    except (OSError, ValueError) as e:
        where = getattr(e, "filename", None)
        return {"failed": True, "msg": "lb_target_setup %s failed%s: %s: %s" % (
            p["step"], " on %s" % where if where else "", type(e).__name__, e)}


# Run only by its action (action_plugins/lb_target_setup.py), which sends lb_agent_archive's text in front of this
# one and the jar in between the two steps: as a plain module it would have neither.
