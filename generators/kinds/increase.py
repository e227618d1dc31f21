"""increase: events counted over `window` (optionally only the series matching `errors`).

A series that appears for the first time inside the window is counted too: increase()
alone misses a failure counter's first failure. "New" is decided by evidence, not by one
instant: a series is new when it has fewer samples in the window than its target had
successful scrapes (`sum_over_time(up[w])`). A failed scrape or a Prometheus restart
removes a sample from both, so a scrape gap never makes an old counter look new (which
would count its whole lifetime value as fresh failures).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, ClassVar

from generators import naming
from generators.durations import format_duration
from generators.kinds.base import (
    STALE,
    UP,
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
    bump,
    counter,
    example_values,
    for_text,
    judge_blip,
    label_combinations,
    near_candidates,
    parse_window,
    series_key,
)
from generators.kinds.ratio import parse_errors
from generators.loader.checker import Checker
from generators.loader.source import LineMap
from generators.model import Alert, Indicator, Matcher, Metric, Spec
from generators.promql import agg, on, selector
from generators.templating import Part, Text, Value


@dataclass(frozen=True, kw_only=True)
class IncreaseIndicator(Indicator):
    kind: ClassVar[str] = "increase"
    metric_fields: ClassVar[tuple[str, ...]] = ("metric",)
    metric: str
    window: int
    errors: tuple[Matcher, ...] = ()


class Increase(Kind):
    name = "increase"
    model = IncreaseIndicator
    summary = "events counted over a window"
    required = ("metric", "window")
    optional = ("errors",)
    metric_types: ClassVar[dict[str, str]] = {"metric": "counter"}
    unit = "count"
    triage = (
        "Find the failing items in the platform's ERROR/FATAL logs for the window.",
        "Decide whether a retry is safe (invoices and payments must not be duplicated) "
        "and re-run the failed items.",
        "If failures continue, stop the job that produces them and escalate to the owning team.",
    )

    def parse_fields(self, c: Checker, m: LineMap, path: str, fields: dict[str, Any],
                     metrics: dict[str, Metric]) -> dict[str, Any] | None:
        if metrics.get(UP) is None or metrics[UP].type != "gauge":
            c.error(m.key_lines["metric"], f"{path}.metric",
                    f"an increase indicator reads Prometheus' built-in `{UP}` to tell a new series from a "
                    f"scrape gap; add `{UP}` (type gauge) to the metrics catalogue")
            return None
        errors = parse_errors(c, m, path, metrics[fields["metric"]], required=False)
        window = parse_window(c, m, path)
        if errors is None or window is None:
            return None
        return {"errors": errors, "window": window}

    def windows(self, ind: Indicator) -> dict[str, int]:
        return {"window": ind.window}  # type: ignore[attr-defined]

    def sample_values(self, spec: Spec, alert: Alert) -> tuple[float, float]:
        t = alert.threshold.value
        # whole events only: the nearest counts on either side of the threshold, never negative
        low = max(0, math.floor(t) - 1)
        return near_candidates(alert.threshold, [float(c) for c in range(low, math.ceil(t) + 3)])

    # -- rules -------------------------------------------------------------------------------
    def series_name(self, spec: Spec, ind: Indicator) -> str:
        assert isinstance(ind, IncreaseIndicator)
        tag = ""
        if len(ind.errors) == 1 and ind.errors[0].op == "=" and naming.is_name_part(ind.errors[0].value):
            tag = f"{ind.errors[0].value}_"
        elif ind.errors:
            tag = "errors_"
        return naming.recorded(self.kept_labels(spec, ind), ind.metric,
                               naming.windowed(f"{tag}increase", ind.window))

    def target_labels(self, spec: Spec, ind: IncreaseIndicator) -> tuple[str, ...]:
        """Labels that name one scrape target (and so one `up` series)."""
        job = (k for k, _ in spec.selector_labels(ind.metric))
        return tuple(dict.fromkeys((*spec.settings.aggregation_labels, "instance", *job)))

    def recordings(self, spec: Spec, ind: Indicator) -> list[Recording]:
        assert isinstance(ind, IncreaseIndicator)
        sel = selector(spec, ind.metric, ind.errors)
        up = f"{UP}{{{selector(spec, ind.metric).partition('{')[2]}"
        w = format_duration(ind.window)
        # increase() cannot see the first increment of a series born inside the window
        # (a failure counter that appears with its first failure). Such a series is
        # counted by its current value, but only when it is really new: fewer samples in
        # the window than successful scrapes of its target. `* 1` drops the metric name
        # so that `or` matches increase()'s label sets.
        new = (f"({sel} and (count_over_time({sel}[{w}]) < {on(self.target_labels(spec, ind))} group_left\n"
               f"  sum_over_time({up}[{w}]))) * 1")
        expr = agg("sum", self.kept_labels(spec, ind), f"{new}\n  or\nincrease({sel}[{w}])")
        return [Recording(self.series_name(spec, ind), expr)]

    def detection(self, spec: Spec, alert: Alert) -> str:
        return (f"The first failure counts at the next evaluation, also when its counter is born with it; "
                f"then {for_text(alert)}.")

    def ignores(self, spec: Spec, alert: Alert) -> tuple[str, ...]:
        w = format_duration(alert.indicator.window)  # type: ignore[attr-defined]
        return ("a counter's old total after a failed scrape, a target or Prometheus restart: a series is new "
                "only with fewer samples in the window than successful scrapes of its target",
                "a failure counter that appears at the very first scrape of a brand-new target with a value "
                "already above zero (it has as many samples as its target's scrapes)",
                f"failures older than {w}: the alert resolves {w} after the last one, whatever the cause does",
                *super().ignores(spec, alert)[1:])

    def describe(self, spec: Spec, alert: Alert) -> list[Part]:
        w = format_duration(alert.indicator.window)  # type: ignore[attr-defined]
        return [Text(f"{alert.indicator.title}: "), Value("count"), Text(f" in the last {w}")]

    # -- generated tests -----------------------------------------------------------------------
    def fixture(self, spec: Spec, alert: Alert, phases: Phases) -> tuple[Series, ValueAt]:
        ind = alert.indicator
        assert isinstance(ind, IncreaseIndicator)
        w = ind.window // phases.step
        healthy, breach = self.sample_values(spec, alert)
        # one burst every window: any window then holds exactly one burst, so increase() over
        # it is exactly the burst size, in integers
        pattern = phases.spread((healthy, breach, healthy))
        increments = [pattern[i] if i % w == 0 else 0.0 for i in range(len(pattern))]
        values = counter(increments)
        series = self._target(spec, ind, "cluster-a", "replica-0", values)

        def value_at(i: int) -> float | None:
            # younger than the window: Prometheus extrapolates; no test checks it
            return None if i - w < 0 else values[i] - values[i - w]  # type: ignore[operator]

        return series, value_at

    def _labels(self, spec: Spec, ind: IncreaseIndicator, cluster: str, instance: str) -> dict[str, str]:
        labels = base_labels(spec, ind, ind.metric)
        labels.update(at_cluster(spec, cluster))
        labels["instance"] = instance
        for matcher in ind.errors:
            labels[matcher.label] = example_values(spec.metrics[ind.metric], matcher)[0]  # type: ignore[index]
        return labels

    def _target(self, spec: Spec, ind: IncreaseIndicator, cluster: str, instance: str,
                values: list[float | None], up: list[float | None] | None = None) -> Series:
        """One scrape target: the counter and the target's `up` (1 while the counter has a
        sample, unless given)."""
        labels = self._labels(spec, ind, cluster, instance)
        up_labels = {k: v for k, v in labels.items() if k in self.target_labels(spec, ind)}
        up = up if up is not None else [1.0] * len(values)
        return {series_key(ind.metric, labels): values, series_key(UP, up_labels): up}

    def extra_cases(self, spec: Spec, alert: Alert) -> list[ExtraCase]:
        ind = alert.indicator
        assert isinstance(ind, IncreaseIndicator)
        if alert.threshold.op in ("<", "<="):
            return []  # "too few events": no failure counter to mistake for new
        step = self.fixture_step(ind)
        w = ind.window // step
        hold = -(-alert.for_seconds // step)
        healthy, breach = self.sample_values(spec, alert)
        lifetime = breach + 40.0  # an old counter's value: far above the threshold
        kept = self.kept_labels(spec, ind)
        where = {k: v for k, v in self._labels(spec, ind, "cluster-b", "replica-0").items() if k in kept}
        n = 3 * w + hold + 10
        cases = []

        # 1. one failed scrape (up 0, staleness marker): the old counter must not look new
        gap = w + 2
        values: list[float | None] = [lifetime] * n
        values[gap] = STALE
        up: list[float | None] = [1.0] * n
        up[gap] = 0.0
        cases.append(ExtraCase(
            f"{alert.name}: one failed scrape of a counter at {lifetime:g} -> silent at every evaluation",
            self._target(spec, ind, "cluster-b", "replica-0", values, up), step,
            ((gap, None, 0.0), (gap + w, None, 0.0), (n - 1, None, 0.0)), quiet_throughout=True))

        # 2. two replicas in two clusters: the failure counter of replica-1 in cluster-b is
        # born mid-incident with `breach` failures; replica-0 (old counter, a scrape gap) and
        # cluster-a (healthy) add nothing. Fires once, for cluster-b only, with `breach`.
        born = w + 2
        new: list[float | None] = [None] * born + [breach] * (n - born)
        series = self._target(spec, ind, "cluster-b", "replica-1", new, [1.0] * n)
        series.update(self._target(spec, ind, "cluster-b", "replica-0", values, up))
        series.update(self._target(spec, ind, "cluster-a", "replica-0", [healthy] * n))
        checks: list[tuple[int, dict[str, str] | None, float]] = [(born - 1, None, 0.0)]
        if hold:
            checks.append((born + hold - 1, None, 0.0))
        checks += [(born + hold, where, breach), (born + w + 1, None, 0.0)]
        cases.append(ExtraCase(
            f"{alert.name}: failure counter born mid-incident on one replica of cluster-b -> fires for "
            "cluster-b only", series, step, tuple(checks)))

        # 3. counter reset after a restart (one failed scrape, then the counter starts over
        # from 0) and the input vanishing: nothing to count, nothing fires
        reset: list[float | None] = [lifetime] * gap + [STALE] + [0.0] * w + [STALE] + [None] * (n - gap - w - 2)
        up_reset: list[float | None] = [1.0] * gap + [0.0] + [1.0] * w + [0.0] * (n - gap - w - 1)
        cases.append(ExtraCase(
            f"{alert.name}: counter reset by a restart, then the target vanishes -> silent at every evaluation",
            self._target(spec, ind, "cluster-b", "replica-0", reset, up_reset), step,
            ((gap + 1, None, 0.0), (n - 1, None, 0.0)), quiet_throughout=True))
        return cases

    # -- the healthy week ----------------------------------------------------------------------
    def _week_labels(self, spec: Spec, ind: IncreaseIndicator, labels: dict[str, str], hit: bool) -> dict[str, str]:
        out = dict(labels)
        for matcher in ind.errors:
            out[matcher.label] = example_values(spec.metrics[ind.metric], matcher)[0 if hit else 1]  # type: ignore[index]
        return out

    def week_series(self, spec: Spec, ind: Indicator, week: Week) -> Series:
        """Failure counters (of alerted indicators) hold an old total; other counters grow."""
        assert isinstance(ind, IncreaseIndicator)
        alerted = bool(spec.alerts_of(ind))
        series: Series = {}
        for labels in week.series_labels(spec, ind.metric, ind.by):
            series[series_key(ind.metric, self._week_labels(spec, ind, labels, True))] = (
                week.constant(WEEK_OLD_TOTAL) if alerted else week.steady(WEEK_EVENTS, WEEK_OLD_TOTAL))
            if ind.errors:
                ok = self._week_labels(spec, ind, labels, False)
                series[series_key(ind.metric, ok)] = week.steady(WEEK_EVENTS)
        return series

    def week_blip(self, spec: Spec, ind: Indicator, week: Week, series: Series, at: int) -> Blip | None:
        """Transient failures: as many at once as the first alert tolerates (none when any pages)."""
        assert isinstance(ind, IncreaseIndicator)
        alerts = spec.alerts_of(ind)
        first = next((a for a in alerts if a.threshold.op in (">", ">=")), None)
        if first is None:
            return None
        count = self.sample_values(spec, first)[0]
        if count <= 0:
            return None
        target = week.targets(spec, ind.metric, week.blipped)[0]
        by = label_combinations(spec, ind.metric, ind.by)[0]
        labels = self._week_labels(spec, ind, {**target, **by}, True)
        bump(series[series_key(ind.metric, labels)], at, [count])
        w = ind.window // week.step
        pending, pages = judge_blip(alerts, lambda a, i: a.threshold.breached_by(count if at <= i <= at + w else 0),
                                    at, at + w + 2, week.step)
        where = self.kept_only(spec, ind, labels)
        return Blip(f"{ind.title}: {count:g} at once on {target['instance']} in {target.get('cluster', '')}", at,
                    self.crossing(spec, ind, where, ">=", count), at, where,
                    tuple((a, dict(where)) for a in pending), at + w + 2, tuple(pages))




WEEK_OLD_TOTAL = 2.0  # a failure counter's total from before the week: must never count again
WEEK_EVENTS = 5.0  # per sample, counters that grow
