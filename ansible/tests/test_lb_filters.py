"""The playbooks' filters: what they hand to lb-agent sysinfo."""

import os
import sys
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "filter_plugins"))

import lb_filters  # noqa: E402


class SysinfoToolArgsTest(unittest.TestCase):
    def test_a_tool_with_a_path_of_its_own_is_passed_and_one_on_path_is_not(self):
        tools = [
            {"label": "stress-ng", "kind": "tool", "executable": "stress-ng"},
            {"label": "fio (/opt/fio/bin/fio)", "kind": "tool", "executable": "/opt/fio/bin/fio"},
            {"label": "k6 (bin/k6)", "kind": "k6", "executable": "bin/k6", "cwd": "/srv/load/"},
            {"label": "./bench.sh", "kind": "command", "executable": "./bench.sh"},
        ]
        self.assertEqual(["--tool=fio=/opt/fio/bin/fio", "--tool=k6=/srv/load/bin/k6"],
                         lb_filters.lb_sysinfo_tool_args(tools))

    def test_no_tools_is_no_arguments(self):
        self.assertEqual([], lb_filters.lb_sysinfo_tool_args(None))
        self.assertEqual([], lb_filters.lb_sysinfo_tool_args("W10="))

    def test_the_controllers_base64_list_is_read_with_its_text_untouched(self):
        import base64
        import json
        tools = [{"label": "fio ({{ 'x' }})", "kind": "tool", "executable": "{{ 'x' }}"}]
        text = base64.b64encode(json.dumps(tools).encode()).decode()
        self.assertEqual(["--tool=fio={{ 'x' }}"], lb_filters.lb_sysinfo_tool_args(text))


class ClockReadingArgsTest(unittest.TestCase):
    def test_each_probe_gives_its_last_output_line_in_order(self):
        results = [{"stdout": "1700000000.100000 1700000000.150000123\r\n"},
                   {"stdout": "motd\n1700000000.200000 1700000000.240000000\n"}]
        self.assertEqual(["--clock-reading=1700000000.100000 1700000000.150000123",
                          "--clock-reading=1700000000.200000 1700000000.240000000"],
                         lb_filters.lb_clock_reading_args(results))

    def test_a_failed_probe_keeps_its_place_with_what_it_said(self):
        results = [{"stdout": "", "msg": "non-zero return code"}, {"stdout": "1 2"}]
        self.assertEqual(["--clock-reading=non-zero return code", "--clock-reading=1 2"],
                         lb_filters.lb_clock_reading_args(results))


if __name__ == "__main__":
    unittest.main()
