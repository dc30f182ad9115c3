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

import hashlib
import json
import shlex
import time

from ansible.errors import AnsibleActionFail, AnsibleAuthenticationFailure, AnsibleConnectionFailure
from ansible.module_utils.json_utils import _filter_non_json_lines
from ansible.plugins.action import ActionBase

_SOURCE = {}
_CACHE_PROBLEM_SAID = set()


def program(source, params_json, code_path=None):
    """The module's text with its parameters in front: a string literal of a JSON text (json.dumps escapes every
    quote, backslash and control character, and non-ASCII too, so the line is plain ASCII whatever the values hold).

    With code_path (on the target, without its suffix), the text is sent as a bytes literal instead, behind a few
    lines that run the module's code compiled by an earlier poll (CODE_CACHE) and compile and keep it only when that
    is missing: compiling the module was about 4 ms of each poll's CPU on the target (bench/poll-cost.sh)."""
    params = b"LB_POLL_PARAMS = " + json.dumps(params_json).encode("ascii") + b"\n"
    if code_path is None:
        return params + source
    return (params + b"LB_POLL_CODE = " + json.dumps(code_path).encode("ascii") + b"\n"
            + b"LB_POLL_SOURCE = " + repr(source).encode("ascii") + b"\n" + CODE_CACHE)


# Run on the target before the module (see program): its code object from <LB_POLL_CODE>.<cache tag>.code when that
# holds one (marshal's format is the interpreter's own, hence the cache tag, e.g. cpython-311, in the name; the module's
# sha256 is in LB_POLL_CODE, so a changed module never runs old code), else compiled from LB_POLL_SOURCE and written
# there (0600, a temporary name renamed into place, in the private cache directory the setup step made). A file that
# cannot be read as a code object is compiled again and written over; one that cannot be written leaves the poll
# running from the compiled source, its reason in LB_POLL_CACHE_PROBLEM (the module returns it, the action says it).
CODE_CACHE = b"""
def _lb_poll_code():
    import marshal, os, sys
    path = "%s.%s.code" % (os.path.expanduser(LB_POLL_CODE), sys.implementation.cache_tag or "python")
    try:
        with open(path, "rb") as f:
            code = marshal.load(f)
        if type(code) is type(_lb_poll_code.__code__):
            return code, None
    except FileNotFoundError:
        pass  # the first poll of this module on this target: compiled and written below
    except (OSError, ValueError, EOFError, TypeError):
        pass  # unreadable or not marshal's: compiled again below, and the file written over
    code = compile(LB_POLL_SOURCE, "lb_stream_poll.py", "exec")
    tmp = "%s.%d.tmp" % (path, os.getpid())
    try:
        with os.fdopen(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb") as f:
            marshal.dump(code, f)
        os.replace(tmp, path)
    except OSError as e:
        try:
            os.unlink(tmp)
        except OSError:
            pass  # never made
        return code, "%s: %s" % (path, e.strerror or e)
    return code, None


_lb_poll_code_object, LB_POLL_CACHE_PROBLEM = _lb_poll_code()
exec(_lb_poll_code_object)
"""


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
        code_cache = args.pop("code_cache", None)
        program_text = self._program(json.dumps(args), code_cache)
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
        cache_problem = answer.pop("lb_code_cache_problem", None)
        result.update(answer)
        result.setdefault("changed", False)
        if cache_problem and self._first_cache_problem(task_vars):
            result["lb_warnings"] = list(result.get("lb_warnings") or []) + [
                "the poll's compiled code cannot be kept on the target (%s): every poll compiles it again, about 4 ms"
                " of the target's CPU more; the events are not affected" % cache_problem]
        if retried:
            # Said, not hidden: a blip survived is still a fault of the transport (the run summary's warnings).
            result["lb_warnings"] = list(result.get("lb_warnings") or []) + [retried]
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

    def _program(self, params_json, code_cache=None):
        path = self._module_path()
        source = _SOURCE.get(path)
        if source is None:
            with open(path, "rb") as f:
                source = f.read()
            _SOURCE[path] = source
        if not code_cache:
            return program(source, params_json)
        digest = hashlib.sha256(source).hexdigest()[:32]
        return program(source, params_json, "%s/lb_stream_poll-%s" % (str(code_cache).rstrip("/"), digest))

    def _first_cache_problem(self, task_vars):
        """True the first time a host's poll could not keep its compiled code, in this process (a repetition's
        poll loop): said once, not on every poll."""
        host = task_vars.get("inventory_hostname")
        if host in _CACHE_PROBLEM_SAID:
            return False
        _CACHE_PROBLEM_SAID.add(host)
        return True

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
