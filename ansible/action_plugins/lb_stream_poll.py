# -*- coding: utf-8 -*-
"""lb_stream_poll (action): runs the lb_stream_poll module's own file on the target as a plain python3 program.

The poll step runs once per poll round per host, so its fixed cost bounds how many hosts one controller can keep
close to live. Run as a module, every round pays for Ansible's AnsiballZ wrapper on the target: it imports
ansible.module_utils.basic, compiled from source out of the wrapper's zip each time (about 0.18 CPU s of the 0.24 s a
round cost a target on the test machine), and for building that wrapper on the controller. This action sends the
module's text instead, through the connection's stdin, to `python3 -I -S -` (standard library only, no site
packages, no user environment), the parameters in one JSON string literal prepended to it; the program writes its
result as one JSON object, which becomes the task result with the same keys the module returns. The module file is
the only place the poll's logic lives; this file only carries it.

The command line holds nothing but the interpreter's path (quoted); every parameter travels inside the program text,
so no value from a config or inventory is ever read by a shell.

An SSH blip does not end the host's benchmark. A poll whose connection fails (the target paused, its network gone
for a while, the ControlPersist master killed: Ansible's "unreachable") is sent again, each time through a new ssh
process (a dead master is replaced by a new connection), until it is answered or `unreachable_retry_s` (an argument
of this action only, from the config's timeouts.unreachable_retry_s) has passed since the first failure; only then
is the host unreachable, with the cause: how long, how many attempts, and what ssh said the last time. The agent
runs detached on the target and never notices. A poll lost with its connection had already saved its offsets on the
target: its lines are not returned again, and come back when the host's stream files are collected (recovered).
"""

import json
import shlex
import time

from ansible.errors import AnsibleActionFail, AnsibleAuthenticationFailure, AnsibleConnectionFailure
from ansible.module_utils.json_utils import _filter_non_json_lines
from ansible.plugins.action import ActionBase

_SOURCE = {}


def program(source, params_json):
    """The module's text with its parameters in front: a string literal of a JSON text (json.dumps escapes every
    quote, backslash and control character, and non-ASCII too, so the line is plain ASCII whatever the values hold)."""
    return b"LB_POLL_PARAMS = " + json.dumps(params_json).encode("ascii") + b"\n" + source


class ActionModule(ActionBase):
    TRANSFERS_FILES = False
    _VALID_ARGS = None  # the program checks its parameters (checked_params) and names a wrong one
    # Between two attempts on a failed connection: short, as each attempt already waits for ssh's own time-outs.
    RETRY_PAUSE_S = 1.0
    _clock = staticmethod(time.monotonic)
    _sleep = staticmethod(time.sleep)

    def run(self, tmp=None, task_vars=None):
        task_vars = task_vars or {}
        result = super(ActionModule, self).run(tmp, task_vars)
        args = dict(self._task.args)
        retry_s = self._retry_s(args.pop("unreachable_retry_s", 0))
        program_text = self._program(json.dumps(args))
        command = "%s -I -S -" % shlex.quote(self._python(task_vars))
        res, retried = self._execute_retrying(command, program_text, retry_s)
        stdout = res.get("stdout", "")
        noise = []
        try:
            # As Ansible does for a module's output: text a login shell printed around the result is set aside,
            # and said, rather than failing the poll.
            text, noise = _filter_non_json_lines(stdout)
            answer = json.loads(text)
            if not isinstance(answer, dict):
                raise ValueError("not a JSON object")
        except ValueError as e:
            result.update(failed=True, lb_events=[], finished=False, crashed=False, expired=False, rc=res.get("rc"),
                          msg="lb_stream_poll: the target's %s gave no poll result (rc=%s, %s): %s" % (
                              self._python(task_vars), res.get("rc"), e,
                              (res.get("stderr") or stdout or "no output").strip()[-2000:]))
            return result
        result.update(answer)
        result.setdefault("changed", False)
        if retried:
            # Said, not hidden: a blip survived is still a fault of the transport (the run summary's warnings).
            result["lb_warnings"] = list(answer.get("lb_warnings") or []) + [retried]
        warnings = list(result.get("lb_warnings") or []) + noise
        if warnings:
            result["warnings"] = warnings
        return result

    @staticmethod
    def _retry_s(value):
        try:
            seconds = float(value)
        except (TypeError, ValueError):
            raise AnsibleActionFail("lb_stream_poll: unreachable_retry_s must be a number of seconds, got %r" % (value,))
        if not seconds >= 0:
            raise AnsibleActionFail("lb_stream_poll: unreachable_retry_s must be 0 or more, got %r" % (value,))
        return seconds

    def _execute_retrying(self, command, program_text, retry_s):
        """The poll's command, sent again on a failed connection until retry_s have passed since the first failure;
        returns its result and, when it was sent more than once, what happened. A refused login (authentication) is
        not a blip and is not retried."""
        first_failure = None
        attempts = 0
        last = None
        while True:
            attempts += 1
            try:
                res = self._low_level_execute_command(command, in_data=program_text)
                if first_failure is None:
                    return res, None
                return res, ("the poll's connection failed %d time%s in %.0f s (the last: %s); answered on a new ssh"
                             " connection" % (attempts - 1, "" if attempts == 2 else "s",
                                              self._clock() - first_failure, last))
            except AnsibleAuthenticationFailure:
                raise
            except AnsibleConnectionFailure as e:
                now = self._clock()
                if first_failure is None:
                    first_failure = now
                waited = now - first_failure
                last = self._said(e)
                if waited + self.RETRY_PAUSE_S > retry_s:
                    raise AnsibleConnectionFailure(self._cause(e, attempts, waited, retry_s))
                self._sleep(self.RETRY_PAUSE_S)

    @staticmethod
    def _said(error):
        said = str(getattr(error, "message", None) or error).strip()
        if not said:
            return "ssh failed and said nothing"
        return said + " (ssh said nothing more)" if said.endswith(":") else said

    @classmethod
    def _cause(cls, error, attempts, waited_s, retry_s):
        said = cls._said(error)
        if attempts == 1:
            return "the poll's connection failed (not retried: timeouts.unreachable_retry_s is %g s): %s" % (
                retry_s, said)
        return ("the poll's connection failed %d times in %.0f s, each time a new ssh connection (retried for up to"
                " timeouts.unreachable_retry_s = %g s); the last: %s" % (attempts, waited_s, retry_s, said))

    def _program(self, params_json):
        path = self._module_path()
        source = _SOURCE.get(path)
        if source is None:
            with open(path, "rb") as f:
                source = f.read()
            _SOURCE[path] = source
        return program(source, params_json)

    def _module_path(self):
        path = self._shared_loader_obj.module_loader.find_plugin("lb_stream_poll", mod_type=".py")
        if not path:
            raise AnsibleActionFail("lb_stream_poll: the module file lb_stream_poll.py is not on Ansible's module path"
                                    " (the workload_runner role's library)")
        return path

    def _python(self, task_vars):
        """The interpreter Ansible runs modules with on this host: set in the inventory, else one discovered by an
        earlier module of Ansible's own (lb's own modules run without the wrapper, plugin_utils/lb_direct.py, and
        discover nothing), else python3 from the PATH."""
        configured = task_vars.get("ansible_python_interpreter")
        if configured:
            configured = self._templar.template(configured)
            if configured and not str(configured).startswith("auto"):
                return str(configured)
        facts = task_vars.get("ansible_facts") or {}
        return facts.get("discovered_interpreter_python") or "python3"
