"""lb_start_agent, on real files and a real process: a stopped run starts nothing."""
import os
import shutil
import sys
import tempfile
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "roles", "workload_runner", "library"))
import lb_start_agent as m  # noqa: E402


class StartAgentTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp()

    def tearDown(self):
        shutil.rmtree(self.dir)

    def test_an_agent_starts_detached_with_its_pid_and_start_mark(self):
        started, pid = m.start(self.dir, ["sh", "-c", "echo hi"])
        self.assertTrue(started)
        with open(os.path.join(self.dir, "agent.pid")) as f:
            self.assertEqual(pid, int(f.read()))
        self.assertTrue(os.path.exists(os.path.join(self.dir, "rep.started")))
        deadline = time.time() + 5
        while time.time() < deadline and "hi" not in open(os.path.join(self.dir, "agent.log")).read():
            time.sleep(0.05)
        self.assertIn("hi", open(os.path.join(self.dir, "agent.log")).read())

    def wait_for_log(self, text):
        deadline = time.time() + 5
        while time.time() < deadline and text not in open(os.path.join(self.dir, "agent.log")).read():
            time.sleep(0.05)
        return open(os.path.join(self.dir, "agent.log")).read()

    def test_an_agent_asked_for_a_nice_runs_at_it_whatever_it_inherited(self):
        own = os.getpriority(os.PRIO_PROCESS, 0)
        wanted = min(own + 3, 19)  # lowering priority is allowed to anyone
        started, _ = m.start(self.dir, ["sh", "-c", "echo nice=$(nice)"], nice=wanted)
        self.assertTrue(started)
        self.assertIn("nice=%d" % wanted, self.wait_for_log("nice="))

    @unittest.skipUnless(os.geteuid() == 0, "raising priority back needs root")
    def test_as_root_an_agent_inheriting_a_low_priority_goes_back_to_0(self):
        pid = os.fork()
        if pid == 0:  # a child at nice 10, as ansible-playbook is when lb lowered its own priority
            os.setpriority(os.PRIO_PROCESS, 0, 10)
            m.start(self.dir, ["sh", "-c", "echo nice=$(nice)"], nice=0)
            os._exit(0)
        os.waitpid(pid, 0)
        self.assertIn("nice=0", self.wait_for_log("nice="))

    def test_no_nice_leaves_the_inherited_one(self):
        m.start(self.dir, ["sh", "-c", "echo nice=$(nice)"])
        self.assertIn("nice=%d" % os.getpriority(os.PRIO_PROCESS, 0), self.wait_for_log("nice="))

    def test_run_stop_on_the_target_starts_nothing(self):
        open(os.path.join(self.dir, "RUN_STOP"), "w").close()
        self.assertEqual((False, None), m.start(self.dir, ["sh", "-c", "echo hi"]))
        self.assertFalse(os.path.exists(os.path.join(self.dir, "agent.pid")))

    def test_a_stop_the_controller_marked_during_setup_starts_nothing_and_marks_the_target(self):
        self.assertEqual((False, None), m.start(self.dir, ["sh", "-c", "echo hi"], controller_stopped=True))
        self.assertTrue(os.path.exists(os.path.join(self.dir, "RUN_STOP")), "later repetitions stay stopped too")
        self.assertFalse(os.path.exists(os.path.join(self.dir, "rep.started")))


if __name__ == "__main__":
    unittest.main()
