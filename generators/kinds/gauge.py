"""gauge: an aggregation (max/min/avg/sum) of one gauge, in the unit the spec declares."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar, Literal

from generators.kinds.base import Kind, Phases, Recording, Series, ValueAt, base_labels, series_key
from generators.loader.checker import Checker
from generators.loader.source import LineMap
from generators.model import Alert, Indicator, Metric, Spec
from generators.promql import agg, selector


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
        expr = agg(ind.aggregation, self.kept_labels(spec, ind), selector(spec, ind.metric))
        return [Recording(self.series_name(spec, ind), expr)]

    def fixture(self, spec: Spec, alert: Alert, phases: Phases) -> tuple[Series, ValueAt]:
        ind = alert.indicator
        assert isinstance(ind, GaugeIndicator)
        healthy, breach = self.sample_values(spec, alert)
        values = phases.spread((healthy, breach, healthy))
        series: Series = {series_key(ind.metric, base_labels(spec, ind, ind.metric)): list(values)}
        return series, lambda i: values[i]
