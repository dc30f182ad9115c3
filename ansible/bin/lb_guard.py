#!/usr/bin/env python3
"""lb_guard: runs one command (ansible-playbook) in a process group of its own, and ends that whole group

  - when the controller goes away or asks for it: this process's stdin is a pipe the controller holds open and
    never writes to; end-of-file means the controller died (kill -9 included: the kernel closes the pipe) or closed
    it to end the run at once;
  - when the command itself exits: a fork worker it left behind (re-parented to init) must not keep the output
    pipe open and leave the controller waiting for end-of-file forever.

Standard library only; the command's stderr is merged into its stdout (one ordered stream); this script's own
messages go to its stderr. Exit code: the command's, or 128 + signal when it was ended by one.

usage: lb_guard.py [--log FILE] COMMAND [ARG...]    (--log: where its messages are appended instead of stderr:
once the controller is gone, its stderr leads nowhere)
"""
import os
import signal
import subprocess
import sys
import threading
import time

GRACE_S = 2.0


def group_alive(pgid):
    try:
        os.killpg(pgid, 0)
        return True
    except ProcessLookupError:
        return False
    except PermissionError:
        return True


def end_group(pgid):
    """TERM to the group, KILL after the grace; True when anything was there to end."""
    if not group_alive(pgid):
        return False
    try:
        os.killpg(pgid, signal.SIGTERM)
    except ProcessLookupError:
        return False  # gone since the check: nothing was there to end
    end = time.time() + GRACE_S
    while time.time() < end:
        if not group_alive(pgid):
            return True
        time.sleep(0.05)
    try:
        os.killpg(pgid, signal.SIGKILL)
    except ProcessLookupError:
        pass  # the group ended between the last check and KILL: ended is what was wanted
    return True


LOG = [None]


def say(text):
    """To the --log file when there is one (it outlives the controller), else to stderr."""
    line = "lb_guard: %s\n" % text
    if LOG[0]:
        try:
            with open(LOG[0], "a") as f:
                f.write(time.strftime("%Y-%m-%dT%H:%M:%S ") + line)
            return
        except OSError as e:
            line += "lb_guard: (appending to %s failed: %s)\n" % (LOG[0], e)
    try:
        sys.stderr.write(line)
        sys.stderr.flush()
    except OSError:
        pass  # the controller, which read this pipe, is gone, and so is the log file: nobody is left to tell


def main(argv):
    if len(argv) >= 2 and argv[0] == "--log":
        LOG[0] = argv[1]
        argv = argv[2:]
    if not argv:
        say("usage: lb_guard.py COMMAND [ARG...]")
        return 2
    # Ctrl-C, Ctrl-\\ and a hang-up (the terminal or SSH session lost) reach the controller's whole process group;
    # the controller decides what they mean (a hang-up stops the run as SIGTERM does: the playbook must live on to
    # let the targets report, and the lifeline still ends it if the controller goes).
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGQUIT, signal.SIG_IGN)
    signal.signal(signal.SIGHUP, signal.SIG_IGN)
    group = []

    def terminated(signum, frame):
        ended = bool(group) and end_group(group[0])
        say("terminated (signal %d); %s %s" % (signum, "ended" if ended else "nothing left of", argv[0]))
        sys.stdout.flush()
        os._exit(128 + signum)

    # Before the child exists, so a TERM never leaves it orphaned.
    signal.signal(signal.SIGTERM, terminated)
    child = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stderr=subprocess.STDOUT, start_new_session=True)
    pgid = child.pid
    group.append(pgid)
    ending = threading.Event()

    def lifeline():
        try:
            # The raw descriptor, not sys.stdin: a buffered reader blocked here would abort the interpreter's exit.
            while os.read(0, 4096):
                pass
        except OSError as e:
            say("reading the controller's pipe failed (%s); treating it as gone" % e)
        if child.poll() is None:
            ending.set()
            end_group(pgid)

    threading.Thread(target=lifeline, name="lifeline", daemon=True).start()
    rc = child.wait()
    if ending.is_set():
        end_group(pgid)
        say("the controller is gone or ended the run: %s and its process group %d were ended (%d)"
            % (argv[0], pgid, rc))
    elif end_group(pgid):
        say("%s exited (%d) and left processes in its group; they were ended" % (argv[0], rc))
    return rc if rc >= 0 else 128 - rc


if __name__ == "__main__":
    code = main(sys.argv[1:])
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)  # without waiting for the lifeline thread, which may still block on the pipe
