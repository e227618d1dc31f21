"""Simulated history with incidents at known times, backfilled into a real Prometheus.

The simulator (simulator/platform.py) is advanced through a timeline of scenario
switches and sampled every `step` seconds, as a scrape would have stored it (nothing of the
platform job while it is down), plus the `up` series Prometheus adds to every scrape (the
rules read it). Backfilled blocks cannot hold staleness markers: a down target's series
stay visible to instant selectors for the 5 m lookback, where a live Prometheus drops them
at the failed scrape. The samples go through
`promtool tsdb create-blocks-from openmetrics` into a data directory that a `prometheus`
on 127.0.0.1 then serves. Used by the backtest tests and the week benchmark.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import yaml

from generators.loader.build import load_spec
from simulator.exposition import History
from simulator.platform import JOBS, PlatformSimulator
from simulator.stack import ManagedProcess, binary, free_port, target_labels

INSTANCE = "127.0.0.1:9099"
CLUSTER = "history"


@dataclass(frozen=True)
class Switch:
    at: float  # Unix time
    scenario: str


def _up_openmetrics(labels: dict[str, dict[str, str]], times: list[float], down: list[bool]) -> str:
    lines = ["# TYPE up gauge", "# HELP up scrape target alive"]
    for job in JOBS:
        body = ",".join(f'{k}="{v}"' for k, v in sorted(labels[job].items()))
        for t, is_down in zip(times, down, strict=True):
            lines.append(f"up{{{body}}} {0.0 if is_down and job == 'platform' else 1.0} {int(t)}")
    return "\n".join([*lines, "# EOF"]) + "\n"


@dataclass
class Chunk:
    history: History  # the simulator's series as scrapes would have stored them
    times: list[float]
    platform_down: list[bool]  # per time: the `up` of the platform job is 0

    def openmetrics(self) -> dict[str, str]:
        return {"platform": self.history.render_openmetrics(),
                "up": _up_openmetrics(self.history.target_labels, self.times, self.platform_down)}


def simulate(spec_path: Path, start: float, end: float, switches: list[Switch], step: int = 30, seed: int = 7,
             chunk_seconds: float = 86400) -> Iterator[Chunk]:
    """History in [start, end) sampled every `step` s, a day at a time (a week never sits in
    memory as one OpenMetrics text)."""
    labels = target_labels(load_spec(spec_path), INSTANCE, cluster=CLUSTER)
    sim = PlatformSimulator(start, "healthy", seed=seed)
    pending = sorted(switches, key=lambda s: s.at)
    t = start
    while t < end:
        chunk = Chunk(History(labels), [], [])
        chunk_end = min(end, t + chunk_seconds)
        while t < chunk_end:
            while pending and pending[0].at <= t:
                sim.set_scenario(pending.pop(0).scenario)
            sim.advance(t)
            down = not sim.params.platform_up
            # a scrape of a down target stores no samples (the live simulator answers 503), only up=0
            chunk.history.record(t, [s for s in sim.samples() if not (down and s.job == "platform")])
            chunk.times.append(t)
            chunk.platform_down.append(down)
            t += step
        yield chunk


def backfill(chunks: Iterable[Chunk], data_dir: Path) -> None:
    """promtool tsdb create-blocks-from openmetrics, chunk by chunk, into data_dir."""
    promtool = binary("promtool")
    with tempfile.TemporaryDirectory(prefix="backtest-om-") as tmp:
        for chunk in chunks:
            for name, text in chunk.openmetrics().items():
                source = Path(tmp) / f"{name}.om"
                source.write_text(text)
                subprocess.run([promtool, "tsdb", "create-blocks-from", "openmetrics", "-q", str(source),
                                str(data_dir)], check=True, capture_output=True)
                source.unlink()


def copy_blocks(data_dir: Path, target: Path) -> None:
    """The TSDB blocks of data_dir (not its WAL or lock) into target, for a second server."""
    target.mkdir(parents=True, exist_ok=True)
    for block in data_dir.iterdir():
        if (block / "meta.json").exists():
            shutil.copytree(block, target / block.name)


@contextmanager
def prometheus(data_dir: Path, rule_files: list[Path] | None = None, extra_flags: list[str] | None = None,
               scrape_configs: list[dict[str, object]] | None = None) -> Iterator[str]:
    """A prometheus on a free port of 127.0.0.1 serving data_dir; yields its URL; always stopped."""
    port = free_port()
    config = data_dir.parent / f"prometheus-{port}.yml"
    config.write_text(yaml.safe_dump({
        "global": {"scrape_interval": "30s", "evaluation_interval": "30s"},
        "rule_files": [str(p) for p in rule_files or []],
        "scrape_configs": scrape_configs or [],
    }))
    url = f"http://127.0.0.1:{port}"
    process = ManagedProcess("prometheus", [
        binary("prometheus"), f"--config.file={config}", f"--storage.tsdb.path={data_dir}",
        "--storage.tsdb.retention.time=60d", f"--web.listen-address=127.0.0.1:{port}", *(extra_flags or []),
    ], f"{url}/-/ready", data_dir.parent / f"prometheus-{port}.log")
    try:
        process.wait_ready(timeout=60)
        yield url
    finally:
        process.stop()


def daytime_end(now: float, weekday: int = 2, hour: int = 20, margin: float = 2 * 3600) -> float:
    """The latest `weekday` (0 = Monday) at `hour`:00 UTC at least `margin` before `now`.
    The simulator's load follows the time of day and the weekday; history ending at a fixed
    instant of the week makes the backtest's incidents the same whenever CI runs (a pool
    incident at 05:30 UTC, with the night's load, kept dipping under its threshold and did
    not fire)."""
    day = 86400
    latest = now - margin
    # 1970-01-01 was a Thursday (weekday 3)
    days_since = int(latest // day)
    back = (days_since + 3 - weekday) % 7
    end = (days_since - back) * day + hour * 3600
    return float(end if end <= latest else end - 7 * day)


def aligned_now(step: int = 3600) -> float:
    """A recent whole hour: history ends there, so every timestamp is a multiple of the step."""
    return float(int(time.time()) // step * step)
