# -*- coding: utf-8 -*-
"""lb_events: forwards every line that carries LB_EVENT in a task result to the run's JSONL file and to stdout.

Self-contained (Python standard library and ansible.* only), configured only through environment variables:

  LB_EVENT_LOG_PATH   the JSONL file to append to (required; without it the plugin does nothing)
  LB_EVENT_ECHO       "0" to not echo the lines to stdout (default: echo, so the stdout path has them too)

The plugin frames lines and never reads their payloads: the controller's decoder is the only judge of a payload
(docs/design.md, "Where validation happens"), so a payload is accepted or rejected for the same reason live and by
`lb events parse` on the stream file. A line is forwarded exactly as it came: written to the file after a one-line
header, echoed to stdout as it is. Nothing is decoded or encoded per event.

The two paths fail independently: a record that cannot be written (a full disk) is cut back to the file's last
whole record, the file is given up and the failure said on stdout as a "[lb_events] ..." line; an echo that fails
is said once as a warning record in the file.

Each line of the JSONL file is one record:
  {"kind": "line", "host": ..., "task": ..., "hook": ..., "seen": epoch seconds} LB_EVENT {...}
      a forwarded line: a JSON header, one space, then the line exactly as the task result held it
  {"kind": "warning", "host": ..., "warning": ...}                   a poll step's warning (truncated stream, ...)
  {"kind": "skipped", "host": ..., "count": N}                     non-event lines a poll step passed over
  {"kind": "diagnostic", "error": ..., "hook": ..., "count": N}     an error inside this plugin, never raised
  {"kind": "stats", "events": N, "diagnostics": N, ...}            at the end of the playbook (events: lines forwarded)

Lines are looked for in the poll module's lb_events (whole lines already) and in msg, stdout and stderr (split into
lines; stdout_lines and stderr_lines only when their text is absent), in every result: ok, failed, unreachable,
skipped, each until-retry and each loop item. A failed task or an unreachable host inside the role becomes an event
of its own (src "playbook") with the host, workload and repetition of the repetition it belongs to (the lb_current
fact).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: lb_events
type: notification
short_description: forwards LB_EVENT lines from task results to a JSONL file and to stdout
description:
  - Finds the lines that carry LB_EVENT in every task result (ok, failed, unreachable, skipped, retries, loop items)
    and appends each, unparsed, to the file named by LB_EVENT_LOG_PATH after a one-line JSON header, flushed per
    task result; echoes them to stdout as they are.
requirements:
  - LB_EVENT_LOG_PATH set in the environment
"""

import binascii
import json
import os
import threading
import time

from ansible.plugins.callback import CallbackBase

MARKER = "LB_EVENT"
TEXT_FIELDS = (("msg", None), ("stdout", "stdout_lines"), ("stderr", "stderr_lines"))


def event_lines(result):
    """The lines of a task result that carry the marker, in the order the result holds them, never parsed."""
    found = []
    polled = result.get("lb_events")
    if isinstance(polled, list) and polled:
        # The poll module's lines are whole lines of the stream file. One joined text is checked for a stray newline
        # instead of each line: a string holding one would break the file's framing, so that (never seen) case is
        # split like any other text.
        text = "\n".join(l for l in polled if isinstance(l, str))
        if text.count("\n") == len(polled) - 1:
            found.extend(polled)
        else:
            found.extend(l for l in text.split("\n") if MARKER in l)
    for field, lines_field in TEXT_FIELDS:
        value = result.get(field)
        if value is None and lines_field:
            value = result.get(lines_field)
        for text in value if isinstance(value, list) else [value]:
            if isinstance(text, str) and MARKER in text:
                found.extend(l for l in text.split("\n") if MARKER in l)
    return found


def failure_reason(result, depth=0):
    """The reason of a failed or unreachable task, as a user can act on it (at most 2000 characters).

    A loop's "All items completed" is replaced by its failed items' reasons; a reason that ends in a colon with nothing
    after it (Ansible's "Make sure this host can be reached over ssh: " when ssh said nothing) gets the task's stderr,
    or says that nothing was said; LB_EVENT lines (delivered as events of their own) are left out of it.
    """
    msg = str(result.get("msg") or "").strip()
    items = result.get("results")
    if depth < 2 and isinstance(items, list) and (not msg or msg == "All items completed"):
        failed = [r for r in items if isinstance(r, dict) and (r.get("failed") or r.get("unreachable"))]
        inner = "; ".join(x for x in (failure_reason(r, depth + 1) for r in failed[:3]) if x)
        if inner:
            msg = inner + (" (and %d more items)" % (len(failed) - 3) if len(failed) > 3 else "")
    extra = str(result.get("stderr") or result.get("module_stderr") or "").strip()
    if not msg:
        msg = extra
    elif msg.endswith(":"):
        msg = msg + " " + (extra or "(nothing more was said)")
    lines = msg.splitlines()
    kept = [line for line in lines if MARKER not in line]
    if len(kept) < len(lines):
        kept.append("(%d LB_EVENT line%s left out: delivered as events)" % (len(lines) - len(kept),
                                                                         "" if len(lines) - len(kept) == 1 else "s"))
    return "\n".join(kept)[:2000]


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = "notification"
    CALLBACK_NAME = "lb_events"
    CALLBACK_NEEDS_ENABLED = True

    def __init__(self, *args, **kwargs):
        super(CallbackModule, self).__init__(*args, **kwargs)
        self._path = os.environ.get("LB_EVENT_LOG_PATH")
        self._echo = os.environ.get("LB_EVENT_ECHO", "1") not in ("0", "false", "no")
        self._lock = threading.Lock()
        self._fd = None
        self._os_write = os.write  # a test makes it fail part-way, as a full disk does
        self._whole = 0  # bytes of the JSONL file that are whole records
        self._events = 0
        self._diagnostics = 0
        self._jsonl_failures = 0
        self._jsonl_events = 0
        self._echo_failures = 0
        self._playbook_seq = {}
        self._play = None
        # Our own events restart seq at 1 in every ansible-playbook process (the benchmark, stop.yml, finish.yml,
        # each lb recover): outside the benchmark playbook, src names the playbook and this process, so two of its
        # events are never taken for one.
        self._src = "playbook"
        if self._path:
            try:
                self._fd = os.open(self._path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
                self._whole = os.fstat(self._fd).st_size
                self._end_torn_record()
            except (IOError, OSError) as e:
                self._fd = None
                self._jsonl_failures += 1
                self._say("cannot open %s: %s; events reach the controller by stdout only" % (self._path, e))

    def _end_torn_record(self):
        """A file left by a playbook killed in the middle of a write ends inside a record: a newline first, so that
        the torn record stays a line of its own and the next record is not read as its rest."""
        if self._whole == 0:
            return
        with open(self._path, "rb") as f:
            f.seek(self._whole - 1)
            last = f.read(1)
        if last != b"\n":
            self._write_bytes(b"\n")

    # ---- writing -----------------------------------------------------------------------------------------------
    # The two paths fail independently: a JSONL write that fails never skips the stdout echo, an echo that fails
    # never skips the JSONL write. Each failure is counted and said once, on the other path.

    def _say(self, message):
        """One unwrapped stdout line the controller collects into the run summary's transport warnings."""
        try:
            self._display.display("[lb_events] " + message)
        except Exception:  # stdout itself is gone: the JSONL file still gets the warning (see _echo_event)
            pass

    def _write(self, record):
        """True when the record is in the file whole."""
        return self._write_bytes((json.dumps(record, ensure_ascii=True, separators=(",", ":")) + "\n").encode("ascii"))

    def _write_bytes(self, data):
        """One write(2) of whole records (several lines of one task result at once); True when all are in the file."""
        if self._fd is None:
            return False
        with self._lock:
            try:
                done = 0
                while done < len(data):
                    done += self._os_write(self._fd, data[done:])
                self._whole += len(data)
                return True
            except OSError as e:
                self._jsonl_failed(e)
                return False

    def _jsonl_failed(self, error):
        """A full disk: cut the file back to its last whole record and stop writing it; stdout carries on."""
        self._jsonl_failures += 1
        cut = ""
        try:
            os.ftruncate(self._fd, self._whole)
        except OSError as e:
            cut = "; cutting it back to its last whole record failed: %s" % e
        try:
            os.close(self._fd)
        except OSError:
            pass  # the descriptor is given up either way; the write error above is what is reported
        self._fd = None
        self._say("cannot write %s after %d bytes (%s)%s; events reach the controller by stdout only"
                  % (self._path, self._whole, error.strerror or error, cut))

    def _diagnostic(self, hook, error):
        self._diagnostics += 1
        self._record({"kind": "diagnostic", "hook": hook, "error": error, "count": self._diagnostics,
                      "ts": round(time.time(), 6)}, "error in %s: %s" % (hook, error))

    def _record(self, record, said):
        """A record that is not an event: in the file, or said on stdout when the file cannot take it."""
        try:
            if self._write(record):
                return
        except Exception as e:  # never raise into Ansible; the record is said below instead
            said = "%s (and writing it failed: %s)" % (said, e)
        if self._path:
            self._say(said)

    def _forward(self, lines, host, task, hook):
        """The lines of one task result: one write to the file (each line after the same header), one echo."""
        self._events += len(lines)
        header = json.dumps({"kind": "line", "host": host, "task": task, "hook": hook, "seen": round(time.time(), 6)},
                            ensure_ascii=True, separators=(",", ":")) + " "
        data = header + ("\n" + header).join(lines) + "\n"
        if self._write_bytes(data.encode("utf-8", "replace")):
            self._jsonl_events += len(lines)
        if self._echo:
            self._echo_lines(lines, host)

    def _echo_lines(self, lines, host):
        """The lines exactly as they came, so that the controller reads the same text on both paths."""
        try:
            self._display.display("\n".join(lines))
        except Exception as e:
            self._echo_failures += 1
            if self._echo_failures == 1:
                self._write({"kind": "warning", "host": host, "task": "", "hook": "echo",
                             "warning": "lb_events: echoing events to stdout failed (%s: %s); events reach the"
                                        " controller by the JSONL file only" % (type(e).__name__, e),
                             "ts": round(time.time(), 6)})

    # ---- extraction --------------------------------------------------------------------------------------------

    def _scan_result(self, result_dict, host, task, hook):
        lines = event_lines(result_dict)
        if lines:
            self._forward(lines, host, task, hook)
        skipped = result_dict.get("skipped_lines")
        if isinstance(skipped, int) and skipped > 0:
            # Lines in a stream file without the marker: not events, but counted so that garbage is visible.
            self._record({"kind": "skipped", "host": host, "count": skipped, "ts": round(time.time(), 6)},
                         "%s: %d non-event lines in the stream file" % (host, skipped))
        for warning in result_dict.get("lb_warnings") or []:
            self._record({"kind": "warning", "host": host, "task": task, "hook": hook, "warning": str(warning),
                          "ts": round(time.time(), 6)}, "%s: %s" % (host, warning))
        # A loop's final result repeats its items in "results"; each item was already seen by an item hook, so
        # scanning "results" again would write every event twice.

    def _handle(self, hook, result, outcome=None):
        try:
            host = result._host.get_name()
            task = result._task.get_name() if result._task else ""
            self._scan_result(result._result, host, task, hook)
            if outcome is not None:
                self._playbook_event(host, task, outcome, result._result)
            elif hook == "retry" and result._result.get("lb_waiting"):
                # A step of a wait for a busy target (lb_target_lock): said live, naming the holder.
                self._playbook_event(host, task, "running", result._result)
        except Exception as e:
            self._diagnostic(hook, "%s: %s" % (type(e).__name__, e))

    def _current(self, host_name):
        """The repetition the host is in: the lb_current fact the role sets at the start of each one."""
        if self._play is None:
            return None
        try:
            vm = self._play.get_variable_manager()
            host = vm._inventory.get_host(host_name)
            return vm.get_vars(play=self._play, host=host, include_hostvars=False).get("lb_current")
        except Exception as e:
            self._diagnostic("lookup", "cannot read lb_current for %s: %s" % (host_name, e))
            return None

    def _run_id(self, host_name):
        """lb_run_id from the extra vars, for events outside a repetition (no lb_current yet)."""
        if self._play is None:
            return None
        try:
            vm = self._play.get_variable_manager()
            return vm.extra_vars.get("lb_run_id")
        except Exception as e:
            self._diagnostic("lookup", "cannot read lb_run_id for %s: %s" % (host_name, e))
            return None

    def _playbook_event(self, host, task, status, result):
        current = self._current(host) or {}
        if not current.get("run_id"):
            current = dict(current, run_id=self._run_id(host))
        key = (host, current.get("workload"), current.get("repetition"))
        self._playbook_seq[key] = self._playbook_seq.get(key, 0) + 1
        msg = failure_reason(result)
        event = {
            "v": 1, "run_id": current.get("run_id"), "host": host,
            "workload": current.get("workload") or "(setup)", "repetition": current.get("repetition") or 0,
            "total_repetitions": current.get("total_repetitions"), "status": status, "type": "status",
            "level": "ERROR", "src": self._src, "seq": self._playbook_seq[key], "ts": round(time.time(), 6),
            "message": "%s in task '%s': %s" % ("host unreachable" if status == "unreachable" else "task failed",
                                                task, msg),
            # A module may name its failure (lb_target_lock: target_busy); otherwise it is a failed task.
            "error_type": "unreachable" if status == "unreachable" else (result.get("lb_error_type") or "task_failed"),
            "error_context": {"task": task},
        }
        if status == "running":
            # A notice, not a failure (a step of a wait): the module's message as it is, a warning of the setup.
            event.update(type="log", level="WARNING", message=msg, error_type=None, total_repetitions=None)
        event = dict((k, v) for k, v in event.items() if v is not None)
        self._forward([MARKER + " " + json.dumps(event, ensure_ascii=True, separators=(",", ":"))], host, task,
                      "playbook")

    # ---- Ansible hooks -----------------------------------------------------------------------------------------

    def v2_playbook_on_start(self, playbook):
        name = os.path.basename(getattr(playbook, "_file_name", "") or "")
        if name and name != "run_benchmark.yml":
            self._src = "playbook[%s#%s]" % (name, binascii.hexlify(os.urandom(3)).decode())

    def v2_playbook_on_play_start(self, play):
        self._play = play

    def v2_runner_on_ok(self, result):
        self._handle("ok", result)

    def v2_runner_on_failed(self, result, ignore_errors=False):
        self._handle("failed", result, None if ignore_errors else "failed")

    def v2_runner_on_unreachable(self, result):
        self._handle("unreachable", result, "unreachable")

    def v2_runner_on_skipped(self, result):
        self._handle("skipped", result)

    def v2_runner_retry(self, result):
        self._handle("retry", result)

    def v2_runner_item_on_ok(self, result):
        self._handle("item_ok", result)

    def v2_runner_item_on_failed(self, result):
        self._handle("item_failed", result)

    def v2_runner_item_on_skipped(self, result):
        self._handle("item_skipped", result)

    def v2_playbook_on_stats(self, stats):
        self._write({"kind": "stats", "events": self._events, "diagnostics": self._diagnostics,
                     "jsonl_failures": self._jsonl_failures,
                     "echo_failures": self._echo_failures, "ts": round(time.time(), 6)})
        if self._path and self._jsonl_events < self._events:
            self._say("%d of %d events were not written to %s (%s); %s"
                      % (self._events - self._jsonl_events, self._events, self._path,
                         "the file failed" if self._jsonl_failures else "it was not open",
                         "each was echoed to stdout" if self._echo and not self._echo_failures
                         else "%d echoes to stdout failed too" % self._echo_failures))
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None
