#!/usr/bin/python3
# -*- coding: utf-8 -*-
"""lb_start_agent: starts the agent for one repetition, detached, with its argv exactly as given (runs on the target).

Standard library only. The command module would pass its argv through os.path.expandvars/expanduser on the target
(ansible-core < 2.16 cannot turn that off), so a workload argument such as '$PWD' or '~x' would change on the way;
a module receives its arguments as JSON and hands them to exec unchanged. In one run: is the run stopped (RUN_STOP)?
If not, clear the previous repetition's files, mark the repetition's start (rep.started: its deadline counts from
here) and start the agent in a session of its own, stdin from /dev/null, output appended to agent.log, no
descriptor of this module inherited (Ansible waits for its pipes to close). The agent rewrites agent.pid itself.
"""

DOCUMENTATION = r"""
module: lb_start_agent
short_description: Start the lb agent for one repetition, detached
options:
  run_dir: {type: path, required: true, description: The host's run directory.}
  argv: {type: list, elements: str, required: true, description: The agent's command line, passed to exec as is.}
"""

import os
import subprocess

CLEARED = ("agent.pid", "status.json", "STOP", "workload.pgid", "deadline.killed", "rep.started")


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


def start(run_dir, argv, controller_stopped=False, nice=None):
    """Returns (started, pid): started is False when RUN_STOP, or the controller, says the run was stopped.
    `nice`: the agent's niceness (absolute), or None to leave it as inherited."""
    run_stop = os.path.join(run_dir, "RUN_STOP")
    if controller_stopped:
        # A stop asked for while this host was still being set up: stop.yml found no run directory to mark, but
        # the controller's own mark says it; RUN_STOP keeps every later repetition from starting too.
        with open(run_stop, "a"):
            pass
        return False, None
    if os.path.exists(run_stop):
        return False, None
    for name in CLEARED:
        try:
            os.unlink(os.path.join(run_dir, name))
        except FileNotFoundError:
            pass  # absent already (first repetition, or never written): the goal; other errors fail the module
    # stop.yml may have touched RUN_STOP and STOP since the check above, and STOP was just removed: look again.
    if os.path.exists(run_stop):
        return False, None
    with open(os.path.join(run_dir, "rep.started"), "w"):
        pass
    with open(os.path.join(run_dir, "agent.log"), "ab") as log, open(os.devnull, "rb") as devnull:
        p = subprocess.Popen(argv, cwd=run_dir, stdin=devnull, stdout=log, stderr=log, close_fds=True,
                             start_new_session=True, preexec_fn=at_nice(nice))
    tmp = os.path.join(run_dir, "agent.pid.%d.tmp" % os.getpid())
    with open(tmp, "w") as f:
        f.write("%d\n" % p.pid)
    os.rename(tmp, os.path.join(run_dir, "agent.pid"))
    return True, p.pid


ARGUMENT_SPEC = dict(run_dir=dict(type="path", required=True),
                     argv=dict(type="list", elements="str", required=True),
                     controller_stopped=dict(type="bool", default=False),
                     nice=dict(type="int", required=False, default=None))


def direct(p):
    """The module's result for checked parameters (run by main(), or by the lb_start_agent action without
    AnsibleModule)."""
    try:
        started, pid = start(p["run_dir"], p["argv"], p["controller_stopped"], p["nice"])
    except Exception as e:
        return {"failed": True, "msg": "lb_start_agent failed in %s: %s: %s" % (p["run_dir"], type(e).__name__, e)}
    return {"changed": started, "started": started, "pid": pid, "stopped": not started}


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
