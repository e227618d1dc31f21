"""availability: the fraction of targets up, from an up/probe_success style 0/1 gauge.

The recorded series keep the job labels, so several availability indicators of `up`
never collide. `absent: true` on an alert makes "no series at all" fire too (the job gone
from service discovery, or a dead exporter), with the value 0.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from generators.kinds.base import (
    ExtraCase,
    Kind,
    Phases,
    Recording,
    Series,
    ValueAt,
    base_labels,
    near_candidates,
    series_key,
)
from generators.loader.checker import Checker
from generators.loader.source import LineMap
from generators.model import Alert, Indicator, Matcher, Metric, Spec
from generators.promql import agg, equal_matchers, selector

DEFAULT_INSTANCES = ("target-0",)


@dataclass(frozen=True, kw_only=True)
class AvailabilityIndicator(Indicator):
    kind: ClassVar[str] = "availability"
    metric_fields: ClassVar[tuple[str, ...]] = ("metric",)
    metric: str


class Availability(Kind):
    name = "availability"
    model = AvailabilityIndicator
    summary = "the fraction of targets up (up, probe_success)"
    required = ("metric",)
    metric_types: ClassVar[dict[str, str]] = {"metric": "gauge"}
    unit = "ratio"
    ops = ("<", "<=")
    alert_options = ("absent",)
    triage = (
        "Check the targets in Prometheus (Status -> Targets) and the platform's pods/instances.",
        "If every target is down, check the last deploy and the load balancer/health endpoint.",
        "If the series are absent, check service discovery and the scrape job's selector "
        "(settings.selectors in thresholds.yaml). Right after a Prometheus restart the series "
        "are absent until the first scrape; `for` covers that, so a page means they stayed away.",
    )

    def parse_alert_options(self, c: Checker, m: LineMap, path: str, ind: Indicator,
                            metrics: dict[str, Metric]) -> dict[str, Any] | None:
        return {"absent": c.value(m, "absent", path, bool, False)}

    def kept_labels(self, spec: Spec, ind: Indicator) -> tuple[str, ...]:
        assert isinstance(ind, AvailabilityIndicator)
        # keep the job so that several availability indicators of `up` never collide
        job = (k for k, _ in spec.selector_labels(ind.metric))
        return tuple(dict.fromkeys((*spec.settings.aggregation_labels, *ind.by, *job)))

    def sample_values(self, spec: Spec, alert: Alert) -> tuple[float, float]:
        n = len(self.instances(spec, alert.indicator))
        return near_candidates(alert.threshold, [k / n for k in range(n + 1)])

    def instances(self, spec: Spec, ind: Indicator) -> tuple[str, ...]:
        return spec.metrics[ind.metric].labels.get("instance", DEFAULT_INSTANCES)  # type: ignore[attr-defined]

    def series_name(self, spec: Spec, ind: Indicator) -> str:
        return f"{self.level(spec, ind)}:{ind.metric}:avg"  # type: ignore[attr-defined]

    def series_matchers(self, spec: Spec, ind: Indicator) -> tuple[Matcher, ...]:
        return equal_matchers(spec.selector_labels(ind.metric))  # type: ignore[attr-defined]

    def recordings(self, spec: Spec, ind: Indicator) -> list[Recording]:
        assert isinstance(ind, AvailabilityIndicator)
        expr = agg("avg", self.kept_labels(spec, ind), selector(spec, ind.metric))
        return [Recording(self.series_name(spec, ind), expr)]

    def alert_expr(self, spec: Spec, alert: Alert) -> str:
        expr = super().alert_expr(spec, alert)
        if alert.absent:
            # absent() is 1; `* 0` makes the value read as "0% of targets up", which is true.
            expr += f"\nor\nabsent({selector(spec, alert.indicator.metric)}) * 0"  # type: ignore[attr-defined]
        return expr

    def fixture(self, spec: Spec, alert: Alert, phases: Phases) -> tuple[Series, ValueAt]:
        ind = alert.indicator
        assert isinstance(ind, AvailabilityIndicator)
        instances = self.instances(spec, ind)
        n = len(instances)
        healthy, breach = self.sample_values(spec, alert)
        up_count = phases.spread((round(healthy * n), round(breach * n), round(healthy * n)))
        labels = base_labels(spec, ind, ind.metric)
        series: Series = {}
        for index, instance in enumerate(instances):
            series[series_key(ind.metric, {**labels, "instance": instance})] = [
                1.0 if index < up else 0.0 for up in up_count
            ]
        return series, lambda i: up_count[i] / n

    def extra_cases(self, spec: Spec, alert: Alert) -> list[ExtraCase]:
        """With `absent`, no series at all must fire rather than go silent."""
        if not alert.absent:
            return []
        step = 60
        hold = -(-alert.for_seconds // step)
        labels = dict(spec.selector_labels(alert.indicator.metric))  # type: ignore[attr-defined]
        checks: list[tuple[int, dict[str, str] | None, float]] = []
        if hold:
            checks.append((hold - 1, None, 0.0))
        checks.append((hold + 1, labels, 0.0))
        name = f"{alert.name}: no {alert.indicator.metric} series at all -> fires"  # type: ignore[attr-defined]
        return [ExtraCase(name, {}, step, tuple(checks))]
