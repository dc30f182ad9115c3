"""bench/poll-cost.sh: CPU per poll on the target, the program as the lb_stream_poll action sends it."""
import importlib.util
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
ACTION = os.path.join(ROOT, "ansible", "action_plugins", "lb_stream_poll.py")
MODULE = os.environ.get("MODULE") or os.path.join(ROOT, "ansible", "roles", "workload_runner", "library",
                                                    "lb_stream_poll.py")
# BEFORE=FILE: another copy of the module (e.g. `git show REV:ansible/roles/workload_runner/library/lb_stream_poll.py`)
# measured in the same rotation, its code kept too: a change's effect, free of the machine's drift between two runs.
BEFORE = os.environ.get("BEFORE")
PAYLOAD = ('{"v":1,"run_id":"r1","host":"web-1","workload":"paced","repetition":1,"status":"running","type":"log",'
           '"level":"INFO","src":"workload","stream":"stdout","seq":%d,"ts":1796670320.%06d,'
           '"message":"line %d of a paced workload, with \\u00e9 and \\"quotes\\""}')


def action_module():
    spec = importlib.util.spec_from_file_location("lb_stream_poll_action", ACTION)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def child_cpu_s():
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def main(argv):
    polls = int(argv[0]) if argv else 200
    lines = int(argv[1]) if len(argv) > 1 else 500
    action = action_module()
    with open(MODULE, "rb") as f:
        source = f.read()
    work = tempfile.mkdtemp(prefix="lb-poll-cost.")
    try:
        os.mkdir(os.path.join(work, "cache"), 0o700)
        with open(os.path.join(work, "lb_events.stream.log"), "w") as f:
            for i in range(lines):
                f.write("LB_EVENT " + PAYLOAD % (i + 1, i, i) + "\n")
        offsets = os.path.join(work, "stream.offsets.json")
        params = json.dumps({"run_dir": work, "wait_s": 0, "watch_agent": False, "offsets_file": offsets})
        ways = {
            "compiled every poll": action.program(source, params),
            "code kept by the first poll": action.program(source, params, os.path.join(work, "cache", "poll")),
        }
        if BEFORE:
            with open(BEFORE, "rb") as f:
                ways["before, code kept"] = action.program(f.read(), params, os.path.join(work, "cache", "before"))
        cpu = {way: [] for way in ways}
        for _ in range(polls):
            for way, program in ways.items():
                if os.path.exists(offsets):
                    os.unlink(offsets)   # every poll reads the same LINES lines
                before = child_cpu_s()
                done = subprocess.run([sys.executable, "-I", "-S", "-"], input=program, capture_output=True)
                cpu[way].append(child_cpu_s() - before)
                answer = json.loads(done.stdout)
                if done.returncode != 0 or len(answer.get("lb_events", [])) != lines:
                    sys.exit("poll-cost: a poll (%s) returned %d of %d lines, rc %d: %s" % (
                        way, len(answer.get("lb_events", [])), lines, done.returncode, done.stderr.decode()[-500:]))
        print("module: %s (%d bytes); %d polls each way, %d lines each; load %s" % (
            MODULE, len(source), polls, lines, " ".join(open("/proc/loadavg").read().split()[:3])))
        means = {}
        for way, samples in cpu.items():
            means[way] = statistics.mean(samples) * 1000
            print("  %-28s CPU %.2f ms per poll (median %.2f)" % (way, means[way], statistics.median(samples) * 1000))
        first, kept = means["compiled every poll"], means["code kept by the first poll"]
        print("poll CPU: %.2f ms compiled every poll, %.2f ms with the code kept (%+.1f %%)" % (
            first, kept, 100 * (kept - first) / first))
        if BEFORE:
            # Paired by round: each round ran every way once, one after the other.
            diffs = [(k - b) * 1000 for k, b in zip(cpu["code kept by the first poll"], cpu["before, code kept"])]
            half = 1.96 * statistics.stdev(diffs) / len(diffs) ** 0.5
            before = means["before, code kept"]
            print("against %s: %.2f ms before, %.2f ms now, %+.2f ms a poll (paired 95 %% CI %+.2f to %+.2f), %+.1f %%"
                  % (BEFORE, before, kept, kept - before, kept - before - half, kept - before + half,
                     100 * (kept - before) / before))
    finally:
        shutil.rmtree(work)


if __name__ == "__main__":
    main(sys.argv[1:])
