# -*- coding: utf-8 -*-
"""Runs one of lb's own modules on the target as a plain python3 program, without Ansible's module wrapper.

Every module run through Ansible pays for its AnsiballZ wrapper on the target: the wrapper imports
ansible.module_utils.basic, compiled from source out of the wrapper's zip each time (about 0.2 CPU s on a target,
docs/transport.md), and the controller builds the wrapper first. Setting up a target ran about ten such modules. The
action plugins named after lb's modules (action_plugins/lb_start_agent.py and the others) use DirectAction instead:
it sends the module's own text through the connection's stdin to `python3 -I -S -` (standard library only, no site
packages, no user environment), with the task's arguments in one JSON string literal in front (LB_PARAMS) and
RUNNER behind: RUNNER checks the arguments against the module's ARGUMENT_SPEC as AnsibleModule would, calls the
module's direct(params) and writes its result as one JSON object, which becomes the task result with the keys the
module returns. The module file stays the only place its logic lives (its main() still runs it under AnsibleModule).

The command line holds nothing but the interpreter's path (quoted with shlex.quote); every argument travels inside
the program text as JSON, so no value from a config or an inventory is ever read by a shell. lb_stream_poll has the
same arrangement of its own (action_plugins/lb_stream_poll.py), with retries over SSH blips.
"""

import json
import shlex

from ansible.errors import AnsibleActionFail
from ansible.module_utils.json_utils import _filter_non_json_lines
from ansible.plugins.action import ActionBase

# Appended to the module's text. The module's `if __name__ == "__main__"` block does not run its main() when
# LB_PARAMS is defined, so this is the program's only entry. Names start with _lb_ to stay clear of the module's.
RUNNER = r'''

_LB_TRUE_WORDS = ("true", "yes", "on", "1")
_LB_FALSE_WORDS = ("false", "no", "off", "0")


def _lb_convert(value, kind, elements=None):
    import os as _os
    if kind == "path":
        return _os.path.expanduser(_os.path.expandvars(str(value)))
    if kind == "str":
        return value if isinstance(value, str) else str(value)
    if kind == "float":
        return float(value)
    if kind == "int":
        if isinstance(value, float) and not value.is_integer():
            raise ValueError("%r is not a whole number" % value)
        return int(value)
    if kind == "bool":
        if isinstance(value, bool):
            return value
        word = str(value).strip().lower()
        if word in _LB_TRUE_WORDS or word in _LB_FALSE_WORDS:
            return word in _LB_TRUE_WORDS
        raise ValueError("%r is not a boolean" % value)
    if kind == "list":
        items = value if isinstance(value, list) else str(value).split(",")
        return [_lb_convert(v, elements or "str") for v in items]
    raise ValueError("unknown type %s" % kind)


def _lb_checked(raw, spec):
    """The parameters as AnsibleModule would pass them: types converted, defaults filled in, paths expanded, choices
    kept to. Raises ValueError naming the first parameter that is missing, unknown, of the wrong type or no choice."""
    if not isinstance(raw, dict):
        raise ValueError("the parameters are not a JSON object")
    unknown = sorted(set(raw) - set(spec))
    if unknown:
        raise ValueError("unsupported parameter(s): %s" % ", ".join(unknown))
    params = {}
    for name, option in spec.items():
        value = raw.get(name)
        if value is None:
            if option.get("required"):
                raise ValueError("missing required parameter: %s" % name)
            params[name] = option.get("default")
            continue
        try:
            params[name] = _lb_convert(value, option.get("type", "str"), option.get("elements"))
        except (TypeError, ValueError) as e:
            raise ValueError("parameter %s: %s" % (name, e))
        if option.get("choices") and params[name] not in option["choices"]:
            raise ValueError("parameter %s must be one of %s, got %r" % (name, ", ".join(option["choices"]), value))
    return params


def _lb_main():
    import json as _json
    import sys as _sys
    try:
        params = _lb_checked(_json.loads(LB_PARAMS), ARGUMENT_SPEC)
    except ValueError as e:
        result = {"failed": True, "msg": "%s: %s" % (LB_MODULE, e)}
    else:
        try:
            result = direct(params)
        except Exception as e:  # the module's own failures are results; anything else is said, with its type
            result = {"failed": True, "msg": "%s failed: %s: %s" % (LB_MODULE, type(e).__name__, e)}
    _sys.stdout.write(_json.dumps(result))


_lb_main()
'''

_SOURCE = {}


def program(module, sources, args):
    """The program sent to the target: the module's name and arguments as string literals of JSON text (json.dumps
    escapes every quote, backslash, control and non-ASCII character, so the lines are plain ASCII), the texts of the
    modules it uses (INCLUDES) and its own, each ending its line, then RUNNER."""
    head = "LB_MODULE = %s\nLB_PARAMS = %s\n" % (json.dumps(module), json.dumps(json.dumps(args)))
    return head.encode("ascii") + b"".join(s if s.endswith(b"\n") else s + b"\n" for s in sources) \
        + RUNNER.encode("ascii")


def python(templar, task_vars):
    """The interpreter Ansible runs modules with on this host: set in the inventory (lb sets it for local targets and
    for targets whose config names one), else one discovered by an earlier module, else python3 from the PATH."""
    configured = task_vars.get("ansible_python_interpreter")
    if configured:
        configured = templar.template(configured)
        if configured and not str(configured).startswith("auto"):
            return str(configured)
    facts = task_vars.get("ansible_facts") or {}
    return facts.get("discovered_interpreter_python") or "python3"


class DirectAction(ActionBase):
    """An action that runs the module named MODULE as a program (see the top of this file)."""
    TRANSFERS_FILES = False
    _VALID_ARGS = None  # RUNNER checks the arguments against the module's ARGUMENT_SPEC and names a wrong one
    MODULE = None
    # Modules whose text goes in front of MODULE's, for functions it calls (their main() does not run: LB_PARAMS).
    INCLUDES = ()

    def run(self, tmp=None, task_vars=None):
        task_vars = task_vars or {}
        result = super(DirectAction, self).run(tmp, task_vars)
        answer = self.run_module(dict(self._task.args), task_vars)
        return self.as_result(result, answer)

    def run_module(self, args, task_vars):
        """One round trip: the module run on the target with args; its result, or a failure saying why there was
        none (the interpreter missing, the program killed, text that is not a JSON object)."""
        interpreter = python(self._templar, task_vars)
        command = "%s -I -S -" % shlex.quote(interpreter)
        res = self._low_level_execute_command(command, in_data=program(self.MODULE, self._sources(), args))
        stdout = res.get("stdout", "")
        try:
            # As Ansible does for a module's output: text a login shell printed around the result is set aside.
            text, noise = _filter_non_json_lines(stdout)
            answer = json.loads(text)
            if not isinstance(answer, dict):
                raise ValueError("not a JSON object")
        except ValueError as e:
            return {"failed": True, "rc": res.get("rc"),
                    "msg": "%s: the target's %s gave no result (rc=%s, %s): %s" % (
                        self.MODULE, interpreter, res.get("rc"), e,
                        (res.get("stderr") or stdout or "no output").strip()[-2000:])}
        if noise:
            answer["warnings"] = list(answer.get("warnings") or []) + noise
        return answer

    @staticmethod
    def as_result(result, answer):
        result.update(answer)
        result.setdefault("changed", False)
        if not result.get("warnings"):
            result.pop("warnings", None)
        return result

    def _sources(self):
        return [self._source(name) for name in tuple(self.INCLUDES) + (self.MODULE,)]

    def _source(self, name):
        path = self._shared_loader_obj.module_loader.find_plugin(name, mod_type=".py")
        if not path:
            raise AnsibleActionFail("%s: the module file %s.py is not on Ansible's module path (the workload_runner"
                                    " role's library)" % (self.MODULE, name))
        source = _SOURCE.get(path)
        if source is None:
            with open(path, "rb") as f:
                source = f.read()
            _SOURCE[path] = source
        return source
