"""Server processes and temp dirs of the local stack that never outlive the program.

- Every child starts in its own process group (a terminal's Ctrl-C reaches only the program,
  which then stops its servers in order) and with PR_SET_PDEATHSIG=SIGKILL: when the program
  dies, even by SIGKILL, the kernel kills its servers. PDEATHSIG fires when the *thread* that
  forked the child ends, so children are forked from the main thread, or else from a launcher
  thread that lives as long as the process.
- `stop_signals()` turns SIGTERM and SIGINT into one `StopRequested` in the main thread (later
  signals are ignored while stopping); `uninterrupted()` holds such a stop back until a server
  that was just started is registered for cleanup, or until a cleanup is complete.
- Temp dirs are named `<prefix><pid>-<random>` and carry an owner file (pid, its start time,
  the boot id); `remove_abandoned_dirs` deletes those whose owner is dead, which is how the
  next start cleans up after a killed run. Directories of live processes (other sessions run
  their own stacks) and directories without our naming are left alone.
"""

from __future__ import annotations

import contextlib
import ctypes
import json
import os
import queue
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

PR_SET_PDEATHSIG = 1
OWNER_FILE = "owner.json"
_libc = ctypes.CDLL(None, use_errno=True)  # resolved here: the forked child only calls it


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def binary(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise RuntimeError(f"{name} not found; run `make tools` (apt: prometheus prometheus-alertmanager)")
    return path


# -- stopping on signals --------------------------------------------------------------------

class StopRequested(BaseException):
    """SIGTERM or SIGINT: unwind and stop the stack."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


_state = {"stopping": False, "held": 0, "pending": 0}


def _on_stop_signal(signum: int, frame: object) -> None:
    if _state["stopping"]:
        return  # the first one is already stopping everything
    if _state["held"]:
        _state["pending"] = signum
        return
    _state["stopping"] = True
    raise StopRequested(signum)


def stop_signals() -> None:
    """SIGTERM and SIGINT raise StopRequested in the main thread (call from the main thread)."""
    _state.update(stopping=False, held=0, pending=0)
    signal.signal(signal.SIGTERM, _on_stop_signal)
    signal.signal(signal.SIGINT, _on_stop_signal)


@contextlib.contextmanager
def uninterrupted() -> Iterator[None]:
    """A stop signal arriving inside the block takes effect when the block is over."""
    _state["held"] += 1
    try:
        yield
    finally:
        _state["held"] -= 1
        pending = _state["pending"]
        if not _state["held"] and pending and not _state["stopping"]:
            _state.update(stopping=True, pending=0)
            raise StopRequested(pending)


# -- spawning -------------------------------------------------------------------------------

def _die_with_parent(parent: int) -> None:
    # runs in the child between fork and exec: no locks, no imports
    _libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent:  # the parent died before the prctl took hold
        os._exit(1)


def _popen(args: list[str], kwargs: dict[str, Any]) -> subprocess.Popen[bytes]:
    parent = os.getpid()
    return subprocess.Popen(args, start_new_session=True, preexec_fn=lambda: _die_with_parent(parent), **kwargs)


class _Launcher:
    """A thread that lives as long as the process and forks children for other threads, so
    that their PDEATHSIG is not triggered by the calling thread ending."""

    def __init__(self) -> None:
        self._requests: queue.Queue[tuple[list[str], dict[str, Any], queue.Queue[Any]]] = queue.Queue()
        threading.Thread(target=self._serve, name="process-launcher", daemon=True).start()

    def _serve(self) -> None:
        while True:
            args, kwargs, answer = self._requests.get()
            try:
                answer.put(_popen(args, kwargs))
            except BaseException as exc:  # handed to the caller
                answer.put(exc)

    def spawn(self, args: list[str], kwargs: dict[str, Any]) -> subprocess.Popen[bytes]:
        answer: queue.Queue[Any] = queue.Queue(maxsize=1)
        self._requests.put((args, kwargs, answer))
        result = answer.get()
        if isinstance(result, BaseException):
            raise result
        return result


_launcher: _Launcher | None = None
_launcher_lock = threading.Lock()


def spawn(args: list[str], **kwargs: Any) -> subprocess.Popen[bytes]:
    """subprocess.Popen in a new process group, killed by the kernel if this process dies."""
    global _launcher
    if threading.current_thread() is threading.main_thread():
        return _popen(args, kwargs)
    with _launcher_lock:
        if _launcher is None:
            _launcher = _Launcher()
    return _launcher.spawn(args, kwargs)


def stop_process(process: subprocess.Popen[bytes], timeout: float = 10) -> None:
    """SIGTERM to the child's process group, SIGKILL if it is still there after `timeout`."""
    if process.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def run_tool(args: list[str]) -> None:
    """A short-lived tool (promtool) under the same protection; raises with its output on failure."""
    process = spawn(args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        output, _ = process.communicate()
    finally:
        stop_process(process, timeout=2)  # only does something if we are unwinding
    if process.returncode != 0:
        raise RuntimeError(f"{Path(args[0]).name} failed ({process.returncode}): {output.decode()[-2000:]}")


class ManagedProcess:
    """A server of the stack: started in its own group, dies with us, stopped by `stop()`."""

    def __init__(self, name: str, args: list[str], ready_url: str, log: Path) -> None:
        self.name, self.ready_url, self.log = name, ready_url, log
        self.handle = log.open("wb")
        try:
            self.process = spawn(args, stdout=self.handle, stderr=subprocess.STDOUT)
        except BaseException:
            self.handle.close()
            raise

    def wait_ready(self, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited: {self.log.read_text()[-2000:]}")
            try:
                with urllib.request.urlopen(self.ready_url, timeout=2) as resp:
                    if resp.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(0.2)
        raise RuntimeError(f"{self.name} not ready after {timeout}s: {self.log.read_text()[-2000:]}")

    def stop(self) -> None:
        stop_process(self.process)
        self.handle.close()


# -- temp dirs with an owner ----------------------------------------------------------------

def _start_ticks(pid: int) -> int | None:
    """The process' start time (clock ticks since boot): a pid reused later has another one."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = stat[stat.rindex(")") + 2:].split()
    return None if fields[0] == "Z" else int(fields[19])  # a zombie is dead already


def _boot_id() -> str:
    try:
        return Path("/proc/sys/kernel/random/boot_id").read_text().strip()
    except OSError:
        return ""


def make_owned_dir(prefix: str) -> Path:
    """A temp dir named after this process, with an owner file the next start can judge."""
    path = Path(tempfile.mkdtemp(prefix=f"{prefix}{os.getpid()}-"))
    owner = {"pid": os.getpid(), "start": _start_ticks(os.getpid()), "boot": _boot_id()}
    (path / OWNER_FILE).write_text(json.dumps(owner))
    return path


def _owner_alive(path: Path, name_pid: int) -> bool:
    try:
        owner = json.loads((path / OWNER_FILE).read_text())
        pid, start, boot = int(owner["pid"]), owner["start"], str(owner["boot"])
    except (OSError, ValueError, KeyError, TypeError):
        # killed between mkdtemp and the owner file (a moment), or not ours: judge by name and age
        try:
            young = time.time() - path.stat().st_mtime < 60
        except OSError:
            return True
        return young or _start_ticks(name_pid) is not None
    if boot != _boot_id():
        return False  # a reboot ended it
    return _start_ticks(pid) is not None and _start_ticks(pid) == start


def remove_abandoned_dirs(prefix: str, directory: Path | None = None) -> list[Path]:
    """Delete the temp dirs of dead owners (killed runs); returns what was removed."""
    directory = Path(tempfile.gettempdir()) if directory is None else directory
    pattern = re.compile(re.escape(prefix) + r"(\d+)-[a-z0-9_]+")
    removed = []
    for path in sorted(directory.glob(f"{prefix}*")):
        match = pattern.fullmatch(path.name)
        if not match or path.is_symlink() or not path.is_dir() or path.stat().st_uid != os.getuid():
            continue
        if int(match.group(1)) == os.getpid() or _owner_alive(path, int(match.group(1))):
            continue
        shutil.rmtree(path, ignore_errors=True)
        removed.append(path)
    return removed
