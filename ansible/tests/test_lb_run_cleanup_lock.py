"""lb_run_cleanup's release of the target lock, on real files: hosts of one machine and target root share the lock,
and each host's cleanup releases it, so one of them finds it already gone."""
import json
import os
import shutil
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "roles", "workload_runner", "library"))
import lb_run_cleanup as m  # noqa: E402


class ReleaseLockTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp()
        self.path = os.path.join(self.dir, "lb.lock.json")
        with open(self.path, "w") as f:
            json.dump({"run_id": "r1", "attempt": "a1", "controller": "ctl"}, f)

    def tearDown(self):
        shutil.rmtree(self.dir)

    def test_the_holder_releases_it(self):
        self.assertTrue(m.release_lock(self.path, "r1", "a1"))
        self.assertFalse(os.path.exists(self.path))

    def test_another_run_leaves_it(self):
        self.assertFalse(m.release_lock(self.path, "r2", "a1"))
        self.assertTrue(os.path.exists(self.path))

    def test_a_lock_already_released_is_no_error(self):
        self.assertTrue(m.release_lock(self.path, "r1", "a1"))
        self.assertFalse(m.release_lock(self.path, "r1", "a1"))

    def test_a_lock_another_host_releases_between_reading_and_removing_is_no_error(self):
        # The interleaving of ten local hosts' cleanups seen in bench/export-cost.sh: both read the lock as theirs,
        # the other removes it first.
        real_load = m.json.load

        def load_then_the_other_host_releases(f):
            holder = real_load(f)
            os.unlink(self.path)
            return holder

        m.json.load = load_then_the_other_host_releases
        try:
            self.assertFalse(m.release_lock(self.path, "r1", "a1"))
        finally:
            m.json.load = real_load
        self.assertFalse(os.path.exists(self.path))


if __name__ == "__main__":
    unittest.main()
