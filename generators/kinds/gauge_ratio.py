"""gauge_ratio: sum(numerator) / sum(denominator) of two gauges (e.g. pool in use / max)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from generators.kinds.base import Kind, Phases, Recording, Series, ValueAt, base_labels, series_key
from generators.model import Alert, Indicator, Spec
from generators.promql import agg, selector


@dataclass(frozen=True, kw_only=True)
class GaugeRatioIndicator(Indicator):
    kind: ClassVar[str] = "gauge_ratio"
    metric_fields: ClassVar[tuple[str, ...]] = ("numerator", "denominator")
    numerator: str
    denominator: str


class GaugeRatio(Kind):
    name = "gauge_ratio"
    model = GaugeRatioIndicator
    summary = "the ratio of two gauges, e.g. connections in use / pool size"
    required = ("numerator", "denominator")
    metric_types: ClassVar[dict[str, str]] = {"numerator": "gauge", "denominator": "gauge"}
    unit = "ratio"
    triage = (
        "Check which series is saturated and whether traffic or slow work holds the resource.",
        "Look at latency on the Performance dashboard; long transactions keep "
        "connections checked out.",
        "Raise the limit only if what sits behind it has headroom (e.g. RDS CPU and connections).",
    )

    def sample_values(self, spec: Spec, alert: Alert) -> tuple[float, float]:
        healthy, breach = super().sample_values(spec, alert)
        return _realised(healthy), _realised(breach)

    def series_name(self, spec: Spec, ind: Indicator) -> str:
        assert isinstance(ind, GaugeRatioIndicator)
        return f"{self.level(spec, ind)}:{ind.numerator}:ratio"

    def recordings(self, spec: Spec, ind: Indicator) -> list[Recording]:
        assert isinstance(ind, GaugeRatioIndicator)
        labels = self.kept_labels(spec, ind)
        num = agg("sum", labels, selector(spec, ind.numerator))
        den = agg("sum", labels, selector(spec, ind.denominator))
        return [Recording(self.series_name(spec, ind), f"{num}\n/\n{den}")]

    def fixture(self, spec: Spec, alert: Alert, phases: Phases) -> tuple[Series, ValueAt]:
        ind = alert.indicator
        assert isinstance(ind, GaugeRatioIndicator)
        healthy, breach = self.sample_values(spec, alert)
        den = _DENOMINATOR
        num = phases.spread((round(healthy * den), round(breach * den), round(healthy * den)))
        series: Series = {
            series_key(ind.numerator, base_labels(spec, ind, ind.numerator)): list(num),
            series_key(ind.denominator, base_labels(spec, ind, ind.denominator)): [den] * len(num),
        }
        return series, lambda i: num[i] / den


_DENOMINATOR = 100.0


def _realised(value: float) -> float:
    return round(value * _DENOMINATOR) / _DENOMINATOR

