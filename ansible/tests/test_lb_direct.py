"""lb's own modules run without Ansible's module wrapper (plugin_utils/lb_direct.py and the action plugins named
after them): each module's own file, fed to a real `python3 -I -S -`, answering as the module does."""
import base64
import hashlib
import importlib.util
import json
import os
import shutil
import stat
import subprocess
import sys
import tempfile
import time
import unittest
from unittest import mock

from ansible.parsing.dataloader import DataLoader
from ansible.playbook.play_context import PlayContext
from ansible.playbook.task import Task
from ansible.template import Templar

HERE = os.path.dirname(os.path.abspath(__file__))
LIBRARY = os.path.join(HERE, "..", "roles", "workload_runner", "library")
ACTIONS = os.path.join(HERE, "..", "action_plugins")
JAVA_VERSION = 'openjdk version "17.0.15" 2025-04-15'


def load_action(name):
    spec = importlib.util.spec_from_file_location("lb_action_" + name, os.path.join(ACTIONS, name + ".py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.ActionModule


def wait_for(path, seconds=10.0):
    end = time.time() + seconds
    while not os.path.exists(path) and time.time() < end:
        time.sleep(0.02)
    return os.path.exists(path)


class DirectActionCase(unittest.TestCase):
    def setUp(self):
        self.dir = os.path.realpath(tempfile.mkdtemp())
        self.sent = []
        self.transferred = []

    def tearDown(self):
        shutil.rmtree(self.dir)

    def run_action(self, name, args, task_vars=None):
        """The action plugin `name` for a task with these args, its target a local `python3 -I -S -`; the
        connection's file transfer is a local copy."""
        task = Task()
        task.args = args
        loader = mock.Mock()
        loader.module_loader.find_plugin = lambda module, mod_type=None: os.path.join(LIBRARY, module + ".py")
        plugin = load_action(name)(task, mock.Mock(), PlayContext(), DataLoader(), Templar(loader=DataLoader()),
                                   loader)

        def execute(command, in_data=None):
            self.sent.append((command, in_data))
            done = subprocess.run([sys.executable, "-I", "-S", "-"], input=in_data, capture_output=True)
            return {"rc": done.returncode, "stdout": done.stdout.decode(), "stderr": done.stderr.decode()}

        def transfer(local, remote):
            self.transferred.append((local, remote))
            shutil.copyfile(local, remote)
            return remote
        plugin._low_level_execute_command = execute
        plugin._transfer_file = transfer
        return plugin.run(task_vars=task_vars if task_vars is not None else {"ansible_python_interpreter": "python3"})


class DirectProgramTest(DirectActionCase):
    def test_the_command_line_is_the_quoted_interpreter_and_the_arguments_travel_as_json_in_the_program(self):
        hostile = os.path.join(self.dir, "w'; touch pwned; echo '$(id)")
        result = self.run_action("lb_run_dirs", {"paths": [hostile]},
                                 {"ansible_python_interpreter": "/usr/bin/python3 x"})
        command, stdin = self.sent[0]
        self.assertEqual("'/usr/bin/python3 x' -I -S -", command)
        self.assertTrue(stdin.startswith(b'LB_MODULE = "lb_run_dirs"\nLB_PARAMS = '))
        with open(os.path.join(LIBRARY, "lb_run_dirs.py"), "rb") as f:
            self.assertIn(f.read(), stdin, "the module's own file is what runs")
        # The local stand-in runs it with sys.executable whatever the command says; the name arrived unchanged.
        self.assertNotIn("failed", result)
        self.assertEqual([hostile], result["paths"])
        self.assertFalse(os.path.exists(os.path.join(self.dir, "pwned")))

    def test_a_wrong_argument_fails_naming_it_as_ansible_module_would(self):
        unknown = self.run_action("lb_run_dirs", {"paths": [self.dir], "mode": "0777"})
        self.assertEqual({"failed": True, "changed": False, "msg": "lb_run_dirs: unsupported parameter(s): mode"},
                         unknown)
        missing = self.run_action("lb_start_agent", {"argv": ["true"]})
        self.assertEqual("lb_start_agent: missing required parameter: run_dir", missing["msg"])
        choice = self.run_action("lb_target_lock", {"path": self.dir + "/l", "action": "steal", "run_id": "r",
                                                    "attempt": "1"})
        self.assertTrue(choice["failed"])
        self.assertEqual("lb_target_lock: parameter action must be one of acquire, release, refresh, give_up,"
                         " got 'steal'", choice["msg"])
        typed = self.run_action("lb_target_lock", {"path": self.dir + "/l", "action": "acquire", "run_id": "r",
                                                   "attempt": "1", "stale_s": "soon"})
        self.assertIn("parameter stale_s: could not convert string to float: 'soon'", typed["msg"])

    def test_no_json_from_the_target_fails_naming_the_interpreter_and_what_it_said(self):
        result = self.run_action("lb_run_dirs", {"paths": [self.dir]}, {"ansible_python_interpreter": "/nope/py"})
        self.assertNotIn("failed", result)  # the stand-in ignores the name; now a target that has no such python:
        task = Task()
        task.args = {"paths": [self.dir]}
        loader = mock.Mock()
        loader.module_loader.find_plugin = lambda module, mod_type=None: os.path.join(LIBRARY, module + ".py")
        plugin = load_action("lb_run_dirs")(task, mock.Mock(), PlayContext(), DataLoader(),
                                            Templar(loader=DataLoader()), loader)
        plugin._low_level_execute_command = lambda c, in_data=None: {"rc": 127, "stdout": "",
                                                                      "stderr": "sh: 1: /nope/py: not found\n"}
        failed = plugin.run(task_vars={"ansible_python_interpreter": "/nope/py"})
        self.assertTrue(failed["failed"])
        self.assertEqual("lb_run_dirs: the target's /nope/py gave no result (rc=127, No start of json char found):"
                         " sh: 1: /nope/py: not found", failed["msg"])


class RunDirsTest(DirectActionCase):
    def test_both_directories_are_made_private_and_returned_absolute(self):
        root = os.path.join(self.dir, "runs", "r.1")
        host = os.path.join(root, "h1")
        result = self.run_action("lb_run_dirs", {"paths": [root, host]})
        self.assertEqual([root, host], result["paths"])
        self.assertTrue(result["changed"])
        for path in (os.path.join(self.dir, "runs"), root, host):
            self.assertEqual(0o700, stat.S_IMODE(os.stat(path).st_mode), path)
        os.chmod(host, 0o755)
        again = self.run_action("lb_run_dirs", {"paths": [root, host]})
        self.assertTrue(again["changed"], "a directory opened up is made private again")
        self.assertEqual(0o700, stat.S_IMODE(os.stat(host).st_mode))
        self.assertFalse(self.run_action("lb_run_dirs", {"paths": [root, host]})["changed"])

    def test_a_file_in_the_way_is_a_failure_naming_it(self):
        path = os.path.join(self.dir, "file")
        open(path, "w").close()
        result = self.run_action("lb_run_dirs", {"paths": [path]})
        self.assertEqual("lb_run_dirs: %s exists and is not a directory" % path, result["msg"])
        self.assertTrue(result["failed"])


class LeaseAndAgentTest(DirectActionCase):
    def lock(self, run_id, **more):
        args = {"path": os.path.join(self.dir, "lb.lock.json"), "action": "acquire", "run_id": run_id,
                "attempt": "1", "controller": "ctl", "lease_id": "secret-" + run_id, "stale_s": 120.0}
        args.update(more)
        return self.run_action("lb_target_lock", args)

    def test_a_second_run_is_refused_as_target_busy_naming_the_holder_and_a_stale_lease_is_taken_with_a_warning(self):
        self.assertTrue(self.lock("run-a")["changed"])
        refused = self.lock("run-b")
        self.assertTrue(refused["failed"])
        self.assertEqual("target_busy", refused["lb_error_type"])
        self.assertIn("run-a", refused["msg"])
        old = time.time() - 600
        os.utime(os.path.join(self.dir, "lb.lock.json"), (old, old))
        taken = self.lock("run-b")
        self.assertNotIn("failed", taken)
        self.assertEqual(1, len(taken["warnings"]))
        self.assertEqual(taken["warnings"], taken["lb_warnings"])
        self.assertIn("run-a", taken["warnings"][0])
        with open(os.path.join(self.dir, "lb.lock.json")) as f:
            self.assertEqual("run-b", json.load(f)["run_id"])

    def test_the_agent_starts_detached_with_its_argv_unchanged(self):
        out = os.path.join(self.dir, "argv")
        result = self.run_action("lb_start_agent", {
            "run_dir": self.dir, "argv": ["sh", "-c", 'printf "%s|%s" "$0" "$1" > argv.tmp; mv argv.tmp argv',
                                          "$HOME", "~x"]})
        self.assertNotIn("failed", result)
        self.assertTrue(result["started"])
        self.assertIsInstance(result["pid"], int)
        self.assertTrue(os.path.exists(os.path.join(self.dir, "rep.started")))
        self.assertTrue(wait_for(out))
        with open(out) as f:
            self.assertEqual("$HOME|~x", f.read())
        # A repetition an earlier agent wrote ahead: put in place through the action too, nothing started.
        ahead = os.path.join(self.dir, "ahead", "2")
        os.makedirs(ahead)
        for name, text in (("lb_events.stream.log", 'LB_EVENT {"status":"skipped"}\n'), ("status.json", "{}\n")):
            with open(os.path.join(ahead, name), "w") as f:
                f.write(text)
        placed = self.run_action("lb_start_agent", {"run_dir": self.dir, "argv": ["true"], "skip_ahead": ahead})
        self.assertEqual({"changed": True, "started": False, "pid": None, "stopped": False, "written_ahead": True,
                          "lb_warnings": []}, placed)
        self.assertTrue(os.path.exists(os.path.join(self.dir, "status.json")))
        open(os.path.join(self.dir, "RUN_STOP"), "w").close()
        stopped = self.run_action("lb_start_agent", {"run_dir": self.dir, "argv": ["true"]})
        self.assertEqual({"changed": False, "started": False, "pid": None, "stopped": True, "written_ahead": False,
                          "lb_warnings": []}, stopped)


class ExecTest(DirectActionCase):
    def test_the_argv_reaches_exec_unchanged_and_a_non_zero_exit_fails_as_the_command_module_does(self):
        ok = self.run_action("lb_exec", {"argv": ["printf", "%s", "$HOME ~"]})
        self.assertEqual(("$HOME ~", 0), (ok["stdout"], ok["rc"]))
        self.assertNotIn("failed", ok)
        bad = self.run_action("lb_exec", {"argv": ["sh", "-c", "echo oops >&2; exit 3"]})
        self.assertEqual((True, 3, "oops", "non-zero return code"), (bad["failed"], bad["rc"], bad["stderr"],
                                                                       bad["msg"]))
        missing = self.run_action("lb_exec", {"argv": [os.path.join(self.dir, "nope")]})
        self.assertTrue(missing["failed"])
        self.assertEqual(2, missing["rc"])
        self.assertIn("nope cannot be run", missing["msg"])


class TargetSetupTest(DirectActionCase):
    def setUp(self):
        super(TargetSetupTest, self).setUp()
        self.jar = os.path.join(self.dir, "controller-lb-agent.jar")
        with open(self.jar, "wb") as f:
            f.write(b"PK\x03\x04 not really a jar, but bytes with a sha256")
        with open(self.jar, "rb") as f:
            self.sha = hashlib.sha256(f.read()).hexdigest()
        self.calls = os.path.join(self.dir, "java-calls")
        self.java = os.path.join(self.dir, "java")
        with open(self.java, "w") as f:
            f.write('#!/bin/sh\necho "$@" >> %s\n'
                    'if [ "$1" = -version ]; then echo \'%s\' >&2; exit 0; fi\n'
                    'for a in "$@"; do case "$a" in -XX:ArchiveClassesAtExit=*) '
                    'echo archive > "${a#-XX:ArchiveClassesAtExit=}";; esac; done\n' % (self.calls, JAVA_VERSION))
        os.chmod(self.java, stat.S_IRWXU)
        self.root = os.path.join(self.dir, "target-root")
        self.run_dir = os.path.join(self.dir, "run")
        os.mkdir(self.run_dir, 0o700)
        self.cache = os.path.join(self.root, "cache", self.sha[:32])

    def setup_target(self, **more):
        args = {"src": self.jar, "java": self.java, "jvm_args": ["-Xmx256m"], "cache_dir": self.cache,
                "jar_sha256": self.sha, "plans_b64": base64.b64encode(b'[{"name": "w"}]').decode(),
                "plans_path": os.path.join(self.run_dir, "plans.json")}
        args.update(more)
        return self.run_action("lb_target_setup", args)

    def java_calls(self):
        with open(self.calls) as f:
            return [line.split()[0] for line in f]

    def test_a_fresh_target_gets_the_jar_once_and_its_archive_and_plans_in_one_step(self):
        first = self.setup_target()
        self.assertNotIn("failed", first, first.get("msg"))
        self.assertEqual({"rc": 0, "stdout": "", "stderr": JAVA_VERSION}, first["java_check"])
        jar = os.path.join(self.cache, "lb-agent.jar")
        self.assertEqual(jar, first["jar"])
        self.assertTrue(first["jar_copied"])
        self.assertEqual(1, len(self.transferred))
        self.assertEqual(self.cache, os.path.dirname(self.transferred[0][1]), "sent to a name in the cache directory")
        self.assertEqual(2, len(self.sent), "two round trips when the jar must be sent")
        with open(jar, "rb") as a, open(self.jar, "rb") as b:
            self.assertEqual(b.read(), a.read())
        self.assertEqual(0o600, stat.S_IMODE(os.stat(jar).st_mode))
        self.assertEqual(0o700, stat.S_IMODE(os.stat(self.cache).st_mode))
        archive = os.path.join(self.cache, self.sha[:32] + "-17.0.15.jsa")
        self.assertEqual({"archive": archive, "created": True, "reason": None}, first["agent_archive"])
        with open(os.path.join(self.run_dir, "plans.json")) as f:
            self.assertEqual('[{"name": "w"}]', f.read())
        self.assertEqual(0o600, stat.S_IMODE(os.stat(os.path.join(self.run_dir, "plans.json")).st_mode))
        self.assertEqual(sorted(["lb-agent.jar", self.sha[:32] + "-17.0.15.jsa"]), sorted(os.listdir(self.cache)))

        self.sent, self.transferred = [], []
        second = self.setup_target()
        self.assertNotIn("failed", second)
        self.assertEqual([], self.transferred, "an unchanged jar is not sent again")
        self.assertEqual(1, len(self.sent), "one round trip")
        self.assertFalse(second["jar_copied"])
        self.assertEqual({"archive": archive, "created": False, "reason": None}, second["agent_archive"])
        self.assertEqual(["-version", "-Xmx256m", "-version"], self.java_calls(),
                         "Java asked its version each time; one dump start in all")

    def test_other_versions_caches_are_removed_but_the_three_most_recently_used_and_nothing_else(self):
        parent = os.path.join(self.root, "cache")
        others = [hashlib.sha256(b"version %d" % i).hexdigest()[:32] for i in range(5)]
        for age, name in enumerate(others):
            os.makedirs(os.path.join(parent, name, "sub"))
            with open(os.path.join(parent, name, "lb-agent.jar"), "wb") as f:
                f.write(b"an older jar")
            then = time.time() - 3600 * (age + 1)  # others[0] used an hour ago, others[4] five hours ago
            os.utime(os.path.join(parent, name), (then, then))
        os.makedirs(os.path.join(parent, "not-a-cache"))
        with open(os.path.join(parent, "0123456789abcdef0123456789abcdef"), "w") as f:
            f.write("a file with a cache's name is not a cache directory")
        result = self.setup_target()
        self.assertNotIn("failed", result, result.get("msg"))
        self.assertEqual(sorted(others[3:]), sorted(result["old_caches_removed"]))
        self.assertNotIn("warnings", result)
        self.assertEqual(sorted(others[:3] + [self.sha[:32], "not-a-cache", "0123456789abcdef0123456789abcdef"]),
                         sorted(os.listdir(parent)))
        self.assertEqual([], self.setup_target()["old_caches_removed"], "the one in use is the most recent now")

    def test_a_cached_jar_with_another_sha256_is_replaced(self):
        os.makedirs(self.cache, 0o700)
        with open(os.path.join(self.cache, "lb-agent.jar"), "wb") as f:
            f.write(b"half a jar")
        result = self.setup_target()
        self.assertTrue(result["jar_copied"])
        with open(os.path.join(self.cache, "lb-agent.jar"), "rb") as f:
            self.assertEqual(self.sha, hashlib.sha256(f.read()).hexdigest())

    def test_a_jar_that_arrives_damaged_fails_the_step_and_is_not_kept(self):
        other = hashlib.sha256(b"another jar").hexdigest()
        result = self.setup_target(jar_sha256=other, cache_dir=os.path.join(self.root, "cache", other[:32]))
        self.assertTrue(result["failed"])
        self.assertRegex(result["msg"], r"^lb_target_setup: the jar sent to .*lb-agent\.jar\.[0-9a-f]+\.tmp has sha256"
                                        r" %s, expected %s$" % (self.sha, other))
        self.assertEqual([], os.listdir(os.path.join(self.root, "cache", other[:32])))

    def test_without_the_jars_sha256_the_step_fails_saying_so_before_sending_anything(self):
        result = self.setup_target(jar_sha256="", cache_dir=os.path.join(self.root, "cache", "none"))
        self.assertTrue(result["failed"])
        self.assertEqual("lb_target_setup: jar_sha256 must be the agent jar's sha256 (64 hex digits,"
                         " lb_agent_jar_sha256), not ''", result["msg"])
        self.assertFalse(os.path.exists(os.path.join(self.root, "cache", "none")))

    def test_no_java_17_makes_no_archive_and_reports_what_java_said(self):
        with open(self.java, "w") as f:
            f.write("#!/bin/sh\necho 'openjdk version \"11.0.2\"' >&2\n")
        result = self.setup_target()
        self.assertNotIn("failed", result)
        self.assertEqual('openjdk version "11.0.2"', result["java_check"]["stderr"])
        self.assertEqual({"archive": None, "created": False, "reason": "no Java 17 or later yet"},
                         result["agent_archive"])
        missing = self.setup_target(java=os.path.join(self.dir, "no-java"))
        self.assertEqual(2, missing["java_check"]["rc"])
        self.assertIn("no-java cannot be run", missing["java_check"]["msg"])

    def test_without_install_java_a_target_below_java_17_is_refused_naming_the_host_and_what_java_said(self):
        with open(self.java, "w") as f:
            f.write("#!/bin/sh\necho 'openjdk version \"11.0.2\"' >&2\n")
        refused = self.setup_target(require_java_for="db-1")
        self.assertTrue(refused["failed"])
        self.assertEqual("db-1 has no Java 17 or later ('%s -version' said: openjdk version \"11.0.2\"). Install"
                         " openjdk-17-jre-headless there, or set install_java: true in the lb config." % self.java,
                         refused["msg"])
        self.assertEqual([], self.transferred, "nothing is sent to a target that cannot run the agent")
        missing = self.setup_target(require_java_for="db-1", java=os.path.join(self.dir, "no-java"))
        self.assertRegex(missing["msg"], r"^db-1 has no Java 17 or later \('.*no-java -version' said: .*no-java"
                                         r" cannot be run: .*\)\. Install")
        with open(self.java, "w") as f:
            f.write("#!/bin/sh\necho '%s' >&2\n" % JAVA_VERSION)
        self.assertNotIn("failed", self.setup_target(require_java_for="db-1"))

    def test_plans_that_are_not_base64_fail_the_step_with_the_reason(self):
        result = self.setup_target(plans_b64="not base64!")
        self.assertTrue(result["failed"])
        self.assertRegex(result["msg"], r"^lb_target_setup prepare failed: (binascii\.)?Error: ")

    def test_a_jar_missing_on_the_controller_is_named(self):
        from ansible.errors import AnsibleActionFail
        with self.assertRaisesRegex(AnsibleActionFail, "the agent jar '/nope/lb-agent.jar' \\(src\\) is not a file"):
            self.setup_target(src="/nope/lb-agent.jar")


if __name__ == "__main__":
    unittest.main()
