"""Recording rules and burn-rate alerts of every SLO: alerts/slo.rules.yml, one group per SLO.

Every window is counted on one grid: the SLO's 5m base rates are recorded a second time at
only one evaluation in every 5m (`... and on () (vector(time() % 300) < 30)`: the one in the
first interval of each 5m, whatever the group's phase), and windows sum those
(`sum_over_time(errors_rate5m_step5m[3d]) * 300`). Consecutive 5m rates 5m apart tile the
window, so the sum times 5m is the number of events in it, whatever the rule interval (30s
in production, 1m or 5m in the generated tests), and reading 3d costs 864 samples, not the
8640 a 30s interval leaves (a subquery `[3d:5m]` gives the same points; the ticket's promtool
tests took 32 s of CPU with subqueries, 25 s with this, on the loaded shared machine).
The grid also counts what is missing: a window's coverage
is the share of its 5m samples that exist. Alerts read only long windows whose
coverage is at least COVERED, so a window that holds minutes of data after a rollout (or a
restart) cannot speak for three days.

The rules live in their own file and read only raw series: promtool evaluates every rule of
the files a test loads, so the guide's threshold tests do not pay for these, and the SLO
tests do not pay for the guide's rules.
"""

from __future__ import annotations

from typing import Any

from generators.durations import format_duration
from generators.kinds.base import Recording
from generators.model import Spec
from generators.slo.model import (
    ALERT_WINDOWS,
    BASE_WINDOW,
    COVERED,
    POLICIES,
    SLO,
    BurnPolicy,
    BurnWindow,
    Timing,
    timing,
)
from generators.slo.names import (
    BUDGET_REMAINING,
    ERRORS,
    ERRORS_GRID,
    EVENTS,
    EVENTS_GRID,
    OBJECTIVE,
    coverage_name,
    errors_name,
    events_name,
    ratio_name,
)
from generators.slo.sli import base_recordings, slo_matcher
from generators.slo.texts import alert_annotations
from generators.yamlout import dump_yaml

SLO_RULES_FILE = "slo.rules.yml"


def windows(slo: SLO) -> tuple[int, ...]:
    """Nominal windows with a recorded error ratio (the base window included)."""
    return tuple(sorted({*ALERT_WINDOWS, slo.window}))


def covered_windows(slo: SLO) -> tuple[int, ...]:
    """Windows whose coverage is recorded: the alerts' long windows and the SLO window."""
    return tuple(sorted({bw.long for p in POLICIES for bw in p.windows} | {slo.window}))


def sel(name: str, slo: SLO) -> str:
    return f"{name}{{{slo_matcher(slo)}}}"


def _grid(name: str, slo: SLO, window: int, t: Timing) -> str:
    return f"{sel(name, slo)}[{format_duration(t.of(window))}]"


def _on_grid(name: str, slo: SLO, spec: Spec, t: Timing) -> str:
    """The series at the one evaluation in each base window that falls in its first
    evaluation interval (absent at the others: their stale markers are skipped by sums)."""
    return f"{sel(name, slo)}\nand on ()\n(vector(time() % {t.base}) < {spec.settings.evaluation_interval})"


def slo_recordings(spec: Spec, slo: SLO) -> list[Recording]:
    t = timing(spec.settings)
    label = (("slo", slo.key),)
    out = base_recordings(spec, slo, t.base)
    out.append(Recording(EVENTS_GRID, _on_grid(EVENTS, slo, spec, t), label))
    out.append(Recording(ERRORS_GRID, _on_grid(ERRORS, slo, spec, t), label))
    for w in windows(slo):
        if w == BASE_WINDOW:
            out.append(Recording(ratio_name(w), f"{sel(ERRORS, slo)}\n/\n{sel(EVENTS, slo)}", label))
            continue
        out.append(Recording(errors_name(w), f"sum_over_time({_grid(ERRORS_GRID, slo, w, t)}) * {t.base}", label))
        out.append(Recording(events_name(w), f"sum_over_time({_grid(EVENTS_GRID, slo, w, t)}) * {t.base}", label))
        if w == slo.window:  # the SLI; shorter windows' ratios are one division in the alert, not a rule
            out.append(Recording(ratio_name(w), f"{sel(errors_name(w), slo)}\n/\n{sel(events_name(w), slo)}", label))
        if w in covered_windows(slo):
            expected = t.of(w) // t.base
            # a window that ends on the grid holds one point more than `expected`
            out.append(Recording(coverage_name(w), f"clamp_max(count_over_time({_grid(EVENTS_GRID, slo, w, t)}) / "
                                 f"{expected}, 1)", label))
    out.append(Recording(BUDGET_REMAINING, f"1 - {sel(ratio_name(slo.window), slo)} / {slo.budget:g}", label))
    out.append(Recording(OBJECTIVE, f"vector({slo.objective:g})", label))
    return out


def ratio(slo: SLO, window: int) -> str:
    """The error ratio over a window, from recorded series. Only the base window's and the
    SLO window's are recorded themselves: promtool's cost is rules x steps, and the SLO
    tests' days of 5m steps made every extra rule count."""
    if window == BASE_WINDOW or window == slo.window:
        return sel(ratio_name(window), slo)
    return f"{sel(errors_name(window), slo)} / {sel(events_name(window), slo)}"


def burn(slo: SLO, window: int) -> str:
    """The burn rate over a window: its error ratio / the budget (a division in the alert
    and on the panel, not a rule)."""
    return f"{ratio(slo, window)} / {slo.budget:g}"


def condition(slo: SLO, bw: BurnWindow) -> str:
    """Burn above the factor over both windows, enough bad events in the long one, and the
    long one mostly recorded.

    The event floor is the low-traffic guard: three failed requests out of ten at night are
    a 30% error ratio, far above any burn factor, but fewer than `min_errors` bad events in
    the long window never alert. A total outage at low traffic still does: every request
    fails, and the floor is reached after min_errors requests."""
    return (f"{burn(slo, bw.long)} > {bw.factor:g}\nand\n{burn(slo, bw.short)} > {bw.factor:g}\n"
            f"and\n{sel(errors_name(bw.long), slo)} >= {slo.min_errors}\n"
            f"and\n{sel(coverage_name(bw.long), slo)} >= {COVERED:g}")


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


def render_slo_groups(spec: Spec) -> list[dict[str, Any]]:
    """One group per SLO: recordings, then its alerts (rules of a group run in order, so
    the alerts read this evaluation's values)."""
    interval = format_duration(spec.settings.evaluation_interval)
    prefix = spec.settings.alert_prefix.lower()
    groups = []
    for slo in spec.slos:
        rules: list[dict[str, Any]] = []
        for rec in slo_recordings(spec, slo):
            rule: dict[str, Any] = {"record": rec.record, "expr": rec.expr}
            if rec.labels:
                rule["labels"] = dict(rec.labels)
            rules.append(rule)
        rules += [render_alert(spec, slo, policy) for policy in POLICIES]
        groups.append({"name": f"{prefix}.slo.{slo.key}", "interval": interval, "rules": rules})
    return groups


def render_slo_rule_file(spec: Spec) -> dict[str, str]:
    if not spec.slos:
        return {}
    return {f"alerts/{SLO_RULES_FILE}": dump_yaml({"groups": render_slo_groups(spec)})}
