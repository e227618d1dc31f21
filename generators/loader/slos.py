"""slos: objectives on existing indicators, alerted on by error-budget burn rate.

An SLO names an indicator whose kind can say which events are good: a ratio (errors are its
`errors` matcher) or a quantile over a histogram (good = at or under `latency_threshold`,
which must be a bucket boundary so the count is exact, not interpolated).
"""

from __future__ import annotations

import math
from typing import Any

from generators.durations import format_duration
from generators.loader.checker import KEY_RE, Checker, describe
from generators.loader.values import template_problem
from generators.model import Indicator, Metric, Settings, Spec, Team
from generators.routing import team_receivers
from generators.slo.model import ALERT_WINDOWS, BASE_WINDOW, DAY, PAGE, POLICIES, SLO, TEST_MARGIN
from generators.slo.sli import SLI_KINDS

REQUIRED = ("indicator", "objective", "team", "rationale")
OPTIONAL = ("title", "window", "latency_threshold", "min_errors")
DEFAULT_WINDOW = 30 * DAY
MIN_WINDOW = 7 * DAY  # the ticket's 3d window must be a fraction of the SLO window
MAX_WINDOW = 90 * DAY
MAX_OBJECTIVE_DIGITS = 6  # 99.9999%: beyond that the budget is below what a counter resolves


def camel(key: str) -> str:
    return "".join(part[:1].upper() + part[1:] for part in key.split("_"))


def load_slos(c: Checker, node: Any, line: int, settings: Settings | None, indicators: dict[str, Indicator],
              metrics: dict[str, Metric], teams: dict[str, Team]) -> list[SLO]:
    prefix = settings.alert_prefix if settings else ""
    out: list[SLO] = []
    for key, body, kline, p in c.entries(node, line, "slos", "SLO key"):
        if not KEY_RE.match(key):
            c.error(kline, p, "SLO keys are snake_case, e.g. ingestion_success")
            continue
        m = c.mapping(body, p, kline, required=REQUIRED, optional=OPTIONAL)
        if m is None:
            continue
        indicator = _indicator(c, m, p, indicators)
        objective = c.number(m, "objective", p, check=_objective_problem)
        window = c.duration(m, "window", p, default=DEFAULT_WINDOW, maximum=MAX_WINDOW)
        if "window" in m and window and window < MIN_WINDOW:
            c.error(m.key_lines["window"], f"{p}.window", f"{format_duration(window)} is shorter than "
                    f"{format_duration(MIN_WINDOW)}; the ticket alert reads {format_duration(max(ALERT_WINDOWS))} "
                    "windows, which must be a small part of the SLO window (use 28d or 30d)")
            window = 0
        if window and settings is not None and settings.retention and window > settings.retention:
            c.error(m.key_lines.get("window", kline), f"{p}.window",
                    f"{format_duration(window)} is longer than settings.retention "
                    f"({format_duration(settings.retention)}): Prometheus would forget the start of the window; "
                    "shorten the window or raise the retention (and settings.retention with it)")
            window = 0
        team = c.value(m, "team", p, str, "")
        if team and not c.reference(m.key_lines["team"], f"{p}.team", "teams", "team", team, teams,
                                    "define it under teams"):
            team = ""
        rationale = c.value(m, "rationale", p, str, "", template_problem)
        title = c.text(m, "title", p, check=template_problem) or (indicator.title if indicator else "")
        min_errors = c.value(m, "min_errors", p, int, 10, lambda v: None if 1 <= v <= 1_000_000
                             else "must be a whole number of events from 1 to 1000000")
        latency = _latency(c, m, p, indicator, metrics) if indicator is not None else None
        if indicator is None or objective is None or not window or not team or not rationale or latency is False:
            continue
        out.append(SLO(key=key, name=prefix + camel(key), title=title, indicator=indicator, objective=objective,
                       window=window, team=team, rationale=rationale,
                       latency_threshold=latency if isinstance(latency, float) else None, min_errors=min_errors))
    return out


def _objective_problem(value: float) -> str | None:
    if not 0 < value < 1:
        hint = f"; write it as a fraction, e.g. {value / 100:g}" if 1 < value < 100 else ""
        return f"{value:g} is not a ratio strictly between 0 and 1{hint}"
    if round(value, MAX_OBJECTIVE_DIGITS) != value:
        return f"{value!r} has more than {MAX_OBJECTIVE_DIGITS} decimals; no counter resolves such a budget"
    # a total outage burns at 1 / budget; the page (and its generated test, 10% above the
    # factor) needs more than that
    fastest = PAGE.windows[0].factor * TEST_MARGIN
    if 1 / (1 - value) <= fastest:
        return (f"{value:g} leaves a budget so large that even a total outage burns it at only "
                f"{1 / (1 - value):.3g}x, and the page needs > {PAGE.windows[0].factor:g}x (its tests "
                f"{fastest:g}x); use an objective of at least {1 - 1 / fastest + 0.001:.3f}")
    return None


def _indicator(c: Checker, m: Any, p: str, indicators: dict[str, Indicator]) -> Indicator | None:
    key = c.value(m, "indicator", p, str, "")
    if not key or not c.reference(m.key_lines["indicator"], f"{p}.indicator", "indicators", "indicator",
                                  key, indicators):
        return None
    ind = indicators[key]
    if "slo" in ind.by:
        c.error(m.key_lines["indicator"], f"{p}.indicator", f"{key} keeps a label named 'slo', which every SLO "
                "series sets to the SLO key; rename the label in its `by`")
        return None
    if ind.kind not in SLI_KINDS:
        c.error(m.key_lines["indicator"], f"{p}.indicator",
                f"{key} is a {ind.kind} indicator; an SLO needs one that counts good and bad events: "
                f"{' or '.join(SLI_KINDS)} (a quantile one with latency_threshold)")
        return None
    return ind


def _latency(c: Checker, m: Any, p: str, ind: Indicator, metrics: dict[str, Metric]) -> float | bool | None:
    """The latency threshold (seconds) of a quantile SLO; None for ratio SLOs; False when invalid."""
    field = f"{p}.latency_threshold"
    if ind.kind != "quantile":
        if "latency_threshold" in m:
            c.error(m.key_lines["latency_threshold"], field, f"only SLOs on a quantile indicator take it "
                    f"({ind.key} is a {ind.kind}); remove it")
            return False
        return None
    if "latency_threshold" not in m:
        c.error(m.line, p, f"{ind.key} is a latency histogram: say which requests are good with "
                "latency_threshold: <seconds>, a bucket boundary")
        return False
    value = c.number(m, "latency_threshold", p)
    if value is None:
        return False
    buckets = metrics[ind.metric].buckets  # type: ignore[attr-defined]
    if value not in buckets or math.isinf(value):
        c.error(m.key_lines["latency_threshold"], field,
                f"{describe(value)}s is not a bucket boundary of {ind.metric} (buckets: "  # type: ignore[attr-defined]
                f"{', '.join(f'{b:g}' for b in buckets)}); pick one, or add the boundary to the catalogue "
                "and the platform")
        return False
    return float(value)


def check_slos(c: Checker, spec: Spec, node: Any, alert_names: set[str]) -> None:
    """Across sections: the 5m base rate holds 4 scrapes like every rate window; SLO alert
    names do not clash with the spec's alerts; the owner team is reachable."""
    if not spec.slos:
        return
    if 4 * spec.settings.scrape_interval > BASE_WINDOW:
        c.error(c.line_of(node, "", 1), "slos", f"SLO error rates are built on a {format_duration(BASE_WINDOW)} "
                f"rate, shorter than 4x the scrape interval ({format_duration(spec.settings.scrape_interval)}); "
                "scrape more often")
    for slo in spec.slos:
        kline = c.line_of(node, slo.key)
        for policy in POLICIES:
            name = slo.alert_name(policy)
            if name in alert_names:
                c.error(kline, f"slos.{slo.key}", f"its {policy.purpose} alert {name} has the name of an alert "
                        "of the alerts section; rename the SLO key")
            if not team_receivers(spec.teams[slo.team], policy.severity):
                c.error(kline, f"slos.{slo.key}.team", f"the {policy.severity} {policy.purpose} alert reaches no "
                        f"receiver of team {slo.team!r}; give the team a chat receiver")
            if spec.routing is not None and policy.severity not in spec.routing.timings:
                c.error(kline, f"slos.{slo.key}", f"routing.timings has no {policy.severity!r} entry")
