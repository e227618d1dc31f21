"""quantile: histogram_quantile of a classic histogram, recorded per quantile.

The bucket rates are recorded once per round and every quantile is derived from them, so
the raw buckets are read by one rule only. A latency threshold must be a bucket boundary
with a finite bucket above it: between two boundaries the quantile is a linear guess.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, ClassVar

from generators import naming
from generators.durations import format_duration
from generators.kinds.base import (
    STALE,
    Blip,
    ExtraCase,
    InfeasibleThreshold,
    Kind,
    Phases,
    Recording,
    Series,
    ValueAt,
    Week,
    at_cluster,
    base_labels,
    bump,
    counter,
    judge_blip,
    label_combinations,
    parse_window,
    rate_at,
    series_key,
)
from generators.loader.checker import Checker
from generators.loader.source import LineMap
from generators.model import Alert, Indicator, Matcher, Metric, Spec
from generators.promql import agg, selector
from generators.templating import Part, Text, Value


@dataclass(frozen=True, kw_only=True)
class QuantileIndicator(Indicator):
    kind: ClassVar[str] = "quantile"
    metric_fields: ClassVar[tuple[str, ...]] = ("metric",)
    metric: str
    quantiles: tuple[float, ...]
    window: int


class Quantile(Kind):
    name = "quantile"
    model = QuantileIndicator
    summary = "a quantile of a classic histogram (latency)"
    required = ("metric", "quantiles", "window")
    metric_types: ClassVar[dict[str, str]] = {"metric": "histogram"}
    unit = "seconds"
    ops = (">", ">=")
    alert_options = ("quantile",)
    triage = (
        "Compare p50/p95/p99 on the panel: all rising means saturation, only the tail means "
        "a slow dependency or lock contention.",
        "Check the database panels (pool usage, query time) and queue depth on the "
        "Performance dashboard.",
        "Scale out or shed load if traffic grew; otherwise find the slow dependency.",
    )

    def parse_fields(self, c: Checker, m: LineMap, path: str, fields: dict[str, Any],
                     metrics: dict[str, Metric]) -> dict[str, Any] | None:
        window = parse_window(c, m, path)
        qs = c.value(m, "quantiles", path, list, [])
        if "quantiles" in m and (not qs or not all(
                isinstance(q, float) and 0 < q < 1 for q in qs) or len(set(qs)) != len(qs)):
            c.error(m.key_lines["quantiles"], f"{path}.quantiles",
                    "list distinct quantiles as fractions between 0 and 1, e.g. [0.5, 0.95, 0.99]")
            return None
        if window is None or not qs:
            return None
        return {"quantiles": tuple(qs), "window": window}

    def parse_alert_options(self, c: Checker, m: LineMap, path: str, ind: Indicator,
                            metrics: dict[str, Metric]) -> dict[str, Any] | None:
        assert isinstance(ind, QuantileIndicator)
        choices = list(ind.quantiles)
        if "quantile" not in m:
            c.error(m.line, path, f"say which quantile to alert on: quantile: one of {choices}")
            return None
        q = c.value(m, "quantile", path, float, None,
                    lambda v: None if v in ind.quantiles else f"{v} is not recorded by {ind.key}; one of {choices}")
        return None if q is None else {"quantile": q}

    def windows(self, ind: Indicator) -> dict[str, int]:
        return {"window": ind.window}  # type: ignore[attr-defined]

    def sample_values(self, spec: Spec, alert: Alert) -> tuple[float, float]:
        ind = alert.indicator
        assert isinstance(ind, QuantileIndicator) and alert.quantile is not None
        buckets = spec.metrics[ind.metric].buckets
        t = alert.threshold.value
        if t not in buckets[:-1]:
            raise InfeasibleThreshold(
                f"{t:g}s is not a bucket boundary of {ind.metric} (buckets: "
                f"{', '.join(f'{b:g}' for b in buckets)}; the last one cannot be used); pick a boundary "
                "or add one to the catalogue and the platform")
        k = buckets.index(t)
        lower = buckets[k - 1] if k else 0.0
        healthy = lower + (t - lower) * alert.quantile
        breach = t + (buckets[k + 1] - t) * alert.quantile
        return healthy, breach

    # -- rules -------------------------------------------------------------------------------
    def bucket_rate_name(self, spec: Spec, ind: QuantileIndicator) -> str:
        return naming.recorded((*self.kept_labels(spec, ind), "le"), f"{ind.metric}_bucket",
                               naming.windowed("rate", ind.window))

    def series_name(self, spec: Spec, ind: Indicator) -> str:
        assert isinstance(ind, QuantileIndicator)
        return (f"{self.level(spec, ind)}_quantile:{ind.metric}:"
                f"{naming.windowed('histogram_quantile_rate', ind.window)}")

    def recordings(self, spec: Spec, ind: Indicator) -> list[Recording]:
        assert isinstance(ind, QuantileIndicator)
        by_le = (*self.kept_labels(spec, ind), "le")
        window = naming.windowed("", ind.window)
        buckets = self.bucket_rate_name(spec, ind)
        rate = agg("sum", by_le, f"rate({selector(spec, ind.metric, suffix='_bucket')}[{window}])")
        return [
            Recording(buckets, rate),
            *(Recording(self.series_name(spec, ind), f"histogram_quantile({q:g}, {buckets})",
                        (("quantile", f"{q:g}"),)) for q in ind.quantiles),
        ]

    def alert_labels(self, alert: Alert) -> dict[str, str]:
        return {"quantile": f"{alert.quantile:g}"}  # the recorded quantile series carries it

    def alert_series(self, spec: Spec, alert: Alert) -> str:
        return f'{self.series_name(spec, alert.indicator)}{{quantile="{alert.quantile:g}"}}'

    def describe(self, spec: Spec, alert: Alert) -> list[Part]:
        assert alert.quantile is not None
        w = naming.windowed("", alert.indicator.window)  # type: ignore[attr-defined]
        return [Text(f"{alert.indicator.title} p{alert.quantile * 100:g} is "), Value("seconds"),
                Text(f" over the last {w}")]

    def ignores(self, spec: Spec, alert: Alert) -> tuple[str, ...]:
        return ("no requests: no histogram rate, no quantile (a stop is for the availability and flow alerts)",
                "during a rolling deploy, replicas with different bucket layouts distort histogram_quantile: "
                "the quantile jumps to a bucket edge for the deploy's length; compare the replicas' "
                "histograms before acting",
                *super().ignores(spec, alert))

    # -- generated tests -----------------------------------------------------------------------
    def fixture(self, spec: Spec, alert: Alert, phases: Phases) -> tuple[Series, ValueAt]:
        ind = alert.indicator
        assert isinstance(ind, QuantileIndicator) and alert.quantile is not None
        bounds = [*spec.metrics[ind.metric].buckets, math.inf]
        k = bounds.index(alert.threshold.value)
        # every observation in the bucket ending at the threshold (quantile just below it),
        # then in the bucket above it (just above), then back
        per_step = 100
        chosen = phases.spread((k, k + 1, k))
        labels = base_labels(spec, ind, ind.metric)
        series: Series = {}
        counters = []
        for index, bound in enumerate(bounds):
            values = counter([per_step if c <= index else 0 for c in chosen])
            counters.append((bound, values))
            series[series_key(f"{ind.metric}_bucket", {**labels, "le": _le(bound)})] = values
        series[series_key(f"{ind.metric}_count", labels)] = counter([per_step] * len(chosen))
        w, step, q = ind.window // phases.step, phases.step, alert.quantile

        def value_at(i: int) -> float | None:
            rates = [(bound, rate_at(values, i, w, step)) for bound, values in counters]
            if any(r is None for _, r in rates):
                return None
            return histogram_quantile(q, rates)  # type: ignore[arg-type]

        return series, value_at

    def extra_cases(self, spec: Spec, alert: Alert) -> list[ExtraCase]:
        """Two clusters of two replicas: in cluster-b one replica turns slow (its buckets are
        summed with its fast twin's, never averaged as quantiles); cluster-a, fast at 10x the
        traffic, neither dilutes nor joins it, and its failed scrape (stale markers) and
        counter reset (a restart) change nothing."""
        ind = alert.indicator
        assert isinstance(ind, QuantileIndicator) and alert.quantile is not None
        bounds = [*spec.metrics[ind.metric].buckets, math.inf]
        k = bounds.index(alert.threshold.value)
        step = self.fixture_step(ind)
        w = ind.window // step
        hold = -(-alert.for_seconds // step)
        n = 2 * w + hold + 8
        start = w + 2
        per_step = 100
        series: Series = {}

        def replica(cluster: str, instance: str, chosen: list[int], scale: int) -> list[list[float | None]]:
            labels = {**base_labels(spec, ind, ind.metric), **at_cluster(spec, cluster), "instance": instance}
            out: list[list[float | None]] = []
            for index, bound in enumerate(bounds):
                values = counter([per_step * scale if c <= index else 0 for c in chosen])
                series[series_key(f"{ind.metric}_bucket", {**labels, "le": _le(bound)})] = values
                out.append(values)
            return out

        slow = replica("cluster-b", "replica-0", [k] * start + [k + 1] * (n - start), 1)
        fast = replica("cluster-b", "replica-1", [k] * n, 1)
        for values in replica("cluster-a", "replica-0", [k] * n, 10):
            values[start + 1] = STALE
        for values in replica("cluster-a", "replica-1", [k] * n, 10):
            reset = values[start + 2]
            values[start + 2:] = [v - reset + per_step * 10 if v else v for v in values[start + 2:]]  # type: ignore[operator]

        def value_at(i: int) -> float | None:
            rates = [(bound, rate_at(a, i, w, step) + rate_at(b, i, w, step))  # type: ignore[operator]
                     for bound, a, b in zip(bounds, slow, fast, strict=True)]
            return histogram_quantile(alert.quantile, rates)  # type: ignore[arg-type]

        check = start + w + hold
        value = value_at(check)
        if value is None or not alert.threshold.breached_by(value) or alert.threshold.breached_by(value_at(start - 1)):
            return []  # the slow bucket is +Inf: the quantile stops at the threshold (claim only what holds)
        kept = self.kept_labels(spec, ind)
        where = {k: v for k, v in {**base_labels(spec, ind, ind.metric), **at_cluster(spec, "cluster-b")}.items()
                 if k in kept}
        where.update(self.alert_labels(alert))
        return [ExtraCase(f"{alert.name}: one of two replicas slow in cluster-b, cluster-a fast at 10x the traffic "
                          "with a failed scrape and a counter reset -> fires for cluster-b only",
                          series, step, ((start - 1, None, 0.0), (check, where, value)))]

    def dashboard_matchers(self, spec: Spec, ind: Indicator) -> tuple[Matcher, ...]:
        return ()

    # -- the healthy week ----------------------------------------------------------------------
    def _week_bucket(self, spec: Spec, ind: QuantileIndicator) -> int:
        """The bucket every healthy observation falls in: the fastest, unless that breaches an alert."""
        bounds = [*spec.metrics[ind.metric].buckets, math.inf]
        for alert in spec.alerts_of(ind):
            q = alert.quantile or 0.5
            if alert.threshold.breached_by(bounds[0] * q):
                healthy = self.sample_values(spec, alert)[0]
                return next(i for i, b in enumerate(bounds) if b >= healthy)
        return 0

    def _week_histogram(self, spec: Spec, ind: QuantileIndicator, week: Week, target: dict[str, str],
                        bucket: int) -> Series:
        bounds = [*spec.metrics[ind.metric].buckets, math.inf]
        series: Series = {series_key(f"{ind.metric}_bucket", {**target, "le": _le(bound)}):
                          week.steady(WEEK_OBSERVATIONS if index >= bucket else 0)
                          for index, bound in enumerate(bounds)}
        series[series_key(f"{ind.metric}_count", target)] = week.steady(WEEK_OBSERVATIONS)
        return series

    def week_series(self, spec: Spec, ind: Indicator, week: Week) -> Series:
        assert isinstance(ind, QuantileIndicator)
        bucket = self._week_bucket(spec, ind)
        series: Series = {}
        for labels in week.series_labels(spec, ind.metric, ind.by):
            series.update(self._week_histogram(spec, ind, week, labels, bucket))
        return series

    def week_blip(self, spec: Spec, ind: Indicator, week: Week, series: Series, at: int) -> Blip | None:
        """A latency spike: BLIP_SECONDS with BLIP_SHARE of the observations in the bucket just
        above the first alert's threshold, on every replica of one cluster."""
        assert isinstance(ind, QuantileIndicator)
        alerts = spec.alerts_of(ind)
        first = next((a for a in alerts if a.threshold.op in (">", ">=")), None)
        if first is None:
            return None
        bounds = [*spec.metrics[ind.metric].buckets, math.inf]
        healthy, slow = self._week_bucket(spec, ind), bounds.index(first.threshold.value) + 1
        n = week.steps(BLIP_SECONDS)
        moved = round(WEEK_OBSERVATIONS * BLIP_SHARE)
        by = label_combinations(spec, ind.metric, ind.by)[0]
        targets = week.targets(spec, ind.metric, week.blipped)
        for target in targets:
            for index in range(healthy, slow):
                bump(series[series_key(f"{ind.metric}_bucket", {**target, **by, "le": _le(bounds[index])})],
                     at, [-moved] * n)
        w = ind.window // week.step

        def value(q: float, i: int) -> float:
            spiked = sum(1 for j in range(i - w + 1, i + 1) if at <= j < at + n)
            total = w * WEEK_OBSERVATIONS
            cumulative = [(b, total - (spiked * moved if healthy <= k < slow else 0) if k >= healthy else 0.0)
                          for k, b in enumerate(bounds)]
            return histogram_quantile(q, cumulative)

        def active(alert: Alert, i: int) -> bool:
            return alert.threshold.breached_by(value(alert.quantile or 0.5, i))

        end = at + n + w + 1
        pending, pages = judge_blip(alerts, active, at, end, week.step)
        peak = at + n - 1
        q = first.quantile or 0.5
        where = self.kept_only(spec, ind, {**targets[0], **by})
        where_q = {**where, "quantile": f"{q:g}"}
        mid = (value(q, at - 1) + value(q, peak)) / 2
        return Blip(
            f"{ind.title}: {BLIP_SHARE:.0%} of observations over {_le(first.threshold.value)}s for "
            f"{format_duration(BLIP_SECONDS)} in {targets[0].get('cluster', '')}"
            + (f" ({', '.join(by.values())})" if by else ""),
            at, self.crossing(spec, ind, where_q, ">", mid), peak, where_q,
            tuple((a, {**where, **self.alert_labels(a)}) for a in pending), end, tuple(pages))


def histogram_quantile(q: float, buckets: list[tuple[float, float]]) -> float:
    """Prometheus' bucketQuantile for sorted (upper bound, cumulative count) pairs."""
    total = buckets[-1][1]
    if total == 0:
        return math.nan
    rank = q * total
    b = next(i for i, (_, count) in enumerate(buckets) if count >= rank)
    if b == len(buckets) - 1:
        return buckets[-2][0]
    if b == 0 and buckets[0][0] <= 0:
        return buckets[0][0]
    start, end, count = 0.0, buckets[b][0], buckets[b][1]
    if b > 0:
        start = buckets[b - 1][0]
        count -= buckets[b - 1][1]
        rank -= buckets[b - 1][1]
    return start + (end - start) * (rank / count)


def _le(bound: float) -> str:
    return "+Inf" if math.isinf(bound) else f"{bound:g}"


WEEK_OBSERVATIONS = 100  # observations per sample and replica in the healthy week
BLIP_SECONDS = 120  # a latency spike as long as a ratio blip (kinds/ratio.py)
BLIP_SHARE = 0.3
