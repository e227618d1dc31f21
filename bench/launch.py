"""Run a command and print its wall time, CPU time and peak RSS as one JSON line (stdlib only).

Run as `python -I -S launch.py TIMEOUT CMD...` by measure.py. Why a launcher: Linux counts
the memory a child shared with its parent before exec in the child's ru_maxrss, so a child
of the (large) benchmark process would inherit the benchmark's size as a floor. This
process stays at ~10 MB, below any Python process it measures. At TIMEOUT seconds, or on
SIGTERM/SIGINT, the child is killed; the child's stdout is discarded, its stderr passes
through.
"""

import json
import os
import signal
import sys
import time


def main() -> None:
    timeout, command = float(sys.argv[1]), sys.argv[2:]
    devnull = os.open(os.devnull, os.O_WRONLY)
    started = time.perf_counter()
    pid = os.posix_spawnp(command[0], command, os.environ, file_actions=[(os.POSIX_SPAWN_DUP2, devnull, 1)])
    timed_out = False

    def stop(signum: int, _frame: object) -> None:
        nonlocal timed_out
        timed_out = timed_out or signum == signal.SIGALRM
        os.kill(pid, signal.SIGKILL)

    for signum in (signal.SIGALRM, signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, stop)
    signal.setitimer(signal.ITIMER_REAL, timeout)
    _, status, usage = os.wait4(pid, 0)  # retried by Python after a handler runs (PEP 475)
    elapsed = time.perf_counter() - started
    signal.setitimer(signal.ITIMER_REAL, 0)
    print(json.dumps({"seconds": elapsed, "cpu_seconds": usage.ru_utime + usage.ru_stime,
                      "max_rss_kb": usage.ru_maxrss, "returncode": os.waitstatus_to_exitcode(status),
                      "timed_out": timed_out}))


main()
