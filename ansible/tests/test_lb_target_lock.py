"""lb_target_lock, on real files: one run attempt at a time on a target."""
import json
import os
import shutil
import sys
import tempfile
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "roles", "workload_runner", "library"))
import lb_target_lock as m  # noqa: E402


class TargetLockTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp()
        self.path = os.path.join(self.dir, "lb.lock.json")

    def tearDown(self):
        shutil.rmtree(self.dir)

    def acquire(self, run, attempt="a1", stale_s=120, wait_s=0, **kw):
        return m.acquire(self.path, run, attempt, "ctl", stale_s, wait_s, **kw)

    def test_a_free_target_is_taken_and_names_the_run(self):
        acquired, _, warnings = self.acquire("r1")
        self.assertTrue(acquired)
        self.assertEqual([], warnings)
        with open(self.path) as f:
            holder = json.load(f)
        self.assertEqual(("r1", "a1", "ctl"), (holder["run_id"], holder["attempt"], holder["controller"]))

    def test_hosts_of_the_same_run_attempt_share_it(self):
        self.assertTrue(self.acquire("r1")[0])
        self.assertTrue(self.acquire("r1")[0])

    def test_the_lock_never_exists_without_its_content(self):
        # A second inventory name for the same machine reads the lock while the first writes it: an empty lock would
        # look unreadable, hence stale, and be "taken over" with a false warning.
        seen_while_writing = []
        real_dump = m.json.dump

        def dump(obj, f):
            seen_while_writing.append(os.path.exists(self.path))
            real_dump(obj, f)
        m.json.dump = dump
        try:
            self.assertTrue(self.acquire("r1")[0])
        finally:
            m.json.dump = real_dump
        self.assertEqual([False], seen_while_writing)
        self.assertEqual(["lb.lock.json"], os.listdir(self.dir), "no temporary file left")
        self.assertEqual((True, "held by this run already", []), self.acquire("r1"))

    def test_a_wait_in_steps_is_one_time_counted_from_the_first_step(self):
        now = [1000.0]
        clock = lambda: now[0]  # noqa: E731
        first = m.wait_window(self.path, "r2", "b2", "web-1", 12, 5, clock=clock)
        self.assertEqual((5, 0.0, 12.0), first[:3])
        now[0] += 5.4  # the step waited, and a retry cost a little
        second = m.wait_window(self.path, "r2", "b2", "web-1", 12, 5, clock=clock)
        self.assertEqual(5, second[0])
        self.assertAlmostEqual(5.4, second[1])
        now[0] += 5.1
        third = m.wait_window(self.path, "r2", "b2", "web-1", 12, 5, clock=clock)
        self.assertAlmostEqual(1.5, third[0], msg="the last step only what is left of the 12 s")
        self.assertEqual(third[3], first[3], "one file for the whole wait")
        other = m.wait_window(self.path, "r2", "b2", "web-2", 12, 5, clock=clock)
        self.assertEqual((5, 0.0, 12.0), other[:3], "another host of the run waits on its own clock start")

    def test_a_waiting_step_names_the_holder_and_the_time(self):
        self.acquire("r1")
        msg = m.waiting_message(self.path, 10.2, 90)
        self.assertTrue(msg.startswith("waiting for this target (10 s of up to 90 s, --wait-for-targets): in use by"
                                       " run r1 (attempt a1) from controller ctl"), msg)

    def test_the_refusal_after_a_wait_in_steps_counts_every_step(self):
        self.acquire("r1")
        acquired, message, _ = self.acquire("r2", attempt="b2", wait_s=0.2, waited_before=30)
        self.assertFalse(acquired)
        self.assertTrue(message.endswith("(waited 30 s)"), message)

    def test_a_second_run_is_refused_with_the_holder_named(self):
        self.acquire("r1")
        acquired, message, _ = self.acquire("r2", attempt="b2")
        self.assertFalse(acquired)
        self.assertIn("in use by run r1 (attempt a1) from controller ctl", message)
        self.assertIn("--wait-for-targets", message)

    def test_a_reused_run_id_is_another_attempt(self):
        self.acquire("r1", attempt="a1")
        self.assertFalse(self.acquire("r1", attempt="a2")[0])

    def test_a_stale_lock_is_taken_over_with_a_warning(self):
        self.acquire("r1")
        old = time.time() - 300
        os.utime(self.path, (old, old))
        acquired, _, warnings = self.acquire("r2", attempt="b2")
        self.assertTrue(acquired)
        self.assertIn("took over a stale lock", warnings[0])
        self.assertIn("run r1", warnings[0])

    def test_a_fresh_lease_is_never_taken_whatever_pid_or_host_it_names(self):
        # Issue 29: two runs against one host-network container (same host name as the controller, another PID
        # namespace): the holder's pid is not visible there, and the old staleness test took a lease refreshed 0 s ago.
        import socket
        import subprocess
        dead = subprocess.Popen(["true"])
        dead.wait()
        with open(self.path, "w") as f:
            json.dump({"run_id": "r1", "attempt": "a1", "controller": socket.gethostname(),
                       "controller_pid": dead.pid, "target": socket.gethostname(), "started": "now"}, f)
        acquired, message, warnings = m.acquire(self.path, "r2", "b2", socket.gethostname(), 120, 0, lease_id="L2")
        self.assertFalse(acquired, "a lease refreshed 0 s ago is alive")
        self.assertEqual([], warnings)
        self.assertIn("this target is in use by run r1 (attempt a1)", message)

    def test_a_lease_taken_below_a_controller_that_is_gone_is_taken_over_at_once(self):
        # A run ended at once (a second Ctrl-C) or killed on this machine: its controller, an ancestor of the module
        # that took the lease, is gone; the next run need not wait for the lease to go stale.
        import subprocess
        import sys
        code = ("import sys; sys.path.insert(0, %r); import lb_target_lock as m, os; "
                "print(m.acquire(%r, 'r1', 'a1', 'vm', 120, 0, lease_id='L1', controller_pid=os.getppid())[0])"
                % (os.path.dirname(m.__file__), self.path))
        # The shell is the "controller": the module's parent, gone once the shell exits.
        out = subprocess.run(["sh", "-c", "%s -c \"$0\"" % sys.executable, code], capture_output=True, text=True)
        self.assertEqual("True", out.stdout.strip(), out.stderr)
        with open(self.path) as f:
            self.assertIn("local_controller", json.load(f))
        acquired, message, warnings = m.acquire(self.path, "r2", "b2", "vm", 120, 0, lease_id="L2")
        self.assertTrue(acquired, message)
        self.assertIn("its controller (pid", warnings[0])
        self.assertIn("is gone", warnings[0])

    def test_a_lease_whose_controller_lives_is_kept(self):
        acquired, _, _ = m.acquire(self.path, "r1", "a1", "vm", 120, 0, lease_id="L1", controller_pid=os.getpid())
        self.assertTrue(acquired)
        with open(self.path) as f:
            self.assertEqual(os.getpid(), json.load(f)["local_controller"]["pid"])
        acquired, message, _ = m.acquire(self.path, "r2", "b2", "vm", 120, 0, lease_id="L2")
        self.assertFalse(acquired, "its controller (this test) still runs")

    def test_a_controller_that_is_no_ancestor_is_not_recorded(self):
        self.assertIsNone(m.local_controller(999999))
        self.assertIsNone(m.local_controller(0))

    def test_the_lease_is_recognised_by_an_id_only_its_holder_knows(self):
        self.assertTrue(self.acquire("r1", lease_id="secret-1")[0])
        with open(self.path) as f:
            text = f.read()
        self.assertNotIn("secret-1", text, "only its hash is written")
        self.assertEqual((True, "held by this run already", []), self.acquire("r1", lease_id="secret-1"))
        self.assertFalse(self.acquire("r1", lease_id="guessed")[0], "same run id and attempt, not the holder")
        self.assertFalse(m.release(self.path, "r1", "a1", "guessed"))
        self.assertTrue(m.release(self.path, "r1", "a1", "secret-1"))
        self.assertFalse(os.path.exists(self.path))

    def test_giving_up_releases_this_runs_lease_and_names_the_busy_host(self):
        self.acquire("r1", lease_id="s1")
        self.assertTrue(m.release(self.path, "r1", "a1", "s1"))
        self.assertEqual("not run: another target of this run is held by another run (web-2: in use by run r0);"
                         " nothing started on any target, and this target's lease is released",
                         m.give_up_message("web-2: in use by run r0", True))

    def run_module(self, **args):
        """The module as Ansible runs it: its arguments as JSON, its result from exit_json/fail_json."""
        import io
        from unittest import mock
        from ansible.module_utils import basic
        from ansible.module_utils.common.text.converters import to_bytes
        args.setdefault("path", self.path)
        out = io.StringIO()
        with mock.patch.object(basic, "_ANSIBLE_ARGS", to_bytes(json.dumps({"ANSIBLE_MODULE_ARGS": args}))), \
                mock.patch("sys.stdout", out), self.assertRaises(SystemExit):
            m.main()
        return json.loads(out.getvalue())

    def test_give_up_through_the_module_releases_and_fails_as_target_busy(self):
        self.acquire("r1", lease_id="s1")
        result = self.run_module(action="give_up", run_id="r1", attempt="a1", lease_id="s1", busy="web-2: in use")
        self.assertTrue(result.get("failed"), result)
        self.assertEqual("target_busy", result.get("lb_error_type"))
        self.assertIn("(web-2: in use); nothing started on any target, and this target's lease is released",
                      result["msg"])
        self.assertFalse(os.path.exists(self.path))

    def test_waiting_ends_when_the_holder_releases(self):
        self.acquire("r1")
        calls = []

        def sleep(s):
            calls.append(s)
            m.release(self.path, "r1", "a1")

        acquired, _, _ = self.acquire("r2", attempt="b2", wait_s=30, sleep=sleep)
        self.assertTrue(acquired)
        self.assertEqual(1, len(calls))

    def test_release_removes_only_its_own_lock(self):
        self.acquire("r1")
        self.assertFalse(m.release(self.path, "r2", "b2"))
        self.assertTrue(os.path.exists(self.path))
        self.assertTrue(m.release(self.path, "r1", "a1"))
        self.assertFalse(os.path.exists(self.path))


if __name__ == "__main__":
    unittest.main()
