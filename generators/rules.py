"""Render the Prometheus rule file: per indicator its recording rules, then its alerts."""

from __future__ import annotations

from typing import Any

from generators.durations import format_duration
from generators.inhibition import condition_record, firing_selector, is_tail_source, source_hold, tails_of
from generators.kinds import kind_of
from generators.kinds.base import Recording
from generators.layout import dashboard_url, runbook_url
from generators.model import Alert, Indicator, Spec
from generators.promql import on
from generators.templating import Label, Part, Text, format_value, go_template

RULES_FILE = "billing.rules.yml"

_RELATION = {"<": "below", "<=": "at or below", ">": "above", ">=": "at or above"}


def description_parts(spec: Spec, alert: Alert) -> list[Part]:
    """The alert description; one definition for the Go template and the test oracle."""
    kind = kind_of(alert)
    ind = alert.indicator
    where: list[Part] = []
    for label in kind.kept_labels(spec, ind):
        optional = label in spec.settings.aggregation_labels and label not in ind.by
        where.append(Label(label, f" in {label} " if optional else f" for {label} ", optional))
    t = alert.threshold
    tail = Text(f", {_RELATION[t.op]} the {format_value(kind.alert_unit(alert), t.value)} threshold.")
    return [*kind.describe(spec, alert), *where, tail]


def recordings_of(spec: Spec, ind: Indicator) -> tuple[Recording, ...]:
    """The indicator's recording rules, computed once per spec: the loader's cross-check, the
    rule file and the runbooks all read them (callers must not modify them)."""
    cache: dict[int, tuple[Indicator, tuple[Recording, ...]]] | None = spec.__dict__.get("_recordings")
    if cache is None:
        cache = {}
        object.__setattr__(spec, "_recordings", cache)
    known = cache.get(id(ind))
    if known is None or known[0] is not ind:  # the indicator is kept, so its id stays its own
        known = cache[id(ind)] = (ind, tuple(kind_of(ind).recordings(spec, ind)))
    return known[1]


def render_rule_groups(spec: Spec) -> dict[str, Any]:
    """One group per indicator: its recording rules, then the alerts that read them.

    Rules inside a group run in order, so an alert always reads the recordings of the
    same evaluation; in separate groups it would read the previous one (one interval late).
    A recording identical to one of an earlier group (two indicators reading the same
    rate) is recorded once, by the earlier group; a group left empty is dropped.
    """
    interval = format_duration(spec.settings.evaluation_interval)
    prefix = spec.settings.alert_prefix.lower()
    groups = []
    recorded: set[tuple[str, tuple[tuple[str, str], ...]]] = set()
    for ind in spec.indicators.values():
        rules: list[dict[str, Any]] = []
        for rec in recordings_of(spec, ind):
            if (rec.record, rec.labels) in recorded:
                continue
            recorded.add((rec.record, rec.labels))
            rule: dict[str, Any] = {"record": rec.record, "expr": rec.expr}
            if rec.labels:
                rule["labels"] = dict(rec.labels)
            rules.append(rule)
        # a tail source's condition, for the targets' recovery-tail clause (inhibition.py)
        for source in spec.alerts_of(ind):
            if is_tail_source(spec, source):
                rules.append({"record": condition_record(spec, source),
                              "expr": kind_of(source).alert_expr(spec, source)})
        rules += [render_alert(spec, a) for a in spec.alerts_of(ind)]
        if rules:
            groups.append({"name": f"{prefix}.{ind.key}", "interval": interval, "rules": rules})
    return {"groups": groups}


def alert_expr(spec: Spec, alert: Alert) -> str:
    """The kind's expression, minus the recovery tail of each alert that inhibits this one:
    `unless on(equal) (X was firing within the lookback, and does not breach now)` (inhibition.py)."""
    expr = kind_of(alert).alert_expr(spec, alert)
    tails = tails_of(spec, alert)
    if not tails:
        return expr
    parts = [f"(\n{expr}\n)"]
    for pair in tails:
        record = condition_record(spec, pair.source)
        kept = on(pair.equal)
        parts.append(f"unless {kept}\n(max_over_time({firing_selector(pair.source)}[{format_duration(pair.lookback)}]) "
                     f"unless {kept} {record})")
    return "\n".join(parts)


def render_alert(spec: Spec, alert: Alert) -> dict[str, Any]:
    rule: dict[str, Any] = {"alert": alert.name, "expr": alert_expr(spec, alert)}
    if alert.for_seconds:
        rule["for"] = format_duration(alert.for_seconds)
    if hold := source_hold(spec, alert):
        rule["keep_firing_for"] = format_duration(hold)
    rule["labels"] = {"severity": alert.severity, "team": alert.team}
    rule["annotations"] = {
        "summary": alert.summary,
        "description": go_template(description_parts(spec, alert)),
        "runbook_url": runbook_url(spec, alert),
        "dashboard_url": dashboard_url(spec, alert),
    }
    return rule
