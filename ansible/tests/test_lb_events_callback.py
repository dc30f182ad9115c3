"""The lb_events callback fed fake task results, as Ansible's strategy would call it."""
import io
import json
import os
import shutil
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "callback_plugins"))
import lb_events  # noqa: E402

EV = {"host": "h", "workload": "w", "repetition": 1, "status": "running", "src": "agent", "seq": 1,
      "message": 'brace { quote " marker LB_EVENT {"x": 1}'}
LINE = "LB_EVENT " + json.dumps(EV)


def read_records(path):
    """The file as the controller reads it: a record, or a line record's header with the forwarded line after it."""
    out = []
    with open(path, encoding="utf-8") as f:
        for l in f.read().split("\n")[:-1]:
            if l.startswith('{"kind":"line"'):
                header, end = json.JSONDecoder().raw_decode(l)
                assert l[end] == " ", l
                out.append(dict(header, line=l[end + 1:]))
            else:
                out.append(json.loads(l))
    return out


class Named(object):
    def __init__(self, name):
        self.name = name

    def get_name(self):
        return self.name


class Result(object):
    def __init__(self, result, host="h", task="poll"):
        self._result = result
        self._host = Named(host)
        self._task = Named(task)


class FakeDisplay(object):
    def __init__(self):
        self.lines, self.warnings = [], []

    def display(self, msg, *a, **kw):
        self.lines.append(msg)

    def warning(self, msg, *a, **kw):
        self.warnings.append(msg)


class FakeVM(object):
    def __init__(self, current):
        self._inventory = self
        self.current = current

    def get_host(self, name):
        return name

    def get_vars(self, **kw):
        return {"lb_current": self.current}


class FakePlay(object):
    def __init__(self, current):
        self.vm = FakeVM(current)

    def get_variable_manager(self):
        return self.vm


class CallbackTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp()
        self.path = os.path.join(self.dir, "events.jsonl")
        os.environ["LB_EVENT_LOG_PATH"] = self.path
        self.cb = lb_events.CallbackModule()
        self.cb._display = FakeDisplay()

    def tearDown(self):
        if self.cb._fd is not None:
            os.close(self.cb._fd)
        os.environ.pop("LB_EVENT_LOG_PATH", None)
        shutil.rmtree(self.dir)

    def records(self):
        return read_records(self.path)

    def lines(self):
        return [r["line"] for r in self.records() if r["kind"] == "line"]

    def test_events_from_every_field_and_every_hook_each_once(self):
        evs = [dict(EV, seq=i) for i in range(1, 8)]
        lines = ["LB_EVENT " + json.dumps(e) for e in evs]
        self.cb.v2_runner_retry(Result({"lb_events": [lines[0], lines[1]]}))
        self.cb.v2_runner_on_ok(Result({"msg": lines[2]}))
        self.cb.v2_runner_item_on_ok(Result({"stdout": "noise\n" + lines[3]}))
        self.cb.v2_runner_on_skipped(Result({"stderr_lines": [lines[4]]}))
        self.cb.v2_runner_item_on_failed(Result({"stderr": lines[5]}))
        self.cb.v2_runner_on_failed(Result({"msg": "x " + lines[6], "results": [{"msg": lines[0]}]}), ignore_errors=True)
        self.assertEqual(lines[:6] + ["x " + lines[6]], self.lines(), "whole lines, the noise line left out")
        echoed = "\n".join(self.cb._display.lines).split("\n")
        self.assertEqual(self.lines(), echoed, "the echo is the same lines")

    def test_poll_warnings_are_recorded(self):
        self.cb.v2_runner_retry(Result({"lb_events": [], "lb_warnings": ["stream.log shrank (truncated)"]}))
        self.assertEqual([("warning", "stream.log shrank (truncated)")],
                         [(r["kind"], r["warning"]) for r in self.records()])

    def test_lines_are_forwarded_and_echoed_byte_for_byte(self):
        odd = ['LB_EVENT {"message": "tab\there, raw control \x01, \u2028, \u00e9"}', "  LB_EVENT {'not': json}",
               "x LB_EVENT", "\x1b[0;32mLB_EVENT {\"a\": 1}\x1b[0m", LINE]
        self.cb.v2_runner_retry(Result({"lb_events": odd}, host="web-1", task="poll w 1/1"))
        self.assertEqual(odd, self.lines())
        self.assertEqual(["\n".join(odd)], self.cb._display.lines, "one echo for the task result, lines unchanged")
        header = self.records()[0]
        self.assertEqual(("web-1", "poll w 1/1", "retry"), (header["host"], header["task"], header["hook"]))

    def test_one_write_per_task_result(self):
        writes = []
        real = os.write
        self.cb._os_write = lambda fd, data: writes.append(data) or real(fd, data)
        self.cb.v2_runner_retry(Result({"lb_events": [LINE] * 50}))
        self.assertEqual(1, len(writes))
        self.assertEqual(50, len(self.lines()))

    def test_a_torn_last_record_of_an_earlier_playbook_is_ended_before_new_records(self):
        os.close(self.cb._fd)
        with open(self.path, "w") as f:
            f.write('{"kind":"line","host":"h","task":"t","hook":"retry","seen":1} LB_EVENT {"cut')
        self.cb = lb_events.CallbackModule()
        self.cb._display = FakeDisplay()
        self.cb.v2_runner_retry(Result({"lb_events": [LINE]}))
        self.assertEqual(['LB_EVENT {"cut', LINE], self.lines())

    def test_failed_task_becomes_an_event_of_the_current_repetition(self):
        self.cb.v2_playbook_on_play_start(FakePlay({"run_id": "r", "workload": "cpu", "repetition": 2,
                                                    "total_repetitions": 3}))
        self.cb.v2_runner_on_failed(Result({"msg": "boom"}, task="start the agent"))
        self.cb.v2_runner_on_unreachable(Result({"msg": "ssh: connect refused"}, task="poll"))
        evs = [json.loads(l[len("LB_EVENT "):]) for l in self.lines()]
        self.assertEqual(["failed", "unreachable"], [e["status"] for e in evs])
        self.assertEqual([1, 2], [e["seq"] for e in evs])
        self.assertTrue(all(e["workload"] == "cpu" and e["repetition"] == 2 and e["src"] == "playbook" for e in evs))
        self.assertIn("ssh: connect refused", evs[1]["message"])

    def test_a_failure_reason_a_user_can_act_on(self):
        # Issue 29: reasons ended in raw LB_EVENT lines, a loop's said "All items completed", an unreachable host's
        # ended in "...reached over ssh: " with nothing after it.
        ev = "LB_EVENT " + json.dumps(dict(EV, seq=9))
        self.assertEqual("agent exited 3\n(1 LB_EVENT line left out: delivered as events)",
                         lb_events.failure_reason({"msg": "agent exited 3\n" + ev}))
        self.assertEqual("openjdk-17 not found; disk full",
                         lb_events.failure_reason({"msg": "All items completed", "results": [
                             {"msg": "ok"}, {"failed": True, "msg": "openjdk-17 not found"},
                             {"failed": True, "msg": "", "stderr": "disk full"}]}))
        self.assertEqual('Data could not be sent to remote host "127.0.0.1". Make sure this host can be reached over'
                         ' ssh: (nothing more was said)', lb_events.failure_reason(
                             {"msg": 'Data could not be sent to remote host "127.0.0.1". Make sure this host can be'
                                     ' reached over ssh: ', "unreachable": True}))
        self.assertEqual("boom", lb_events.failure_reason({"stderr": "boom\n"}))

    def test_a_failure_the_module_names_keeps_its_error_type(self):
        self.cb.v2_playbook_on_play_start(FakePlay({"run_id": "r"}))
        self.cb.v2_runner_on_failed(Result({"msg": "this target is in use by run r0", "lb_error_type": "target_busy"},
                                           task="Hold the target for this run"))
        self.cb.v2_runner_on_failed(Result({"msg": "boom"}, task="other"))
        evs = [json.loads(l[len("LB_EVENT "):]) for l in self.lines()]
        self.assertEqual(["target_busy", "task_failed"], [e["error_type"] for e in evs])

    def test_each_step_of_a_wait_for_a_busy_target_is_a_notice_naming_the_holder(self):
        self.cb.v2_playbook_on_play_start(FakePlay({"run_id": "r"}))
        waiting = "waiting for this target (5 s of up to 90 s, --wait-for-targets): in use by run r0"
        self.cb.v2_runner_retry(Result({"msg": waiting, "lb_waiting": True, "failed": True}, task="Hold the target"))
        self.cb.v2_runner_retry(Result({"msg": "other retry", "failed": True}, task="poll"))
        evs = [json.loads(l[len("LB_EVENT "):]) for l in self.lines()]
        self.assertEqual(1, len(evs), "only the lock's waiting steps are notices: %s" % evs)
        self.assertEqual(("running", "log", "WARNING", waiting, "playbook", 1),
                         (evs[0]["status"], evs[0]["type"], evs[0]["level"], evs[0]["message"], evs[0]["src"],
                          evs[0]["seq"]))
        self.assertNotIn("error_type", evs[0])

    def test_an_error_inside_the_plugin_is_a_diagnostic_never_raised(self):
        class Broken(object):
            _host = None
        self.cb.v2_runner_on_ok(Broken())
        recs = self.records()
        self.assertEqual("diagnostic", recs[0]["kind"])
        self.assertIn("AttributeError", recs[0]["error"])

    def test_payloads_are_never_judged_here_whatever_they_hold(self):
        bad = ["LB_EVENT {\"host\": ", "LB_EVENT {\"a\" 1}", "LB_EVENT [1]", "LB_EVENT", "LB_EVENT garbage",
               'LB_EVENT {"host": "h\x07"}']
        self.cb.v2_runner_on_ok(Result({"lb_events": bad}))
        self.assertEqual(bad, self.lines(), "forwarded for the controller's decoder to judge")
        self.assertEqual({"line"}, set(r["kind"] for r in self.records()))

    def test_skipped_stream_lines_are_counted(self):
        self.cb.v2_runner_retry(Result({"lb_events": [], "skipped_lines": 3}))
        self.assertEqual([("skipped", 3)], [(r["kind"], r["count"]) for r in self.records()])

    def test_stats_record_at_the_end(self):
        self.cb.v2_runner_on_ok(Result({"lb_events": [LINE]}))
        self.cb.v2_playbook_on_stats(None)
        recs = self.records()
        self.assertEqual({"kind": "stats", "events": 1, "diagnostics": 0, "jsonl_failures": 0,
                          "echo_failures": 0},
                         dict((k, v) for k, v in recs[-1].items() if k != "ts"))

    def test_without_the_environment_variable_it_does_nothing(self):
        os.environ.pop("LB_EVENT_LOG_PATH")
        cb = lb_events.CallbackModule()
        cb._display = FakeDisplay()
        cb.v2_runner_on_ok(Result({"lb_events": [LINE]}))
        self.assertIsNone(cb._fd)
        self.assertEqual(0, os.path.getsize(self.path), "nothing written anywhere")


class IndependentPathsTest(unittest.TestCase):
    """A full disk under the JSONL file never costs the stdout echo, a broken stdout never costs the file."""
    setUp = CallbackTest.setUp
    tearDown = CallbackTest.tearDown

    def events(self, n):
        for i in range(1, n + 1):
            self.cb.v2_runner_retry(Result({"lb_events": ["LB_EVENT " + json.dumps(dict(EV, seq=i))]}))

    def test_a_jsonl_write_failing_part_way_leaves_whole_records_and_every_event_echoed(self):
        real = os.write
        budget = [0]

        def full_disk(fd, data):
            # room for two records, then part of the third, then ENOSPC
            if budget[0] >= 2:
                real(fd, data[:7])
                raise OSError(28, "No space left on device")
            budget[0] += 1
            return real(fd, data)
        self.cb._os_write = full_disk
        self.events(5)
        self.cb.v2_playbook_on_stats(None)
        with open(self.path) as f:
            text = f.read()
        self.assertTrue(text.endswith("\n"), "no torn record")
        self.assertEqual([1, 2], [json.loads(r["line"][9:])["seq"] for r in read_records(self.path)])
        echoed = [json.loads(l[9:])["seq"] for l in self.cb._display.lines if l.startswith("LB_EVENT ")]
        self.assertEqual([1, 2, 3, 4, 5], echoed)
        said = [l for l in self.cb._display.lines if l.startswith("[lb_events] ")]
        self.assertEqual(2, len(said), said)
        self.assertIn("No space left on device", said[0])
        self.assertIn("3 of 5 events were not written", said[1])
        self.assertIn("each was echoed to stdout", said[1])

    def test_a_failing_echo_is_said_once_in_the_file_and_every_event_is_written(self):
        def broken(msg, *a, **kw):
            raise BrokenPipeError(32, "Broken pipe")
        self.cb._display.display = broken
        self.events(4)
        self.cb.v2_playbook_on_stats(None)
        records = read_records(self.path)
        self.assertEqual([1, 2, 3, 4], [json.loads(r["line"][9:])["seq"] for r in records if r["kind"] == "line"])
        warnings = [r["warning"] for r in records if r["kind"] == "warning"]
        self.assertEqual(1, len(warnings), warnings)
        self.assertIn("Broken pipe", warnings[0])
        stats = [r for r in records if r["kind"] == "stats"][0]
        self.assertEqual((4, 0, 4), (stats["events"], stats["jsonl_failures"], stats["echo_failures"]))

    def test_records_that_are_not_events_are_said_on_stdout_once_the_file_failed(self):
        def full(fd, data):
            raise OSError(28, "No space left on device")
        self.cb._os_write = full
        self.cb.v2_runner_retry(Result({"lb_events": ["LB_EVENT {bad"], "lb_warnings": ["stream.log shrank"],
                                        "skipped_lines": 2}))
        said = [l for l in self.cb._display.lines if l.startswith("[lb_events] ")]
        self.assertTrue(any("h: 2 non-event lines" in l for l in said), said)
        self.assertTrue(any("h: stream.log shrank" in l for l in said), said)
        self.assertIn("LB_EVENT {bad", self.cb._display.lines, "the line itself is still echoed")


class EventLinesTest(unittest.TestCase):
    def test_a_line_with_the_marker_twice_is_one_line(self):
        self.assertEqual([LINE + " and " + LINE], lb_events.event_lines({"msg": LINE + " and " + LINE}))

    def test_the_marker_as_a_word_is_forwarded_for_the_controller_to_tell(self):
        self.assertEqual(["TASK [Poll LB_EVENT stream]"], lb_events.event_lines({"msg": "TASK [Poll LB_EVENT stream]"}))

    def test_text_lines_are_read_once_from_stdout_or_else_stdout_lines(self):
        self.assertEqual([LINE], lb_events.event_lines({"stdout": "a\n" + LINE, "stdout_lines": ["a", LINE]}))
        self.assertEqual([LINE], lb_events.event_lines({"stdout_lines": ["a", LINE]}))

    def test_a_polled_line_holding_a_newline_is_split_so_the_file_stays_framed(self):
        self.assertEqual([LINE, LINE], lb_events.event_lines({"lb_events": [LINE + "\n" + LINE]}))
        self.assertEqual([LINE, LINE], lb_events.event_lines({"lb_events": [LINE, LINE]}))


if __name__ == "__main__":
    unittest.main()
