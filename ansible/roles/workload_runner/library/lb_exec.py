#!/usr/bin/python3
# -*- coding: utf-8 -*-
"""lb_exec: runs one program to its end with its argv exactly as given (runs on the target).

Standard library only. What the command module does for lb's setup (the agent's sysinfo start), without its module
wrapper and without the command module's expandvars/expanduser of every argument (ansible-core < 2.16 cannot turn
that off): the argv goes to exec unchanged, never through a shell. stdin is /dev/null; the result has the command
module's keys (cmd, rc, stdout, stderr, and failed with msg "non-zero return code" when rc is not 0).
"""

DOCUMENTATION = r"""
module: lb_exec
short_description: Run a program with its argv as given
options:
  argv: {type: list, elements: str, required: true, description: The command line, passed to exec as is.}
  chdir: {type: path, description: The working directory.}
"""

import subprocess

ARGUMENT_SPEC = dict(argv=dict(type="list", elements="str", required=True),
                     chdir=dict(type="path"))


def direct(p):
    """The module's result for checked parameters (run by main(), or by the lb_exec action without
    AnsibleModule)."""
    argv = p["argv"]
    if not argv:
        return {"failed": True, "msg": "lb_exec: argv is empty", "rc": 2}
    try:
        done = subprocess.run(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              cwd=p["chdir"])
    except OSError as e:
        return {"failed": True, "cmd": argv, "rc": 2, "msg": "lb_exec: %s cannot be run: %s" % (argv[0], e)}
    out = done.stdout.decode("utf-8", "replace").rstrip("\n")
    err = done.stderr.decode("utf-8", "replace").rstrip("\n")
    result = {"changed": True, "cmd": argv, "rc": done.returncode, "stdout": out, "stderr": err}
    if done.returncode != 0:
        result.update(failed=True, msg="non-zero return code")
    return result


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
