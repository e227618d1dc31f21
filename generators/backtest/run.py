"""One backtest (or two, for --baseline-spec) from rendered outputs to results."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import promql_parser as pp

from generators.backtest.client import PrometheusClient
from generators.backtest.coverage import check_coverage
from generators.backtest.engine import AlertPlan, Engine
from generators.backtest.inline import Inliner
from generators.backtest.phase import Phases
from generators.backtest.results import BacktestResult, assemble
from generators.backtest.routing import parse_alertmanager
from generators.backtest.rulefile import RecordingRule, parse_rule_groups
from generators.backtest.source import Rendered


class PlanError(ValueError):
    pass


@dataclass
class Prepared:
    rendered: Rendered
    plans: list[AlertPlan]
    warnings: list[str] = field(default_factory=list)


def group_intervals(rendered: Rendered) -> dict[str, float]:
    """Group name -> evaluation interval of the rendered rules."""
    rules = parse_rule_groups(rendered.rule_groups)
    return {r.group: r.interval for r in (*rules.alerts, *rules.recordings)}


def ranges_over_recordings(rendered: Rendered) -> dict[str, float]:
    """Recorded name -> the longest range any rule of `rendered` reads it over."""
    rules = parse_rule_groups(rendered.rule_groups)
    names = {r.record for r in rules.recordings}
    out: dict[str, float] = {}

    def visit(node: Any) -> None:
        if isinstance(node, pp.MatrixSelector) and node.vector_selector.name in names:
            name = node.vector_selector.name
            out[name] = max(out.get(name, 0.0), node.range.total_seconds())

    for rule in (*rules.alerts, *rules.recordings):
        pp.walk(pp.parse(rule.expr), pre_visit=visit)
    return out


def recordings_of(rendered: list[Rendered]) -> list[RecordingRule]:
    return [r for one in rendered for r in parse_rule_groups(one.rule_groups).recordings]


def prepare(rendered: Rendered, step: float | None, only: list[str] | None, require_known: bool = True,
            phases: Phases | None = None, since: dict[str, float] | None = None) -> Prepared:
    """Inline every alert (or those named in `only`) of the rendered rules; `step` overrides the
    groups' intervals. A name in `only` the rules lack is an error unless not `require_known`
    (a baseline may predate an alert). `phases`: when each group is evaluated (default: phase 0);
    `since`: recorded name -> first sample of the server's own recording (deployed.py)."""
    rules = parse_rule_groups(rendered.rule_groups)
    known = {a.name for a in rules.alerts}
    unknown = sorted(set(only or []) - known)
    if unknown and require_known:
        raise PlanError(f"--alert {', '.join(unknown)}: not an alert of {rendered.origin}")
    by_group = phases.by_group if phases is not None else {}
    inliner = Inliner(rules.recordings, by_group, since)
    plans, warnings = [], []
    for rule in rules.alerts:
        if only and rule.name not in only:
            continue
        phase = by_group.get(rule.group, 0.0)
        inlined = inliner.inline(rule.expr, f"{rendered.origin}: alert {rule.name}", phase, rule.interval)
        if step is None and not rule.interval_set:
            warnings.append(f"group {rule.group} sets no interval: evaluated every {rule.interval:g}s "
                            "(Prometheus' default); pass --step to match your evaluation_interval")
        plans.append(AlertPlan(rule, inlined.text, inlined.recordings, step or rule.interval, phase, inlined.shift,
                               phases.sources.get(rule.group, "phase 0") if phases else "phase 0"))
    return Prepared(rendered, plans, warnings)


def backtest(engine: Engine, prepared: list[Prepared], start: float, end: float,
             allow_partial: bool) -> tuple[list[BacktestResult], list[str]]:
    """Evaluate each prepared spec over the same period; identical queries run once."""
    client: PrometheusClient = engine.client
    coverage = check_coverage(client, sorted({p.expr for prep in prepared for p in prep.plans}), start, end,
                              allow_partial)
    results = []
    for prep in prepared:
        evaluated = engine.evaluate(prep.plans, start, end)
        routing = parse_alertmanager(prep.rendered.alertmanager)
        result = assemble(prep.rendered.origin, client.shown, evaluated, routing, start, end)
        result.warnings = prep.warnings + result.warnings
        results.append(result)
    return results, coverage.warnings + client.warnings
