"""The lb_stream_poll action plugin: what it sends to the target, and what it makes of the answer."""
import hashlib
import importlib.util
import marshal
import os
import shlex
import shutil
import subprocess
import sys
import tempfile
import unittest
from unittest import mock

from ansible.errors import AnsibleAuthenticationFailure, AnsibleConnectionFailure
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


class PollCodeCacheTest(unittest.TestCase):
    """With code_cache, the target runs the module's code compiled by an earlier poll instead of compiling the module
    again (2-5 ms of each poll's CPU on the target): kept per module text and interpreter, private, never a failure."""

    def setUp(self):
        self.dir = tempfile.mkdtemp()
        self.cache = os.path.join(self.dir, "cache")
        os.mkdir(self.cache, 0o700)
        with open(os.path.join(self.dir, "lb_events.stream.log"), "w") as f:
            f.write('LB_EVENT {"seq":1}\n')
        self.sent = []
        action._CACHE_PROBLEM_SAID.clear()

    def tearDown(self):
        shutil.rmtree(self.dir)

    def poll(self, cache=None):
        task = Task()
        task.args = {"run_dir": self.dir, "wait_s": 0, "watch_agent": False, "code_cache": cache or self.cache,
                     "offsets_file": os.path.join(self.dir, "offsets-%d.json" % len(self.sent))}
        plugin = action.ActionModule(task, mock.Mock(), PlayContext(), DataLoader(), Templar(loader=DataLoader()),
                                     mock.Mock())
        plugin._module_path = lambda: MODULE

        def execute(command, in_data=None):
            self.sent.append((command, in_data))
            return PollActionTest.local_python(command, in_data)
        plugin._low_level_execute_command = execute
        return plugin.run(task_vars={"inventory_hostname": "web-1",
                                     "ansible_facts": {"discovered_interpreter_python": sys.executable}})

    def cached_file(self):
        with open(MODULE, "rb") as f:
            digest = hashlib.sha256(f.read()).hexdigest()[:32]
        return os.path.join(self.cache, "lb_stream_poll-%s.%s.code" % (digest, sys.implementation.cache_tag))

    def test_the_first_poll_keeps_the_compiled_module_private_and_the_next_runs_it(self):
        self.assertEqual(['LB_EVENT {"seq":1}'], self.poll()["lb_events"])
        self.assertEqual(0o600, os.stat(self.cached_file()).st_mode & 0o777)
        self.assertEqual([self.cached_file()], [os.path.join(self.cache, n) for n in os.listdir(self.cache)])
        # What the next poll runs is the kept code, not the text it was sent: swapped here for code of our own.
        with open(self.cached_file(), "wb") as f:
            marshal.dump(compile('import sys; sys.stdout.write(\'{"lb_events": ["from the cache"]}\')', "x", "exec"), f)
        self.assertEqual(["from the cache"], self.poll()["lb_events"])
        command, stdin = self.sent[-1]
        self.assertEqual(shlex.quote(sys.executable) + " -I -S -", command)
        self.assertTrue(stdin.startswith(b"LB_POLL_PARAMS = "))

    def test_a_changed_module_is_never_run_from_an_older_module_s_code(self):
        self.poll()
        kept = self.cached_file()
        with open(MODULE, "rb") as f:
            changed = f.read() + b"\n# changed\n"
        stdin = action.program(changed, "{}", self.cache + "/lb_stream_poll-" + hashlib.sha256(changed).hexdigest()[:32])
        self.assertNotIn(os.path.basename(kept)[:len("lb_stream_poll-") + 32].encode(), stdin)

    def test_a_kept_file_that_is_not_code_is_compiled_again_and_written_over(self):
        self.poll()
        for junk in (b"", b"\x00garbage", marshal.dumps(["a list, not code"])):
            with open(self.cached_file(), "wb") as f:
                f.write(junk)
            result = self.poll()
            self.assertEqual(['LB_EVENT {"seq":1}'], result["lb_events"])
            self.assertEqual([], result["lb_warnings"])
            with open(self.cached_file(), "rb") as f:
                self.assertEqual(type(compile("", "x", "exec")), type(marshal.load(f)))

    def test_a_cache_that_cannot_be_written_costs_a_warning_once_and_no_event(self):
        missing = os.path.join(self.dir, "no-such-directory")
        first, second = self.poll(missing), self.poll(missing)
        self.assertEqual(['LB_EVENT {"seq":1}'], first["lb_events"])
        self.assertEqual(['LB_EVENT {"seq":1}'], second["lb_events"])
        self.assertEqual(1, len(first["lb_warnings"]), first)
        self.assertIn("cannot be kept on the target (%s/lb_stream_poll-" % missing, first["lb_warnings"][0])
        self.assertIn("No such file or directory", first["lb_warnings"][0])
        self.assertEqual([], second["lb_warnings"])
        self.assertNotIn("lb_code_cache_problem", first)
        self.assertFalse(os.path.exists(missing))


class FakeClock(object):
    """Time for the retry loop: each failed attempt takes `attempt_s`, each pause what it asks."""

    def __init__(self):
        self.now = 100.0
        self.pauses = []

    def sleep(self, seconds):
        self.pauses.append(seconds)
        self.now += seconds


class PollRetryTest(unittest.TestCase):
    """Issue 29: a paused target or a killed ControlPersist master made the poll unreachable and ended the host's
    benchmark; the poll is now sent again on a new connection for timeouts.unreachable_retry_s."""

    ANSWER = {"rc": 0, "stdout": '{"lb_events": ["LB_EVENT {}"], "finished": false}', "stderr": ""}
    EMPTY = ('Data could not be sent to remote host "127.0.0.1". Make sure this host can be reached over ssh: ')

    def run_with(self, failures, retry_s, attempt_s=15.0, error=AnsibleConnectionFailure):
        """A target whose first `failures` connections fail, each after attempt_s; returns (result or raised, sent)."""
        self.clock = FakeClock()
        sent = []

        def target(command, in_data=None):
            sent.append(in_data)
            if len(sent) <= failures:
                self.clock.now += attempt_s
                raise error(self.EMPTY if len(sent) == failures else "Failed to connect to the host via ssh: timeout")
            return dict(self.ANSWER)
        task = Task()
        task.args = {"run_dir": "/x", "unreachable_retry_s": retry_s}
        plugin = action.ActionModule(task, mock.Mock(), PlayContext(), DataLoader(), Templar(loader=DataLoader()),
                                     mock.Mock())
        plugin._module_path = lambda: MODULE
        plugin._low_level_execute_command = target
        plugin._clock = lambda: self.clock.now
        plugin._sleep = self.clock.sleep
        try:
            return plugin.run(task_vars={}), sent
        except AnsibleConnectionFailure as e:
            return e, sent

    def test_a_poll_whose_connection_fails_is_sent_again_until_answered(self):
        result, sent = self.run_with(failures=2, retry_s=60)
        self.assertEqual(["LB_EVENT {}"], result["lb_events"])
        self.assertNotIn("failed", result)
        self.assertEqual(3, len(sent))
        self.assertEqual(1, len(set(sent)), "every attempt sends the same program")
        self.assertEqual([1.0, 1.0], self.clock.pauses)
        said = ("the poll's connection failed 2 times in 17 s (the last: Data could not be sent to remote host"
                ' "127.0.0.1". Make sure this host can be reached over ssh: (ssh said nothing more)); answered on a new'
                " ssh connection")
        self.assertEqual([said], result["lb_warnings"], "the blip reaches the run summary's transport warnings")
        self.assertEqual([said], result["warnings"])

    def test_the_retry_bound_is_an_argument_of_the_action_only_never_sent_to_the_target(self):
        result, sent = self.run_with(failures=0, retry_s=60)
        self.assertNotIn(b"unreachable_retry_s", sent[0])
        self.assertNotIn("lb_warnings", result, "nothing to say of a poll answered at once")

    def test_past_the_bound_the_host_is_unreachable_with_the_cause_and_what_ssh_said_last(self):
        # Failures at 115, 131, 147, 163 (each 15 s, a pause of 1 s between): the fifth would start past 40 s.
        error, sent = self.run_with(failures=10, retry_s=40)
        self.assertIsInstance(error, AnsibleConnectionFailure)
        self.assertEqual(4, len(sent))
        self.assertEqual("the poll's connection failed 4 times in 48 s, each time a new ssh connection (retried for up to"
                         " timeouts.unreachable_retry_s = 40 s); the last: Failed to connect to the host via ssh:"
                         " timeout", error.message)

    def test_an_empty_reason_from_ssh_is_said_as_such(self):
        error, sent = self.run_with(failures=1, retry_s=0)
        self.assertEqual(1, len(sent))
        self.assertEqual("the poll's connection failed (not retried: timeouts.unreachable_retry_s is 0 s): Data could"
                         ' not be sent to remote host "127.0.0.1". Make sure this host can be reached over ssh: (ssh said'
                         " nothing more)", error.message)

    def test_a_refused_login_is_not_a_blip_and_is_not_retried(self):
        error, sent = self.run_with(failures=5, retry_s=60, error=AnsibleAuthenticationFailure)
        self.assertIsInstance(error, AnsibleAuthenticationFailure)
        self.assertEqual(1, len(sent))

    def test_a_bound_that_is_not_a_number_fails_the_poll_naming_it(self):
        with self.assertRaises(Exception) as e:
            self.run_with(failures=0, retry_s="soon")
        self.assertIn("unreachable_retry_s must be a number of seconds, got 'soon'", str(e.exception))


if __name__ == "__main__":
    unittest.main()
