"""Blips must not page: every ratio alert's `for` outlasts the time a two-minute blip of
30% failures keeps it active at the production evaluation interval (the generated
promtool tests prove it on the real rules with the same model at their step, and the
mutation check shows a shorter `for` paging)."""

from __future__ import annotations

from dataclasses import replace

from generators.kinds import kind_of
from generators.kinds.ratio import Ratio, blip_held
from generators.model import Spec


def test_no_ratio_alert_pages_on_a_blip(spec: Spec) -> None:
    ratio_alerts = [a for a in spec.alerts if isinstance(kind_of(a), Ratio)]
    assert ratio_alerts
    step = spec.settings.evaluation_interval
    problems = {a.name: p for a in ratio_alerts if (p := Ratio().blip_problem(a, step))}
    assert not problems


def test_a_for_shorter_than_the_blip_is_reported(spec: Spec) -> None:
    alert = next(a for a in spec.alerts if a.short_name == "APIErrorRateHigh")
    # every 30s, 4 blip samples of 30%; the 5m window (10 samples) is over 5% while it holds
    # two of them: from the blip's second evaluation to its 11th, 5m apart
    assert blip_held(alert, 30) == 300
    assert blip_held(alert, 60) == 300  # every minute: from the first to the sixth
    assert Ratio().blip_problem(alert, 30) is None  # for 6m
    problem = Ratio().blip_problem(replace(alert, for_seconds=300), 30)
    assert problem is not None and "make `for` longer than 5m" in problem
