#!/usr/bin/python3
# -*- coding: utf-8 -*-
"""lb_run_cleanup: ends what of a run still runs on a target, and removes its directory (runs on the target).

Standard library only. action=stop: an agent still running gets STOP (and RUN_STOP, so nothing new starts), its
grace to report, then KILL; its workload's process group (workload.pgid) and the run's container watcher
(event_listener.pid) are ended too. Every process it had to end is reported as a warning, so an orphan is never
silent. action=remove: deletes the host's directory and the attempt's directory once no host uses it any more.
"""

DOCUMENTATION = r"""
module: lb_run_cleanup
short_description: Stop leftovers of an lb run on a target, or remove its directory
options:
  run_dir: {type: path, required: true, description: The host's directory of the run attempt.}
  run_root: {type: path, description: "The attempt's directory (parent of run_dir); removed when empty."}
  action: {type: str, required: true, choices: [stop, remove]}
  grace_s: {type: float, default: 10, description: How long a stopping agent may take before it is killed.}
  lock_file: {type: path, description: "action=stop: the run's hold on the target (lb_target_lock), released after."}
  run_id: {type: str}
  attempt: {type: str}
"""

import errno
import json
import os
import shutil
import signal
import time


def read_int(path):
    try:
        with open(path) as f:
            return int(f.read().strip() or "0")
    except (IOError, OSError, ValueError):
        return 0


def alive(pid):
    """Alive and ours to signal: a pid owned by someone else was reused, it is not this run's process."""
    try:
        os.kill(pid, 0)
    except OSError:
        return False
    try:
        with open("/proc/%d/stat" % pid) as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except (IOError, OSError, IndexError):
        return True


def group_alive(pgid):
    try:
        os.killpg(pgid, 0)
        return True
    except OSError:
        return False


def named(pid, text):
    """The process's command line contains text (pids are reused; only this run's processes are ended)."""
    try:
        with open("/proc/%d/cmdline" % pid, "rb") as f:
            return text.encode() in f.read()
    except (IOError, OSError):
        return False


def signal_quietly(kill, target, sig):
    """A process that ended between the check and the signal is what was wanted."""
    try:
        kill(target, sig)
    except ProcessLookupError:
        pass  # ended between the check and the signal: ended is what was wanted; any other error is raised


def wait_until(predicate, seconds, sleep=time.sleep):
    end = time.time() + seconds
    while time.time() < end:
        if predicate():
            return True
        sleep(0.1)
    return predicate()


def touch(path):
    if not os.path.exists(path):
        with open(path, "a"):
            pass


def stop(run_dir, grace_s):
    stopped, warnings = [], []
    if not os.path.isdir(run_dir):
        return stopped, warnings
    agent = read_int(os.path.join(run_dir, "agent.pid"))
    if agent > 1 and alive(agent) and named(agent, "lb-agent.jar") \
            and not os.path.exists(os.path.join(run_dir, "status.json")):
        touch(os.path.join(run_dir, "RUN_STOP"))
        touch(os.path.join(run_dir, "STOP"))
        if wait_until(lambda: not alive(agent), grace_s + 5):
            stopped.append("agent pid %d was still running; it stopped on STOP" % agent)
        else:
            signal_quietly(os.kill, agent, signal.SIGKILL)
            stopped.append("agent pid %d was still running and ignored STOP for %.0f s; killed" % (agent, grace_s + 5))
    pgid = read_int(os.path.join(run_dir, "workload.pgid"))
    if pgid > 1 and group_alive(pgid):
        signal_quietly(os.killpg, pgid, signal.SIGTERM)
        if not wait_until(lambda: not group_alive(pgid), 2):
            signal_quietly(os.killpg, pgid, signal.SIGKILL)
        stopped.append("workload process group %d was still running without its agent; killed" % pgid)
    watcher = read_int(os.path.join(run_dir, "event_listener.pid"))
    if watcher > 1 and alive(watcher) and named(watcher, "container-events"):
        # Its shutdown writes the sealed final record of its stream; give it longer than its own 10 s for that.
        signal_quietly(os.kill, watcher, signal.SIGTERM)
        if not wait_until(lambda: not alive(watcher), 15):
            signal_quietly(os.kill, watcher, signal.SIGKILL)
        stopped.append("container watcher pid %d was still running; ended" % watcher)
    warnings.extend("left running on the target: " + s for s in stopped)
    return stopped, warnings


def release_lock(path, run_id, attempt):
    """Removes the run's hold on the target (see lb_target_lock) if it is this attempt's."""
    if not path:
        return False
    try:
        with open(path) as f:
            holder = json.load(f)
    except FileNotFoundError:
        return False
    except ValueError:
        return False  # not a lock this run wrote; a later run takes it over as stale
    if holder.get("run_id") == run_id and holder.get("attempt") == attempt:
        try:
            os.unlink(path)
        except FileNotFoundError:
            # Hosts of one machine and target root share the lock: another of them released it first.
            return False
        return True
    return False


def remove(run_dir, run_root):
    if os.path.isdir(run_dir):
        shutil.rmtree(run_dir)
    if run_root:
        try:
            os.rmdir(run_root)
        except OSError as e:
            if e.errno not in (errno.ENOENT, errno.ENOTEMPTY, errno.EEXIST):
                raise  # another host of this machine may still use it; anything else is a real failure


ARGUMENT_SPEC = dict(
    run_dir=dict(type="path", required=True),
    run_root=dict(type="path"),
    action=dict(type="str", required=True, choices=["stop", "remove"]),
    grace_s=dict(type="float", default=10.0),
    lock_file=dict(type="path"),
    run_id=dict(type="str"),
    attempt=dict(type="str"),
)


def direct(p):
    """The module's result for checked parameters (run by main(), or by the lb_run_cleanup action without
    AnsibleModule): failed and msg on a failure, warnings to show."""
    try:
        if p["action"] == "stop":
            stopped, warnings = stop(p["run_dir"], p["grace_s"])
            released = release_lock(p["lock_file"], p["run_id"], p["attempt"])
            return {"changed": bool(stopped) or released, "stopped": stopped, "released": released,
                    "lb_warnings": warnings, "warnings": warnings}
        remove(p["run_dir"], p["run_root"])
        return {"changed": True}
    except Exception as e:
        return {"failed": True, "msg": "lb_run_cleanup %s failed in %s: %s: %s" % (p["action"], p["run_dir"],
                                                                                     type(e).__name__, e)}


def main():
    from ansible.module_utils.basic import AnsibleModule
    module = AnsibleModule(argument_spec=ARGUMENT_SPEC, supports_check_mode=False)
    result = direct(module.params)
    for w in result.pop("warnings", []):
        module.warn(w)
    if result.pop("failed", False):
        module.fail_json(**result)
    module.exit_json(**result)


# LB_PARAMS: run as a program by the action plugin, whose runner calls direct().
if __name__ == "__main__" and "LB_PARAMS" not in globals():
    main()
