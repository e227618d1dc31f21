"""The simulator produces the metric contract, with realistic shape, and valid OpenMetrics."""

from __future__ import annotations

import subprocess
from pathlib import Path

from generators.model import Spec
from simulator.exposition import History, family_of
from simulator.platform import PlatformSimulator, traffic_factor
from tests.conftest import require_tool

T0 = 1_795_000_000.0  # a fixed instant: the simulator is deterministic
LABELS = {job: {"job": job, "instance": "sim:1"} for job in ("platform", "healthcheck", "cloudwatch")}


def _expected_names(spec: Spec) -> set[str]:
    names = set()
    for name, metric in spec.metrics.items():
        if name == "up":
            continue  # written by Prometheus for every target, not by the platform
        if metric.type == "histogram":
            names |= {f"{name}_bucket", f"{name}_count", f"{name}_sum"}
        else:
            names.add(name)
    return names


def test_simulator_produces_exactly_the_metric_contract(spec: Spec) -> None:
    samples = PlatformSimulator(T0).samples()
    assert {s.name for s in samples} == _expected_names(spec)
    for s in samples:
        base = family_of(s.name) if s.name.endswith(("_bucket", "_count", "_sum")) else s.name
        metric = spec.metrics.get(base) or spec.metrics[s.name]
        extra = set(dict(s.labels)) - set(metric.labels) - {"le"}
        assert not extra, (s.name, extra)
        assert s.job == metric.source


def test_counters_only_grow_except_on_restart() -> None:
    sim = PlatformSimulator(T0)
    before = {(s.name, s.labels): s.value for s in sim.samples() if s.name.endswith("_total")}
    sim.advance(T0 + 600)
    after = {(s.name, s.labels): s.value for s in sim.samples() if s.name.endswith("_total")}
    assert all(after[k] >= v for k, v in before.items())
    assert after[("billing_events_received_total", (("outcome", "success"),))] > 0
    sim.restart()
    reset = {(s.name, s.labels): s.value for s in sim.samples() if s.name.endswith("_total")}
    assert reset[("billing_events_received_total", (("outcome", "success"),))] == 0


def test_traffic_has_daily_and_weekly_seasonality() -> None:
    monday = 1_795_046_400.0 - (1_795_046_400 % 86400)
    while int(monday // 86400 + 3) % 7 != 0:
        monday += 86400
    assert traffic_factor(monday + 15 * 3600) > 2 * traffic_factor(monday + 3 * 3600)
    assert traffic_factor(monday + 5 * 86400 + 15 * 3600) < traffic_factor(monday + 15 * 3600)


def _ratio(sim: PlatformSimulator, start: dict, name: str) -> float:
    now = {(s.name, s.labels): s.value for s in sim.samples()}
    fail = now[(name, (("outcome", "failure"),))] - start[(name, (("outcome", "failure"),))]
    ok = now[(name, (("outcome", "success"),))] - start[(name, (("outcome", "success"),))]
    return fail / (fail + ok)


def test_incident_scenario_changes_the_platform() -> None:
    sim = PlatformSimulator(T0)
    sim.advance(T0 + 300)
    start = {(s.name, s.labels): s.value for s in sim.samples()}
    sim.advance(T0 + 900)
    assert _ratio(sim, start, "billing_events_received_total") < 0.01
    sim.set_scenario("ingestion_failures")
    start = {(s.name, s.labels): s.value for s in sim.samples()}
    sim.advance(T0 + 1500)
    assert 0.25 < _ratio(sim, start, "billing_events_received_total") < 0.35


def test_history_is_valid_openmetrics_for_promtool(tmp_path: Path) -> None:
    sim, history = PlatformSimulator(T0), History(LABELS)
    for step in range(1, 41):
        sim.advance(T0 + 30 * step)
        history.record(sim.t, sim.samples())
    source = tmp_path / "history.om"
    source.write_text(history.render_openmetrics())
    result = subprocess.run([require_tool("promtool"), "tsdb", "create-blocks-from", "openmetrics",
                             str(source), str(tmp_path / "data")], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert any((tmp_path / "data").iterdir())
