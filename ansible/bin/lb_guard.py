#!/usr/bin/env python3
"""lb_guard: runs one command (ansible-playbook) in a process group of its own, and ends that whole group

  - when the controller goes away or asks for it: this process's stdin is a pipe the controller holds open and
    never writes to; end-of-file means the controller died (kill -9 included: the kernel closes the pipe) or closed
    it to end the run at once;
  - when the command itself exits: a fork worker it left behind (re-parented to init) must not keep the output
    pipe open and leave the controller waiting for end-of-file forever.

Standard library only; the command's stderr is merged into its stdout (one ordered stream); this script's own
messages go to its stderr. Exit code: the command's, or 128 + signal when it was ended by one.

usage: lb_guard.py COMMAND [ARG...]
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
        return False
    end = time.time() + GRACE_S
    while time.time() < end:
        if not group_alive(pgid):
            return True
        time.sleep(0.05)
    try:
        os.killpg(pgid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    return True


def say(text):
    sys.stderr.write("lb_guard: %s\n" % text)
    sys.stderr.flush()


def main(argv):
    if not argv:
        say("usage: lb_guard.py COMMAND [ARG...]")
        return 2
    # Ctrl-C reaches the controller's whole process group; the controller decides what it means.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    child = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stderr=subprocess.STDOUT, start_new_session=True)
    pgid = child.pid

    def lifeline():
        try:
            # The raw descriptor, not sys.stdin: a buffered reader blocked here would abort the interpreter's exit.
            while os.read(0, 4096):
                pass
        except OSError as e:
            say("reading the controller's pipe failed (%s); treating it as gone" % e)
        if child.poll() is None:
            say("the controller is gone or ended the run; ending %s (process group %d)" % (argv[0], pgid))
            end_group(pgid)

    threading.Thread(target=lifeline, name="lifeline", daemon=True).start()
    rc = child.wait()
    if end_group(pgid):
        say("%s exited (%d) and left processes in its group; they were ended" % (argv[0], rc))
    return rc if rc >= 0 else 128 - rc


if __name__ == "__main__":
    code = main(sys.argv[1:])
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)  # without waiting for the lifeline thread, which may still block on the pipe
