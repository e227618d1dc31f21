"""The backtest's stand-in for ALERTS of the spec's own alerts (generators/backtest/standin.py)."""

from __future__ import annotations

from typing import Any

import yaml

from generators.backtest.rulefile import parse_rule_groups
from tests.conftest import RULES_PATH


def _groups(reader_expr: str, keep_firing_for: str | None = "1m") -> list[dict[str, Any]]:
    source: dict[str, Any] = {"alert": "X", "expr": "job:X:condition", "for": "2m"}
    if keep_firing_for:
        source["keep_firing_for"] = keep_firing_for
    return [
        {"name": "a", "interval": "30s", "rules": [
            {"record": "job:X:condition", "expr": "up == 0"},
            source]},
        {"name": "b", "interval": "30s", "rules": [{"alert": "Y", "expr": reader_expr}]},
    ]


def test_a_firing_read_of_an_own_alert_reads_a_derived_fired_record_over_the_lookback_and_the_hold() -> None:
    reader = ('y > 1 unless on (job) (max_over_time(ALERTS{alertname="X", alertstate="firing"}[6m]) '
              'unless job:X:condition)')
    rules = parse_rule_groups(_groups(reader))
    y = next(a for a in rules.alerts if a.name == "Y")
    assert y.expr == "y > 1 unless on (job) (max_over_time(backtest:X:fired[420000ms]) unless job:X:condition)"
    fired = next(r for r in rules.recordings if r.record == "backtest:X:fired")
    # X's `for` 2m at 30 s: the condition at all 5 evaluations of a window of 2m15s, in X's group
    assert (fired.expr, fired.group, fired.interval) == ("count_over_time(job:X:condition[135000ms]) >= 5", "a", 30.0)
    without_hold = parse_rule_groups(_groups(reader, keep_firing_for=None))
    assert "backtest:X:fired[360000ms]" in next(a for a in without_hold.alerts if a.name == "Y").expr


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
