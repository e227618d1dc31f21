"""The backtest's stand-in for ALERTS of the spec's own alerts (generators/backtest/standin.py)."""

from __future__ import annotations

from typing import Any

import yaml

from generators.backtest.rulefile import parse_rule_groups
from tests.conftest import RULES_PATH


def _groups(reader_expr: str, keep_firing_for: str | None = "1m") -> list[dict[str, Any]]:
    source: dict[str, Any] = {"alert": "X", "expr": "x:condition", "for": "2m"}
    if keep_firing_for:
        source["keep_firing_for"] = keep_firing_for
    return [
        {"name": "a", "interval": "30s", "rules": [
            {"record": "x:condition", "expr": "up == 0"},
            {"record": "job:X:fired", "expr": "count_over_time(x:condition[2m15s]) >= 5"},
            source]},
        {"name": "b", "interval": "30s", "rules": [{"alert": "Y", "expr": reader_expr}]},
    ]


def test_a_firing_read_of_an_own_alert_reads_its_fired_record_over_the_lookback_and_the_hold() -> None:
    reader = 'y > 1 unless on (job) (max_over_time(ALERTS{alertname="X", alertstate="firing"}[6m]) unless x:condition)'
    rules = parse_rule_groups(_groups(reader))
    y = next(a for a in rules.alerts if a.name == "Y")
    assert y.expr == "y > 1 unless on (job) (max_over_time(job:X:fired[420000ms]) unless x:condition)"
    without_hold = parse_rule_groups(_groups(reader, keep_firing_for=None))
    assert "job:X:fired[360000ms]" in next(a for a in without_hold.alerts if a.name == "Y").expr


def test_other_reads_of_alerts_stay_as_written() -> None:
    for reader in ('max_over_time(ALERTS{alertname="Z", alertstate="firing"}[6m])',  # no such alert here
                   'ALERTS{alertname="X", alertstate="pending"}',  # not the firing state
                   'count(ALERTS{alertstate="firing"})'):
        y = next(a for a in parse_rule_groups(_groups(reader)).alerts if a.name == "Y")
        assert y.expr == reader


def test_every_alerts_read_of_the_generated_rules_has_a_stand_in() -> None:
    rules = parse_rule_groups(yaml.safe_load(RULES_PATH.read_text())["groups"])
    raw = RULES_PATH.read_text()
    assert 'ALERTS{alertname="BillingPlatformDown", alertstate="firing"}' in raw  # the clause is there
    assert not any("ALERTS" in r.expr for r in (*rules.alerts, *rules.recordings))
