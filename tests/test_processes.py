"""simulator.processes: children die with their parent (also when a thread started them), a
stop signal waits for a registration to finish, and only dead owners' temp dirs are removed."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from simulator import processes
from simulator.processes import (
    OWNER_FILE,
    StopRequested,
    make_owned_dir,
    remove_abandoned_dirs,
    spawn,
    stop_process,
    stop_signals,
    uninterrupted,
)
from tests.conftest import ROOT


def _alive(pid: int) -> bool:
    return processes._start_ticks(pid) is not None


def _wait_gone(pid: int, seconds: float = 3) -> bool:
    deadline = time.monotonic() + seconds
    while _alive(pid) and time.monotonic() < deadline:
        time.sleep(0.02)
    return not _alive(pid)


@pytest.mark.parametrize("from_thread", [False, True])
def test_a_child_dies_when_its_parent_is_killed(from_thread: bool) -> None:
    """A parent process spawns `sleep`, prints its pid and is SIGKILLed: the sleep must go too."""
    script = (
        "import sys, threading, time\n"
        "from simulator.processes import spawn\n"
        "def start():\n"
        "    print(spawn(['sleep', '60']).pid, flush=True)\n"
        f"if {from_thread}:\n"
        "    t = threading.Thread(target=start); t.start(); t.join()\n"
        "else:\n"
        "    start()\n"
        "time.sleep(60)\n"
    )
    parent = subprocess.Popen([sys.executable, "-c", script], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    assert parent.stdout is not None
    child = int(parent.stdout.readline())
    try:
        time.sleep(0.2)
        assert _alive(child)  # the starting thread ended (from_thread): the child must not follow it
        parent.kill()
        parent.wait()
        assert _wait_gone(child), "the child outlived its parent's SIGKILL"
    finally:
        if _alive(child):
            os.kill(child, signal.SIGKILL)


def test_a_child_runs_in_its_own_process_group() -> None:
    child = spawn(["sleep", "60"])
    try:
        assert os.getpgid(child.pid) == child.pid != os.getpgid(0)
    finally:
        stop_process(child, timeout=5)
    assert child.returncode == -signal.SIGTERM


def test_a_stop_signal_waits_for_the_end_of_an_uninterrupted_block() -> None:
    previous = {s: signal.getsignal(s) for s in (signal.SIGTERM, signal.SIGINT)}
    stop_signals()
    registered = []
    try:
        with pytest.raises(StopRequested) as stop, uninterrupted():
            os.kill(os.getpid(), signal.SIGTERM)
            time.sleep(0.05)  # the handler has run by now, and held the stop back
            registered.append("server")
        assert registered == ["server"] and stop.value.signum == signal.SIGTERM
        os.kill(os.getpid(), signal.SIGINT)  # while stopping, later signals are ignored
        time.sleep(0.05)
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def _owned_dir(base: Path, pid: int, start: object, boot: str | None = None, age: float = 0) -> Path:
    path = base / f"billing-e2e-{pid}-abc123_x"
    path.mkdir(parents=True)
    (path / "data").mkdir()
    owner = {"pid": pid, "start": start, "boot": boot if boot is not None else processes._boot_id()}
    (path / OWNER_FILE).write_text(json.dumps(owner))
    if age:
        os.utime(path, (time.time() - age, time.time() - age))
    return path


def test_only_the_temp_dirs_of_dead_owners_are_removed(tmp_path: Path) -> None:
    dead = subprocess.Popen(["true"])
    dead.wait()
    live = subprocess.Popen(["sleep", "60"])
    try:
        time.sleep(0.05)
        me = os.getpid()
        cases = {
            "dead owner": (_owned_dir(tmp_path / "a", dead.pid, 1), True),
            "live owner": (_owned_dir(tmp_path / "b", live.pid, processes._start_ticks(live.pid)), False),
            "this process": (_owned_dir(tmp_path / "c", me, processes._start_ticks(me)), False),
            "pid reused by another process": (_owned_dir(tmp_path / "d", live.pid, 12345), True),
            "before a reboot": (_owned_dir(tmp_path / "e", live.pid, processes._start_ticks(live.pid), "old-boot"),
                                True),
        }
        no_owner_old = tmp_path / "f" / f"billing-e2e-{dead.pid}-zz9"
        no_owner_young = tmp_path / "g" / f"billing-e2e-{dead.pid}-zz9"
        not_ours = tmp_path / "h" / "billing-e2e-k2j4h5g6"  # the naming of older code: owner unknown
        for path in (no_owner_old, no_owner_young, not_ours):
            path.mkdir(parents=True)
        os.utime(no_owner_old, (time.time() - 120, time.time() - 120))
        os.utime(not_ours, (time.time() - 3600, time.time() - 3600))
        cases["no owner file, dead pid, old"] = (no_owner_old, True)
        cases["no owner file, young"] = (no_owner_young, False)
        cases["not our naming"] = (not_ours, False)
        for name, (path, removed) in cases.items():
            assert remove_abandoned_dirs("billing-e2e-", path.parent) == ([path] if removed else []), name
            assert path.exists() is not removed, name
    finally:
        live.kill()
        live.wait()


def test_an_owned_dir_names_its_owner(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(processes.tempfile, "tempdir", str(tmp_path))
    path = make_owned_dir("billing-e2e-")
    owner = json.loads((path / OWNER_FILE).read_text())
    assert path.name.startswith(f"billing-e2e-{os.getpid()}-")
    assert owner == {"pid": os.getpid(), "start": processes._start_ticks(os.getpid()), "boot": processes._boot_id()}
    assert remove_abandoned_dirs("billing-e2e-", tmp_path) == [] and path.exists()


def test_stack_still_exports_the_process_helpers() -> None:
    from simulator import stack

    assert (stack.ManagedProcess, stack.free_port, stack.binary) == (
        processes.ManagedProcess, processes.free_port, processes.binary)


def test_the_launcher_thread_survives_the_threads_it_serves() -> None:
    children: list[int] = []

    def start() -> None:
        children.append(spawn(["sleep", "60"]).pid)

    for _ in range(2):
        thread = threading.Thread(target=start)
        thread.start()
        thread.join()
    try:
        time.sleep(0.2)
        assert all(_alive(pid) for pid in children)
    finally:
        for pid in children:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
