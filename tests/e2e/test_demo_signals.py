"""`python -m simulator demo` stopped by SIGTERM, SIGINT (at several points of its start, the
history backfill included) and SIGKILL: no server outlives it, its temp dir goes (after a
SIGKILL: at the next start), and nothing prints a traceback.

Processes are identified by PID and start time, never by name: other sessions on the same
machine run prometheus too.
"""

from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import ROOT

pytestmark = pytest.mark.e2e


def _start_ticks(pid: int) -> int | None:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = stat[stat.rindex(")") + 2:].split()
    return None if fields[0] == "Z" else int(fields[19])


def _processes() -> Iterator[tuple[int, int, str]]:
    """(pid, parent pid, command line) of every process."""
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        yield int(entry.name), int(stat[stat.rindex(")") + 2:].split()[1]), cmdline


class Demo:
    """The demo as a subprocess in its own session, its output lines and every process it
    started (watched while it runs, and found afterwards by its temp dir in their arguments)."""

    def __init__(self, tmp: Path, *args: str, command: str = "demo", prefix: str = "billing-e2e-") -> None:
        # a private TMPDIR: no other start (another test, another session) cleans up its dirs
        self.tmp, self.prefix = tmp, prefix
        self.process = subprocess.Popen(
            [sys.executable, "-m", "simulator", command, *args], cwd=ROOT, stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True,
            env={**os.environ, "TMPDIR": str(tmp)})
        self.pid = self.process.pid
        self.lines: queue.Queue[str] = queue.Queue()
        self.stdout: list[str] = []
        self.children: dict[int, tuple[int, str]] = {}  # pid -> (start ticks, command line)
        threading.Thread(target=self._read, daemon=True).start()
        threading.Thread(target=self._watch, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.stdout.append(line)
            self.lines.put(line)

    def _watch(self) -> None:
        while self.process.poll() is None:
            self._collect(lambda ppid, cmdline: ppid == self.pid)
            time.sleep(0.02)

    def _collect(self, belongs: object) -> None:
        for pid, ppid, cmdline in _processes():
            if belongs(ppid, cmdline):  # type: ignore[operator]
                start = _start_ticks(pid)
                known = self.children.get(pid)
                # a child seen between fork and exec still shows python's command line: update it
                if start is not None and (known is None or known[0] == start):
                    self.children[pid] = (start, cmdline)

    def wait_for(self, text: str, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                if text in self.lines.get(timeout=0.2):
                    return
            except queue.Empty:
                if self.process.poll() is not None:
                    break
        pytest.fail(f"demo never printed {text!r}: {''.join(self.stdout)}{self._stderr()}")

    def wait_for_child(self, name: str, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if any(name in cmdline.split(" ")[0] for _, cmdline in self.children.values()):
                return
            time.sleep(0.01)
        pytest.fail(f"no {name} child seen: {self.children}")

    def _stderr(self) -> str:
        return self.process.stderr.read() if self.process.stderr and self.process.poll() is not None else ""

    def finish(self, timeout: float = 15) -> tuple[int, str]:
        code = self.process.wait(timeout=timeout)
        marker = f"{self.tmp}/{self.prefix}{self.pid}-"
        self._collect(lambda ppid, cmdline: marker in cmdline)  # orphans, if any, still name our dir
        assert self.process.stderr is not None
        return code, self.process.stderr.read()

    def alive_children(self) -> list[str]:
        return [cmdline for pid, (start, cmdline) in self.children.items() if _start_ticks(pid) == start]

    def temp_dirs(self) -> list[Path]:
        return sorted(self.tmp.glob(f"{self.prefix}{self.pid}-*"))

    def cleanup(self) -> None:
        """Whatever a failed test left: by PID and start time only."""
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        for pid, (start, _) in self.children.items():
            if _start_ticks(pid) == start:
                os.kill(pid, signal.SIGKILL)
        for path in self.temp_dirs():
            subprocess.run(["rm", "-rf", str(path)], check=False)


@pytest.fixture
def demos() -> Iterator[list[Demo]]:
    started: list[Demo] = []
    yield started
    for demo in started:
        demo.cleanup()


def _gone_within(demo: Demo, seconds: float) -> list[str]:
    deadline = time.monotonic() + seconds
    while demo.alive_children() and time.monotonic() < deadline:
        time.sleep(0.05)
    return demo.alive_children()


def _servers(demo: Demo, expected: set[str], timeout: float = 10) -> set[str]:
    """The names of the demo's children once `expected` are among them (or the timeout)."""
    deadline = time.monotonic() + timeout
    while True:
        names = {Path(cmdline.split(" ")[0]).name for _, cmdline in demo.children.values()}
        if expected <= names or time.monotonic() > deadline:
            return names
        time.sleep(0.05)


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_a_stop_signal_while_running_stops_every_server_and_removes_the_temp_dir(demos: list[Demo], tmp_path: Path,
                                                                                 signum: int) -> None:
    demo = Demo(tmp_path, "--duration", "120", "--history-hours", "0.1")
    demos.append(demo)
    demo.wait_for("Prometheus   http://127.0.0.1:")
    servers = {"prometheus", "prometheus-alertmanager"}
    assert servers <= _servers(demo, servers)
    assert demo.temp_dirs()
    if signum == signal.SIGINT:
        os.killpg(demo.pid, signum)  # as a terminal's Ctrl-C does: the whole foreground group
    else:
        os.kill(demo.pid, signum)  # as `kill PID`, a supervisor or a CI timeout does: the demo only
    code, stderr = demo.finish()
    assert code == 0 and "Traceback" not in stderr, stderr
    assert _gone_within(demo, 3) == []
    assert demo.temp_dirs() == []
    assert "temp dir removed" in "".join(demo.stdout)


@pytest.mark.parametrize("moment", ["history generation", "promtool", "server start"])
def test_ctrl_c_at_any_point_of_the_start_is_quiet_and_leaves_nothing(demos: list[Demo], tmp_path: Path,
                                                                      moment: str) -> None:
    demo = Demo(tmp_path, "--duration", "120", "--history-hours", "0.1" if moment == "server start" else "3")
    demos.append(demo)
    if moment == "history generation":
        demo.wait_for("backfilling 3 h of history")  # Python renders it before promtool runs
    elif moment == "promtool":
        demo.wait_for_child("promtool")
    else:
        demo.wait_for("starting Alertmanager and Prometheus")
        demo.wait_for_child("prometheus-alertmanager")
    os.killpg(demo.pid, signal.SIGINT)
    code, stderr = demo.finish()
    assert code == 0 and stderr == "", stderr
    assert _gone_within(demo, 3) == []
    assert demo.temp_dirs() == []


def test_sigkill_takes_the_servers_along_and_the_next_start_removes_the_temp_dir(demos: list[Demo],
                                                                                 tmp_path: Path) -> None:
    demo = Demo(tmp_path, "--duration", "120", "--history-hours", "0.1")
    demos.append(demo)
    demo.wait_for("Prometheus   http://127.0.0.1:")
    servers = {"prometheus", "prometheus-alertmanager"}
    assert servers <= _servers(demo, servers)
    os.kill(demo.pid, signal.SIGKILL)
    code, stderr = demo.finish()
    assert code == -signal.SIGKILL and "Traceback" not in stderr
    assert _gone_within(demo, 3) == []  # the kernel killed them: PR_SET_PDEATHSIG
    left = demo.temp_dirs()
    assert len(left) == 1 and (left[0] / "owner.json").is_file()
    following = Demo(tmp_path, "--duration", "0", "--history-hours", "0")  # the next start, which stops at once
    demos.append(following)
    code, stderr = following.finish(timeout=60)
    assert code == 0 and stderr == "", stderr
    assert not left[0].exists()


# -- make demo-ha: seven servers, the same guarantees (tests/ha's topology code) ---------------

HA_SERVERS = {"prometheus", "prometheus-alertmanager"}


def _demo_ha(tmp_path: Path, *args: str) -> Demo:
    return Demo(tmp_path, "--no-history", *args, command="demo-ha", prefix="billing-ha-")


def _ha_servers_up(demo: Demo) -> None:
    demo.wait_for("Commands: ", timeout=120)
    assert _servers(demo, HA_SERVERS) >= HA_SERVERS
    # 2 agents + 2 central replicas (prometheus) and 3 Alertmanagers
    assert len([c for _, c in demo.children.values() if Path(c.split(" ")[0]).name in HA_SERVERS]) >= 7
    assert demo.temp_dirs()


@pytest.mark.ha
@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_demo_ha_stop_signal_stops_every_server_and_removes_the_temp_dir(demos: list[Demo], tmp_path: Path,
                                                                         signum: int) -> None:
    demo = _demo_ha(tmp_path, "--duration", "300")
    demos.append(demo)
    _ha_servers_up(demo)
    if signum == signal.SIGINT:
        os.killpg(demo.pid, signum)
    else:
        os.kill(demo.pid, signum)
    code, stderr = demo.finish(timeout=60)
    assert code == 0 and "Traceback" not in stderr, stderr
    assert _gone_within(demo, 3) == []
    assert demo.temp_dirs() == []
    assert "temp dir removed" in "".join(demo.stdout)


@pytest.mark.ha
def test_demo_ha_stop_signal_during_the_start_leaves_nothing(demos: list[Demo], tmp_path: Path) -> None:
    demo = _demo_ha(tmp_path, "--duration", "300")
    demos.append(demo)
    demo.wait_for_child("prometheus-alertmanager")  # the topology is half started
    os.kill(demo.pid, signal.SIGTERM)
    code, stderr = demo.finish(timeout=60)
    assert code == 0 and "Traceback" not in stderr, stderr
    assert _gone_within(demo, 3) == []
    assert demo.temp_dirs() == []


@pytest.mark.ha
def test_demo_ha_sigkill_takes_the_servers_along_and_the_next_start_removes_the_temp_dir(demos: list[Demo],
                                                                                         tmp_path: Path) -> None:
    demo = _demo_ha(tmp_path, "--duration", "300")
    demos.append(demo)
    _ha_servers_up(demo)
    os.kill(demo.pid, signal.SIGKILL)
    code, stderr = demo.finish()
    assert code == -signal.SIGKILL and "Traceback" not in stderr
    assert _gone_within(demo, 3) == []  # the kernel killed them: PR_SET_PDEATHSIG
    left = demo.temp_dirs()
    assert len(left) == 1 and (left[0] / "owner.json").is_file()
    following = _demo_ha(tmp_path, "--duration", "0")  # the next start, which stops once it is up
    demos.append(following)
    code, stderr = following.finish(timeout=120)
    assert code == 0 and "Traceback" not in stderr, stderr
    assert not left[0].exists()
