"""Run one function in a forked child while the caller goes on: a build's two halves on two cores.

The child gets a copy of the caller's memory (the loaded spec, the imported modules), runs
the function, sends back its pickled result or its exception through a pipe (length first,
so a child killed mid-send is told from a complete answer) and exits with os._exit: it never
returns into the caller's code and runs no atexit handler. It only computes; only the caller
writes files. SIGINT and SIGTERM kill the child outright; the caller handles its own.

Whatever ends the caller's interest, the child is killed and reaped: `result()` interrupted,
`cancel()`, the Pending object dropped without either (a finalizer), the caller's death
(PR_SET_PDEATHSIG on Linux; elsewhere the child ends when it finds the pipe closed).

`start` forks only where that is safe and can help: `os.fork` exists, two CPUs are usable
and the caller runs no other thread. A thread that holds a lock at the instant of fork (an
import lock, a cache's lock) leaves it held forever in the child, which then hangs on its
first import. Otherwise, or when fork fails (EAGAIN, ENOMEM), the function runs in the
caller when `result()` is called: the same results, in the same order, in one process.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import signal
import sys
import threading
import traceback
import weakref
from collections.abc import Callable, Iterator
from typing import Any, Generic, TypeVar

T = TypeVar("T")

_PIPE_SIZE = 1 << 20  # F_SETPIPE_SZ: a 100x build sends ~50 MB; 64 KB turns would cost a switch each
_HEADER = 8  # bytes of the payload's length
_STOP_SIGNALS = {signal.SIGINT, signal.SIGTERM}


class ChildFailed(RuntimeError):
    """The child died without a whole result (killed, out of memory) or its exception could not be pickled."""


def usable_cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def can_fork() -> bool:
    return hasattr(os, "fork") and usable_cpus() > 1 and threading.active_count() == 1


class Pending(Generic[T]):
    """The result of `function`, computed in a child, or in the caller at `result()`."""

    def __init__(self, function: Callable[[], T], fork: bool) -> None:
        self._function: Callable[[], T] | None = function
        self._child: _Child | None = None
        if fork:
            self._fork(function)

    def _fork(self, function: Callable[[], T]) -> None:
        _flush_stdio()  # else the child's exit could write the caller's buffered output again
        parent = os.getpid()
        # SIGINT/SIGTERM are held from before the pipe until the child is owned by this object
        # (its finalizer registered): arriving in between, they would leave it unmanaged
        with _stop_signals_held() as mask:
            read, write = os.pipe()
            try:
                pid = os.fork()
            except OSError:  # EAGAIN, ENOMEM: one process does it all
                os.close(read)
                os.close(write)
                return
            if pid == 0:  # the child: never leaves this branch
                _run_child(function, read, write, parent, mask)
            os.close(write)
            child = _Child(pid, read, self)
            self._child, self._function = child, None
            self._finalizer = weakref.finalize(self, child.stop)

    def result(self) -> T:
        """The function's value, or its exception raised here. Whatever interrupts the wait
        (Ctrl-C, SIGTERM's SystemExit) kills the child first."""
        if self._function is not None:
            function, self._function = self._function, None
            return function()
        if self._child is None:
            raise RuntimeError("result() or cancel() was already called")
        child, self._child = self._child, None
        self._finalizer.detach()
        data = b""
        try:
            chunks = []
            while chunk := os.read(child.read, _PIPE_SIZE):
                chunks.append(chunk)
            data = b"".join(chunks)
        finally:
            status = child.stop(kill=not data)
        whole = len(data) >= _HEADER and len(data) == _HEADER + int.from_bytes(data[:_HEADER], "big")
        if not whole:
            raise ChildFailed(f"the build's second process ended without a whole result ({status})")
        ok, value = pickle.loads(data[_HEADER:])
        if not ok:
            raise value
        return value  # type: ignore[no-any-return]

    def cancel(self) -> None:
        """Stop the child if it still runs (the caller failed and does not want its result)."""
        self._function = None
        if self._child is not None:
            self._child = None
            self._finalizer()


def start(function: Callable[[], T], fork: bool | None = None) -> Pending[T]:
    """`function()` in a forked child when `fork` (default: `can_fork()`), else in the caller
    when `result()` is called. `fork=True` in a process with other threads risks a child that
    hangs on a lock (see above): tests only."""
    for child in list(_CHILDREN):
        if child.owner() is None:
            child.stop()
    return Pending(function, can_fork() if fork is None else fork)


@contextlib.contextmanager
def _stop_signals_held() -> Iterator[set[signal.Signals]]:
    """SIGINT and SIGTERM held (blocked) inside, delivered at the end if they came; yields
    the mask to restore. The mask is read before it is changed: pthread_sigmask applies a
    new mask and then runs the handler of a signal already pending, which may raise."""
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, [])
    try:
        signal.pthread_sigmask(signal.SIG_BLOCK, _STOP_SIGNALS)
        yield previous
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


# Every child not yet reaped. A signal's exception can interrupt its cleanup (inside a
# finalizer it is only printed); the next start() stops each child whose Pending is gone,
# so a long-lived caller is not left with zombies holding pipes.
_CHILDREN: set[_Child] = set()


class _Child:
    """A forked child, addressed by a pidfd where Linux has them: a pid may be reused once the
    child was reaped behind our back (a caller ignoring SIGCHLD), a pidfd may not."""

    def __init__(self, pid: int, read: int, owner: Pending[Any]) -> None:
        self.pid, self.read = pid, read
        self.owner = weakref.ref(owner)
        _CHILDREN.add(self)
        self.pidfd: int | None = None
        with contextlib.suppress(AttributeError, OSError):
            self.pidfd = os.pidfd_open(pid)
        self._read_open = True
        self._stopped: str | None = None

    def stop(self, kill: bool = True) -> str:
        """Close the pipe, kill the child unless it is done, reap it; how it ended, as text.
        Once; signals are held meanwhile, and if one interrupts anyway, the next start() ends it."""
        if self._stopped is not None:
            _CHILDREN.discard(self)
            return self._stopped
        with _stop_signals_held():
            if self._read_open:
                self._read_open = False
                os.close(self.read)
            if kill:
                with contextlib.suppress(ProcessLookupError):
                    if self.pidfd is not None:
                        signal.pidfd_send_signal(self.pidfd, signal.SIGKILL)
                    else:
                        os.kill(self.pid, signal.SIGKILL)
            self._stopped = self._reap()
            if self.pidfd is not None:
                os.close(self.pidfd)
                self.pidfd = None
        _CHILDREN.discard(self)
        return self._stopped

    def _reap(self) -> str:
        try:
            if self.pidfd is not None:
                result = os.waitid(os.P_PIDFD, self.pidfd, os.WEXITED)
                assert result is not None  # None only with WNOHANG
                if result.si_code in (os.CLD_KILLED, os.CLD_DUMPED):
                    return f"killed by {signal.Signals(result.si_status).name}"
                return f"exit status {result.si_status}"
            _, status = os.waitpid(self.pid, 0)
        except ChildProcessError:  # reaped already: SIGCHLD ignored by the caller, or its handler reaped it
            return "exit status unknown"
        if os.WIFSIGNALED(status):
            return f"killed by {signal.Signals(os.WTERMSIG(status)).name}"
        return f"exit status {os.waitstatus_to_exitcode(status)}"


def _run_child(function: Callable[[], object], read: int, write: int, parent: int, mask: set[signal.Signals]
               ) -> None:
    code = 1
    try:
        os.close(read)
        for signum in _STOP_SIGNALS:
            if signal.getsignal(signum) is not signal.SIG_IGN:  # ignored by the caller: by the child too
                signal.signal(signum, signal.SIG_DFL)
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)  # a signal held since the fork ends the child now
        _die_with(parent)
        try:
            payload = pickle.dumps((True, function()), protocol=pickle.HIGHEST_PROTOCOL)
            code = 0
        except BaseException as exc:  # sent to the caller, which raises it
            exc.add_note("in the build's second process:\n" + "".join(traceback.format_exception(exc)))
            payload = _pickled_failure(exc)
        with contextlib.suppress(OSError):  # F_SETPIPE_SZ is Linux-only; the default works
            import fcntl

            fcntl.fcntl(write, getattr(fcntl, "F_SETPIPE_SZ", 1031), _PIPE_SIZE)
        view = memoryview(len(payload).to_bytes(_HEADER, "big") + payload)
        while view:
            view = view[os.write(write, view):]
    finally:  # a broken pipe (the caller is gone) or anything else: the child ends here
        _flush_stdio()
        os._exit(code)


def _flush_stdio() -> None:
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):  # closed, or None when started without the descriptor
            stream.flush()


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
