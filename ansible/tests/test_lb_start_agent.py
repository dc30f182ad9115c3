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
import lb_stream_poll  # noqa: E402


class StartAgentTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp()

    def tearDown(self):
        shutil.rmtree(self.dir)

    def test_an_agent_starts_detached_with_its_pid_and_start_mark(self):
        what, pid = m.start(self.dir, ["sh", "-c", "echo hi"])
        self.assertEqual("started", what)
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
        what, _ = m.start(self.dir, ["sh", "-c", "echo nice=$(nice)"], nice=wanted)
        self.assertEqual("started", what)
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
        self.assertEqual(("stopped", None), m.start(self.dir, ["sh", "-c", "echo hi"]))
        self.assertFalse(os.path.exists(os.path.join(self.dir, "agent.pid")))

    def test_a_stop_the_controller_marked_during_setup_starts_nothing_and_marks_the_target(self):
        self.assertEqual(("stopped", None), m.start(self.dir, ["sh", "-c", "echo hi"], controller_stopped=True))
        self.assertTrue(os.path.exists(os.path.join(self.dir, "RUN_STOP")), "later repetitions stay stopped too")
        self.assertFalse(os.path.exists(os.path.join(self.dir, "rep.started")))


class WrittenAheadTest(unittest.TestCase):
    """A repetition an earlier agent wrote ahead (its --skip-ahead) is put in place and starts no process."""

    EARLIER = b'LB_EVENT {"repetition":3,"status":"done","seq":9}\n'
    AHEAD = (b'LB_EVENT {"repetition":4,"status":"running","level":"WARNING","seq":1}\n'
             b'LB_EVENT {"repetition":4,"status":"skipped","seq":2}\n')
    STATUS = b'{"rc":null,"status":"skipped","reason":"stable after 3 repetitions"}\n'

    def setUp(self):
        self.dir = tempfile.mkdtemp()
        self.ahead = os.path.join(self.dir, "ahead", "4")
        os.makedirs(self.ahead)
        self.write(os.path.join(self.dir, m.STREAM_FILE), self.EARLIER)
        # What the previous repetition's agent left, cleared as before any start.
        for name in ("status.json", "agent.pid", "STOP"):
            self.write(os.path.join(self.dir, name), b"{}")
        self.write(os.path.join(self.ahead, m.STREAM_FILE), self.AHEAD)
        # A command that would leave a trace if it ran.
        self.argv = ["sh", "-c", "touch %s" % os.path.join(self.dir, "ran")]

    def tearDown(self):
        shutil.rmtree(self.dir)

    @staticmethod
    def write(path, data):
        with open(path, "wb") as f:
            f.write(data)

    def read(self, name):
        with open(os.path.join(self.dir, name), "rb") as f:
            return f.read()

    def test_its_lines_are_appended_its_status_put_in_place_and_nothing_is_started(self):
        self.write(os.path.join(self.ahead, "status.json"), self.STATUS)
        result = m.direct({"run_dir": self.dir, "argv": self.argv, "controller_stopped": False, "nice": None,
                           "skip_ahead": self.ahead})
        self.assertEqual({"changed": True, "started": False, "pid": None, "stopped": False, "written_ahead": True,
                          "lb_warnings": []}, result)
        self.assertEqual(self.EARLIER + self.AHEAD, self.read(m.STREAM_FILE), "appended byte for byte")
        self.assertEqual(self.STATUS, self.read("status.json"))
        self.assertFalse(os.path.exists(os.path.join(self.dir, "agent.pid")), "no agent, no pid file")
        self.assertFalse(os.path.exists(os.path.join(self.dir, "STOP")), "cleared as before any start")
        self.assertTrue(os.path.exists(os.path.join(self.dir, "rep.started")), "the repetition's start is marked")
        self.assertFalse(os.path.exists(self.ahead), "used once")
        self.assertIn(b"no agent started: the repetition was written ahead", self.read("agent.log"))
        time.sleep(0.3)
        self.assertFalse(os.path.exists(os.path.join(self.dir, "ran")), "no process was started")

    def test_the_poll_step_then_delivers_its_lines_and_finds_it_finished_at_once(self):
        self.write(os.path.join(self.ahead, "status.json"), self.STATUS)
        stream = os.path.join(self.dir, m.STREAM_FILE)
        first = lb_stream_poll.poll({"run_dir": self.dir, "streams": [stream], "wait_s": 0})
        self.assertEqual([self.EARLIER.decode().rstrip("\n")], first["lb_events"], "the earlier repetition's")
        self.assertEqual(("written_ahead", None), m.start(self.dir, self.argv, skip_ahead=self.ahead))
        polled = lb_stream_poll.poll({"run_dir": self.dir, "streams": [stream], "wait_s": 5})
        self.assertEqual([l.decode() for l in self.AHEAD.splitlines()], polled["lb_events"], "each line once")
        self.assertTrue(polled["finished"])
        self.assertFalse(polled["crashed"], "no agent pid, but its status is there: not a crash")
        self.assertEqual("skipped", polled["status"]["status"])

    def test_a_repetition_without_its_status_written_ahead_starts_its_agent(self):
        what, pid = m.start(self.dir, self.argv, skip_ahead=self.ahead)
        self.assertEqual("started", what)
        self.assertIsNotNone(pid)
        deadline = time.time() + 5
        while time.time() < deadline and not os.path.exists(os.path.join(self.dir, "ran")):
            time.sleep(0.05)
        self.assertTrue(os.path.exists(os.path.join(self.dir, "ran")))
        self.assertEqual(self.EARLIER, self.read(m.STREAM_FILE), "nothing appended")
        self.assertNotIn(b"lb_start_agent", self.read("agent.log"), "the agent's log is its own")

    def test_a_stopped_run_puts_nothing_in_place(self):
        self.write(os.path.join(self.ahead, "status.json"), self.STATUS)
        open(os.path.join(self.dir, "RUN_STOP"), "w").close()
        self.assertEqual(("stopped", None), m.start(self.dir, self.argv, skip_ahead=self.ahead))
        self.assertEqual(self.EARLIER, self.read(m.STREAM_FILE))
        self.assertTrue(os.path.exists(os.path.join(self.ahead, "status.json")))

    def test_an_append_that_fails_is_cut_back_said_and_the_agent_started_instead(self):
        self.write(os.path.join(self.ahead, "status.json"), self.STATUS)
        real_write = os.write
        calls = []

        def short_write(fd, data):  # a disk that takes only part of the lines
            calls.append(len(data))
            return real_write(fd, data[:10])
        os.write = short_write
        try:
            warnings = []
            what, _ = m.start(self.dir, self.argv, skip_ahead=self.ahead, warnings=warnings)
        finally:
            os.write = real_write
        self.assertEqual(["started"], [what])
        self.assertEqual([len(self.AHEAD)], calls)
        self.assertEqual(self.EARLIER, self.read(m.STREAM_FILE), "cut back to the whole lines it had")
        self.assertEqual(1, len(warnings))
        self.assertIn("could not be put in place (wrote 10 of", warnings[0])
        self.assertFalse(os.path.exists(os.path.join(self.dir, "status.json")), "the agent writes it")


if __name__ == "__main__":
    unittest.main()
