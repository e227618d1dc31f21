"""Run one child process and measure it: wall and CPU time, exit status and its own peak RSS.

The measurement is done by launch.py, a tiny intermediate process (see there why); it
kills the child at the timeout, so a build that does not finish is reported as a timeout
instead of hanging the benchmark.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

LAUNCHER = Path(__file__).with_name("launch.py")


@dataclass(frozen=True)
class Run:
    seconds: float
    cpu_seconds: float  # user + system: what other processes' load does not inflate
    max_rss_kb: int
    returncode: int
    timed_out: bool
    stderr: str


def child_environment() -> dict[str, str]:
    """The caller's environment with bytecode caching on: with PYTHONDONTWRITEBYTECODE set
    (some shells and CI images set it), every run would compile the project's modules from
    source while the libraries of the bare imports load from their installed .pyc files,
    an unfair comparison that no user of `make build` pays after the first run."""
    return {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def run_measured(args: list[str], timeout: float, cwd: Path | None = None) -> Run:
    process = subprocess.Popen([sys.executable, "-I", "-S", str(LAUNCHER), str(timeout), *args],
                               cwd=cwd, env=child_environment(), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        out, err = process.communicate()
    except BaseException:  # Ctrl-C: the launcher kills its child on SIGTERM
        process.terminate()
        process.wait()
        raise
    if process.returncode != 0:
        raise RuntimeError(f"launcher failed for {args[:3]}: {err.decode(errors='replace')[-2000:]}")
    result = json.loads(out)
    return Run(result["seconds"], result["cpu_seconds"], result["max_rss_kb"], result["returncode"],
               result["timed_out"], err.decode(errors="replace")[-2000:])


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")
