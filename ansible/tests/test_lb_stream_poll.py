"""lb_stream_poll, fed real files: what one poll step returns and what it saves."""
import importlib.util
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "roles", "workload_runner", "library"))
import lb_stream_poll as m  # noqa: E402


def ev(seq, msg="m"):
    return 'LB_EVENT {"host":"h","workload":"w","repetition":1,"status":"running","src":"agent","seq":%d,"message":"%s"}' % (seq, msg)


class PollTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp()
        self.stream = os.path.join(self.dir, "lb_events.stream.log")
        # a live pid: this test process stands in for the agent
        with open(os.path.join(self.dir, "agent.pid"), "w") as f:
            f.write(str(os.getpid()))

    def tearDown(self):
        shutil.rmtree(self.dir)

    def append(self, text):
        with open(self.stream, "a") as f:
            f.write(text)

    def poll(self, **kw):
        params = {"run_dir": self.dir, "wait_s": 0, "host": "h", "workload": "w", "repetition": 1, "run_id": "r"}
        params.update(kw)
        return m.poll(params)

    def test_returns_new_complete_lines_and_skips_noise(self):
        self.append(ev(1) + "\nnot an event\n" + ev(2) + "\n")
        r = self.poll()
        self.assertEqual([ev(1), ev(2)], r["lb_events"])
        self.assertEqual(1, r["skipped_lines"])
        self.assertFalse(r["finished"])
        self.assertFalse(r["crashed"])

    def test_partial_line_at_poll_boundary_is_held_until_complete(self):
        line = ev(1)
        self.append(line[:30])
        self.assertEqual([], self.poll()["lb_events"])
        self.append(line[30:] + "\n" + ev(2)[:10])
        self.assertEqual([line], self.poll()["lb_events"])
        self.append(ev(2)[10:] + "\n")
        self.assertEqual([ev(2)], self.poll()["lb_events"])

    def test_a_line_is_never_returned_twice_nor_skipped(self):
        seen = []
        for i in range(1, 301):
            self.append(ev(i) + "\n")
            if i % 7 == 0:
                seen += self.poll()["lb_events"]
        seen += self.poll()["lb_events"]
        seen += self.poll()["lb_events"]
        self.assertEqual([ev(i) for i in range(1, 301)], seen)

    def test_truncated_stream_restarts_at_zero_with_a_warning(self):
        self.append(ev(1) + "\n" + ev(2) + "\n")
        self.poll()
        with open(self.stream, "w") as f:
            f.write(ev(3) + "\n")
        r = self.poll()
        self.assertEqual([ev(3)], r["lb_events"])
        self.assertTrue(any("truncated" in w for w in r["lb_warnings"]), r["lb_warnings"])

    def test_truncated_and_regrown_past_the_offset_restarts_at_zero(self):
        self.append(ev(1) + "\n" + ev(2) + "\n")
        self.poll()
        with open(self.stream, "w") as f:  # truncate in place (same inode), then grow past the old offset
            f.write("".join(ev(i, "after") + "\n" for i in range(3, 9)))
        r = self.poll()
        self.assertEqual([ev(i, "after") for i in range(3, 9)], r["lb_events"])
        self.assertTrue(any("written again" in w for w in r["lb_warnings"]), r["lb_warnings"])

    def test_replaced_stream_restarts_at_zero_with_a_warning(self):
        self.append(ev(1) + "\n" + ev(2) + "\n" + ev(3) + "\n")
        self.poll()
        os.rename(self.stream, self.stream + ".old")
        self.append(ev(4) + "\n" + ev(5) + "\n" + ev(6) + "\n" + ev(7) + "\n")
        r = self.poll()
        self.assertEqual([ev(i) for i in range(4, 8)], r["lb_events"])
        self.assertTrue(any("replaced" in w for w in r["lb_warnings"]), r["lb_warnings"])

    def test_bytes_per_poll_are_capped_and_the_rest_comes_next(self):
        lines = [ev(i, "x" * 100) for i in range(1, 101)]
        self.append("\n".join(lines) + "\n")
        got, polls = [], 0
        while len(got) < 100:
            r = self.poll(max_bytes=2000)
            self.assertLessEqual(r["bytes_read"], 2000)
            got += r["lb_events"]
            polls += 1
            self.assertLess(polls, 100)
        self.assertEqual(lines, got)
        self.assertGreater(polls, 5)

    def test_line_longer_than_the_cap_is_skipped_with_a_warning_not_stalled(self):
        self.append(ev(1, "y" * 5000) + "\n" + ev(2) + "\n")
        r = self.poll(max_bytes=1000)
        self.assertEqual([], r["lb_events"])
        self.assertTrue(any("exceeds max_bytes" in w for w in r["lb_warnings"]), r["lb_warnings"])
        self.assertEqual([ev(2)], self.poll(max_bytes=1000)["lb_events"])

    def test_finished_when_status_file_exists(self):
        self.append(ev(1) + "\n")
        with open(os.path.join(self.dir, "status.json"), "w") as f:
            json.dump({"rc": 0, "status": "done"}, f)
        r = self.poll(wait_s=5)
        self.assertTrue(r["finished"])
        self.assertEqual("done", r["status"]["status"])
        self.assertEqual([ev(1)], r["lb_events"])

    def stream_failed_status(self, disk_full=True, os_message="No space left on device"):
        return {"rc": 0, "status": "failed", "error_type": "stream_write_failed",
                "reason": "writing the event stream %s failed (%s) after 2 events written whole (300 bytes); the file"
                          " ends at the last whole event and is not written any more" % (self.stream, os_message),
                "events": 2, "events_written": 2, "seal": {"agent": {"last_seq": 2, "count": 2}},
                "stream_failure": {"file": self.stream, "os_message": os_message, "events_written": 2,
                                   "bytes_written": 300, "disk_full": disk_full}, "failed_writes": 9}

    def test_a_stream_that_could_not_be_written_finishes_with_the_reason_and_a_poll_event_saying_so(self):
        self.append(ev(1) + "\n" + ev(2) + "\n")
        with open(os.path.join(self.dir, "status.json"), "w") as f:
            json.dump(self.stream_failed_status(), f)
        r = self.poll(wait_s=5)
        self.assertTrue(r["finished"])
        self.assertFalse(r["crashed"])
        self.assertIn("No space left on device", r["reason"])
        self.assertEqual([ev(1), ev(2)], r["lb_events"][:2])
        self.assertEqual(3, len(r["lb_events"]))
        event = json.loads(r["lb_events"][2][len("LB_EVENT "):])
        self.assertEqual(("failed", "stream_write_failed", "poll", 1, "h", 2),
                         (event["status"], event["error_type"], event["src"], event["seq"], event["host"],
                          event["events_written"]))
        self.assertEqual("target disk full on h: 2 events written before the stream file could not be written"
                         " (No space left on device)", event["message"])
        self.assertEqual({"agent": {"last_seq": 2, "count": 2}}, event["seal"], "the agent's seal, passed through")
        self.assertEqual(300, event["error_context"]["bytes_written"])
        self.assertIn(event["message"], r["lb_warnings"])

    def test_a_stream_failing_on_eio_is_not_called_a_full_disk(self):
        with open(os.path.join(self.dir, "status.json"), "w") as f:
            json.dump(self.stream_failed_status(False, "Input/output error"), f)
        event = json.loads(self.poll()["lb_events"][-1][len("LB_EVENT "):])
        self.assertTrue(event["message"].startswith("stream file not writable on h: 2 events"), event["message"])
        self.assertIn("(Input/output error)", event["message"])

    def test_other_failures_get_no_poll_event(self):
        with open(os.path.join(self.dir, "status.json"), "w") as f:
            json.dump({"rc": 1, "status": "failed", "error_type": "nonzero_exit", "reason": "exit code 1"}, f)
        r = self.poll()
        self.assertEqual([], r["lb_events"])
        self.assertEqual("exit code 1", r["reason"])

    def test_offsets_are_saved_in_place_when_the_disk_has_no_room_for_a_temp_file(self):
        self.append(ev(1) + "\n")
        self.poll()
        offsets = os.path.join(self.dir, "stream.offsets.json")
        real_open = open

        def full_disk_open(path, mode="r", *a, **kw):  # a new file cannot be written; an existing one can
            if str(path).endswith(".tmp") and "w" in mode:
                raise OSError(28, "No space left on device", path)
            return real_open(path, mode, *a, **kw)
        self.append(ev(2) + "\n")
        m.open = full_disk_open
        try:
            r = self.poll()
        finally:
            del m.open
        self.assertEqual([ev(2)], r["lb_events"])
        self.assertTrue(any("offsets written over" in w for w in r["lb_warnings"]), r["lb_warnings"])
        with open(offsets) as f:
            self.assertEqual(os.path.getsize(self.stream), json.load(f)[self.stream]["offset"])
        self.assertEqual([], self.poll()["lb_events"], "nothing returned twice")

    def test_dead_agent_is_a_crash_with_its_last_lines(self):
        p = subprocess.Popen(["true"])
        p.wait()
        with open(os.path.join(self.dir, "agent.pid"), "w") as f:
            f.write(str(p.pid))
        with open(os.path.join(self.dir, "agent.log"), "w") as f:
            f.write("starting\nOutOfMemoryError: Java heap space\n")
        self.append(ev(1) + "\n")
        r = self.poll(wait_s=5)
        self.assertTrue(r["crashed"])
        self.assertIn("OutOfMemoryError: Java heap space", r["last_lines"])
        crash = json.loads(r["lb_events"][-1][len("LB_EVENT "):])
        self.assertEqual(("failed", "agent_died", "poll", "w", 1), (crash["status"], crash["error_type"],
                                                                    crash["src"], crash["workload"], crash["repetition"]))
        self.assertIn("OutOfMemoryError", crash["message"])
        self.assertEqual(ev(1), r["lb_events"][0], "what the agent wrote before dying is still delivered")

    def test_long_poll_returns_as_soon_as_a_line_arrives(self):
        threading.Timer(0.3, lambda: self.append(ev(1) + "\n")).start()
        t0 = time.time()
        r = self.poll(wait_s=10)
        self.assertEqual([ev(1)], r["lb_events"])
        self.assertLess(time.time() - t0, 2)

    def test_a_batch_window_gathers_the_lines_that_follow_the_first_then_returns(self):
        self.append(ev(1) + "\n")
        threading.Timer(0.2, lambda: self.append(ev(2) + "\n")).start()
        t0 = time.time()
        r = self.poll(wait_s=10, batch_s=0.5)
        took = time.time() - t0
        self.assertEqual([ev(1), ev(2)], r["lb_events"], "the line written during the window came with the first")
        self.assertGreaterEqual(took, 0.5)
        self.assertLess(took, 2, "returned at the end of the window, not of the wait")

    def test_the_batch_window_never_outlasts_the_wait(self):
        self.append(ev(1) + "\n")
        t0 = time.time()
        r = self.poll(wait_s=0.2, batch_s=5)
        self.assertEqual([ev(1)], r["lb_events"])
        self.assertLess(time.time() - t0, 1.5)

    def test_a_finished_agent_ends_the_batch_window_at_once(self):
        self.append(ev(1) + "\n")
        with open(os.path.join(self.dir, "status.json"), "w") as f:
            f.write('{"rc": 0, "status": "done"}')
        t0 = time.time()
        r = self.poll(wait_s=10, batch_s=5)
        self.assertTrue(r["finished"])
        self.assertLess(time.time() - t0, 1.5)

    def test_long_poll_returns_empty_after_wait(self):
        t0 = time.time()
        r = self.poll(wait_s=0.3)
        self.assertEqual([], r["lb_events"])
        self.assertGreaterEqual(time.time() - t0, 0.3)

    def test_a_line_that_does_not_fit_the_rest_of_the_budget_waits_for_the_next_poll(self):
        other = os.path.join(self.dir, "containers.stream.log")
        long_event = ev(9, "c" * 300)
        with open(other, "w") as f:
            f.write(long_event + "\n")
        self.append("".join(ev(i) + "\n" for i in range(1, 4)))
        first = self.poll(streams=[self.stream, other], max_bytes=len(ev(1)) * 3 + 100)
        self.assertEqual([ev(1), ev(2), ev(3)], first["lb_events"])
        self.assertEqual(0, first["skipped_lines"], "not skipped: it did not fit what was left of this poll's budget")
        second = self.poll(streams=[self.stream, other], max_bytes=len(ev(1)) * 3 + 100)
        self.assertEqual([long_event], second["lb_events"])

    def test_a_failed_poll_says_what_failed_on_which_file_and_keeps_every_key(self):
        import errno
        e = OSError(errno.ENOSPC, "No space left on device", "/t/stream.offsets.json.1.tmp")
        r = m.failure("/t", e)
        self.assertEqual("No space left on device (ENOSPC) on /t/stream.offsets.json.1.tmp", r["reason"])
        self.assertEqual((False, False, False), (r["finished"], r["crashed"], r["expired"]))
        self.assertEqual([], r["lb_events"])

    def test_several_stream_files(self):
        other = os.path.join(self.dir, "containers.stream.log")
        with open(other, "w") as f:
            f.write(ev(9) + "\n")
        self.append(ev(1) + "\n")
        r = self.poll(streams=[self.stream, other])
        self.assertEqual([ev(1), ev(9)], r["lb_events"])
        self.assertEqual({self.stream: len(ev(1)) + 1, other: len(ev(9)) + 1}, r["offsets"])



class DeadlineTest(unittest.TestCase):
    """repetition_s is a time from the repetition's start (rep.started), however many polls it takes."""

    def setUp(self):
        self.dir = tempfile.mkdtemp()
        self.procs = []

    def tearDown(self):
        for p in self.procs:
            if p.poll() is None:
                p.kill()
                p.wait()
        shutil.rmtree(self.dir)

    def start(self, argv, **kw):
        p = subprocess.Popen(argv, **kw)
        self.procs.append(p)
        return p

    def write(self, name, text):
        with open(os.path.join(self.dir, name), "w") as f:
            f.write(text)

    def started_ago(self, seconds):
        path = os.path.join(self.dir, "rep.started")
        open(path, "w").close()
        t = time.time() - seconds
        os.utime(path, (t, t))

    def agent_and_workload(self):
        # Named like the agent: the module only kills a pid whose command line is the agent's (pids are reused).
        agent = self.start([sys.executable, "-c", "import time; time.sleep(100)", "lb-agent.jar"])
        workload = self.start(["setsid", "sleep", "100"])
        time.sleep(0.1)
        self.write("agent.pid", str(agent.pid))
        self.write("workload.pgid", str(workload.pid))
        return agent, workload

    def poll(self, **kw):
        params = {"run_dir": self.dir, "wait_s": 0, "host": "h", "workload": "w", "repetition": 1, "run_id": "r",
                  "repetition_s": 10, "stop_grace_s": 1}
        params.update(kw)
        return m.poll(params)

    def test_before_the_deadline_nothing_is_stopped(self):
        self.agent_and_workload()
        self.started_ago(5)
        r = self.poll()
        self.assertFalse(r["expired"])
        self.assertFalse(os.path.exists(os.path.join(self.dir, "STOP")))
        self.assertAlmostEqual(5, r["elapsed_s"], delta=1)

    def test_at_the_deadline_the_agent_gets_a_stop_naming_the_time_out(self):
        self.agent_and_workload()
        self.started_ago(10.5)
        r = self.poll(wait_s=5)
        with open(os.path.join(self.dir, "STOP")) as f:
            stop = json.load(f)
        self.assertEqual(("repetition_timeout", 10.0), (stop["reason"], stop["limit_s"]))
        self.assertGreaterEqual(stop["elapsed_s"], 10.5)
        self.assertFalse(r["expired"], "the agent has its grace to stop and report")
        self.assertTrue(any("deadline" in w for w in r["lb_warnings"]))

    def test_a_quiet_poll_returns_at_the_deadline_not_after_its_wait(self):
        self.agent_and_workload()
        self.started_ago(9.7)
        t0 = time.time()
        self.poll(wait_s=10)
        self.assertLess(time.time() - t0, 2)
        self.assertTrue(os.path.exists(os.path.join(self.dir, "STOP")))

    def test_an_agent_that_ignores_stop_is_killed_with_its_workload_and_the_repetition_times_out(self):
        agent, workload = self.agent_and_workload()
        self.started_ago(20)
        self.write("STOP", '{"reason": "repetition_timeout"}')
        self.write("lb_events.stream.log", ev(1) + "\n")
        r = self.poll()
        self.assertTrue(r["expired"])
        self.assertEqual(ev(1), r["lb_events"][0])
        final = json.loads(r["lb_events"][-1][len("LB_EVENT "):])
        self.assertEqual(("timeout", "repetition_timeout", "poll"), (final["status"], final["error_type"], final["src"]))
        self.assertEqual(10.0, final["error_context"]["limit_s"])
        agent.wait(timeout=5)
        workload.wait(timeout=5)
        # The next poll of the same repetition says the same without a second event.
        again = self.poll()
        self.assertTrue(again["expired"])
        self.assertFalse(again["crashed"])
        self.assertEqual([], again["lb_events"])

    def test_a_dead_agents_workload_group_is_killed_and_the_event_says_so(self):
        dead = self.start(["true"])
        dead.wait()
        workload = self.start(["setsid", "sleep", "100"])
        time.sleep(0.1)
        self.write("agent.pid", str(dead.pid))
        self.write("workload.pgid", str(workload.pid))
        r = self.poll(repetition_s=None)
        self.assertTrue(r["crashed"])
        workload.wait(timeout=5)
        crash = json.loads(r["lb_events"][-1][len("LB_EVENT "):])
        self.assertIn("workload killed: its agent died", crash["message"])


def in_child(code, before_import=""):
    """What `code` prints in a `python3 -I -S` of its own that imported the module as m (after `before_import`)."""
    library = os.path.join(HERE, "..", "roles", "workload_runner", "library")
    program = "import sys\n%s\nsys.path.insert(0, %r)\nimport lb_stream_poll as m\n%s" % (before_import, library, code)
    return subprocess.run([sys.executable, "-I", "-S", "-c", program], capture_output=True, text=True,
                          check=True).stdout.strip()


class ProcessNameTest(unittest.TestCase):
    def test_the_poll_names_its_process_lb_stream_poll_so_the_agent_can_leave_it_out_of_cpu_other(self):
        # In a child: the name would stick to this test runner's process otherwise.
        out = in_child("m.name_this_process()\nprint(open('/proc/self/comm').read().strip(), 'ctypes' in sys.modules)")
        # Named through /proc/self/comm: without importing ctypes, which cost every poll 2-5 ms of CPU.
        self.assertEqual("lb_stream_poll False", out)

    def test_where_proc_self_comm_cannot_be_written_prctl_names_it(self):
        out = in_child("import builtins\n"
                       "real = builtins.open\n"
                       "def refuse(path, *a, **k):\n"
                       "    if path == '/proc/self/comm' and a and 'w' in a[0]:\n"
                       "        raise PermissionError(13, 'refused', path)\n"
                       "    return real(path, *a, **k)\n"
                       "builtins.open = refuse\n"
                       "m.name_this_process()\n"
                       "builtins.open = real\n"
                       "print(open('/proc/self/comm').read().strip(), 'ctypes' in sys.modules)")
        self.assertEqual("lb_stream_poll True", out)


class ProgramTest(unittest.TestCase):
    """The poll as the lb_stream_poll action runs it: the module's text through `python3 -I -S -`, no AnsibleModule."""

    def setUp(self):
        self.dir = tempfile.mkdtemp()
        # The action plugin's file has the module's name: load it by path, under a name of its own.
        spec = importlib.util.spec_from_file_location(
            "lb_stream_poll_action", os.path.join(HERE, "..", "action_plugins", "lb_stream_poll.py"))
        action = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(action)
        self.program = action.program
        with open(m.__file__, "rb") as f:
            self.source = f.read()

    def tearDown(self):
        shutil.rmtree(self.dir)

    def run_program(self, params):
        text = self.program(self.source, json.dumps(params))
        done = subprocess.run([sys.executable, "-I", "-S", "-"], input=text, capture_output=True, check=True)
        self.assertEqual(b"", done.stderr)
        return json.loads(done.stdout)

    def test_returns_what_the_module_returns_for_the_same_files(self):
        with open(os.path.join(self.dir, "lb_events.stream.log"), "w") as f:
            f.write(ev(1) + "\nnoise\n" + ev(2, "caf\u00e9 \\\" '$(x)") + "\n")
        r = self.run_program({"run_dir": self.dir, "wait_s": "0", "watch_agent": "no", "host": "h'; rm -rf /"})
        self.assertEqual([ev(1), ev(2, "caf\u00e9 \\\" '$(x)")], r["lb_events"])
        self.assertEqual(1, r["skipped_lines"])
        self.assertEqual(
            {os.path.join(self.dir, "lb_events.stream.log"): len((ev(1) + "\nnoise\n" + ev(2, "caf\u00e9 \\\" '$(x)")
                                                                  + "\n").encode("utf-8"))}, r["offsets"])
        self.assertNotIn("failed", r)
        again = self.run_program({"run_dir": self.dir, "wait_s": 0, "watch_agent": False})
        self.assertEqual([], again["lb_events"], "the offsets were saved: nothing is returned twice")

    def test_the_program_imports_neither_json_nor_signal_which_cost_a_third_of_each_poll(self):
        # `import json` brings re and enum, `import signal` enum: about 13 of a poll's 37-50 CPU ms on the test machine.
        with open(os.path.join(self.dir, "lb_events.stream.log"), "w") as f:
            f.write(ev(1, "caf\u00e9 \\\" \u2028") + "\n")
        with open(os.path.join(self.dir, "status.json"), "w") as f:
            f.write('{"status": "done", "reason": null}')
        text = self.program(self.source, json.dumps({"run_dir": self.dir, "wait_s": 0}))
        text += b"\nimport sys\nsys.stderr.write(' '.join(sorted(sys.modules)))\n"
        done = subprocess.run([sys.executable, "-I", "-S", "-"], input=text, capture_output=True, check=True)
        r = json.loads(done.stdout)
        self.assertEqual([ev(1, "caf\u00e9 \\\" \u2028")], r["lb_events"])
        self.assertEqual({"status": "done", "reason": None}, r["status"])
        loaded = done.stderr.decode().split()
        self.assertIn("_json", loaded)
        for costly in ("json", "re", "enum", "signal", "ctypes"):
            self.assertNotIn(costly, loaded)

    def test_a_parameter_of_the_wrong_type_or_unknown_fails_the_poll_naming_it(self):
        r = self.run_program({"run_dir": self.dir, "wait_s": "soon"})
        self.assertTrue(r["failed"])
        self.assertIn("parameter wait_s", r["msg"])
        r = self.run_program({"run_dir": self.dir, "bogus": 1})
        self.assertTrue(r["failed"])
        self.assertIn("unsupported parameter(s): bogus", r["msg"])
        r = self.run_program({"wait_s": 0})
        self.assertIn("missing required parameter: run_dir", r["msg"])

    def test_a_failing_poll_is_a_failed_result_with_the_reason(self):
        with open(os.path.join(self.dir, "lb_events.stream.log"), "w") as f:
            f.write(ev(1) + "\n")
        with open(os.path.join(self.dir, "a-file"), "w"):
            pass  # the offsets cannot be saved under a file, root or not
        r = self.run_program({"run_dir": self.dir, "wait_s": 0, "watch_agent": False,
                              "offsets_file": os.path.join(self.dir, "a-file", "offsets.json")})
        self.assertTrue(r["failed"])
        self.assertIn("ENOTDIR", r["msg"])
        self.assertIn("lb_stream_poll failed in", r["msg"])


class JsonCodecTest(unittest.TestCase):
    """The poll's JSON without importing json (JsonCodec): the same text and values as json's, both ways."""

    VALUES = [
        {"changed": False, "lb_events": [ev(1), ev(2, "caf\u00e9 \\\" '$(x) \u2028 \U0001F600 \x1b[31m")],
         "skipped_lines": 0, "offsets": {"/tmp/r/lb_events.stream.log": 123456789012}, "lb_warnings": []},
        {"v": 1, "ts": 1796670320.123456, "seq": 1, "status": None, "nested": [[], {}, [1, [2, [3.5e-7]]]]},
        {"nan": float("nan"), "inf": float("inf"), "-inf": float("-inf"), "big": 10 ** 30, "neg": -0.0},
        "a string \ud800 with a lone surrogate", [True, False, None], 0, -17, 1.5, "", [],
        {"\u00e9 key": "\x00\x01\x7f\t\n\r\"\\/"},
    ]
    NOT_JSON = ["", "   ", "{", "{\"a\": 1} trailing", "[1, 2,]", "{'a': 1}", "nul", "\"unterminated", "01",
                "\"tab\tinside\""]

    def codecs(self):
        return {"fast": m.JsonCodec.fast(), "standard": m.JsonCodec.standard()}

    def test_this_interpreter_gets_the_fast_codec(self):
        self.assertIsInstance(m.JSON, m.JsonCodec)

    def test_text_written_is_json_s_own_text(self):
        for name, codec in self.codecs().items():
            for value in self.VALUES:
                self.assertEqual(json.dumps(value), codec.dumps(value), name)
                self.assertEqual(json.dumps(value, separators=(",", ":")), codec.dumps(value, compact=True), name)

    def test_text_read_gives_json_s_own_values(self):
        for name, codec in self.codecs().items():
            for value in self.VALUES:
                for text in (json.dumps(value), json.dumps(value, indent=2), " \n" + json.dumps(value) + "\r\n\t"):
                    # NaN is never equal to itself: compare the values' JSON text instead.
                    self.assertEqual(json.dumps(json.loads(text)), json.dumps(codec.loads(text)), name)

    def test_text_that_is_not_json_is_a_value_error_as_with_json(self):
        for name, codec in self.codecs().items():
            for text in self.NOT_JSON:
                with self.assertRaises(ValueError, msg=text):
                    json.loads(text)
                with self.assertRaises(ValueError, msg="%s: %r" % (name, text)):
                    codec.loads(text)

    def test_a_value_json_cannot_write_is_a_type_error_as_with_json(self):
        for name, codec in self.codecs().items():
            with self.assertRaises(TypeError, msg=name):
                codec.dumps({"a": object()})
            with self.assertRaises(TypeError, msg=name):
                codec.dumps({(1, 2): "tuple key"})

    def test_files_are_read_and_written_whole(self):
        path = os.path.join(tempfile.mkdtemp(), "offsets.json")
        try:
            for codec in self.codecs().values():
                with open(path, "w") as f:
                    codec.dump(self.VALUES[0], f)
                with open(path) as f:
                    self.assertEqual(self.VALUES[0], json.load(f))
                with open(path) as f:
                    self.assertEqual(self.VALUES[0], codec.load(f))
        finally:
            shutil.rmtree(os.path.dirname(path))

    def test_without_json_s_c_codec_json_itself_is_used(self):
        out = in_child("print(type(m.JSON).__name__, m.JSON.dumps({'a': [1, 'caf\\u00e9']}, compact=True))",
                       before_import="sys.modules['_json'] = None")
        self.assertEqual('Standard {"a":[1,"caf\\u00e9"]}', out)

    def test_a_c_codec_that_answers_other_text_is_not_used(self):
        # As an interpreter whose _json.make_encoder took other arguments would: json itself instead.
        # (json itself would use the patched encoder too: only which codec was taken is looked at.)
        out = in_child("print(type(m.JSON).__name__)",
                       before_import="import _json\n_json.make_encoder = lambda *a: (lambda value, level: ['?'])")
        self.assertEqual("Standard", out)


if __name__ == "__main__":
    unittest.main()
