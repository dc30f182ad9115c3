#!/usr/bin/python3
# -*- coding: utf-8 -*-
"""lb_run_dirs: the run attempt's private directories on the target, made in one step (runs on the target).

Standard library only. Replaces a loop of the file module (one module wrapper per directory): each path is made
when missing, its missing parents too, all mode 0700, and each given path is set to 0700 when it exists already.
Returns the paths made absolute (a target root of ~/... is the target user's home), in the order given.
"""

DOCUMENTATION = r"""
module: lb_run_dirs
short_description: Make the run's private directories on a target
options:
  paths: {type: list, elements: path, required: true, description: The directories, parents first.}
"""

import os

ARGUMENT_SPEC = dict(paths=dict(type="list", elements="path", required=True))


def make_private(path):
    """path and its missing parents, each made 0700 (os.makedirs gives the mode to the last one only)."""
    missing = []
    while not os.path.isdir(path):
        missing.append(path)
        parent = os.path.dirname(path)
        if parent == path:
            break
        path = parent
    for path in reversed(missing):
        try:
            os.mkdir(path, 0o700)
        except FileExistsError:
            if not os.path.isdir(path):
                raise OSError("%s exists and is not a directory" % path)


def make(paths):
    """(absolute paths, whether any was made). Raises OSError naming the path when one is not a directory or
    cannot be made."""
    made = False
    absolute = []
    for path in paths:
        path = os.path.abspath(path)
        if not os.path.isdir(path):
            if os.path.lexists(path):
                raise OSError("%s exists and is not a directory" % path)
            make_private(path)
            made = True
        if os.stat(path).st_mode & 0o777 != 0o700:
            os.chmod(path, 0o700)
            made = True
        absolute.append(path)
    return absolute, made


def direct(p):
    """The module's result for checked parameters (run by main(), or by the lb_run_dirs action without
    AnsibleModule)."""
    try:
        paths, made = make(p["paths"])
    except OSError as e:
        return {"failed": True, "msg": "lb_run_dirs: %s" % e}
    return {"changed": made, "paths": paths}


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
