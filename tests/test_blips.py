"""Blips must not page: every ratio alert's `for` outlasts the time a two-minute blip of
30% failures keeps its window over the line (the generated promtool tests then prove it
on the real rules, and the mutation check shows a shorter `for` paging)."""

from __future__ import annotations

from dataclasses import replace

from generators.kinds import kind_of
from generators.kinds.ratio import Ratio, blip_over_line
from generators.model import Spec


def test_no_ratio_alert_pages_on_a_blip(spec: Spec) -> None:
    ratio_alerts = [a for a in spec.alerts if isinstance(kind_of(a), Ratio)]
    assert ratio_alerts
    problems = {a.name: p for a in ratio_alerts if (p := Ratio().blip_problem(a))}
    assert not problems


def test_a_for_shorter_than_the_blip_is_reported(spec: Spec) -> None:
    alert = next(a for a in spec.alerts if a.short_name == "APIErrorRateHigh")
    assert round(blip_over_line(alert)) == 320  # 5m window, 5% line: 5m + 2m - 2 x 50s
    problem = Ratio().blip_problem(replace(alert, for_seconds=300))
    assert problem is not None and "make `for` longer than 5m20s" in problem
