"""lb_tool_check, on real files and real processes: programs are found as the agent finds them (execvp's rule)."""
import os
import shutil
import stat
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "roles", "workload_runner", "library"))
import lb_tool_check as m  # noqa: E402


class ToolCheckTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp()

    def tearDown(self):
        shutil.rmtree(self.dir)

    def program(self, name, script):
        path = os.path.join(self.dir, name)
        with open(path, "w") as f:
            f.write("#!/bin/sh\n" + script + "\n")
        os.chmod(path, stat.S_IRWXU)
        return path

    def tool(self, **kw):
        t = {"label": "stress-ng", "kind": "tool", "executable": "stress-ng", "version_args": ["--version"],
             "package": "stress-ng", "path": None, "cwd": None}
        t.update(kw)
        return t

    def test_a_tool_on_path_is_found_with_its_version_line(self):
        path = self.program("stress-ng", 'echo; echo "stress-ng, version 0.15.06 ($1)"; echo second line')
        answer = m.check(self.tool(), {"PATH": "/nonexistent:" + self.dir})
        self.assertEqual((True, path, "stress-ng, version 0.15.06 (--version)", ""),
                         (answer["found"], answer["path"], answer["version"], answer["error"]))

    def test_the_workloads_own_path_wins_over_the_targets(self):
        self.program("fio", "echo fio-3.33")
        answer = m.check(self.tool(label="fio", executable="fio", path=self.dir), {"PATH": "/nonexistent"})
        self.assertEqual("fio-3.33", answer["version"])
        self.assertEqual(self.dir, answer["PATH"])

    def test_a_missing_tool_is_reported_with_the_path_searched_and_its_package_to_install(self):
        result = m.check_all([self.tool()], {"PATH": self.dir})
        self.assertEqual(False, result["tools"][0]["found"])
        self.assertEqual("not on PATH", result["tools"][0]["why"])
        self.assertEqual(["stress-ng"], result["missing_packages"])
        self.assertEqual(["stress-ng not found (not on PATH; PATH=%s) even after installing the package stress-ng"
                          % self.dir], result["problems"])

    def test_a_directory_or_a_file_that_is_not_executable_is_not_the_program(self):
        os.mkdir(os.path.join(self.dir, "sysbench"))
        with open(os.path.join(self.dir, "k6"), "w") as f:
            f.write("not executable")
        self.assertEqual((None, "not on PATH"), m.find("sysbench", self.dir, None))
        self.assertEqual((None, "not on PATH"), m.find("k6", self.dir, None))

    def test_a_path_with_a_slash_is_relative_to_the_working_directory_and_never_searched(self):
        path = self.program("gen", "exit 0")
        self.assertEqual((path, ""), m.find("./gen", "/usr/bin", self.dir))
        self.assertEqual(None, m.find("./gen", self.dir, None)[0])
        self.assertEqual((None, "no executable file at /nonexistent/gen"), m.find("/nonexistent/gen", self.dir, None))

    def test_k6_is_never_installed_and_says_so(self):
        result = m.check_all([self.tool(label="k6", kind="k6", executable="k6", version_args=["version"],
                                        package=None)], {"PATH": self.dir})
        self.assertEqual([], result["missing_packages"])
        self.assertIn("k6 is not a Debian package, install_tools does not install it", result["problems"][0])

    def test_a_command_is_only_looked_for_never_run_and_never_a_problem(self):
        marker = os.path.join(self.dir, "ran")
        self.program("mycmd", "touch " + marker)
        found = m.check_all([self.tool(label="mycmd", kind="command", executable="mycmd", version_args=[],
                                       package=None)], {"PATH": self.dir})
        self.assertEqual(True, found["tools"][0]["found"])
        self.assertFalse(os.path.exists(marker))
        missing = m.check_all([self.tool(label="nope", kind="command", executable="nope", version_args=[],
                                         package=None)], {"PATH": self.dir})
        self.assertEqual(([], []), (missing["missing_packages"], missing["problems"]))

    def test_a_tool_that_fails_its_version_is_a_problem_with_what_it_said(self):
        self.program("sysbench", 'echo "error while loading shared libraries" >&2; exit 127')
        result = m.check_all([self.tool(label="sysbench", executable="sysbench", package="sysbench")],
                             {"PATH": self.dir})
        self.assertEqual("'%s/sysbench --version' exited with 127: error while loading shared libraries" % self.dir,
                         result["tools"][0]["error"])
        self.assertEqual([], result["missing_packages"])
        self.assertTrue(result["problems"][0].startswith("sysbench does not run: "), result["problems"])

    def test_output_is_cut_to_one_line_of_200_characters_and_a_hung_tool_is_given_up_on(self):
        path = self.program("fio", "printf 'x%.0s' $(seq 1 500); echo; echo second")
        self.assertEqual("x" * 200 + "...", m.version(path, ["--version"])[0])
        slow = self.program("slow", "sleep 30")
        self.assertEqual(("", "'%s --version' did not finish within 1 s" % slow), m.version(slow, ["--version"], 1))

    def test_arguments_go_as_argv_never_through_a_shell(self):
        path = self.program("tool", 'echo "[$1]"')
        self.assertEqual("[$(touch x); echo hi]", m.version(path, ["$(touch x); echo hi"])[0])


class DecodeToolsTest(unittest.TestCase):
    def test_the_controllers_base64_list_comes_back_as_written(self):
        import base64
        import json
        tools = [{"label": "{{ lookup('pipe','id') }}", "kind": "command", "executable": "{{ lookup('pipe','id') }}"}]
        self.assertEqual(tools, m.decode_tools(base64.b64encode(json.dumps(tools).encode()).decode()))

    def test_anything_else_is_refused_with_a_reason(self):
        with self.assertRaises(ValueError):
            m.decode_tools("not base64!")
        with self.assertRaises(ValueError):
            m.decode_tools("eyJhIjogMX0=")  # {"a": 1}: not a list


if __name__ == "__main__":
    unittest.main()
