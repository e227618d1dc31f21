"""The alert state machine, against promtool (Prometheus' own rule engine) on random histories."""

from __future__ import annotations

import random
import subprocess
from pathlib import Path

import yaml

from generators.backtest.alertstate import Episode, run_state_machine
from tests.conftest import require_tool

STEP = 30


def _firing_at(episodes: list[Episode], t: float) -> bool:
    return any(e.fired_at is not None and e.fired_at <= t and (e.resolved_at is None or t < e.resolved_at)
               for e in episodes)


def test_pending_then_firing_then_resolved() -> None:
    points = [(t, 1.0) for t in range(0, 300, STEP)]  # active 0..270
    [e] = run_state_machine(points, STEP, 600, for_seconds=120)
    assert (e.active_at, e.fired_at, e.resolved_at, e.last_seen) == (0, 120, 300, 270)


def test_a_breach_shorter_than_for_is_pending_only() -> None:
    [e] = run_state_machine([(60, 5.0), (90, 7.0), (120, 6.0)], STEP, 600, for_seconds=120)
    assert e.fired_at is None and (e.active_at, e.resolved_at) == (60, 150)
    assert (e.peak, e.peak_at) == (7.0, 90)


def test_one_missing_evaluation_resets_a_pending_alert() -> None:
    points = [(t, 1.0) for t in (0, 30, 60, 120, 150, 180, 210)]
    first, second = run_state_machine(points, STEP, 600, for_seconds=90)
    assert (first.fired_at, first.resolved_at) == (None, 90)
    assert (second.active_at, second.fired_at) == (120, 210)


def test_for_zero_fires_at_the_first_evaluation_and_an_open_episode_stays_open() -> None:
    [e] = run_state_machine([(540, 1.0), (570, 1.0), (600, 1.0)], STEP, 600, for_seconds=0)
    assert (e.active_at, e.fired_at, e.resolved_at) == (540, 540, None)


def test_keep_firing_for_bridges_gaps_and_delays_resolution() -> None:
    points = [(t, 1.0) for t in (0, 30, 60, 90, 150, 180)]
    [e] = run_state_machine(points, STEP, 900, for_seconds=60, keep_firing_for=120)
    assert (e.fired_at, e.resolved_at) == (60, 210 + 120)


def test_peak_follows_the_breach_direction() -> None:
    [e] = run_state_machine([(0, 0.8), (30, 0.6), (60, 0.7)], STEP, 600, 0, direction="min")
    assert (e.peak, e.peak_at) == (0.6, 30)


def _random_activity(rng: random.Random, steps: int) -> list[str]:
    """1 (breaching), 0 (not), _ (series gone: a stale marker) in runs of random length."""
    out: list[str] = []
    while len(out) < steps:
        out += [rng.choice("1110_")] * rng.randint(1, 7)
    return out[:steps]


def test_firing_matches_promtool_on_random_histories(tmp_path: Path) -> None:
    rules = {"A0": ("0s", None), "A1": ("1m", None), "A2": ("1m", "2m"), "A3": ("45s", "45s"), "A4": ("2m", "1m")}
    durations = {"0s": 0, "45s": 45, "1m": 60, "2m": 120}
    group = [{"alert": name, "expr": "x > 0", "for": f, **({"keep_firing_for": k} if k else {})}
             for name, (f, k) in rules.items()]
    (tmp_path / "rules.yml").write_text(yaml.safe_dump({"groups": [{"name": "g", "interval": "30s", "rules": group}]}))
    rng = random.Random(20240501)
    steps = 80
    cases = {str(i): _random_activity(rng, steps) for i in range(12)}
    last = (steps - 1) * STEP
    tests = []
    for name, (f, k) in rules.items():
        episodes = {case: run_state_machine([(i * STEP, 1.0) for i, v in enumerate(values) if v == "1"], STEP, last,
                                            durations[f], durations[k] if k else 0.0)
                    for case, values in cases.items()}
        for i in range(steps):
            firing = [{"exp_labels": {"case": case}} for case in sorted(cases) if _firing_at(episodes[case], i * STEP)]
            tests.append({"eval_time": f"{i * STEP}s", "alertname": name, "exp_alerts": firing})
    test_file = tmp_path / "state.test.yml"
    test_file.write_text(yaml.safe_dump({
        "rule_files": ["rules.yml"], "evaluation_interval": "30s",
        "tests": [{"interval": "30s", "alert_rule_test": tests, "input_series": [
            {"series": f'x{{case="{case}"}}', "values": " ".join("stale" if v == "_" else v for v in values)}
            for case, values in cases.items()]}],
    }))
    result = subprocess.run([require_tool("promtool"), "test", "rules", str(test_file)], capture_output=True,
                            text=True, cwd=tmp_path)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert sum(bool(t["exp_alerts"]) for t in tests) > len(tests) / 4  # the histories do fire
