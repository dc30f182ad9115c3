"""lb_agent_archive, with a stand-in java (a script that writes what -XX:ArchiveClassesAtExit names, or not)."""
import os
import shutil
import stat
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "roles", "workload_runner", "library"))
import lb_agent_archive as m  # noqa: E402

VERSION = 'openjdk version "17.0.15" 2025-04-15\nOpenJDK Runtime Environment (build 17.0.15+6-Debian-1deb12u1)\n'


class AgentArchiveTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp()
        self.jar = os.path.join(self.dir, "lb-agent.jar")
        open(self.jar, "w").close()

    def tearDown(self):
        shutil.rmtree(self.dir)

    def java(self, body):
        path = os.path.join(self.dir, "java")
        with open(path, "w") as f:
            f.write("#!/bin/sh\n" + body + "\n")
        os.chmod(path, stat.S_IRWXU)
        return path

    def test_the_archive_is_made_once_named_by_jar_and_java_and_private(self):
        calls = os.path.join(self.dir, "calls")
        java = self.java('echo x >> %s; for a in "$@"; do case "$a" in -XX:ArchiveClassesAtExit=*) '
                         'echo archive > "${a#-XX:ArchiveClassesAtExit=}";; esac; done' % calls)
        first = m.ensure(java, ["-Xmx256m"], self.jar, "ab" * 32, VERSION)
        self.assertEqual(os.path.join(self.dir, "ab" * 16 + "-17.0.15.jsa"), first["archive"])
        self.assertTrue(first["created"])
        self.assertEqual(0o600, stat.S_IMODE(os.stat(first["archive"]).st_mode))
        second = m.ensure(java, ["-Xmx256m"], self.jar, "ab" * 32, VERSION)
        self.assertEqual({"archive": first["archive"], "created": False, "reason": None}, second)
        self.assertEqual(1, len(open(calls).read().split()), "one dump start, then the archive is reused")
        self.assertEqual(sorted(["lb-agent.jar", "ab" * 16 + "-17.0.15.jsa", "calls", "java"]), sorted(os.listdir(self.dir)),
                         "no temporary directory left behind")

    def test_a_dump_that_writes_nothing_is_a_reason_not_a_failure(self):
        java = self.java('echo "Error: dump failed"; exit 1')
        result = m.ensure(java, [], self.jar, "cd" * 32, VERSION)
        self.assertIsNone(result["archive"])
        self.assertEqual("the dump start (exit 1) wrote no archive: Error: dump failed", result["reason"])

    def test_an_unreadable_java_version_makes_no_archive(self):
        result = m.ensure(self.java("exit 0"), [], self.jar, "ef" * 32, "java: not found")
        self.assertEqual({"archive": None, "created": False, "reason": "the Java version could not be read"}, result)


if __name__ == "__main__":
    unittest.main()
