"""Run one function in a forked child while the caller goes on: a build's two halves on two cores.

The child gets a copy of the caller's memory (the loaded spec, the imported modules), runs
the function, sends back its pickled result or its exception through a pipe (length first,
so a child killed mid-send is told from a complete answer) and exits with os._exit: it never
returns into the caller's code and runs no atexit handler. It only computes; only the caller
writes files. SIGINT and SIGTERM kill the child outright; the caller handles its own.

A function may also return an iterator: `parts()` then yields each item as the child sends
it (a sender thread in the child writes one while the next is computed), so the caller can
use the first parts while the child works on.

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
_HEADER = 8  # bytes of a message's length
# a message is (tag, value): the function's value (the end), its exception (the end), or a part
_VALUE, _ERROR, _PART = "value", "error", "part"
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
        self._finalizer: weakref.finalize | None = None  # type: ignore[type-arg]
        if fork:
            try:
                self._fork(function)
            except BaseException:  # a signal held across the fork, delivered as it ends
                self.cancel()  # this object never reaches the caller: its child must not outlive it
                raise

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
        child = self._take_child()
        done = False
        try:
            tag, value = _read_message(child)
            done = tag == _VALUE
        finally:
            child.stop(kill=not done)
        if tag == _PART:
            raise RuntimeError("the function returned an iterator: read it with parts()")
        if tag != _VALUE:
            raise value
        return value  # type: ignore[no-any-return]

    def parts(self) -> Iterator[Any]:
        """For a function that returns an iterator: its items, each as soon as the child has
        sent it. Closing this generator early, or an exception, kills the child."""
        if self._function is not None:
            function, self._function = self._function, None
            yield from function()  # type: ignore[call-overload]
            return
        child = self._take_child()
        done = False
        try:
            while True:
                tag, value = _read_message(child)
                if tag == _PART:
                    yield value
                elif tag == _VALUE:
                    done = True
                    return
                else:
                    raise value
        finally:
            child.stop(kill=not done)

    @property
    def forked(self) -> bool:
        """Whether a child computes the result (else the caller will, when asked)."""
        return self._child is not None

    def _take_child(self) -> _Child:
        if self._child is None:
            raise RuntimeError("result(), parts() or cancel() was already called")
        child, self._child = self._child, None
        return child  # the finalizer stays: it stops the child if the taker is interrupted

    def cancel(self) -> None:
        """Stop the child if it still runs (the caller failed and does not want its result).
        Also after result() or parts() took the child: a signal's exception can cut their own
        stop() short, and this is the caller's cleanup."""
        self._function = None
        self._child = None
        if self._finalizer is not None:
            self._finalizer()  # at most once; stop() itself is idempotent


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
        with contextlib.suppress(OSError):  # F_SETPIPE_SZ is Linux-only; the default works
            import fcntl

            fcntl.fcntl(write, getattr(fcntl, "F_SETPIPE_SZ", 1031), _PIPE_SIZE)
        sender = _Sender(write)
        try:
            value = function()
            if isinstance(value, Iterator):  # parts: each one sent while the next is computed
                for part in value:
                    sender.send(pickle.dumps((_PART, part), protocol=pickle.HIGHEST_PROTOCOL))
                value = None
            payload = pickle.dumps((_VALUE, value), protocol=pickle.HIGHEST_PROTOCOL)
            code = 0
        except BaseException as exc:  # sent to the caller, which raises it
            exc.add_note("in the build's second process:\n" + "".join(traceback.format_exception(exc)))
            payload = _pickled_failure(exc)
        sender.send(payload)
        if not sender.close():
            code = 1
    finally:  # a broken pipe (the caller is gone) or anything else: the child ends here
        _flush_stdio()
        os._exit(code)


class _Sender:
    """Writes the child's messages in order; from the second one on in a thread, so that the
    child computes its next part while the caller has not read the last one yet (a pipe
    holds 1 MB, a part of a 100x build 30 MB)."""

    def __init__(self, write: int) -> None:
        self.write = write
        self.queue: list[bytes] = []
        self.ready = threading.Condition()
        self.closed = False
        self.failed = False
        self.thread: threading.Thread | None = None

    def send(self, payload: bytes) -> None:
        message = len(payload).to_bytes(_HEADER, "big") + payload
        with self.ready:
            self.queue.append(message)
            self.ready.notify()
        if self.thread is None:
            self.thread = threading.Thread(target=self._run, daemon=True)
            self.thread.start()

    def close(self) -> bool:
        """Wait until every message is written; False if the pipe broke (the caller is gone)."""
        with self.ready:
            self.closed = True
            self.ready.notify()
        if self.thread is not None:
            self.thread.join()
        return not self.failed

    def _run(self) -> None:
        while True:
            with self.ready:
                while not self.queue and not self.closed:
                    self.ready.wait()
                if not self.queue:
                    return
                message = self.queue.pop(0)
            try:
                view = memoryview(message)
                while view:
                    view = view[os.write(self.write, view):]
            except OSError:
                self.failed = True
                return


def _read_message(child: _Child) -> tuple[str, Any]:
    """The next (tag, value) from the child; ChildFailed if it ended before a whole one."""
    header = _read_exactly(child.read, _HEADER)
    body = _read_exactly(child.read, int.from_bytes(header, "big")) if len(header) == _HEADER else b""
    if len(header) < _HEADER or len(body) < int.from_bytes(header, "big"):
        raise ChildFailed(f"the build's second process ended without a whole result ({child.stop()})")
    return pickle.loads(body)  # type: ignore[no-any-return]


def _read_exactly(fd: int, size: int) -> bytearray:
    """`size` bytes, or fewer if the pipe ends first (read in place: a part can be 30 MB)."""
    buffer = bytearray(size)
    view, got = memoryview(buffer), 0
    while got < size:
        n = os.readv(fd, [view[got:]])
        if n == 0:
            break
        got += n
    view.release()
    return buffer if got == size else buffer[:got]


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
        payload = pickle.dumps((_ERROR, exc), protocol=pickle.HIGHEST_PROTOCOL)
        pickle.loads(payload)  # some exceptions pickle but do not unpickle (required arguments)
        return payload
    except Exception:
        text = "".join(traceback.format_exception(exc))
        return pickle.dumps((_ERROR, ChildFailed(f"the build's second process failed:\n{text}")))
