#!/usr/bin/python3
# -*- coding: utf-8 -*-
"""lb_target_lock: one run at a time on a target, a lease (runs on the target).

Standard library only. Two runs benchmarking one machine at once would skew both, so each run attempt holds a lease,
<target_root>/lb.lock.json, naming the run, its attempt, the controller's host and the start time, and the sha256 of
a lease id that only the holding run knows (made by each lb run, passed as lease_id). Several inventory hosts of the
same run attempt on one machine share it. The holder refreshes it (its mtime, on the target's own clock) at every poll
step. A lease not refreshed for stale_s belongs to a run that died, and is taken over with a warning. The one other
proof that its run is gone: the lease was taken on a local target, from below the controller's own process (its pid
an ancestor of the module), and a later run finds, in the same PID namespace and the same boot, that process gone
(its pid absent or started at another time): a run ended at once (a second Ctrl-C) or killed does not hold its
machine for stale_s. A process id is never looked up otherwise: in another PID namespace (a host-network container
that shares the controller's host name) it says nothing about the holder.

action=acquire: take it (or wait up to wait_s for it); fails naming the holder. action=release: remove it if it is
this attempt's. action=refresh: touch it if it is this attempt's (the poll module does the same inline).
action=give_up: another target of the run is held by another run (named in busy): release this one if it is this
attempt's, then fail with lb_error_type target_busy, so nothing starts anywhere.
"""

DOCUMENTATION = r"""
module: lb_target_lock
short_description: Hold a target for one lb run at a time
options:
  path: {type: path, required: true, description: The lock file, <target_root>/lb.lock.json.}
  action: {type: str, required: true, choices: [acquire, release, refresh, give_up]}
  run_id: {type: str, required: true}
  attempt: {type: str, required: true}
  controller: {type: str, description: The controller's host name, for the message a second run gets.}
  lease_id: {type: str, description: "An id only the holding run knows: the lease keeps its sha256, and a lease is
    this run's when the hashes match (without it, when run_id and attempt match)."}
  busy: {type: str, description: "action=give_up: the hosts held by another run, with the holder, for the message."}
  stale_s: {type: float, default: 120, description: A lock not refreshed for this long belongs to a dead run.}
  controller_pid: {type: int, default: 0, description: "The controller's pid: recorded when it is this module's ancestor
    (a local target), so that a later run on this machine can tell it is gone."}
  wait_s: {type: float, default: 0, description: How long to wait for a busy target before failing.}
  step_s: {type: float, default: 0, description: "When above 0, one call waits at most this long; wait_s then counts
    from the first call of this run attempt for this waiter (kept in a file beside the lock), and a call that must
    wait longer fails with lb_waiting true, naming the holder: the role retries it, and each retry is shown live."}
  waiter: {type: str, description: "Who waits (the inventory host): one wait per host of a run attempt."}
"""

import hashlib
import json
import os
import socket
import time


def read(path):
    """(holder dict, age in seconds), or (None, None) when there is no lock."""
    try:
        with open(path) as f:
            holder = json.load(f)
        age = time.time() - os.stat(path).st_mtime
        return holder, age
    except FileNotFoundError:
        return None, None
    except (ValueError, OSError) as e:
        # A lock we cannot read is treated as stale: it names no run that could be waited for.
        return {"unreadable": str(e)}, float("inf")


def _stat_fields(pid):
    """/proc/PID/stat's fields after the command name (field 3 first), or None when there is no such process."""
    try:
        with open("/proc/%d/stat" % pid) as f:
            text = f.read()
    except (OSError, ValueError):
        return None
    return text[text.rindex(")") + 2:].split()


def _pid_namespace():
    try:
        st = os.stat("/proc/self/ns/pid")
        return "%d:%d" % (st.st_dev, st.st_ino)
    except OSError:
        return None


def _boot_id():
    try:
        with open("/proc/sys/kernel/random/boot_id") as f:
            return f.read().strip()
    except OSError:
        return None


def local_controller(controller_pid):
    """The controller's pid and start time, this PID namespace and boot, when this module runs below the controller's
    process (a local target); None otherwise."""
    if not controller_pid or controller_pid <= 1:
        return None
    pid, seen = os.getpid(), set()
    while pid > 1 and pid not in seen:
        seen.add(pid)
        fields = _stat_fields(pid)
        if fields is None:
            return None
        if pid == controller_pid:
            return {"pid": pid, "start": fields[19], "pid_ns": _pid_namespace(), "boot": _boot_id()}
        pid = int(fields[1])
    return None


def controller_gone(holder):
    """True only when the lease names a local controller of this PID namespace and boot that is no longer there."""
    lc = (holder or {}).get("local_controller")
    if not isinstance(lc, dict) or not lc.get("pid_ns") or lc.get("pid_ns") != _pid_namespace() \
            or not lc.get("boot") or lc.get("boot") != _boot_id():
        return False
    fields = _stat_fields(int(lc.get("pid", 0)))
    return fields is None or fields[19] != lc.get("start")


def lease_hash(lease_id):
    return hashlib.sha256(lease_id.encode("utf-8")).hexdigest() if lease_id else None


def ours(holder, run_id, attempt, lease_id=None):
    """This run attempt's lease: by the holder's secret id when both sides have one, else by run id and attempt."""
    if not holder:
        return False
    if lease_id and holder.get("holder"):
        return holder.get("holder") == lease_hash(lease_id)
    return holder.get("run_id") == run_id and holder.get("attempt") == attempt


def describe(holder, age):
    if "unreadable" in holder:
        return "an unreadable lock (%s)" % holder["unreadable"]
    return "run %s (attempt %s) from controller %s, started %s, refreshed %.0f s ago" % (
        holder.get("run_id"), holder.get("attempt"), holder.get("controller"), holder.get("started"), age)


def write(path, content, exclusive):
    # The lock appears with its content in one step (link or rename of a complete file): a host reading it at the
    # same moment (two inventory names for one machine) must never see an empty lock and take it for a stale one.
    tmp = "%s.%d.tmp" % (path, os.getpid())
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as f:
        json.dump(content, f)
    try:
        if exclusive:
            os.link(tmp, path)  # FileExistsError when another host created it first
        else:
            os.rename(tmp, path)
    finally:
        if exclusive:
            os.unlink(tmp)


def acquire(path, run_id, attempt, controller, stale_s, wait_s, clock=time.time, sleep=time.sleep,
            waited_before=0.0, lease_id=None, controller_pid=0):
    """Returns (acquired, message, warnings); waited_before: the seconds earlier steps of this wait took."""
    content = {"run_id": run_id, "attempt": attempt, "controller": controller or "unknown",
               "started": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), "target": socket.gethostname()}
    if lease_id:
        content["holder"] = lease_hash(lease_id)
    here = local_controller(controller_pid)
    if here:
        content["local_controller"] = here
    warnings = []
    give_up = clock() + wait_s
    waited = False
    while True:
        holder, age = read(path)
        if holder is None:
            try:
                write(path, content, exclusive=True)
                return True, "acquired", warnings
            except FileExistsError:
                continue  # another host of some run took it between the read and the create: look again
        if ours(holder, run_id, attempt, lease_id):
            os.utime(path, None)
            return True, "held by this run already", warnings
        gone = age <= stale_s and controller_gone(holder)
        if age > stale_s or gone:
            write(path, content, exclusive=False)
            holder_after, _ = read(path)
            if ours(holder_after, run_id, attempt, lease_id):
                why = ("its controller (pid %s on this machine) is gone" % holder["local_controller"]["pid"] if gone
                       else "not refreshed for over %.0f s: that run is gone" % stale_s)
                warnings.append("took over a stale lock on this target: %s (%s)" % (describe(holder, age), why))
                return True, "taken over", warnings
            continue
        if clock() >= give_up:
            return False, ("this target is in use by %s; wait for it to end, or start lb run with"
                           " --wait-for-targets" % describe(holder, age)
                           + (" (waited %.0f s)" % (waited_before + wait_s) if waited or waited_before else "")), warnings
        waited = True
        sleep(min(2.0, max(0.1, give_up - clock())))


def wait_window(path, run_id, attempt, waiter, wait_s, step_s, clock=time.time):
    """For a wait done in steps: (this call's wait, seconds waited so far, seconds left, the file keeping the start).

    The start is this target's clock at the first call of the run attempt for this waiter, so the whole wait is a
    time on one clock, whatever the retries in between cost.
    """
    key = hashlib.sha256(("%s\0%s\0%s" % (run_id, attempt, waiter or "")).encode("utf-8")).hexdigest()[:16]
    mark = "%s.wait-%s" % (path, key)
    now = clock()
    try:
        with open(mark) as f:
            started = float(f.read().strip())
    except FileNotFoundError:
        started = now
        with open(mark, "w") as f:
            f.write("%.3f\n" % started)
    except ValueError:
        # A torn start (the host died while writing it): the wait counts from now, which only lengthens it.
        started = now
        with open(mark, "w") as f:
            f.write("%.3f\n" % started)
    waited = max(0.0, now - started)
    left = max(0.0, wait_s - waited)
    return min(step_s, left), waited, left, mark


def waiting_message(path, waited, wait_s):
    """What a waiting host says at each step: who holds the target, for how long it has waited and may still."""
    holder, age = read(path)
    who = describe(holder, age) if holder else "another run (it has just let go)"
    return "waiting for this target (%.0f s of up to %.0f s, --wait-for-targets): in use by %s" % (waited, wait_s, who)


def give_up_message(busy, released):
    """What a host whose target was free says when another target of the run is held: it did not run either."""
    return ("not run: another target of this run is held by another run (%s); nothing started on any target%s"
            % (busy or "?", ", and this target's lease is released" if released else ""))


def release(path, run_id, attempt, lease_id=None):
    holder, _ = read(path)
    if ours(holder, run_id, attempt, lease_id):
        os.unlink(path)
        return True
    return False


ARGUMENT_SPEC = dict(
    path=dict(type="path", required=True),
    action=dict(type="str", required=True, choices=["acquire", "release", "refresh", "give_up"]),
    run_id=dict(type="str", required=True),
    attempt=dict(type="str", required=True),
    controller=dict(type="str"),
    lease_id=dict(type="str", no_log=True),
    busy=dict(type="str"),
    stale_s=dict(type="float", default=120.0),
    controller_pid=dict(type="int", default=0),
    wait_s=dict(type="float", default=0.0),
    step_s=dict(type="float", default=0.0),
    waiter=dict(type="str"),
)


def direct(p):
    """The module's result for checked parameters (run by main(), or by the lb_target_lock action without
    AnsibleModule): failed and msg on a failure, warnings to show."""
    try:
        if p["action"] == "acquire":
            os.makedirs(os.path.dirname(p["path"]), mode=0o700, exist_ok=True)
            stepped = p["step_s"] > 0 and p["wait_s"] > 0
            wait_now, waited, left, mark = (wait_window(p["path"], p["run_id"], p["attempt"], p["waiter"], p["wait_s"],
                                                        p["step_s"]) if stepped else (p["wait_s"], 0.0, 0.0, None))
            acquired, message, warnings = acquire(p["path"], p["run_id"], p["attempt"], p["controller"],
                                                  p["stale_s"], wait_now, waited_before=waited,
                                                  lease_id=p["lease_id"], controller_pid=p["controller_pid"])
            more = stepped and not acquired and left > wait_now
            if mark and not more:
                os.unlink(mark)  # the wait is over, either way: a later run attempt starts its own
            if more:
                return {"failed": True, "msg": waiting_message(p["path"], waited + wait_now, p["wait_s"]),
                        "lb_waiting": True, "lb_warnings": warnings, "warnings": warnings,
                        "lb_error_type": "target_busy"}
            if not acquired:
                # lb_error_type: the callback gives the failure event this type, so the run says "not run: target
                # busy" rather than counting the host's repetitions as failed benchmarks.
                return {"failed": True, "msg": message, "lb_warnings": warnings, "warnings": warnings,
                        "lb_error_type": "target_busy"}
            return {"changed": True, "msg": message, "lb_warnings": warnings, "warnings": warnings}
        if p["action"] == "release":
            return {"changed": release(p["path"], p["run_id"], p["attempt"], p["lease_id"])}
        if p["action"] == "give_up":
            released = release(p["path"], p["run_id"], p["attempt"], p["lease_id"])
            return {"failed": True, "msg": give_up_message(p["busy"], released), "lb_error_type": "target_busy",
                    "changed": released}
        holder, _ = read(p["path"])
        if ours(holder, p["run_id"], p["attempt"], p["lease_id"]):
            os.utime(p["path"], None)
        return {"changed": False}
    except Exception as e:
        return {"failed": True,
                "msg": "lb_target_lock %s failed on %s: %s: %s" % (p["action"], p["path"], type(e).__name__, e)}


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
