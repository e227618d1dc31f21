"""The build's second process (generators/forked.py): same files as one process, the child's
failures raised in the caller, no child left behind whatever stops the caller."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from generators import forked
from generators.loader.build import load_spec
from generators.outputs import render_all

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="fork is POSIX-only")


def _gone(pid: int) -> bool:
    """True when pid is neither running nor a zombie waiting for us."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    try:
        return os.waitpid(pid, os.WNOHANG) != (0, 0)
    except ChildProcessError:
        return True


def test_forked_and_single_process_builds_are_byte_identical() -> None:
    spec = load_spec(ROOT / "thresholds.yaml")
    assert render_all(spec, fork=True) == render_all(spec, fork=False)


def test_the_result_crosses_the_pipe_whole() -> None:
    big = {f"f{i}": "x" * 10_000 + str(i) for i in range(600)}  # 6 MB: many pipe buffers
    assert forked.start(lambda: big, fork=True).result() == big


def test_an_exception_in_the_child_is_raised_in_the_caller_with_its_child_traceback() -> None:
    def fails() -> None:
        raise ValueError("alerts[3].expr: no such indicator")

    pending = forked.start(fails, fork=True)
    with pytest.raises(ValueError, match=r"alerts\[3\]\.expr: no such indicator") as info:
        pending.result()
    assert any("second process" in note and "fails" in note for note in info.value.__notes__)


def test_an_exception_that_cannot_cross_is_reported_with_its_text() -> None:
    class Unpicklable(Exception):
        def __init__(self, a: str, b: str) -> None:  # unpickling calls it with one argument
            super().__init__(f"{a}/{b}")

    def fails() -> None:
        raise Unpicklable("left", "right")

    with pytest.raises(forked.ChildFailed, match="left/right"):
        forked.start(fails, fork=True).result()


def test_a_child_killed_by_a_signal_is_a_clear_error() -> None:
    def dies() -> None:
        os.kill(os.getpid(), signal.SIGKILL)

    with pytest.raises(forked.ChildFailed, match="killed by SIGKILL"):
        forked.start(dies, fork=True).result()


def test_cancel_stops_and_reaps_the_child() -> None:
    pending = forked.start(lambda: time.sleep(60), fork=True)
    pid = pending._pid
    assert pid is not None and not _gone(pid)
    started = time.monotonic()
    pending.cancel()
    assert _gone(pid) and time.monotonic() - started < 5


def test_an_interrupted_wait_kills_and_reaps_the_child() -> None:
    pending = forked.start(lambda: time.sleep(60), fork=True)
    pid = pending._pid
    assert pid is not None

    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGALRM, interrupt)
    signal.setitimer(signal.ITIMER_REAL, 0.3)
    try:
        with pytest.raises(KeyboardInterrupt):
            pending.result()
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    assert _gone(pid)


def test_without_fork_the_function_runs_in_the_caller() -> None:
    assert forked.start(os.getpid, fork=False).result() == os.getpid()
    assert forked.start(os.getpid, fork=True).result() != os.getpid()


_ORPHAN_SCRIPT = """
import os, sys, time
from generators import forked
def child():
    sys.stdout.write(f"{os.getpid()}\\n"); sys.stdout.flush()
    time.sleep(60)
forked.start(child, fork=True).result()
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG is Linux-only")
def test_a_caller_killed_with_sigkill_leaves_no_child_computing_on() -> None:
    process = subprocess.Popen([sys.executable, "-c", _ORPHAN_SCRIPT], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    assert process.stdout is not None
    child = int(process.stdout.readline())
    process.kill()
    process.wait()
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        try:  # gone, or a zombie left for init to reap: not computing either way
            state = Path(f"/proc/{child}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except (FileNotFoundError, ProcessLookupError):
            return
        if state in ("Z", "X"):
            return
        time.sleep(0.05)
    os.kill(child, signal.SIGKILL)
    pytest.fail(f"the child {child} outlived its killed parent")
