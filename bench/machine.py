"""One line describing where and when a benchmark ran, for the figures in the README."""

from __future__ import annotations

import os
import platform
import time
from pathlib import Path


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def describe() -> str:
    return (f"{time.strftime('%Y-%m-%d %H:%M %Z')}; {os.cpu_count()} x {cpu_model()}; "
            f"Linux {platform.release()}; Python {platform.python_version()}; load average {load_average()}")


def load_average() -> str:
    return ", ".join(f"{x:.2f}" for x in os.getloadavg())
