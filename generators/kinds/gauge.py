"""gauge: an aggregation (max/min/avg/sum) of one gauge, in the unit the spec declares."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar, Literal

from generators.kinds.base import (
    Blip,
    Kind,
    Phases,
    Recording,
    Series,
    ValueAt,
    Week,
    base_labels,
    held_gauge,
    label_combinations,
    series_key,
    spike_blip,
)
from generators.loader.checker import Checker
from generators.loader.source import LineMap
from generators.model import Alert, Indicator, Metric, Spec
from generators.promql import agg


@dataclass(frozen=True, kw_only=True)
class GaugeIndicator(Indicator):
    kind: ClassVar[str] = "gauge"
    metric_fields: ClassVar[tuple[str, ...]] = ("metric",)
    metric: str
    aggregation: Literal["max", "min", "avg", "sum"] = "max"


class Gauge(Kind):
    name = "gauge"
    model = GaugeIndicator
    summary = "an aggregation of one gauge"
    required = ("metric", "unit")
    optional = ("aggregation",)
    metric_types: ClassVar[dict[str, str]] = {"metric": "gauge"}
    unit = None  # declared by the spec
    reads_gauges = True
    triage = (
        "Open the panel and find which series (see its labels) moved, and since when.",
        "Correlate with deploys, traffic and invoice runs on the dashboards.",
        "Relieve the resource (scale, shed or move load) if the change is organic; otherwise "
        "find what changed.",
    )

    def parse_fields(self, c: Checker, m: LineMap, path: str, fields: dict[str, Any],
                     metrics: dict[str, Metric]) -> dict[str, Any] | None:
        aggregation = c.value(m, "aggregation", path, str, "max", lambda v: None if v in (
            "max", "min", "avg", "sum") else "must be max, min, avg or sum")
        return {"aggregation": aggregation}

    def series_name(self, spec: Spec, ind: Indicator) -> str:
        assert isinstance(ind, GaugeIndicator)
        return f"{self.level(spec, ind)}:{ind.metric}:{ind.aggregation}"

    def recordings(self, spec: Spec, ind: Indicator) -> list[Recording]:
        assert isinstance(ind, GaugeIndicator)
        expr = agg(ind.aggregation, self.kept_labels(spec, ind), held_gauge(spec, ind.metric))
        return [Recording(self.series_name(spec, ind), expr)]

    def worst_replica(self, alert: Alert) -> bool:
        ind = alert.indicator
        assert isinstance(ind, GaugeIndicator)
        return (ind.aggregation, alert.threshold.op) in {("max", ">"), ("max", ">="), ("min", "<"), ("min", "<=")}

    def fixture(self, spec: Spec, alert: Alert, phases: Phases) -> tuple[Series, ValueAt]:
        ind = alert.indicator
        assert isinstance(ind, GaugeIndicator)
        healthy, breach = self.sample_values(spec, alert)
        values = phases.spread((healthy, breach, healthy))
        series: Series = {series_key(ind.metric, base_labels(spec, ind, ind.metric)): list(values)}
        return series, lambda i: values[i]

    # -- the healthy week ----------------------------------------------------------------------
    def _week_value(self, spec: Spec, ind: GaugeIndicator, week: Week, alert: Alert | None,
                    breach: bool = False) -> float:
        """Per target: the first alert's healthy (or breach) sample, divided among the replicas a sum adds up."""
        value = self.sample_values(spec, alert)[breach] if alert else 1.0
        return value / len(week.replicas) if ind.aggregation == "sum" else value

    def week_series(self, spec: Spec, ind: Indicator, week: Week) -> Series:
        assert isinstance(ind, GaugeIndicator)
        alerts = spec.alerts_of(ind)
        value = self._week_value(spec, ind, week, alerts[0] if alerts else None)
        return {series_key(ind.metric, labels): week.constant(value)
                for labels in week.series_labels(spec, ind.metric, ind.by)}

    def week_blip(self, spec: Spec, ind: Indicator, week: Week, series: Series, at: int) -> Blip | None:
        """A spike across the first alert's line for half its `for` on one cluster."""
        assert isinstance(ind, GaugeIndicator)
        alerts = spec.alerts_of(ind)
        first = next((a for a in alerts if a.for_seconds >= 2 * week.step), None)
        if first is None:
            return None
        n = week.steps(first.for_seconds // 2)
        spike = self._week_value(spec, ind, week, first, breach=True)
        by = label_combinations(spec, ind.metric, ind.by)[0]
        targets = week.targets(spec, ind.metric, week.blipped)
        for target in targets:
            values = series[series_key(ind.metric, {**target, **by})]
            values[at:at + n] = [spike] * n
        return spike_blip(self, spec, ind, first, week, at, n, self.kept_only(spec, ind, {**targets[0], **by}))
