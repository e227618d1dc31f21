"""increase: events counted over `window` (optionally only the series matching `errors`).

A series that appears for the first time inside the window is counted too: increase()
alone misses a failure counter's first failure.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, ClassVar

from generators import naming
from generators.durations import format_duration
from generators.kinds.base import (
    Kind,
    Phases,
    Recording,
    Series,
    ValueAt,
    base_labels,
    counter,
    example_values,
    near_candidates,
    parse_window,
    series_key,
)
from generators.kinds.ratio import parse_errors
from generators.loader.checker import Checker
from generators.loader.source import LineMap
from generators.model import Alert, Indicator, Matcher, Metric, Spec
from generators.promql import agg, selector
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

    def recordings(self, spec: Spec, ind: Indicator) -> list[Recording]:
        assert isinstance(ind, IncreaseIndicator)
        sel = selector(spec, ind.metric, ind.errors)
        w = format_duration(ind.window)
        # increase() cannot see the first increment of a series born inside the window
        # (a failure counter that appears with its first failure). Such a series is
        # counted by its current value; `* 1` drops the metric name so `or` matches.
        expr = agg("sum", self.kept_labels(spec, ind), f"({sel} unless {sel} offset {w}) * 1\n  or\n"
                   f"increase({sel}[{w}])")
        return [Recording(self.series_name(spec, ind), expr)]

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
        # (the first burst is the series' initial value: a young series counts as a whole)
        pattern = phases.spread((healthy, breach, healthy))
        increments = [pattern[i] if i % w == 0 else 0.0 for i in range(len(pattern))]
        labels = base_labels(spec, ind, ind.metric)
        for matcher in ind.errors:
            labels[matcher.label] = example_values(spec.metrics[ind.metric], matcher)[0]  # type: ignore[index]
        values = counter(increments)
        series: Series = {series_key(ind.metric, labels): values}

        def value_at(i: int) -> float | None:
            if i - w < 0:
                return values[i]  # the series is younger than the window: its whole value counts
            return values[i] - values[i - w]  # type: ignore[operator]

        return series, value_at
