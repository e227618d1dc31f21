"""Shared set-up of the backtest tests: a real Prometheus serving simulated history."""

from __future__ import annotations

import json
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from generators.cli import main
from tests.backtest.history import Chunk, Switch, backfill, daytime_end, prometheus, simulate
from tests.conftest import SPEC_PATH

HOUR = 3600.0
# incidents (scenario, from, to in hours after the history start) and what they must fire
INCIDENTS = [
    ("payment_failures", 1.0, 1 + 40 / 60, [("BillingPaymentSuccessRateLow", {"provider": "stripe"})]),
    ("db_pool_exhaustion", 2.5, 3.0, [("BillingDatabasePoolUsageHigh", {"pool": "primary"}),
                                      ("BillingDatabasePoolUsageHigh", {"pool": "replica"})]),
    ("slow_queries", 5.0, 5.5, [("BillingDatabaseQueryLatencyHigh", {"quantile": "0.95"})]),
    ("fatal_logs", 6.5, 6.5 + 5 / 60, [("BillingFatalLogMessages", {})]),
    ("platform_down", 7 + 10 / 60, 7 + 25 / 60, [("BillingPlatformDown", {"job": "billing-platform"}),
                                          ("BillingPlatformTargetDown", {"job": "billing-platform"}),
                                          ("BillingHealthCheckFailing", {"job": "billing-healthcheck"}),
                                          # no platform target up for 5m (inhibited by PlatformDown)
                                          ("BillingScrapeTargetsMissing", {"job": "billing-platform"})]),
]
# breaches shorter than the alert's `for`: pending only
BLIPS = [
    ("db_pool_exhaustion", 4.0, 4 + 4 / 60, [("BillingDatabasePoolUsageHigh", {"pool": "primary"}),
                                             ("BillingDatabasePoolUsageHigh", {"pool": "replica"})]),
    ("rds_cpu", 6.0, 6 + 5 / 60, [("BillingRDSCPUHigh", {"dimension_DBInstanceIdentifier": "billing-db-primary"})]),
]
# After the platform outage the first evaluations read rate windows holding one or two scrapes:
# a quantile of the few events of one scrape interval may breach for an evaluation (which one
# depends on the hour of day the history has). None lasts its `for`. BillingIngestionStopped
# used to be pending at the first one (the platform up, its rate not there yet); it now drops
# PlatformDown's recovery tail (generators/inhibition.py), so nothing is always pending.
RECOVERY_ALWAYS_PENDING: list[tuple[str, dict[str, str]]] = []
RECOVERY_TRANSIENT_HOURS = 5 / 60  # the longest rate window of a pending-only transient: 5m
HISTORY_HOURS = 8


@dataclass
class HistoryServer:
    url: str
    start: float
    end: float
    data_dir: Path
    chunks: list[Chunk]

    def at(self, hours: float) -> float:
        return self.start + hours * HOUR


def switches(start: float) -> list[Switch]:
    out = []
    for scenario, begin, end, _ in INCIDENTS + BLIPS:
        out += [Switch(start + begin * HOUR, scenario), Switch(start + end * HOUR, "healthy")]
    return out


@pytest.fixture(scope="package")
def history(tmp_path_factory: pytest.TempPathFactory) -> Iterator[HistoryServer]:
    root = tmp_path_factory.mktemp("history")
    end = daytime_end(time.time())  # Wednesday 12:00-20:00 UTC, whenever CI runs
    start = end - HISTORY_HOURS * HOUR
    chunks = list(simulate(SPEC_PATH, start, end, switches(start)))
    backfill(chunks, root / "data")
    with prometheus(root / "data") as url:
        yield HistoryServer(url, start, end, root / "data", chunks)


def run_backtest(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["backtest", "--quiet", *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def backtest_json(capsys: pytest.CaptureFixture[str], server: HistoryServer, *args: str) -> dict[str, Any]:
    code, out, err = run_backtest(capsys, "--url", server.url, "--start", str(server.start), "--end",
                                  str(server.end), "--json", *args)
    assert code == 0, err
    return json.loads(out)


def distinguishing(labels: dict[str, str]) -> dict[str, str]:
    return {k: v for k, v in labels.items() if k not in ("alertname", "severity", "team", "cluster")}


def run_tool(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(list(args), capture_output=True, text=True, cwd=cwd, timeout=300)
