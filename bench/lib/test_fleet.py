"""The fleet bench's readers and the sampler's accounting, on made-up run directories and a real process tree."""
import json
import os
import subprocess
import sys
import tempfile
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import fleet  # noqa: E402
import lbbench as lb  # noqa: E402


def record(host, seq, ts, stream="stdout", src="agent", path="stdout"):
    e = {"v": 1, "host": host, "workload": "paced", "repetition": 1, "src": src, "seq": seq, "ts": ts}
    if stream:
        e["stream"] = stream
    return json.dumps({"received": ts + 0.5, "path": path, "event": e})


class FleetReadersTest(unittest.TestCase):
    def setUp(self):
        self.run_dir = tempfile.mkdtemp(prefix="fleet-test-")

    def write(self, name, lines):
        with open(os.path.join(self.run_dir, name), "w") as f:
            f.write("\n".join(lines) + "\n")

    def test_a_missing_seq_is_a_gap_named_by_host_and_range_and_a_repeated_seq_a_duplicate(self):
        self.write("journal.jsonl", [record("ssh-1", 1, 10.0, stream=None), record("ssh-1", 2, 10.1),
                                     record("ssh-1", 5, 10.4), record("ssh-1", 5, 10.4, path="jsonl"),
                                     record("ssh-2", 1, 11.0, stream=None), record("ssh-2", 2, 11.2)])
        stdout, ids, span, paths, gaps, duplicates = fleet.read_journal(self.run_dir)
        self.assertEqual([{"host": "ssh-1", "workload": "paced", "repetition": 1, "src": "agent", "missing": 2,
                           "first_missing": 3, "last_missing": 4, "last_seq": 5}], gaps)
        self.assertEqual(1, duplicates)
        self.assertEqual({(1, 2), (1, 5)}, ids["ssh-1"])
        self.assertEqual([10.0, 10.4], span["ssh-1"])
        self.assertEqual({"stdout": 5, "jsonl": 1}, paths)

    def test_poll_rounds_count_the_retries_of_poll_tasks_only_per_host(self):
        self.write("ansible.log", [
            "FAILED - RETRYING: [ssh-1]: poll paced 1/1 (1000000000 retries left).",
            "FAILED - RETRYING: [ssh-2]: poll paced 1/1 (1000000000 retries left).",
            "FAILED - RETRYING: [ssh-1]: poll paced 1/1 (999999999 retries left).",
            "FAILED - RETRYING: [ssh-1]: workload_runner : poll paced 1/1 (999999998 retries left).",
            "FAILED - RETRYING: [ssh-1]: Deliver the last container events (19 retries left).",
            'LB_EVENT {"message": "FAILED - RETRYING: [ssh-1]: poll x (1 retries left)."}'])
        self.assertEqual({"ssh-1": 3, "ssh-2": 1}, fleet.poll_rounds(self.run_dir))


class SamplerTest(unittest.TestCase):
    def test_children_that_live_and_die_between_two_samples_are_counted_in_the_tree(self):
        # A "controller" that starts ten short CPU-burning children one after the other, each reaped before the
        # next: with one sample a second almost none of them is ever seen alive.
        code = ("import subprocess, sys\n"
                "for _ in range(10):\n"
                "    subprocess.run([sys.executable, '-c', 'import time\\nt = time.process_time()\\n"
                "while time.process_time() - t < 0.15: pass'])\n")
        p = subprocess.Popen([sys.executable, "-c", code])
        s = lb.Sampler(p.pid, interval=1.0)
        s.start()
        os.waitid(os.P_PID, p.pid, os.WEXITED | os.WNOWAIT)
        s.stop()
        p.wait()
        cpu = s.cpu_seconds()
        self.assertGreaterEqual(cpu["ansible"], 1.4)
        self.assertLess(cpu["ansible"], 3.0)


if __name__ == "__main__":
    unittest.main()
