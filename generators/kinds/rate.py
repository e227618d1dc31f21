"""rate: per-second rate of a counter; with `baseline_offset`, also the same rate that long
ago, and alerts judge current / baseline (a drop)."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar

from generators import naming
from generators.durations import format_duration
from generators.kinds.base import (
    InfeasibleThreshold,
    Kind,
    Phases,
    Recording,
    Series,
    ValueAt,
    base_labels,
    counter,
    fixture_step,
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
            c.error(m.key_lines.get("indicator", m.line), f"{path}.indicator",
                    f"a rate alert compares with a baseline; give indicators.{ind.key} a "
                    "baseline_offset (e.g. 1w)")
            return None
        return parse_min_rate(c, m, path)

    def windows(self, ind: Indicator) -> dict[str, int]:
        return {"window": ind.window}  # type: ignore[attr-defined]

    def threshold_unit(self, ind: Indicator) -> Unit:
        return "ratio"  # current / baseline

    def sample_values(self, spec: Spec, alert: Alert) -> tuple[float, float]:
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
        base = self.baseline_name(spec, ind)
        return (f"({self.series_name(spec, ind)} / {on(labels)} {base}) {threshold_text(alert.threshold)}\n"
                f"and {on(labels)}\n{base} >= {alert.min_rate:g}")

    def describe(self, spec: Spec, alert: Alert) -> list[Part]:
        ind = alert.indicator
        assert isinstance(ind, RateIndicator)
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

    def fixture(self, spec: Spec, alert: Alert, phases: Phases) -> tuple[Series, ValueAt]:
        ind = alert.indicator
        assert isinstance(ind, RateIndicator) and alert.min_rate is not None
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
        return False  # the line moves with the baseline: drawn by reference_lines

    def reference_lines(self, spec: Spec, alert: Alert,
                        filtered: Callable[[str], str]) -> list[tuple[str, str]]:
        ind = alert.indicator
        assert isinstance(ind, RateIndicator)
        v = alert.threshold.value
        legend = f"{alert.name} line ({v:g} x {format_duration(ind.baseline_offset)} ago)"
        return [(f"{filtered(self.baseline_name(spec, ind))} * {v:g}", legend)]
