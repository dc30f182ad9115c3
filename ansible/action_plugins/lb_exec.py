# -*- coding: utf-8 -*-
"""lb_exec (action): runs the lb_exec module on the target without Ansible's module wrapper (plugin_utils/lb_direct.py)."""

import importlib.util
import os
import sys


def _lb_direct():
    """plugin_utils/lb_direct.py, loaded once by its path: Ansible puts no plugin directory on sys.path."""
    name = "lb_direct_plugin_utils"
    if name not in sys.modules:
        path = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "plugin_utils", "lb_direct.py")
        spec = importlib.util.spec_from_file_location(name, path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        sys.modules[name] = module
    return sys.modules[name]


class ActionModule(_lb_direct().DirectAction):
    MODULE = "lb_exec"
