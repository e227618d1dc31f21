"""Render the Prometheus rule file: recording rules, then alerts."""

from __future__ import annotations

from typing import Any

from generators import promql
from generators.layout import dashboard_url, runbook_url
from generators.model import Alert, Spec
from generators.spec import format_duration
from generators.templating import Label, Part, Text, Value, format_value, go_template

RULES_FILE = "billing.rules.yml"

_RELATION = {"<": "below", "<=": "at or below", ">": "above", ">=": "at or above"}


def description_parts(spec: Spec, alert: Alert) -> list[Part]:
    """The alert description; one definition for the Go template and the test oracle."""
    ind = alert.indicator
    where: list[Part] = []
    for label in promql.kept_labels(spec, ind):
        optional = label in spec.settings.aggregation_labels and label not in ind.by
        where.append(Label(label, f" in {label} " if optional else f" for {label} ", optional))
    t = alert.threshold
    unit = alert.value_unit
    tail = Text(f", {_RELATION[t.op]} the {format_value(unit, t.value)} threshold.")
    w = format_duration(ind.window)
    if ind.kind == "ratio":
        head = [Text(f"{ind.title} is "), Value(unit), Text(f" over the last {w}")]
    elif ind.kind == "quantile":
        assert alert.quantile is not None
        head = [Text(f"{ind.title} p{alert.quantile * 100:g} is "), Value(unit),
                Text(f" over the last {w}")]
    elif ind.kind == "rate":
        head = [Text(f"{ind.title} is at "), Value(unit),
                Text(f" of the rate {format_duration(ind.baseline_offset)} earlier (both over {w})")]
    elif ind.kind == "increase":
        head = [Text(f"{ind.title}: "), Value(unit), Text(f" in the last {w}")]
    else:
        head = [Text(f"{ind.title} is "), Value(unit)]
    return [*head, *where, tail]


def render_rule_groups(spec: Spec) -> dict[str, Any]:
    """One group per indicator: its recording rules, then the alerts that read them.

    Rules inside a group run in order, so an alert always reads the recordings of the
    same evaluation; in separate groups it would read the previous one (one interval late).
    """
    interval = format_duration(spec.settings.evaluation_interval)
    prefix = spec.settings.alert_prefix.lower()
    groups = []
    for ind in spec.indicators.values():
        rules: list[dict[str, Any]] = []
        for rec in promql.recordings(spec, ind):
            rule: dict[str, Any] = {"record": rec.record, "expr": rec.expr}
            if rec.labels:
                rule["labels"] = dict(rec.labels)
            rules.append(rule)
        rules += [render_alert(spec, a) for a in spec.alerts if a.indicator is ind]
        groups.append({"name": f"{prefix}.{ind.key}", "interval": interval, "rules": rules})
    return {"groups": groups}


def render_alert(spec: Spec, alert: Alert) -> dict[str, Any]:
    rule: dict[str, Any] = {"alert": alert.name, "expr": promql.alert_expr(spec, alert)}
    if alert.for_seconds:
        rule["for"] = format_duration(alert.for_seconds)
    rule["labels"] = {"severity": alert.severity, "team": alert.team}
    rule["annotations"] = {
        "summary": alert.summary,
        "description": go_template(description_parts(spec, alert)),
        "runbook_url": runbook_url(spec, alert),
        "dashboard_url": dashboard_url(spec, alert),
    }
    return rule
