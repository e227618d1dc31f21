"""gauge_ratio: numerator / denominator of two gauges (e.g. pool in use / max).

With `worst_of: instance` the ratio is taken per replica and the indicator is the worst
replica's: sum(in use) / sum(max) over a fleet hides one replica's full pool behind an
idle one (95% and 5% read 50%), while requests on that replica already wait.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, ClassVar

from generators.kinds.base import (
    Blip,
    ExtraCase,
    Kind,
    Phases,
    Recording,
    Series,
    ValueAt,
    Week,
    at_cluster,
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

_LABEL_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
REPLICAS = ("replica-0", "replica-1")


@dataclass(frozen=True, kw_only=True)
class GaugeRatioIndicator(Indicator):
    kind: ClassVar[str] = "gauge_ratio"
    metric_fields: ClassVar[tuple[str, ...]] = ("numerator", "denominator")
    numerator: str
    denominator: str
    worst_of: str = ""  # label of a replica: the indicator is the worst replica's ratio


class GaugeRatio(Kind):
    name = "gauge_ratio"
    model = GaugeRatioIndicator
    summary = "the ratio of two gauges, e.g. connections in use / pool size"
    required = ("numerator", "denominator")
    optional = ("worst_of",)
    metric_types: ClassVar[dict[str, str]] = {"numerator": "gauge", "denominator": "gauge"}
    unit = "ratio"
    reads_gauges = True
    triage = (
        "Check which series is saturated and whether traffic or slow work holds the resource.",
        "Look at latency on the Performance dashboard; long transactions keep "
        "connections checked out.",
        "Raise the limit only if what sits behind it has headroom (e.g. RDS CPU and connections).",
    )

    def parse_fields(self, c: Checker, m: LineMap, path: str, fields: dict[str, Any],
                     metrics: dict[str, Metric]) -> dict[str, Any] | None:
        worst_of = c.value(m, "worst_of", path, str, "", lambda v: None if _LABEL_RE.match(v) else
                           "must be a label name, e.g. instance")
        if worst_of and worst_of in fields["by"]:
            c.error(m.key_lines["worst_of"], f"{path}.worst_of",
                    f"{worst_of!r} is also in `by`; worst_of names the replica label the worst is taken over")
            return None
        return {"worst_of": worst_of or ""}

    def sample_values(self, spec: Spec, alert: Alert) -> tuple[float, float]:
        healthy, breach = super().sample_values(spec, alert)
        return _realised(healthy), _realised(breach)

    def series_name(self, spec: Spec, ind: Indicator) -> str:
        assert isinstance(ind, GaugeRatioIndicator)
        if ind.worst_of:
            return f"{self.level(spec, ind)}:{ind.numerator}:ratio_max_by_{ind.worst_of}"
        return f"{self.level(spec, ind)}:{ind.numerator}:ratio"

    def recordings(self, spec: Spec, ind: Indicator) -> list[Recording]:
        assert isinstance(ind, GaugeRatioIndicator)
        labels = self.kept_labels(spec, ind)
        per = (*labels, ind.worst_of) if ind.worst_of else labels
        num = agg("sum", per, held_gauge(spec, ind.numerator))
        den = agg("sum", per, held_gauge(spec, ind.denominator))
        expr = f"{num}\n/\n{den}"
        if ind.worst_of:
            expr = agg("max", labels, f"\n{expr}\n")
        return [Recording(self.series_name(spec, ind), expr)]

    def ignores(self, spec: Spec, alert: Alert) -> tuple[str, ...]:
        ind = alert.indicator
        own = (f"which {ind.worst_of} it is: the alert carries the worst one's value, the fleet may look fine",) \
            if ind.worst_of else ("one saturated replica beside idle ones (set worst_of)",)  # type: ignore[attr-defined]
        return (*own, *super().ignores(spec, alert))

    # -- generated tests -------------------------------------------------------------------
    def _replica(self, spec: Spec, ind: GaugeRatioIndicator, cluster: str, replica: str,
                 num: list[float]) -> Series:
        series: Series = {}
        for metric, values in ((ind.numerator, list(num)), (ind.denominator, [_DENOMINATOR] * len(num))):
            labels = base_labels(spec, ind, metric)
            labels.update(at_cluster(spec, cluster))
            if ind.worst_of:
                labels[ind.worst_of] = replica
            series[series_key(metric, labels)] = values  # type: ignore[assignment]
        return series

    def fixture(self, spec: Spec, alert: Alert, phases: Phases) -> tuple[Series, ValueAt]:
        ind = alert.indicator
        assert isinstance(ind, GaugeRatioIndicator)
        healthy, breach = self.sample_values(spec, alert)
        num = phases.spread((round(healthy * _DENOMINATOR), round(breach * _DENOMINATOR),
                             round(healthy * _DENOMINATOR)))
        series = self._replica(spec, ind, "cluster-a", REPLICAS[0], num)
        if ind.worst_of:  # a second, idle replica: it must not pull the value down
            series.update(self._replica(spec, ind, "cluster-a", REPLICAS[1], [0.0] * len(num)))
        return series, lambda i: num[i] / _DENOMINATOR

    def extra_cases(self, spec: Spec, alert: Alert) -> list[ExtraCase]:
        ind = alert.indicator
        assert isinstance(ind, GaugeRatioIndicator)
        full, idle = 0.95 * _DENOMINATOR, 0.05 * _DENOMINATOR
        # the fleet ratio of one full and one idle replica is 50%: the case needs 50% healthy
        if not ind.worst_of or alert.threshold.breached_by(0.5) or not alert.threshold.breached_by(0.95):
            return []
        step = 60
        hold = -(-alert.for_seconds // step)
        start = 3
        n = start + hold + 6
        ramp = [idle] * start + [full] * (n - start)
        series = self._replica(spec, ind, "cluster-b", REPLICAS[0], ramp)
        series.update(self._replica(spec, ind, "cluster-b", REPLICAS[1], [idle] * n))
        series.update(self._replica(spec, ind, "cluster-a", REPLICAS[0], [idle] * n))
        series.update(self._replica(spec, ind, "cluster-a", REPLICAS[1], [idle] * n))
        kept = self.kept_labels(spec, ind)
        labels = base_labels(spec, ind, ind.numerator)
        labels.update(at_cluster(spec, "cluster-b"))
        where = {k: v for k, v in labels.items() if k in kept}
        checks: list[tuple[int, Any, float]] = [(start - 1, None, 0.0)]
        if hold:
            checks.append((start + hold - 1, None, 0.0))
        checks.append((start + hold, where, 0.95))
        return [ExtraCase(f"{alert.name}: one replica of cluster-b at 95%, its twin at 5% (fleet 50%) "
                          "-> fires for cluster-b with 95%", series, step, tuple(checks))]

    # -- the healthy week ----------------------------------------------------------------------
    def _week_pair(self, spec: Spec, ind: GaugeRatioIndicator, target: dict[str, str]) -> tuple[tuple, tuple]:
        labels = dict(target)
        if ind.worst_of:
            labels[ind.worst_of] = target.get(ind.worst_of, target["instance"])
        return series_key(ind.numerator, labels), series_key(ind.denominator, labels)

    def _week_targets(self, spec: Spec, ind: GaugeRatioIndicator, week: Week,
                      clusters: tuple[str, ...] | None = None) -> list[dict[str, str]]:
        return week.series_labels(spec, ind.numerator, ind.by, clusters)

    def week_series(self, spec: Spec, ind: Indicator, week: Week) -> Series:
        assert isinstance(ind, GaugeRatioIndicator)
        alerts = spec.alerts_of(ind)
        share = self.sample_values(spec, alerts[0])[0] if alerts else 0.5
        series: Series = {}
        for target in self._week_targets(spec, ind, week):
            num, den = self._week_pair(spec, ind, target)
            series[num], series[den] = week.constant(round(share * _DENOMINATOR)), week.constant(_DENOMINATOR)
        return series

    def week_blip(self, spec: Spec, ind: Indicator, week: Week, series: Series, at: int) -> Blip | None:
        """A burst over the first alert's line for half its `for` on one cluster (first `by` value)."""
        assert isinstance(ind, GaugeRatioIndicator)
        alerts = spec.alerts_of(ind)
        first = next((a for a in alerts if a.for_seconds >= 2 * week.step), None)
        if first is None:
            return None
        breach = self.sample_values(spec, first)[1]
        n = week.steps(first.for_seconds // 2)
        targets = self._week_targets(spec, ind, week, week.blipped)
        by = label_combinations(spec, ind.numerator, ind.by)[0]
        targets = [t for t in targets if all(t[k] == v for k, v in by.items())]
        for target in targets:
            series[self._week_pair(spec, ind, target)[0]][at:at + n] = [round(breach * _DENOMINATOR)] * n
        return spike_blip(self, spec, ind, first, week, at, n, self.kept_only(spec, ind, targets[0]))


_DENOMINATOR = 100.0


def _realised(value: float) -> float:
    return round(value * _DENOMINATOR) / _DENOMINATOR
