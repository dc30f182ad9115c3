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
        with open(self.path) as f:
            return [json.loads(l) for l in f]

    def test_events_from_every_field_and_every_hook_each_once(self):
        evs = [dict(EV, seq=i) for i in range(1, 8)]
        lines = ["LB_EVENT " + json.dumps(e) for e in evs]
        self.cb.v2_runner_retry(Result({"lb_events": [lines[0], lines[1]]}))
        self.cb.v2_runner_on_ok(Result({"msg": lines[2]}))
        self.cb.v2_runner_item_on_ok(Result({"stdout": "noise\n" + lines[3]}))
        self.cb.v2_runner_on_skipped(Result({"stderr_lines": [lines[4]]}))
        self.cb.v2_runner_item_on_failed(Result({"stderr": lines[5]}))
        self.cb.v2_runner_on_failed(Result({"msg": "x " + lines[6], "results": [{"msg": lines[0]}]}), ignore_errors=True)
        got = [r["event"] for r in self.records() if r["kind"] == "event"]
        self.assertEqual(evs, got)
        self.assertEqual(7, sum(1 for l in self.cb._display.lines if l.startswith("LB_EVENT ")))

    def test_poll_warnings_are_recorded(self):
        self.cb.v2_runner_retry(Result({"lb_events": [], "lb_warnings": ["stream.log shrank (truncated)"]}))
        self.assertEqual([("warning", "stream.log shrank (truncated)")],
                         [(r["kind"], r["warning"]) for r in self.records()])

    def test_echo_is_readable_by_the_extractor_form(self):
        self.cb.v2_runner_on_ok(Result({"lb_events": [LINE]}))
        echoed = self.cb._display.lines[0]
        self.assertEqual(EV, json.loads(echoed[len("LB_EVENT "):]))

    def test_failed_task_becomes_an_event_of_the_current_repetition(self):
        self.cb.v2_playbook_on_play_start(FakePlay({"run_id": "r", "workload": "cpu", "repetition": 2,
                                                    "total_repetitions": 3}))
        self.cb.v2_runner_on_failed(Result({"msg": "boom"}, task="start the agent"))
        self.cb.v2_runner_on_unreachable(Result({"msg": "ssh: connect refused"}, task="poll"))
        evs = [r["event"] for r in self.records() if r["kind"] == "event"]
        self.assertEqual(["failed", "unreachable"], [e["status"] for e in evs])
        self.assertEqual([1, 2], [e["seq"] for e in evs])
        self.assertTrue(all(e["workload"] == "cpu" and e["repetition"] == 2 and e["src"] == "playbook" for e in evs))
        self.assertIn("ssh: connect refused", evs[1]["message"])

    def test_an_error_inside_the_plugin_is_a_diagnostic_never_raised(self):
        class Broken(object):
            _host = None
        self.cb.v2_runner_on_ok(Broken())
        recs = self.records()
        self.assertEqual("diagnostic", recs[0]["kind"])
        self.assertIn("AttributeError", recs[0]["error"])

    def test_invalid_json_after_marker_is_a_rejected_record_with_its_reason(self):
        self.cb.v2_runner_on_ok(Result({"lb_events": ["LB_EVENT {\"host\": ", "LB_EVENT {\"a\" 1}", "LB_EVENT [1]"]}))
        self.assertEqual(3, self.cb._rejected)
        self.assertEqual(["truncated JSON", "malformed JSON", "not a JSON object"],
                         [r["reason"] for r in self.records()])
        self.assertTrue(all(r["kind"] == "rejected" and r["host"] == "h" for r in self.records()))

    def test_skipped_stream_lines_are_counted(self):
        self.cb.v2_runner_retry(Result({"lb_events": [], "skipped_lines": 3}))
        self.assertEqual([("skipped", 3)], [(r["kind"], r["count"]) for r in self.records()])

    def test_stats_record_at_the_end(self):
        self.cb.v2_runner_on_ok(Result({"lb_events": [LINE]}))
        self.cb.v2_playbook_on_stats(None)
        with open(self.path) as f:
            recs = [json.loads(l) for l in f]
        self.assertEqual({"kind": "stats", "events": 1, "diagnostics": 0, "rejected": 0, "jsonl_failures": 0,
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
        self.assertEqual([1, 2], [json.loads(l)["event"]["seq"] for l in text.splitlines()])
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
        with open(self.path) as f:
            records = [json.loads(l) for l in f]
        self.assertEqual([1, 2, 3, 4], [r["event"]["seq"] for r in records if r["kind"] == "event"])
        warnings = [r["warning"] for r in records if r["kind"] == "warning"]
        self.assertEqual(1, len(warnings), warnings)
        self.assertIn("Broken pipe", warnings[0])
        stats = [r for r in records if r["kind"] == "stats"][0]
        self.assertEqual((4, 0, 4), (stats["events"], stats["jsonl_failures"], stats["echo_failures"]))

    def test_records_that_are_not_events_are_said_on_stdout_once_the_file_failed(self):
        def full(fd, data):
            raise OSError(28, "No space left on device")
        self.cb._os_write = full
        self.cb.v2_runner_retry(Result({"lb_events": ["LB_EVENT {bad"], "lb_warnings": ["stream.log shrank"]}))
        said = [l for l in self.cb._display.lines if l.startswith("[lb_events] ")]
        self.assertTrue(any("rejected a payload" in l for l in said), said)
        self.assertTrue(any("h: stream.log shrank" in l for l in said), said)


class FindPayloadsTest(unittest.TestCase):
    def test_marker_inside_a_string_value_is_not_a_payload(self):
        found, rejected = lb_events.find_payloads(LINE + " and " + LINE)
        self.assertEqual([EV, EV], found)
        self.assertEqual([], rejected)

    def test_marker_as_a_word_is_ignored(self):
        self.assertEqual(([], []), lb_events.find_payloads("TASK [Poll LB_EVENT stream]"))


if __name__ == "__main__":
    unittest.main()
