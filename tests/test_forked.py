"""The build's second process (generators/forked.py): same files as one process, the child's
failures raised in the caller, no child left behind whatever stops the caller."""

from __future__ import annotations

import contextlib
import gc
import io
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
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
    pid = pending._child.pid if pending._child else None
    assert pid is not None and not _gone(pid)
    started = time.monotonic()
    pending.cancel()
    assert _gone(pid) and time.monotonic() - started < 5


def test_an_interrupted_wait_kills_and_reaps_the_child() -> None:
    pending = forked.start(lambda: time.sleep(60), fork=True)
    pid = pending._child.pid if pending._child else None
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


# -- found by review: each of these failed before the fix -------------------------------------------

def test_no_fork_by_default_while_another_thread_runs() -> None:
    """A thread holding an import lock at the instant of fork leaves it held in the child,
    which hung on its first import (1 cold build in 4 from three threads)."""
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        assert not forked.can_fork()
        assert forked.start(os.getpid).result() == os.getpid()
    finally:
        stop.set()
        other.join()


def test_threads_building_at_once_get_the_same_files() -> None:
    spec = load_spec(ROOT / "thresholds.yaml")
    want = render_all(spec, fork=False)
    results: list[dict[str, str]] = []
    threads = [threading.Thread(target=lambda: results.append(render_all(spec))) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads), "a build hung"
    assert results == [want] * 3


def test_a_caller_that_ignores_sigchld_still_gets_the_result() -> None:
    """SIG_IGN for SIGCHLD makes the kernel reap children itself: waitpid then fails with
    ECHILD after the whole result was read."""
    previous = signal.signal(signal.SIGCHLD, signal.SIG_IGN)
    try:
        assert forked.start(lambda: {"a": "b"}, fork=True).result() == {"a": "b"}
    finally:
        signal.signal(signal.SIGCHLD, previous)


def test_a_child_killed_while_sending_is_a_clear_error_not_a_truncated_pickle() -> None:
    big = "x" * 20_000_000  # far more than the pipe holds: the child blocks sending it
    pending = forked.start(lambda: big, fork=True)
    pid = pending._child.pid if pending._child else None
    assert pid is not None
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:  # until it is blocked writing to the pipe
        if Path(f"/proc/{pid}/wchan").exists() and "pipe" in Path(f"/proc/{pid}/wchan").read_text():
            break
        time.sleep(0.02)
    os.kill(pid, signal.SIGKILL)
    with pytest.raises(forked.ChildFailed, match=r"without a whole result.*killed by SIGKILL"):
        pending.result()


def test_a_failing_fork_falls_back_to_one_process_without_leaking_descriptors(
        monkeypatch: pytest.MonkeyPatch) -> None:
    def no_fork() -> int:
        raise BlockingIOError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(forked.os, "fork", no_fork)
    before = len(os.listdir("/proc/self/fd"))
    for _ in range(3):
        assert forked.start(os.getpid, fork=True).result() == os.getpid()
    assert len(os.listdir("/proc/self/fd")) == before


def test_a_pending_dropped_without_result_or_cancel_kills_its_child() -> None:
    pending = forked.start(lambda: time.sleep(60), fork=True)
    pid = pending._child.pid if pending._child else None
    assert pid is not None
    del pending
    gc.collect()
    assert _gone(pid)


def test_both_halves_failing_raise_the_same_error_forked_or_not(monkeypatch: pytest.MonkeyPatch) -> None:
    from generators import outputs

    def monitoring(spec: object) -> dict[str, str]:
        raise LookupError("monitoring half")

    def tests_and_docs(spec: object) -> dict[str, str]:
        raise ValueError("tests half")

    monkeypatch.setattr(outputs, "_render_monitoring_and_packages", monitoring)
    monkeypatch.setattr(outputs, "_render_tests_and_docs", tests_and_docs)
    spec = load_spec(ROOT / "thresholds.yaml")
    for fork in (True, False):
        with pytest.raises(LookupError, match="monitoring half"):
            render_all(spec, fork=fork)


def test_the_cli_reports_a_killed_second_process_and_writes_nothing(tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    from generators import cli, outputs

    me = os.getpid()

    def killed(spec: object) -> dict[str, str]:
        if os.getpid() != me:  # only ever the child
            os.kill(os.getpid(), signal.SIGKILL)
        raise AssertionError("the tests half ran in the test process")

    monkeypatch.setattr(outputs, "_render_tests_and_docs", killed)
    monkeypatch.setattr(forked, "can_fork", lambda: True)
    stderr = io.StringIO()
    with contextlib.redirect_stderr(stderr), contextlib.redirect_stdout(io.StringIO()):
        code = cli.main(["build", "--spec", str(ROOT / "thresholds.yaml"), "--out", str(tmp_path / "out")])
    assert code == 1
    assert "second process ended without a whole result (killed by SIGKILL); nothing was written" in stderr.getvalue()
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


# -- found by the second review ------------------------------------------------------------------------

def test_a_caller_ignoring_sigint_has_a_child_that_ignores_it_too() -> None:
    """`cmd &` in a script starts cmd with SIGINT ignored; a Ctrl-C to the process group must
    not kill the child and fail the build."""
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        pending = forked.start(lambda: (time.sleep(0.5), 42)[1], fork=True)
        assert pending._child is not None
        time.sleep(0.1)
        os.kill(pending._child.pid, signal.SIGINT)
        assert pending.result() == 42
    finally:
        signal.signal(signal.SIGINT, previous)


@pytest.mark.skipif(not hasattr(os, "pidfd_open"), reason="pidfd is Linux 5.3+")
def test_a_child_reaped_behind_our_back_is_never_signalled_by_pid(monkeypatch: pytest.MonkeyPatch) -> None:
    """With SIGCHLD ignored the kernel reaps the child at once and its pid may go to another
    process: the child is signalled through its pidfd, never by pid."""
    killed: list[int] = []
    monkeypatch.setattr(forked.os, "kill", lambda pid, sig: killed.append(pid))
    previous = signal.signal(signal.SIGCHLD, signal.SIG_IGN)
    try:
        pending = forked.start(lambda: None, fork=True)
        assert pending._child is not None and pending._child.pidfd is not None
        pid = pending._child.pid
        deadline = time.monotonic() + 10
        while Path(f"/proc/{pid}").exists() and time.monotonic() < deadline:
            time.sleep(0.01)
        pending.cancel()
    finally:
        signal.signal(signal.SIGCHLD, previous)
    assert killed == []


def test_signals_held_around_the_fork_are_restored_even_when_one_was_pending(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """CPython's pthread_sigmask applies the new mask, then runs the handler of a signal that
    arrived just before: its KeyboardInterrupt must not leave SIGINT and SIGTERM blocked for
    the rest of the process (found by a stress loop; simulated here at the first block)."""
    real = signal.pthread_sigmask
    calls = {"n": 0}

    def interrupted_once(how: int, mask: object) -> set[signal.Signals]:
        old = real(how, mask)  # type: ignore[arg-type]
        if how == signal.SIG_BLOCK and mask and calls["n"] == 0:
            calls["n"] += 1
            raise KeyboardInterrupt
        return old

    before = real(signal.SIG_BLOCK, [])
    monkeypatch.setattr(forked.signal, "pthread_sigmask", interrupted_once)
    fds = len(os.listdir("/proc/self/fd"))
    with pytest.raises(KeyboardInterrupt):
        forked.start(lambda: 1, fork=True)
    monkeypatch.undo()
    assert signal.pthread_sigmask(signal.SIG_BLOCK, []) == before
    assert len(os.listdir("/proc/self/fd")) == fds


def test_a_threads_shared_sequences_are_invisible_to_other_threads() -> None:
    """yamlout's reuse of rendered lists was one global: a thread leaving its block reset it
    under another thread still rendering (TypeError in 8 of 20 three-thread builds)."""
    from generators import yamlout

    inside, leave = threading.Event(), threading.Event()

    def hold() -> None:
        with yamlout.shared_sequences():
            inside.set()
            leave.wait(10)

    other = threading.Thread(target=hold)
    other.start()
    try:
        assert inside.wait(10)
        assert getattr(yamlout._local, "shared", None) is None
        with yamlout.shared_sequences():
            doc = {"groups": [{"name": "a", "rules": [{"record": "x", "expr": "1"}]}]}
            assert yamlout.dump_yaml(doc) == yamlout.dump_yaml(doc, pure=True)
    finally:
        leave.set()
        other.join()
    assert getattr(yamlout._local, "shared", None) is None


# -- parts: a function returning an iterator, each item sent while the next is computed --------

def _parts_slow_second() -> Iterator[object]:
    yield os.getpid()
    time.sleep(60)
    yield "never read"


def test_each_part_arrives_while_the_child_computes_the_next() -> None:
    parts = forked.start(_parts_slow_second, fork=True).parts()
    started = time.monotonic()
    pid = next(parts)
    assert pid != os.getpid() and time.monotonic() - started < 10  # not after the 60 s part
    assert not _gone(pid)
    parts.close()  # the caller stops reading: the child is killed and reaped
    assert _gone(pid)


def test_a_large_part_does_not_hold_the_child_back_until_it_is_read() -> None:
    # 30 MB, thirty times the pipe: without the child's sender thread the child would wait
    # in its write until the caller reads, and compute the next part only then
    def two() -> Iterator[object]:
        yield "x" * 30_000_000
        yield time.monotonic()

    parts = forked.start(two, fork=True).parts()
    time.sleep(2.5)  # the caller is busy with its own half
    reading = time.monotonic()
    assert len(next(parts)) == 30_000_000
    assert next(parts) < reading  # computed before the caller read the first part
    assert list(parts) == []


def test_a_failure_after_some_parts_is_raised_in_the_caller_after_them() -> None:
    def fails_second() -> Iterator[object]:
        yield {"a": "1"}
        raise ValueError("slos[2]: no such indicator")

    parts = forked.start(fails_second, fork=True).parts()
    assert next(parts) == {"a": "1"}
    with pytest.raises(ValueError, match=r"slos\[2\]: no such indicator"):
        next(parts)


def test_a_child_killed_between_parts_is_a_clear_error() -> None:
    parts = forked.start(_parts_slow_second, fork=True).parts()
    pid = next(parts)  # the first part arrived; the child works on the second
    os.kill(pid, signal.SIGKILL)  # the OOM killer
    with pytest.raises(forked.ChildFailed, match=r"without a whole result.*killed by SIGKILL"):
        next(parts)
    assert _gone(pid)


def test_parts_without_fork_are_the_same_parts_in_the_caller() -> None:
    def three() -> Iterator[object]:
        yield from ({"n": str(i), "pid": os.getpid()} for i in range(3))

    here = list(forked.start(three, fork=False).parts())
    there = list(forked.start(three, fork=True).parts())
    assert [p["n"] for p in here] == [p["n"] for p in there] == ["0", "1", "2"]
    assert {p["pid"] for p in here} == {os.getpid()} and os.getpid() not in {p["pid"] for p in there}


def test_result_of_a_function_with_parts_says_to_use_parts() -> None:
    with pytest.raises(RuntimeError, match="parts"):
        forked.start(lambda: iter([1, 2]), fork=True).result()


def test_a_signal_held_across_the_fork_kills_the_child_it_interrupts(monkeypatch: pytest.MonkeyPatch) -> None:
    """SIGINT held during the fork is delivered as start() ends, before the caller has the
    Pending: the child must not live on while the exception is kept (found by review)."""
    real_init = forked._Child.__init__
    pids: list[int] = []

    def init(self: forked._Child, pid: int, read: int, owner: object) -> None:
        real_init(self, pid, read, owner)  # type: ignore[arg-type]
        pids.append(pid)
        signal.raise_signal(signal.SIGINT)  # blocked here: delivered when start() unblocks it

    monkeypatch.setattr(forked._Child, "__init__", init)
    with pytest.raises(KeyboardInterrupt) as info:
        forked.start(lambda: time.sleep(60), fork=True)
    assert pids and _gone(pids[0]) and info.value is not None  # the exception (and its frames) still held
