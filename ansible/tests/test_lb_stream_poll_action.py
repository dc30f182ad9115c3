"""The lb_stream_poll action plugin: what it sends to the target, and what it makes of the answer."""
import importlib.util
import os
import shutil
import subprocess
import sys
import tempfile
import unittest
from unittest import mock

from ansible.parsing.dataloader import DataLoader
from ansible.playbook.play_context import PlayContext
from ansible.playbook.task import Task
from ansible.template import Templar

HERE = os.path.dirname(os.path.abspath(__file__))
MODULE = os.path.join(HERE, "..", "roles", "workload_runner", "library", "lb_stream_poll.py")
_spec = importlib.util.spec_from_file_location("lb_stream_poll_action",
                                               os.path.join(HERE, "..", "action_plugins", "lb_stream_poll.py"))
action = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(action)


class PollActionTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp()
        self.sent = []

    def tearDown(self):
        shutil.rmtree(self.dir)

    def plugin(self, args, target):
        """The plugin for a task with these args; `target(command, stdin)` plays the host's shell."""
        task = Task()
        task.args = args
        plugin = action.ActionModule(task, mock.Mock(), PlayContext(), DataLoader(), Templar(loader=DataLoader()),
                                     mock.Mock())
        plugin._module_path = lambda: MODULE

        def execute(command, in_data=None):
            self.sent.append((command, in_data))
            return target(command, in_data)
        plugin._low_level_execute_command = execute
        return plugin

    @staticmethod
    def local_python(command, stdin):
        done = subprocess.run([sys.executable, "-I", "-S", "-"], input=stdin, capture_output=True)
        return {"rc": done.returncode, "stdout": done.stdout.decode(), "stderr": done.stderr.decode()}

    def test_the_target_runs_the_modules_file_and_its_answer_is_the_task_result(self):
        with open(os.path.join(self.dir, "lb_events.stream.log"), "w") as f:
            f.write('LB_EVENT {"seq":1}\n')
        result = self.plugin({"run_dir": self.dir, "wait_s": 0, "watch_agent": False}, self.local_python).run(
            task_vars={"ansible_facts": {"discovered_interpreter_python": "/usr/bin/python3"}})
        self.assertEqual(['LB_EVENT {"seq":1}'], result["lb_events"])
        self.assertFalse(result["changed"])
        self.assertNotIn("failed", result)

    def test_the_command_line_holds_only_the_quoted_interpreter_and_the_parameters_go_through_stdin(self):
        hostile = "w'; touch /tmp/pwned; echo '$(id)"
        self.plugin({"run_dir": self.dir, "wait_s": 0, "watch_agent": False, "workload": hostile},
                    self.local_python).run(task_vars={"ansible_python_interpreter": "/opt/my python/python3"})
        command, stdin = self.sent[0]
        self.assertEqual("'/opt/my python/python3' -I -S -", command)
        first_line = stdin.split(b"\n", 1)[0]
        self.assertTrue(first_line.startswith(b"LB_POLL_PARAMS = "))
        self.assertIn(b"touch /tmp/pwned", first_line)
        with open(MODULE, "rb") as f:
            self.assertEqual(f.read(), stdin.split(b"\n", 1)[1])

    def test_the_discovered_interpreter_is_used_when_the_inventory_names_none(self):
        self.plugin({"run_dir": self.dir}, lambda c, i: {"rc": 0, "stdout": "{}", "stderr": ""}).run(
            task_vars={"ansible_python_interpreter": "auto_silent",
                       "ansible_facts": {"discovered_interpreter_python": "/usr/bin/python3.11"}})
        self.assertEqual("/usr/bin/python3.11 -I -S -", self.sent[0][0])

    def test_a_target_without_that_python_fails_the_poll_naming_the_interpreter_and_what_the_shell_said(self):
        result = self.plugin({"run_dir": self.dir}, lambda c, i: {
            "rc": 127, "stdout": "", "stderr": "sh: 1: /nope/python3: not found\n"}).run(
            task_vars={"ansible_python_interpreter": "/nope/python3"})
        self.assertTrue(result["failed"])
        self.assertEqual([], result["lb_events"])
        self.assertIn("/nope/python3 gave no poll result (rc=127", result["msg"])
        self.assertIn("not found", result["msg"])

    def test_text_a_login_shell_prints_around_the_result_is_set_aside_and_said(self):
        answer = 'Welcome to target-1\n{"lb_events": ["LB_EVENT {}"], "finished": true}\nlogout\n'
        result = self.plugin({"run_dir": self.dir}, lambda c, i: {"rc": 0, "stdout": answer, "stderr": ""}).run(
            task_vars={})
        self.assertNotIn("failed", result)
        self.assertEqual(["LB_EVENT {}"], result["lb_events"])
        self.assertTrue(result["finished"])
        self.assertEqual(["Module invocation had junk after the JSON data: logout"], result["warnings"])

    def test_output_that_holds_no_json_object_fails_the_poll_with_what_came(self):
        result = self.plugin({"run_dir": self.dir}, lambda c, i: {"rc": 0, "stdout": "[1, 2]", "stderr": ""}).run(
            task_vars={})
        self.assertTrue(result["failed"])
        self.assertIn("not a JSON object", result["msg"])

    def test_the_pollers_warnings_become_ansible_warnings_too(self):
        answer = '{"lb_events": [], "finished": false, "lb_warnings": ["offsets file unreadable"]}'
        result = self.plugin({"run_dir": self.dir}, lambda c, i: {"rc": 0, "stdout": answer, "stderr": ""}).run(
            task_vars={})
        self.assertEqual(["offsets file unreadable"], result["warnings"])
        self.assertEqual(["offsets file unreadable"], result["lb_warnings"])
        self.assertEqual("python3 -I -S -", self.sent[0][0])


if __name__ == "__main__":
    unittest.main()
