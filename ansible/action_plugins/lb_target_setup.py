# -*- coding: utf-8 -*-
"""lb_target_setup (action): a target's setup in one round trip, two when the agent jar must be sent
(plugin_utils/lb_direct.py runs the module without Ansible's module wrapper; the module says what the steps do).

Arguments: the module's, without step, staged and java_version_text, plus src, the agent jar on the controller. The
jar goes over the connection's own file transfer (put_file, as the copy module's) to a name of this run in the
cache directory, only when the target's copy is missing or its sha256 differs; step=install_jar checks it."""

import importlib.util
import os
import sys
import uuid

from ansible.errors import AnsibleActionFail


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
    MODULE = "lb_target_setup"
    INCLUDES = ("lb_agent_archive",)

    def run(self, tmp=None, task_vars=None):
        task_vars = task_vars or {}
        result = super(_lb_direct().DirectAction, self).run(tmp, task_vars)
        args = dict(self._task.args)
        src = args.pop("src", None)
        if not src or not os.path.isfile(src):
            raise AnsibleActionFail("lb_target_setup: the agent jar %r (src) is not a file on the controller" % (src,))
        answer = self.run_module(dict(args, step="prepare"), task_vars)
        if answer.get("need_jar") and not answer.get("failed"):
            staged = "%s/lb-agent.jar.%s.tmp" % (answer["cache_dir"], uuid.uuid4().hex)
            self._transfer_file(src, staged)
            installed = self.run_module(dict(args, step="install_jar", staged=staged, plans_b64=None, plans_path=None,
                                             java_version_text=answer["java_check"].get("stderr") or ""), task_vars)
            answer.update(installed)
            answer["changed"] = True
        return self.as_result(result, answer)
