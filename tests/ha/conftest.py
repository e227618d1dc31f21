"""The HA tests print what they measured (latencies, duplicates, run time) after the run."""

from __future__ import annotations

from typing import Any

MEASUREMENTS: list[str] = []


def record(line: str) -> None:
    MEASUREMENTS.append(line)
    print(line)


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if MEASUREMENTS:
        terminalreporter.section("HA topology measurements")
        for line in MEASUREMENTS:
            terminalreporter.write_line(line)
