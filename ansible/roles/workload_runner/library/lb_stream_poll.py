#!/usr/bin/python3
# -*- coding: utf-8 -*-
"""lb_stream_poll: one poll step over the agent's event stream files (runs on the target).

Standard library only. Reads each stream file from its saved byte offset up to the last complete line and returns
the new LB_EVENT lines; saves the new offsets on the target before returning, so a following poll neither repeats
nor skips a line. Long-polls: waits up to wait_s for something new, returning batch_s after the first new line (at
once when batch_s is 0), which is how the poll interval stays short without Ansible's integer-only retry delay.
"""

DOCUMENTATION = r"""
module: lb_stream_poll
short_description: Return new LB_EVENT lines from lb agent stream files
options:
  run_dir: {type: path, required: true, description: The run's private directory on the target.}
  streams: {type: list, elements: path, description: Stream files; default run_dir/lb_events.stream.log.}
  offsets_file: {type: path, description: Where offsets are kept; default run_dir/stream.offsets.json.}
  wait_s: {type: float, default: 1.0, description: Longest wait for new lines before returning empty.}
  batch_s: {type: float, default: 0.0, description: "Once a new line is there, how much longer to gather more before
    returning (never past wait_s, never once max_bytes are read or the agent ended): under load it bounds the polls
    per second, each an SSH round trip, a python3 start here and a task result on the controller."}
  max_bytes: {type: int, default: 4194304, description: Most bytes returned by one poll; the rest come next poll.}
  watch_agent: {type: bool, default: true, description: Report finished (status file) and crashed (pid gone).}
  repetition_s: {type: float, description: "The repetition's deadline in seconds from its start (rep.started); none
    when absent. At the deadline the agent gets a STOP naming the time-out; if it has not ended stop_grace_s + 5 s
    later, it and its workload's process group are killed and the poll reports expired."}
  stop_grace_s: {type: float, default: 10, description: The agent's grace between TERM and KILL of its workload.}
  lock_file: {type: path, description: "The run's hold on the target (lb_target_lock); refreshed when it names attempt."}
  attempt: {type: str, description: The run attempt holding lock_file.}
  host: {type: str, description: Inventory name, for the crash event.}
  workload: {type: str, description: Workload name, for the crash event.}
  repetition: {type: int, description: Repetition, for the crash event.}
  total_repetitions: {type: int}
  run_id: {type: str}
"""

import errno
import os
import time

MARKER = b"LB_EVENT"
STATUS_FILE = "status.json"
PID_FILE = "agent.pid"
AGENT_LOG = "agent.log"
STOP_FILE = "STOP"
STARTED_FILE = "rep.started"      # created by the start task just before the agent starts: the repetition's t0
WORKLOAD_PGID_FILE = "workload.pgid"  # written by the agent while its workload's process group lives
KILLED_FILE = "deadline.killed"   # this step killed the agent at the deadline: its end is a time-out, not a crash
KILL_MARGIN_S = 5.0


class JsonCodec(object):
    """json.loads / json.dumps (their default options, and dumps' compact separators) on json's own C codec, _json,
    without importing json: `import json` brings re, enum, functools and collections with it, 13 of the 37-50 CPU ms
    a poll cost the target on the test machine (`python3 -X importtime`, bench/poll-cost.sh), and this program starts
    afresh for every poll. (signal is imported only where a signal is sent, for the same reason: enum.) Where _json
    lacks what this needs (not CPython), json itself: `JsonCodec.standard()`. A test holds both to json's own
    answers on every shape the poll reads and writes, errors included."""

    WHITESPACE = " \t\n\r"
    CONSTANTS = {"-Infinity": float("-inf"), "Infinity": float("inf"), "NaN": float("nan")}

    def __init__(self, scan, make_encoder, encode_string):
        self._scan = scan
        self._make_encoder = make_encoder
        self._encode_string = encode_string

    @classmethod
    def fast(cls):
        try:
            import _json

            class Options(object):  # what json.JSONDecoder() hands _json's scanner
                strict = True
                object_hook = None
                object_pairs_hook = None
                parse_float = float
                parse_int = int
                parse_constant = cls.CONSTANTS.__getitem__

            codec = cls(_json.make_scanner(Options()), _json.make_encoder, _json.encode_basestring_ascii)
            # The encoder's arguments are positional: an interpreter whose _json takes others fails here or answers
            # other text, and gets json itself.
            probe = {"a": [1, 2.5, True, None, "\u00e9"]}
            if (codec.dumps(probe) == '{"a": [1, 2.5, true, null, "\\u00e9"]}'
                    and codec.dumps(probe, compact=True) == '{"a":[1,2.5,true,null,"\\u00e9"]}'
                    and codec.loads(' {"a": [1, 2.5, true, null, "\\u00e9"]} ') == probe):
                return codec
        except (ImportError, AttributeError, TypeError, ValueError):
            pass  # no _json, or not the one this codec knows: json itself, below (slower to import, same answers)
        return cls.standard()

    @staticmethod
    def standard():
        import json

        class Standard(object):
            loads = staticmethod(json.loads)

            @staticmethod
            def dumps(value, compact=False):
                return json.dumps(value, separators=(",", ":") if compact else None)

            def load(self, f):
                return json.load(f)

            def dump(self, value, f):
                json.dump(value, f)

        return Standard()

    def loads(self, text):
        """A ValueError (json's JSONDecodeError, imported by _json when it raises one) for text that is not JSON."""
        start = len(text) - len(text.lstrip(self.WHITESPACE))
        try:
            value, end = self._scan(text, start)
        except StopIteration as e:
            raise ValueError("Expecting value: char %d" % e.value)
        if text[end:].strip(self.WHITESPACE):
            raise ValueError("Extra data: char %d" % end)
        return value

    def dumps(self, value, compact=False):
        # A new encoder each time, as json makes one: its circular-reference markers are per call.
        encode = self._make_encoder({}, self._not_serializable, self._encode_string, None,
                                    ":" if compact else ": ", "," if compact else ", ", False, False, True)
        return "".join(encode(value, 0))

    def load(self, f):
        return self.loads(f.read())

    def dump(self, value, f):
        f.write(self.dumps(value))

    @staticmethod
    def _not_serializable(value):
        raise TypeError("Object of type %s is not JSON serializable" % type(value).__name__)


JSON = JsonCodec.fast()


class StreamReader(object):
    """Reads one stream file from an offset to its last complete line, within a byte budget."""

    # The bytes just before the offset are remembered: a file truncated and written again past the old offset between
    # two polls has the same inode and a larger size, and only its content shows that it was rewritten.
    CHECK_BYTES = 64

    def __init__(self, path, state):
        self.path = path
        self.offset = int(state.get("offset", 0))
        self.inode = state.get("inode")
        self.check = state.get("check")
        self.warnings = []

    def read(self, budget, whole_budget=True):
        """Returns (event_lines, skipped_count, bytes_consumed, capped). A line longer than the budget is skipped only
        when the budget is the poll's whole max_bytes (whole_budget); with less left, the line waits for the next
        poll, which starts with the whole budget."""
        try:
            st = os.stat(self.path)
        except OSError as e:
            if e.errno == 2:
                return [], 0, 0, False  # not written yet: the agent creates it with its first event
            raise
        if self.inode is not None and st.st_ino != self.inode:
            self.warnings.append("%s was replaced (inode %s -> %s); reading it again from the start"
                                 % (self.path, self.inode, st.st_ino))
            self.offset = 0
        elif st.st_size < self.offset:
            self.warnings.append("%s shrank from %d to %d bytes (truncated); reading it again from the start"
                                 % (self.path, self.offset, st.st_size))
            self.offset = 0
        elif self.offset > 0 and self.check is not None and self._bytes_before(self.offset) != self.check:
            self.warnings.append("%s was truncated and written again (the bytes before offset %d changed); reading it"
                                 " again from the start" % (self.path, self.offset))
            self.offset = 0
        self.inode = st.st_ino
        if st.st_size == self.offset:
            return [], 0, 0, False
        want = min(st.st_size - self.offset, budget)
        with open(self.path, "rb") as f:
            f.seek(self.offset)
            data = f.read(want)
        end = data.rfind(b"\n")
        capped = (st.st_size - self.offset) > budget
        if end < 0:
            if capped and not whole_budget:
                return [], 0, 0, True
            if capped:
                # One line longer than the whole budget: skip it rather than stall forever, and say so.
                nl = self._find_newline_after(self.offset + len(data))
                if nl is None:
                    return [], 0, 0, True
                self.warnings.append("%s: a line of %d bytes at offset %d exceeds max_bytes=%d and was skipped"
                                     % (self.path, nl + 1 - self.offset, self.offset, budget))
                self.offset = nl + 1
                self.check = self._bytes_before(self.offset)
                return [], 1, 0, True
            return [], 0, 0, False  # only a partial line so far
        complete = data[:end + 1]
        events, skipped = [], 0
        for raw in complete.split(b"\n")[:-1]:
            if MARKER in raw:
                events.append(raw.decode("utf-8", "replace"))
            elif raw.strip():
                skipped += 1
        self.offset += len(complete)
        self.check = self._bytes_before(self.offset)
        return events, skipped, len(complete), capped

    def _bytes_before(self, offset):
        start = max(0, offset - self.CHECK_BYTES)
        with open(self.path, "rb") as f:
            f.seek(start)
            return f.read(offset - start).hex()

    def _find_newline_after(self, pos):
        with open(self.path, "rb") as f:
            f.seek(pos)
            while True:
                chunk = f.read(1 << 20)
                if not chunk:
                    return None
                i = chunk.find(b"\n")
                if i >= 0:
                    return pos + i
                pos += len(chunk)

    def state(self):
        return {"offset": self.offset, "inode": self.inode, "check": self.check}


class Batch(object):
    """What one poll step reads from all its streams within one byte budget. A stream only gets what the streams
    before it left; a line over the whole budget is skipped only by a read that had the whole budget."""

    def __init__(self, budget):
        self.budget = budget
        self.events, self.skipped, self.consumed, self.capped = [], 0, 0, False

    def read(self, readers):
        for r in readers:
            e, s, c, cap = r.read(max(0, self.budget - self.consumed), self.consumed == 0)
            self.events.extend(e)
            self.skipped += s
            self.consumed += c
            self.capped = self.capped or cap


def load_offsets(path):
    try:
        with open(path, "r") as f:
            return JSON.load(f)
    except (IOError, OSError) as e:
        if getattr(e, "errno", None) == 2:
            return {}
        raise
    except ValueError:
        # A torn offsets file cannot happen (atomic rename); an unparsable one means someone edited it.
        return {"_corrupt": True}


def save_offsets(path, offsets, warnings):
    """Atomically (a temp file, renamed). On a full disk (the agent's stream filled it) the temp file cannot be
    written: the offsets are then written over the existing file in place, which needs no new block; when that fails
    too, they are not saved and the next poll returns these lines again (the controller merges the duplicates). A
    poll that failed here would end the repetition's loop without the agent's outcome."""
    text = JSON.dumps(offsets)
    tmp = "%s.%d.tmp" % (path, os.getpid())
    try:
        with open(tmp, "w") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.rename(tmp, path)
        return
    except OSError as e:
        if e.errno not in (errno.ENOSPC, errno.EDQUOT):
            raise
        first = e
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass  # never created: the goal
    try:
        with open(path, "r+") as f:  # not "w": truncating first would give the blocks away
            f.write(text)
            f.truncate()
            f.flush()
            os.fsync(f.fileno())
        warnings.append("the target's disk is full (%s): offsets written over %s in place" % (first.strerror, path))
    except OSError as e:
        warnings.append("the target's disk is full (%s): offsets not saved in %s (%s); the next poll returns these"
                        " lines again and the controller merges them" % (first.strerror, path, e.strerror or e))


def agent_state(run_dir):
    """'finished' (status file present), 'crashed' (pid gone, no status), 'running', or 'absent' (no pid file)."""
    status_path = os.path.join(run_dir, STATUS_FILE)
    if os.path.exists(status_path):
        return "finished"
    try:
        with open(os.path.join(run_dir, PID_FILE)) as f:
            pid = int(f.read().strip() or "0")
    except (IOError, OSError, ValueError):
        pid = 0
    if pid > 0 and pid_alive(pid):
        return "running"
    # The agent may have written its status file between the two checks.
    if os.path.exists(status_path):
        return "finished"
    if os.path.exists(os.path.join(run_dir, KILLED_FILE)):
        return "killed"
    return "crashed" if pid > 0 else "absent"


def pid_alive(pid):
    try:
        os.kill(pid, 0)
    except OSError as e:
        return e.errno == 1  # EPERM: alive, owned by someone else
    try:
        with open("/proc/%d/stat" % pid) as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except (IOError, OSError, IndexError):
        return True


def tail(path, lines=20, max_bytes=65536):
    try:
        with open(path, "rb") as f:
            f.seek(0, 2)
            size = f.tell()
            f.seek(max(0, size - max_bytes))
            data = f.read().decode("utf-8", "replace")
    except (IOError, OSError):
        return []
    return [l for l in data.splitlines() if l.strip()][-lines:]


def poll_event(params, status, message, error_type, error_context, extra=None):
    """The poll step's own final event for a repetition whose agent cannot say it (died, killed at the deadline, or
    its stream file could not be written). src "poll", seq 1: at most one such event ends a repetition."""
    event = {
        "v": 1, "run_id": params.get("run_id"), "host": params.get("host") or "unknown",
        "workload": params.get("workload") or "unknown", "repetition": params.get("repetition") or 0,
        "total_repetitions": params.get("total_repetitions"), "status": status, "type": "status",
        "level": "ERROR", "src": "poll", "seq": 1, "ts": round(time.time(), 6),
        "message": message, "error_type": error_type, "error_context": error_context,
    }
    event.update(extra or {})
    event = dict((k, v) for k, v in event.items() if v is not None)
    return "LB_EVENT " + JSON.dumps(event, compact=True)


def crash_event(params, run_dir, stream_tail, killed):
    last = tail(os.path.join(run_dir, AGENT_LOG)) or stream_tail
    message = "the agent died without a final event (pid gone, no status file)"
    if killed:
        message += "; workload killed: its agent died (%s)" % killed
    return poll_event(params, "failed", message + "; last lines: " + " | ".join(last[-5:]), "agent_died",
                      {"last_lines": last, "workload_killed": killed})


def stream_failed_event(params, status):
    """The agent's final event could not reach its stream file (a full disk): the poll step says it instead, from
    status.json, which the agent could still write (its room was reserved). The event carries the agent's seal,
    which counts what the stream file holds, so the controller still checks every event written against it.
    Returns (the LB_EVENT line, its message)."""
    failure = status.get("stream_failure") or {}
    host = params.get("host") or "unknown"
    written = status.get("events_written", failure.get("events_written"))
    os_message = failure.get("os_message") or status.get("reason") or "unknown error"
    what = "target disk full on %s" % host if failure.get("disk_full") else "stream file not writable on %s" % host
    message = "%s: %s events written before the stream file could not be written (%s)" % (
        what, written if written is not None else "an unknown number of", os_message)
    if "workload stopped" in (status.get("reason") or ""):
        message += "; workload stopped"
    context = dict(failure)
    context["reason"] = status.get("reason")
    context["rc"] = status.get("rc")
    return poll_event(params, "failed", message, "stream_write_failed", context,
                      {"events_written": written, "seal": status.get("seal")}), message


def read_int(path):
    try:
        with open(path) as f:
            return int(f.read().strip() or "0")
    except (IOError, OSError, ValueError):
        return 0


def is_agent(pid):
    """The pid is still an lb agent (pids are reused): its command line names the agent's jar."""
    try:
        with open("/proc/%d/cmdline" % pid, "rb") as f:
            return b"lb-agent.jar" in f.read()
    except (IOError, OSError):
        return False


def group_alive(pgid):
    try:
        os.killpg(pgid, 0)
        return True
    except OSError as e:
        return e.errno == errno.EPERM


def kill_workload_group(run_dir, sleep=time.sleep):
    """Kills the process group the agent recorded for its workload, if it still lives: TERM, then KILL after 2 s.
    Returns what was done, for the event that reports it, or None when there was nothing to kill."""
    pgid = read_int(os.path.join(run_dir, WORKLOAD_PGID_FILE))
    if pgid <= 1 or not group_alive(pgid):
        return None
    try:
        import signal  # here, not at the top: see JsonCodec
        os.killpg(pgid, signal.SIGTERM)
        for _ in range(40):
            if not group_alive(pgid):
                return "process group %d ended on TERM" % pgid
            sleep(0.05)
        os.killpg(pgid, signal.SIGKILL)
    except ProcessLookupError:
        return "process group %d ended on TERM" % pgid  # gone between the check and the signal: the goal
    except PermissionError:
        return None  # not ours: the group id was reused by another user's processes
    return "process group %d killed (KILL after TERM was ignored for 2 s)" % pgid


def kill_agent(run_dir, sleep=time.sleep):
    pid = read_int(os.path.join(run_dir, PID_FILE))
    if pid <= 1 or not pid_alive(pid) or not is_agent(pid):
        return None
    try:
        import signal  # here, not at the top: see JsonCodec
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        return None
    for _ in range(40):
        if not pid_alive(pid):
            break
        sleep(0.05)
    return "agent pid %d killed" % pid


def started_at(run_dir):
    try:
        return os.stat(os.path.join(run_dir, STARTED_FILE)).st_mtime
    except OSError:
        return None


def write_stop(run_dir, content):
    """STOP with a reason the agent reads: written whole (rename), so the agent never sees half of it."""
    path = os.path.join(run_dir, STOP_FILE)
    tmp = "%s.%d.tmp" % (path, os.getpid())
    with open(tmp, "w") as f:
        JSON.dump(content, f)
    os.rename(tmp, path)


def refresh_lock(path, run_id, attempt, warnings):
    """Every poll step refreshes the run's hold on the target (its mtime): a hold nobody refreshes is stale."""
    if not path:
        return
    try:
        with open(path) as f:
            holder = JSON.load(f)
        if holder.get("run_id") == run_id and holder.get("attempt") == attempt:
            os.utime(path, None)
        else:
            warnings.append("the target's lock %s is held by run %s, not this one: another run took it over"
                            % (path, holder.get("run_id")))
    except FileNotFoundError:
        warnings.append("the target's lock %s is gone: another run may start here" % path)
    except (ValueError, OSError) as e:
        warnings.append("the target's lock %s is unreadable: %s" % (path, e))


def poll(params, clock=time.time, sleep=time.sleep):
    run_dir = params["run_dir"]
    streams = params.get("streams") or [os.path.join(run_dir, "lb_events.stream.log")]
    offsets_file = params.get("offsets_file") or os.path.join(run_dir, "stream.offsets.json")
    budget = int(params.get("max_bytes") or 4194304)
    wait_s = float(params.get("wait_s") if params.get("wait_s") is not None else 1.0)
    watch = params.get("watch_agent", True)
    limit = params.get("repetition_s")
    grace = float(params.get("stop_grace_s") if params.get("stop_grace_s") is not None else 10.0)
    started = started_at(run_dir) if (watch and limit) else None
    deadline = started + float(limit) if started is not None else None

    saved = load_offsets(offsets_file)
    warnings = []
    refresh_lock(params.get("lock_file"), params.get("run_id"), params.get("attempt"), warnings)
    if saved.pop("_corrupt", False):
        warnings.append("offsets file %s was unreadable; starting every stream from 0" % offsets_file)
    readers = [StreamReader(p, saved.get(p, {})) for p in streams]
    batch_s = float(params.get("batch_s") or 0.0)
    wait_until = clock() + wait_s
    batch = Batch(budget)
    state = "running"
    gather_until = None
    while True:
        state = agent_state(run_dir) if watch else "running"
        batch.read(readers)
        # A finished agent wrote its status after its last event, so the read above saw everything; a crashed one
        # wrote what it wrote. Either way this poll returns now. A passed repetition deadline is acted on below.
        now = clock()
        overdue = deadline is not None and state == "running" and (
            now >= deadline + grace + KILL_MARGIN_S
            or (now >= deadline and not os.path.exists(os.path.join(run_dir, STOP_FILE))))
        if batch.events and gather_until is None:
            gather_until = min(now + batch_s, wait_until)
        if (batch.capped or overdue or state in ("finished", "crashed", "absent", "killed") or now >= wait_until
                or (gather_until is not None and now >= gather_until)):
            break
        sleep(0.05 if gather_until is None else max(0.0, min(0.05, gather_until - now)))

    events = batch.events
    finished = state == "finished" and not batch.capped
    crashed = state in ("crashed", "absent") and not batch.capped
    expired = state == "killed" and not batch.capped
    now = clock()
    if deadline is not None and state == "running" and now >= deadline:
        elapsed = round(now - started, 3)
        stop_path = os.path.join(run_dir, STOP_FILE)
        if not os.path.exists(stop_path):
            write_stop(run_dir, {"reason": "repetition_timeout", "limit_s": float(limit), "elapsed_s": elapsed})
            warnings.append("the repetition's deadline (repetition_s=%s) passed after %.1f s: STOP sent to the agent"
                            % (limit, elapsed))
        elif now >= deadline + grace + KILL_MARGIN_S and not batch.capped:
            # The agent had its grace to stop the workload and report; it did not. End both, say so, move on.
            killed = [k for k in (kill_agent(run_dir, sleep), kill_workload_group(run_dir, sleep)) if k]
            message = ("repetition time-out: the agent did not end within %.0f s of the STOP sent at the deadline"
                       " (repetition_s=%s, elapsed %.1f s); %s"
                       % (grace + KILL_MARGIN_S, limit, elapsed, "; ".join(killed) or "nothing left to kill"))
            events.append(poll_event(params, "timeout", message, "repetition_timeout",
                                     {"limit_s": float(limit), "elapsed_s": elapsed, "killed": killed}))
            warnings.append(message)
            with open(os.path.join(run_dir, KILLED_FILE), "w") as f:
                f.write(message + "\n")
            # The agent is gone: what it wrote since the read above is final, and read now (within the budget;
            # a rest is left for the next poll, which then reports 'killed' and returns it).
            batch.read(readers)
            expired = not batch.capped
    result = {"changed": False, "lb_events": events, "skipped_lines": batch.skipped, "bytes_read": batch.consumed,
              "capped": batch.capped}
    if deadline is not None:
        result["elapsed_s"] = round(now - started, 3)
    for r in readers:
        warnings.extend(r.warnings)
    result["finished"] = finished
    result["crashed"] = crashed
    result["expired"] = expired
    if finished:
        try:
            with open(os.path.join(run_dir, STATUS_FILE)) as f:
                result["status"] = JSON.load(f)
        except (IOError, OSError, ValueError) as e:
            warnings.append("status file unreadable: %s" % e)
            result["status"] = {"status": "failed", "reason": "status file unreadable: %s" % e}
        result["reason"] = result["status"].get("reason")
        if result["status"].get("status") == "failed" and result["status"].get("error_type") == "stream_write_failed":
            line, message = stream_failed_event(params, result["status"])
            result["lb_events"].append(line)
            warnings.append(message)
    if crashed:
        last = tail(streams[0])
        result["last_lines"] = tail(os.path.join(run_dir, AGENT_LOG)) or last
        killed = kill_workload_group(run_dir, sleep)
        if killed:
            warnings.append("the agent died and left its workload running; " + killed)
        result["lb_events"].append(crash_event(params, run_dir, last, killed))
        if state == "absent":
            warnings.append("no agent pid file in %s: the agent never started or its files were removed" % run_dir)
    result["offsets"] = dict((r.path, r.offset) for r in readers)
    new_offsets = dict(saved)
    for r in readers:
        new_offsets[r.path] = r.state()
    save_offsets(offsets_file, new_offsets, warnings)
    result["lb_warnings"] = warnings
    return result


def failure(run_dir, e):
    """A failed poll's result: the same keys as a good one (the poll step's conditions never miss one) and a reason
    that names the error, the file and, for an OS error, its errno name (ENOSPC: the target's disk is full)."""
    if isinstance(e, OSError) and e.errno:
        what = "%s (%s)" % (e.strerror or e, errno.errorcode.get(e.errno, e.errno))
        where = e.filename or run_dir
        if getattr(e, "filename2", None):
            where = "%s -> %s" % (e.filename, e.filename2)
        reason = "%s on %s" % (what, where)
    else:
        reason = "%s: %s" % (type(e).__name__, e)
    return {"msg": "lb_stream_poll failed in %s: %s" % (run_dir, reason), "reason": reason, "lb_events": [],
            "error_type": type(e).__name__, "finished": False, "crashed": False, "expired": False}


PROCESS_NAME = b"lb_stream_poll"


def name_this_process():
    """Names the process lb_stream_poll (its comm, /proc/PID/stat): the agent's system metrics leave lb's own
    processes out of the CPU used by others, and with Ansible's pipelining this process's command line is only
    'python3'. Written to /proc/self/comm, which is what prctl(PR_SET_NAME) sets: importing ctypes to call prctl cost
    every poll 2-3 ms of CPU, about a tenth of the poll (bench/poll-cost.sh). prctl only where that file cannot be
    written (a kernel older than 2.6.33). Best effort: where neither works (not Linux), the process keeps its name and
    only counts as another process in the noise metrics."""
    try:
        with open("/proc/self/comm", "wb") as comm:
            comm.write(PROCESS_NAME)
        return
    except OSError:
        pass   # no such file or not writable: prctl below
    try:
        import ctypes
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(15, ctypes.c_char_p(PROCESS_NAME), 0, 0, 0)  # 15: PR_SET_NAME
    except (OSError, AttributeError):
        # Safe to ignore, and not worth a warning on every poll: the only effect is that the agent's noise metrics
        # count this poll step among the other processes, which can add a noise warning but never hides one; no
        # event and no offset depends on the name. (On Linux, PR_SET_NAME with a short string does not fail.)
        pass


# The options, their types and defaults: read by AnsibleModule (main) and by run_as_program, so both ways of running
# this file accept the same parameters.
ARGUMENT_SPEC = dict(
    run_dir=dict(type="path", required=True),
    streams=dict(type="list", elements="path"),
    offsets_file=dict(type="path"),
    wait_s=dict(type="float", default=1.0),
    batch_s=dict(type="float", default=0.0),
    max_bytes=dict(type="int", default=4194304),
    watch_agent=dict(type="bool", default=True),
    repetition_s=dict(type="float"),
    stop_grace_s=dict(type="float", default=10.0),
    lock_file=dict(type="path"),
    attempt=dict(type="str"),
    host=dict(type="str"),
    workload=dict(type="str"),
    repetition=dict(type="int"),
    total_repetitions=dict(type="int"),
    run_id=dict(type="str"),
)

TRUE_WORDS = ("true", "yes", "on", "1")
FALSE_WORDS = ("false", "no", "off", "0")


def checked_params(raw):
    """The parameters as AnsibleModule would pass them (types converted, defaults filled in, paths expanded), for a
    run without AnsibleModule. Raises ValueError naming the first parameter that is missing, unknown or of the
    wrong type."""
    if not isinstance(raw, dict):
        raise ValueError("the parameters are not a JSON object")
    unknown = sorted(set(raw) - set(ARGUMENT_SPEC))
    if unknown:
        raise ValueError("unsupported parameter(s): %s" % ", ".join(unknown))
    params = {}
    for name, spec in ARGUMENT_SPEC.items():
        value = raw.get(name)
        if value is None:
            if spec.get("required"):
                raise ValueError("missing required parameter: %s" % name)
            params[name] = spec.get("default")
            continue
        try:
            params[name] = convert(value, spec["type"], spec.get("elements"))
        except (TypeError, ValueError) as e:
            raise ValueError("parameter %s: %s" % (name, e))
    return params


def convert(value, kind, elements=None):
    if kind == "path":
        return os.path.expanduser(os.path.expandvars(str(value)))
    if kind == "str":
        return value if isinstance(value, str) else str(value)
    if kind == "float":
        return float(value)
    if kind == "int":
        if isinstance(value, float) and not value.is_integer():
            raise ValueError("%r is not a whole number" % value)
        return int(value)
    if kind == "bool":
        if isinstance(value, bool):
            return value
        word = str(value).strip().lower()
        if word in TRUE_WORDS or word in FALSE_WORDS:
            return word in TRUE_WORDS
        raise ValueError("%r is not a boolean" % value)
    if kind == "list":
        items = value if isinstance(value, list) else str(value).split(",")
        return [convert(v, elements or "str") for v in items]
    raise ValueError("unknown type %s" % kind)


def run_as_program(params_json, out):
    """The poll step as the lb_stream_poll action plugin runs it: this file's text fed to `python3 -I -S -` on the
    target, the parameters in LB_POLL_PARAMS, the result written to out as one JSON object (a failure as
    {"failed": true, ...}, like fail_json). No AnsibleModule: its import costs ~0.18 CPU s per poll on the target,
    most of the poll's cost, because Ansible's wrapper compiles it from source every time (docs/transport.md)."""
    name_this_process()
    try:
        params = checked_params(JSON.loads(params_json))
    except ValueError as e:
        out.write(JSON.dumps({"failed": True, "msg": "lb_stream_poll: %s" % e, "lb_events": [], "finished": False,
                              "crashed": False, "expired": False}))
        return
    try:
        result = poll(params)
    except Exception as e:  # reported as a failed poll with the reason; Ansible shows it, the callback records it
        result = failure(params["run_dir"], e)
        result["failed"] = True
    cache_problem = globals().get("LB_POLL_CACHE_PROBLEM")
    if cache_problem:
        # The action's code cache (action_plugins/lb_stream_poll.py) could not keep this file's compiled code.
        result["lb_code_cache_problem"] = cache_problem
    out.write(JSON.dumps(result))


def main():
    params_json = globals().get("LB_POLL_PARAMS")
    if params_json is not None:
        import sys
        run_as_program(params_json, sys.stdout)
        return
    from ansible.module_utils.basic import AnsibleModule
    name_this_process()
    module = AnsibleModule(argument_spec=ARGUMENT_SPEC, supports_check_mode=False)
    try:
        result = poll(module.params)
    except Exception as e:  # reported as a failed poll with the reason; Ansible shows it, the callback records it
        module.fail_json(**failure(module.params["run_dir"], e))
    for w in result.get("lb_warnings", []):
        module.warn(w)
    module.exit_json(**result)


if __name__ == "__main__":
    main()
