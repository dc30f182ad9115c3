#!/usr/bin/python3
# -*- coding: utf-8 -*-
"""lb_agent_archive: a class-data-sharing archive for the agent's JVM on this target (runs on the target)

Every repetition starts an agent JVM, which loads some 1,900 classes from the jar: about 0.9 CPU s per start. An
AppCDS archive of those classes, made once per agent jar and Java version, brings a start to about 0.55 s. Java 17
writes a dynamic archive only when a JVM started with -XX:ArchiveClassesAtExit exits cleanly, and agents are often
stopped, so the archive is made here by an explicit dump start: one short repetition of `sh -c 'sleep 0.6'` with
system metrics sampled, which loads what a repetition loads. The archive is written under a temporary name and renamed,
private to the user; its name holds the jar's sha256 and the Java version, so a new lb or a new Java makes a new one.
The archive records the jar's path, size and time: the agent runs from the jar in the same cache directory, which a
run never rewrites. Never fails: when the archive cannot be made the result says why and the agents start without it
(a JVM also ignores an archive it cannot use, with a warning in agent.log).
"""

DOCUMENTATION = r"""
module: lb_agent_archive
short_description: Make (once) and name the AppCDS archive lb's agent JVMs start with on this target
options:
  java: {type: str, required: true, description: the java executable}
  jvm_args: {type: list, elements: str, required: true, description: the agents' JVM options}
  jar: {type: path, required: true, description: the agent jar in the cache directory}
  jar_sha256: {type: str, required: true}
  java_version_text: {type: str, required: true, description: what `java -version` printed (its first line is used)}
"""

import os
import re
import shutil
import subprocess
import tempfile

DUMP_TIMEOUT_S = 120


def java_version(text):
    """'17.0.15' from `openjdk version "17.0.15" 2025-04-15`; 'unknown' when it is not there."""
    m = re.search(r'version "([^"]+)"', text or "")
    return re.sub(r"[^A-Za-z0-9._+-]", "_", m.group(1)) if m else "unknown"


def archive_path(jar, jar_sha256, version_text):
    return os.path.join(os.path.dirname(jar), "%s-%s.jsa" % (jar_sha256[:32], java_version(version_text)))


def ensure(java, jvm_args, jar, jar_sha256, version_text, run=subprocess.run):
    """Returns {archive, created, reason}: archive is the path to use, or None (reason says why)."""
    path = archive_path(jar, jar_sha256, version_text)
    if os.path.isfile(path) and os.path.getsize(path) > 0:
        return {"archive": path, "created": False, "reason": None}
    if java_version(version_text) == "unknown":
        return {"archive": None, "created": False, "reason": "the Java version could not be read"}
    work = tempfile.mkdtemp(prefix="lb-cds-", dir=os.path.dirname(jar))
    tmp = os.path.join(work, "archive.jsa")
    try:
        argv = [java] + list(jvm_args) + ["-XX:ArchiveClassesAtExit=" + tmp, "-jar", jar, "run",
                                          "--run-dir", os.path.join(work, "run"), "--workload", "cds",
                                          "--repetition", "1", "--metrics-interval", "0.2", "--",
                                          "sh", "-c", "sleep 0.6"]
        try:
            done = run(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       timeout=DUMP_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            return {"archive": None, "created": False, "reason": "the dump start took over %d s" % DUMP_TIMEOUT_S}
        if not os.path.isfile(tmp) or os.path.getsize(tmp) == 0:
            out = (done.stdout or b"").decode("utf-8", "replace").strip().splitlines()
            return {"archive": None, "created": False,
                    "reason": "the dump start (exit %d) wrote no archive: %s" % (done.returncode,
                                                                                 (out[-1] if out else "")[:300])}
        os.chmod(tmp, 0o600)
        os.rename(tmp, path)
        return {"archive": path, "created": True, "reason": None}
    except OSError as e:
        return {"archive": None, "created": False, "reason": "%s: %s" % (type(e).__name__, e)}
    finally:
        shutil.rmtree(work, ignore_errors=True)


ARGUMENT_SPEC = dict(java=dict(type="str", required=True),
                     jvm_args=dict(type="list", elements="str", required=True),
                     jar=dict(type="path", required=True),
                     jar_sha256=dict(type="str", required=True),
                     java_version_text=dict(type="str", required=True))


def direct(p):
    """The module's result for checked parameters (run by main(), or by the lb_agent_archive action without
    AnsibleModule). Never a failure: an archive that cannot be made is a reason, and agents start without one."""
    result = ensure(p["java"], p["jvm_args"], p["jar"], p["jar_sha256"], p["java_version_text"])
    return dict(changed=result["created"], **result)


def main():
    from ansible.module_utils.basic import AnsibleModule
    module = AnsibleModule(argument_spec=ARGUMENT_SPEC, supports_check_mode=False)
    module.exit_json(**direct(module.params))


# LB_PARAMS: run as a program by the action plugin, whose runner calls direct().
if __name__ == "__main__" and "LB_PARAMS" not in globals():
    main()
