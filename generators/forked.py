"""Run one function in a forked child while the caller goes on: a build's two halves on two cores.

The child gets a copy of the caller's memory (the loaded spec, the imported modules), runs
the function, sends back its pickled result or its exception through a pipe and exits with
os._exit: it never returns into the caller's code, runs no atexit handler and flushes no
buffer of the caller's. It only computes; only the caller writes files. SIGINT and SIGTERM
kill the child outright (the caller handles its own and stops the child, see `result`).

Where fork is unavailable (Windows) or only one CPU is usable, `start` runs the function
at once in the caller; the results are the same either way (tests/test_forked.py).
"""

from __future__ import annotations

import contextlib
import os
import pickle
import signal
import traceback
from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")

_PIPE_SIZE = 1 << 20  # F_SETPIPE_SZ: a 100x build sends ~50 MB; 64 KB turns would cost a switch each


class ChildFailed(RuntimeError):
    """The child died without a result (killed, out of memory) or its exception could not be pickled."""


def usable_cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def can_fork() -> bool:
    return hasattr(os, "fork") and usable_cpus() > 1


class Pending(Generic[T]):
    """The result of `function`, computed in a child (or already, in the caller)."""

    def __init__(self, function: Callable[[], T], fork: bool) -> None:
        self._pid: int | None = None
        self._value: T | None = None
        if not fork:
            self._value = function()
            return
        read, write = os.pipe()
        parent = os.getpid()
        pid = os.fork()
        if pid == 0:  # the child: never leaves this branch
            os.close(read)
            _run_child(function, write, parent)
        os.close(write)
        self._pid, self._read = pid, read

    def result(self) -> T:
        """The function's value, or its exception raised here. Whatever interrupts the wait
        (Ctrl-C, SIGTERM's SystemExit) kills the child first."""
        if self._pid is None:
            return self._value  # type: ignore[return-value]
        pid, self._pid = self._pid, None
        data = b""
        try:
            chunks = []
            while chunk := os.read(self._read, _PIPE_SIZE):
                chunks.append(chunk)
            data = b"".join(chunks)
        finally:
            os.close(self._read)
            if not data:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
            _, status = os.waitpid(pid, 0)
        if not data:
            raise ChildFailed(f"the build's second process ended without a result ({_status_text(status)})")
        ok, value = pickle.loads(data)
        if not ok:
            raise value
        return value  # type: ignore[no-any-return]

    def cancel(self) -> None:
        """Stop the child if it still runs (the caller failed and does not want its result)."""
        if self._pid is None:
            return
        pid, self._pid = self._pid, None
        os.close(self._read)
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)


def start(function: Callable[[], T], fork: bool | None = None) -> Pending[T]:
    """`function()` in a forked child when `fork` (default: when it can help), else right now."""
    return Pending(function, can_fork() if fork is None else fork)


def _run_child(function: Callable[[], object], write: int, parent: int) -> None:
    code = 1
    try:
        for signum in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, signal.SIG_DFL)
        _die_with(parent)
        try:
            payload = pickle.dumps((True, function()), protocol=pickle.HIGHEST_PROTOCOL)
            code = 0
        except BaseException as exc:  # sent to the caller, which raises it
            exc.add_note("in the build's second process:\n" + "".join(traceback.format_tb(exc.__traceback__)))
            payload = _pickled_failure(exc)
        with contextlib.suppress(OSError):  # F_SETPIPE_SZ is Linux-only; the default works
            import fcntl

            fcntl.fcntl(write, getattr(fcntl, "F_SETPIPE_SZ", 1031), _PIPE_SIZE)
        view = memoryview(payload)
        while view:
            view = view[os.write(write, view):]
    finally:  # a broken pipe (the caller is gone) or anything else: the child ends here
        os._exit(code)


def _die_with(parent: int) -> None:
    """Linux: the kernel kills this child when the caller dies, so a build killed with SIGKILL
    leaves no orphan computing on (elsewhere the orphan ends when it finds the pipe closed)."""
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:  # the caller died before prctl took effect
        os._exit(1)


def _pickled_failure(exc: BaseException) -> bytes:
    try:
        payload = pickle.dumps((False, exc), protocol=pickle.HIGHEST_PROTOCOL)
        pickle.loads(payload)  # some exceptions pickle but do not unpickle (required arguments)
        return payload
    except Exception:
        text = "".join(traceback.format_exception(exc))
        return pickle.dumps((False, ChildFailed(f"the build's second process failed:\n{text}")))


def _status_text(status: int) -> str:
    if os.WIFSIGNALED(status):
        return f"killed by {signal.Signals(os.WTERMSIG(status)).name}"
    return f"exit status {os.waitstatus_to_exitcode(status)}"
