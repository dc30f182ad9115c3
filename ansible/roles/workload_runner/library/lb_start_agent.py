#!/usr/bin/python3
# -*- coding: utf-8 -*-
"""lb_start_agent: starts the agent for one repetition, detached, with its argv exactly as given (runs on the target).

Standard library only. The command module would pass its argv through os.path.expandvars/expanduser on the target
(ansible-core < 2.16 cannot turn that off), so a workload argument such as '$PWD' or '~x' would change on the way;
a module receives its arguments as JSON and hands them to exec unchanged. In one run: is the run stopped (RUN_STOP)?
If not, clear the previous repetition's files, mark the repetition's start (rep.started: its deadline counts from
here) and start the agent in a session of its own, stdin from /dev/null, output appended to agent.log, no
descriptor of this module inherited (Ansible waits for its pipes to close). The agent rewrites agent.pid itself.

A repetition already known to be skipped starts no agent: with adaptive repetitions, the agent whose repetition made
the workload stable wrote each later one ahead (its --skip-ahead), in skip_ahead: the stream lines and status.json its
own agent would have written (runner-agent SkipAhead). Here they are put where that agent would have put them: the
lines appended to the run directory's stream file, then status.json moved into place (after the lines, as the agent
does), so the poll step reads them as usual. This module copies bytes; it never makes or reads an event. When the
append fails (a full disk), the stream file is cut back to where it was, said in lb_warnings, and the agent is started
as before, which then writes the same repetition (and reports the full disk itself).
"""

DOCUMENTATION = r"""
module: lb_start_agent
short_description: Start the lb agent for one repetition, detached
options:
  run_dir: {type: path, required: true, description: The host's run directory.}
  argv: {type: list, elements: str, required: true, description: The agent's command line, passed to exec as is.}
  skip_ahead: {type: path, description: "Where an earlier agent writes this repetition ahead when it is known to be
    skipped (the agent's --skip-ahead DIR, then the repetition number); used only when its status.json is there."}
"""

import os
import subprocess

CLEARED = ("agent.pid", "status.json", "STOP", "workload.pgid", "deadline.killed", "rep.started")
STREAM_FILE = "lb_events.stream.log"  # the agent's default stream file, in the run directory and in skip_ahead
STATUS_FILE = "status.json"
AGENT_LOG = "agent.log"


def at_nice(nice):
    """A preexec_fn that sets the agent's niceness to `nice` (absolute): on a local target the agent would otherwise
    inherit the low priority lb gives its own controller and ansible-playbook. Raising priority needs root (or
    RLIMIT_NICE); the controller asks for it only when it runs as root."""
    if nice is None:
        return None

    def preexec():
        if os.getpriority(os.PRIO_PROCESS, 0) != nice:
            os.setpriority(os.PRIO_PROCESS, 0, nice)
    return preexec


def start(run_dir, argv, controller_stopped=False, nice=None, skip_ahead=None, warnings=None):
    """Returns (what, pid): what is "stopped" when RUN_STOP, or the controller, says the run was stopped (nothing
    done), "written_ahead" when the repetition was written ahead by an earlier agent and is now in place (nothing
    started), else "started" with the agent's pid. `nice`: the agent's niceness (absolute), or None to leave it as
    inherited. `warnings`: a list that gets what went wrong without failing the start."""
    run_stop = os.path.join(run_dir, "RUN_STOP")
    if controller_stopped:
        # A stop asked for while this host was still being set up: stop.yml found no run directory to mark, but
        # the controller's own mark says it; RUN_STOP keeps every later repetition from starting too.
        with open(run_stop, "a"):
            pass
        return "stopped", None
    if os.path.exists(run_stop):
        return "stopped", None
    for name in CLEARED:
        try:
            os.unlink(os.path.join(run_dir, name))
        except FileNotFoundError:
            pass  # absent already (first repetition, or never written): the goal; other errors fail the module
    # stop.yml may have touched RUN_STOP and STOP since the check above, and STOP was just removed: look again.
    if os.path.exists(run_stop):
        return "stopped", None
    with open(os.path.join(run_dir, "rep.started"), "w"):
        pass
    if skip_ahead and os.path.exists(os.path.join(skip_ahead, STATUS_FILE)):
        try:
            put_in_place(run_dir, skip_ahead)
            note(run_dir, "no agent started: the repetition was written ahead as skipped (%s)" % skip_ahead)
            return "written_ahead", None
        except OSError as e:
            if warnings is not None:
                warnings.append("the repetition written ahead in %s could not be put in place (%s); its agent is"
                                " started instead" % (skip_ahead, e))
    with open(os.path.join(run_dir, AGENT_LOG), "ab") as log, open(os.devnull, "rb") as devnull:
        p = subprocess.Popen(argv, cwd=run_dir, stdin=devnull, stdout=log, stderr=log, close_fds=True,
                             start_new_session=True, preexec_fn=at_nice(nice))
    tmp = os.path.join(run_dir, "agent.pid.%d.tmp" % os.getpid())
    with open(tmp, "w") as f:
        f.write("%d\n" % p.pid)
    os.rename(tmp, os.path.join(run_dir, "agent.pid"))
    return "started", p.pid


def note(run_dir, text):
    """One line in agent.log, where a repetition's agent would have written: why there is none. (An agent start adds
    no line: a crash's last lines, read from agent.log, are the agent's own.)"""
    with open(os.path.join(run_dir, AGENT_LOG), "ab") as log:
        log.write(("lb_start_agent: %s\n" % text).encode("utf-8", "replace"))


def put_in_place(run_dir, ahead):
    """The repetition written ahead, where its agent would have written it: its lines appended to the stream file in
    one write, synced, then its status.json renamed over the run directory's (after the lines: whoever sees the
    status has the events). A failed append is cut back, so that the agent started instead appends to whole lines."""
    with open(os.path.join(ahead, STREAM_FILE), "rb") as f:
        lines = f.read()
    fd = os.open(os.path.join(run_dir, STREAM_FILE), os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        size = os.fstat(fd).st_size
        try:
            written = os.write(fd, lines)
            if written != len(lines):
                raise OSError("wrote %d of %d bytes" % (written, len(lines)))
            os.fsync(fd)
        except OSError:
            os.ftruncate(fd, size)
            raise
    finally:
        os.close(fd)
    os.rename(os.path.join(ahead, STATUS_FILE), os.path.join(run_dir, STATUS_FILE))
    os.unlink(os.path.join(ahead, STREAM_FILE))
    os.rmdir(ahead)


ARGUMENT_SPEC = dict(run_dir=dict(type="path", required=True),
                     argv=dict(type="list", elements="str", required=True),
                     controller_stopped=dict(type="bool", default=False),
                     nice=dict(type="int", required=False, default=None),
                     skip_ahead=dict(type="path", required=False, default=None))


def direct(p):
    """The module's result for checked parameters (run by main(), or by the lb_start_agent action without
    AnsibleModule)."""
    warnings = []
    try:
        what, pid = start(p["run_dir"], p["argv"], p["controller_stopped"], p["nice"], p["skip_ahead"], warnings)
    except Exception as e:
        return {"failed": True, "msg": "lb_start_agent failed in %s: %s: %s" % (p["run_dir"], type(e).__name__, e)}
    return {"changed": what != "stopped", "started": what == "started", "pid": pid, "stopped": what == "stopped",
            "written_ahead": what == "written_ahead", "lb_warnings": warnings}


def main():
    from ansible.module_utils.basic import AnsibleModule
    module = AnsibleModule(argument_spec=ARGUMENT_SPEC, supports_check_mode=False)
    result = direct(module.params)
    if result.pop("failed", False):
        module.fail_json(**result)
    module.exit_json(**result)


# LB_PARAMS: run as a program by the action plugin, whose runner calls direct().
if __name__ == "__main__" and "LB_PARAMS" not in globals():
    main()
