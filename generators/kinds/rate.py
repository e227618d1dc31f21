"""rate: per-second rate of a counter; with `baseline_offset`, also the same rate that long
ago, and alerts judge current / baseline (a drop).

Without a baseline an alert judges the rate itself against an absolute floor (e.g. `<= 0`:
the flow stopped). That works from the first day, when no baseline exists yet. A counter
that vanished while its job's targets are up reads 0 too, so a stop that takes the
series with it is not "no data".
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar

from generators import naming
from generators.durations import format_duration
from generators.kinds.base import (
    STALE,
    ExtraCase,
    InfeasibleThreshold,
    Kind,
    Phases,
    Recording,
    Series,
    ValueAt,
    at_cluster,
    base_labels,
    counter,
    fixture_step,
    for_text,
    near,
    parse_window,
    rate_at,
    series_key,
    threshold_text,
)
from generators.kinds.ratio import parse_min_rate
from generators.loader.checker import Checker
from generators.loader.source import LineMap
from generators.model import Alert, Indicator, Metric, Spec, Unit
from generators.promql import agg, on, selector
from generators.templating import Part, Text, Value

MAX_BASELINE_OFFSET = 28 * 86400


@dataclass(frozen=True, kw_only=True)
class RateIndicator(Indicator):
    kind: ClassVar[str] = "rate"
    metric_fields: ClassVar[tuple[str, ...]] = ("metric",)
    metric: str
    window: int
    baseline_offset: int = 0


class Rate(Kind):
    name = "rate"
    model = RateIndicator
    summary = "per-second rate of a counter, optionally against the same rate a while ago"
    required = ("metric", "window")
    optional = ("baseline_offset",)
    metric_types: ClassVar[dict[str, str]] = {"metric": "counter"}
    unit = "per_second"
    ops = ("<", "<=")
    alert_options = ("min_rate",)
    triage = (
        "Check whether the platform is up (PlatformDown / HealthCheckFailing) and whether "
        "clients get errors (APIErrorRateHigh).",
        "Compare with the baseline curve on the panel: a holiday or a known customer "
        "change explains a drop; silence from one large customer is worth a call.",
        "Check the ingestion queue and the client-facing endpoint for rejected traffic.",
    )

    def parse_fields(self, c: Checker, m: LineMap, path: str, fields: dict[str, Any],
                     metrics: dict[str, Metric]) -> dict[str, Any] | None:
        window = parse_window(c, m, path)
        offset = 0
        if "baseline_offset" in m:
            offset = parse_window(c, m, path, "baseline_offset", MAX_BASELINE_OFFSET) or 0
            if not offset:
                return None
        if window is None:
            return None
        return {"window": window, "baseline_offset": offset}

    def parse_alert_options(self, c: Checker, m: LineMap, path: str, ind: Indicator,
                            metrics: dict[str, Metric]) -> dict[str, Any] | None:
        assert isinstance(ind, RateIndicator)
        if not ind.baseline_offset:
            if "min_rate" in m:
                c.error(m.key_lines["min_rate"], f"{path}.min_rate",
                        f"min_rate guards a baseline and indicators.{ind.key} has none (the alert judges "
                        "the rate itself); remove min_rate or give the indicator a baseline_offset")
                return None
            return {}
        return parse_min_rate(c, m, path)

    def windows(self, ind: Indicator) -> dict[str, int]:
        return {"window": ind.window}  # type: ignore[attr-defined]

    def threshold_unit(self, ind: Indicator) -> Unit:
        # current / baseline for a drop alert; the rate itself without a baseline (a floor)
        return "ratio" if ind.baseline_offset else "per_second"  # type: ignore[attr-defined]

    def sample_values(self, spec: Spec, alert: Alert) -> tuple[float, float]:
        if not _baseline(alert):
            return near(alert.threshold, 1.0, 0.0, math.inf, "per_second")
        if alert.threshold.value > 1:
            raise InfeasibleThreshold("a rate alert detects a drop: the threshold is the share of the "
                                      "baseline, at most 1 (e.g. 0.5 for a 50% drop)")
        return near(alert.threshold, 0.01, 0.0, 1.0, "ratio")

    # -- rules -------------------------------------------------------------------------------
    def series_name(self, spec: Spec, ind: Indicator) -> str:
        assert isinstance(ind, RateIndicator)
        return naming.recorded(self.kept_labels(spec, ind), ind.metric, naming.windowed("rate", ind.window))

    def baseline_name(self, spec: Spec, ind: RateIndicator) -> str:
        return f"{self.series_name(spec, ind)}_offset{format_duration(ind.baseline_offset)}"

    def recordings(self, spec: Spec, ind: Indicator) -> list[Recording]:
        assert isinstance(ind, RateIndicator)
        labels = self.kept_labels(spec, ind)
        w = format_duration(ind.window)
        sel = selector(spec, ind.metric)
        current = Recording(self.series_name(spec, ind), agg("sum", labels, f"rate({sel}[{w}])"))
        if not ind.baseline_offset:
            return [current]
        offset = format_duration(ind.baseline_offset)
        baseline = agg("sum", labels, f"rate({sel}[{w}] offset {offset})")
        return [current, Recording(self.baseline_name(spec, ind), baseline)]

    def alert_expr(self, spec: Spec, alert: Alert) -> str:
        ind = alert.indicator
        assert isinstance(ind, RateIndicator)
        labels = self.kept_labels(spec, ind)
        if not ind.baseline_offset:
            expr = super().alert_expr(spec, alert)
            if ind.by or not alert.threshold.breached_by(0.0):
                return expr
            # the counter gone while its job is up is a stop too, not "no data"
            up = agg("count", labels, f"{UP}{{{selector(spec, ind.metric).partition('{')[2]} == 1")
            return f"{expr}\nor {on(labels)}\n({up} * 0\nunless {on(labels)}\n{self.series_name(spec, ind)})"
        base = self.baseline_name(spec, ind)
        return (f"({self.series_name(spec, ind)} / {on(labels)} {base}) {threshold_text(alert.threshold)}\n"
                f"and {on(labels)}\n{base} >= {alert.min_rate:g}")

    def detection(self, spec: Spec, alert: Alert) -> str:
        ind = alert.indicator
        w = format_duration(ind.window)  # type: ignore[attr-defined]
        if not _baseline(alert):
            return f"A stop: the {w} rate reaches 0 {w} after the last event, then {for_text(alert)}."
        return (f"A complete stop: the {w} rate falls under {alert.threshold.value:g} of the baseline after about "
                f"half the window, then {for_text(alert)}.")

    def ignores(self, spec: Spec, alert: Alert) -> tuple[str, ...]:
        ind = alert.indicator
        if not _baseline(alert):
            return ("the counter vanishing together with its targets: PlatformDown pages for that",
                    "slow traffic that never reaches zero (the drop alert judges it against last week)")
        offset = format_duration(ind.baseline_offset)  # type: ignore[attr-defined]
        return (f"no baseline: the first {offset} of a deployment, a relabel, a gap in history",
                f"a baseline under {alert.min_rate:g} events/s: nothing to compare with",
                "a complete stop from the first day: IngestionStopped judges a floor instead")

    def describe(self, spec: Spec, alert: Alert) -> list[Part]:
        ind = alert.indicator
        assert isinstance(ind, RateIndicator)
        if not ind.baseline_offset:
            return [Text(f"{ind.title} is "), Value("per_second"),
                    Text(f" over the last {format_duration(ind.window)}")]
        return [Text(f"{ind.title} is at "), Value("ratio"),
                Text(f" of the rate {format_duration(ind.baseline_offset)} earlier "
                     f"(both over {format_duration(ind.window)})")]

    # -- generated tests -----------------------------------------------------------------------
    def fixture_step(self, ind: Indicator) -> int:
        assert isinstance(ind, RateIndicator)
        # a week of 1m samples makes promtool slow; 5m steps when the windows allow
        return fixture_step((ind.window, ind.baseline_offset), long_history=ind.baseline_offset >= 86400)

    def history_steps(self, alert: Alert, step: int) -> int:
        return alert.indicator.baseline_offset // step  # type: ignore[attr-defined]

    def _target(self, spec: Spec, ind: RateIndicator, cluster: str, values: list[float | None],
                up: list[float | None]) -> Series:
        labels = base_labels(spec, ind, ind.metric)
        labels.update(at_cluster(spec, cluster))
        labels["instance"] = "replica-0"
        up_labels = {k: v for k, v in labels.items() if k not in ind.by}
        return {series_key(ind.metric, labels): values, series_key(UP, up_labels): up}

    def _floor_fixture(self, spec: Spec, alert: Alert, phases: Phases) -> tuple[Series, ValueAt]:
        ind = alert.indicator
        assert isinstance(ind, RateIndicator)
        step = phases.step
        healthy, breach = self.sample_values(spec, alert)
        values = counter(phases.spread((healthy * step, breach * step, healthy * step)))
        series = self._target(spec, ind, "cluster-a", values, [1.0] * len(values))
        return series, lambda i: rate_at(values, i, ind.window // step, step)

    def extra_cases(self, spec: Spec, alert: Alert) -> list[ExtraCase]:
        ind = alert.indicator
        assert isinstance(ind, RateIndicator)
        if ind.baseline_offset or ind.by or not alert.threshold.breached_by(0.0):
            return []
        step = self.fixture_step(ind)
        w = ind.window // step
        hold = -(-alert.for_seconds // step)
        healthy, _ = self.sample_values(spec, alert)
        n = 2 * w + hold + 8
        stop = w + 2
        flowing = counter([healthy * step] * n)
        kept = self.kept_labels(spec, ind)
        labels = {**base_labels(spec, ind, ind.metric), **at_cluster(spec, "cluster-b")}
        where = {k: v for k, v in labels.items() if k in kept}
        # 1. cluster-b's counter vanishes (stale, then nothing) while its targets stay up; a
        # failed scrape in cluster-a changes nothing there
        gone: list[float | None] = [*flowing[:stop], STALE, *([None] * (n - stop - 1))]
        gap: list[float | None] = list(flowing)
        gap[stop] = STALE
        gap_up: list[float | None] = [1.0] * n
        gap_up[stop] = 0.0
        series = self._target(spec, ind, "cluster-b", gone, [1.0] * n)
        series.update(self._target(spec, ind, "cluster-a", gap, gap_up))
        checks: list[tuple[int, Any, float]] = [(stop - 1, None, 0.0), (stop + w + hold + 1, where, 0.0)]
        cases = [ExtraCase(f"{alert.name}: cluster-b's counter vanishes while its targets are up, cluster-a "
                           "has a failed scrape -> fires for cluster-b only", series, step, tuple(checks))]
        # 2. the whole target gone (platform down): PlatformDown's page, not a second one here
        series = self._target(spec, ind, "cluster-b", gone, [*([1.0] * stop), STALE, *([None] * (n - stop - 1))])
        # (from the second sample: at the first one no rate exists yet while the target is up,
        # which is one pending evaluation, never a page)
        cases.append(ExtraCase(f"{alert.name}: counter and target vanish together -> silent at every evaluation",
                               series, step, ((n - 1, None, 0.0),), quiet_throughout=True, quiet_from=1))
        return cases

    def fixture(self, spec: Spec, alert: Alert, phases: Phases) -> tuple[Series, ValueAt]:
        ind = alert.indicator
        assert isinstance(ind, RateIndicator)
        if not ind.baseline_offset:
            return self._floor_fixture(spec, alert, phases)
        assert alert.min_rate is not None
        step = phases.step
        per_step = 1000 * max(1, math.ceil(alert.min_rate * step * 10 / 1000))
        history = ind.baseline_offset // step
        healthy, breach = self.sample_values(spec, alert)
        # the history phase (the baseline) runs at per_step; the test phases at a fraction of it
        shape = Phases(phases.healthy - history, phases.breach, phases.recovery, step)
        increments = [float(per_step)] * history + shape.spread(
            (per_step * healthy, per_step * breach, per_step * healthy))
        values = counter(increments)
        series: Series = {series_key(ind.metric, base_labels(spec, ind, ind.metric)): values}
        w, min_rate = ind.window // step, alert.min_rate

        def value_at(i: int) -> float | None:
            current = rate_at(values, i, w, step)
            base = rate_at(values, i - history, w, step) if i - history >= 0 else None
            if current is None or base is None or base < min_rate:
                return None
            return current / base

        return series, value_at

    # -- dashboards ------------------------------------------------------------------------
    def draws_threshold(self, alert: Alert) -> bool:
        return not _baseline(alert)  # a baseline's line moves with it: drawn by reference_lines

    def reference_lines(self, spec: Spec, alert: Alert,
                        filtered: Callable[[str], str]) -> list[tuple[str, str]]:
        ind = alert.indicator
        assert isinstance(ind, RateIndicator)
        if not ind.baseline_offset:
            return []
        v = alert.threshold.value
        legend = f"{alert.name} line ({v:g} x {format_duration(ind.baseline_offset)} ago)"
        return [(f"{filtered(self.baseline_name(spec, ind))} * {v:g}", legend)]


UP = "up"


def _baseline(alert: Alert) -> bool:
    return bool(alert.indicator.baseline_offset)  # type: ignore[attr-defined]
