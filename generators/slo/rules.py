"""Recording rules and burn-rate alerts of every SLO: one rule group per SLO.

Cheap long windows: every window's error ratio is a ratio of sums over the SLO's two 5m
recorded rates (`sum_over_time(errors[W]) / sum_over_time(events[W])`), never a rate over
raw series: a 30d window reads one sample per evaluation interval of a handful of recorded
series, however many raw series the platform exposes. The sums weight each moment by its
traffic, so the ratio is the share of bad events over the window (an average of ratios
would let a quiet night count as much as a busy day). The price: a step in the error rate
reaches the long windows through the 5m rate, i.e. about 2.5 minutes late; the generated
tests measure detection with that delay included.
"""

from __future__ import annotations

from typing import Any

from generators.durations import format_duration
from generators.kinds.base import Recording
from generators.model import Spec
from generators.slo.model import ALERT_WINDOWS, BASE_WINDOW, POLICIES, SLO, BurnPolicy, BurnWindow, window_text
from generators.slo.names import BUDGET_REMAINING, OBJECTIVE, ratio_name
from generators.slo.sli import ERRORS, base_recordings, errors_series, events_series, slo_matcher
from generators.slo.texts import alert_annotations


def windows(slo: SLO) -> tuple[int, ...]:
    return tuple(sorted({*ALERT_WINDOWS, slo.window}))


def sel(name: str, slo: SLO) -> str:
    return f"{name}{{{slo_matcher(slo)}}}"


def slo_recordings(spec: Spec, slo: SLO) -> list[Recording]:
    label = (("slo", slo.key),)
    out = base_recordings(spec, slo)
    for w in windows(slo):
        if w == BASE_WINDOW:
            expr = f"{errors_series(slo)}\n/\n{events_series(slo)}"
        else:
            r = window_text(w)
            expr = f"sum_over_time({errors_series(slo)}[{r}])\n/\nsum_over_time({events_series(slo)}[{r}])"
        out.append(Recording(ratio_name(w), expr, label))
    out.append(Recording(BUDGET_REMAINING, f"1 - {sel(ratio_name(slo.window), slo)} / {slo.budget:g}", label))
    out.append(Recording(OBJECTIVE, f"vector({slo.objective:g})", label))
    return out


def burn(slo: SLO, window: int) -> str:
    """The burn rate over a window: its recorded error ratio / the budget. Not recorded
    itself: one division in the alert and on the panel costs less than 8 more rules per SLO
    evaluated every interval (and in every generated test step)."""
    return f"{sel(ratio_name(window), slo)} / {slo.budget:g}"


def condition(slo: SLO, bw: BurnWindow) -> str:
    """Burn above the factor over both windows, and enough bad events in the long one.

    The event floor is the low-traffic guard: three failed requests out of ten at night are
    a 30% error ratio, far above any burn factor, but fewer than `min_errors` bad events in
    the long window never alert. A total outage at low traffic still does: every request
    fails, and the floor is reached after min_errors requests."""
    long = window_text(bw.long)
    return (f"{burn(slo, bw.long)} > {bw.factor:g}\nand\n{burn(slo, bw.short)} > {bw.factor:g}\n"
            f"and\navg_over_time({sel(ERRORS, slo)}[{long}]) * {bw.long} >= {slo.min_errors}")


def alert_expr(slo: SLO, policy: BurnPolicy) -> str:
    parts = [condition(slo, bw) for bw in policy.windows]
    return "\nor\n".join(f"(\n{p}\n)" for p in parts)


def render_alert(spec: Spec, slo: SLO, policy: BurnPolicy) -> dict[str, Any]:
    return {
        "alert": slo.alert_name(policy),
        "expr": alert_expr(slo, policy),
        "labels": {"severity": policy.severity, "team": slo.team},
        "annotations": alert_annotations(spec, slo, policy),
    }


def render_slo_groups(spec: Spec, recorded: set[tuple[str, tuple[tuple[str, str], ...]]]) -> list[dict[str, Any]]:
    """One group per SLO (recordings, then its alerts, so alerts read this evaluation's
    values); a recording another group already made is not made twice."""
    interval = format_duration(spec.settings.evaluation_interval)
    prefix = spec.settings.alert_prefix.lower()
    groups = []
    for slo in spec.slos:
        rules: list[dict[str, Any]] = []
        for rec in slo_recordings(spec, slo):
            if (rec.record, rec.labels) in recorded:
                continue
            recorded.add((rec.record, rec.labels))
            rule: dict[str, Any] = {"record": rec.record, "expr": rec.expr}
            if rec.labels:
                rule["labels"] = dict(rec.labels)
            rules.append(rule)
        rules += [render_alert(spec, slo, policy) for policy in POLICIES]
        groups.append({"name": f"{prefix}.slo.{slo.key}", "interval": interval, "rules": rules})
    return groups
