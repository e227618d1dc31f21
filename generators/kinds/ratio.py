"""ratio: the share of failing events of a counter (errors: a matcher of the failing series).

`measure` says whether the success ratio or the error ratio is recorded. A never-seen
error series counts as zero errors, never as "no data". Rules read the raw counter once:
one rate split by the labels the error matcher needs, from which the total and the ratio
are derived.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, ClassVar, Literal

from generators import naming
from generators.kinds.base import (
    InfeasibleThreshold,
    Kind,
    Phases,
    Recording,
    Series,
    ValueAt,
    base_labels,
    counter,
    example_values,
    near,
    parse_matchers,
    parse_window,
    rate_at,
    series_key,
    threshold_text,
)
from generators.loader.checker import Checker
from generators.loader.source import LineMap
from generators.model import Alert, Indicator, Matcher, Metric, Spec
from generators.promql import agg, on, selector, series_selector
from generators.templating import Part, Text, Value


@dataclass(frozen=True, kw_only=True)
class RatioIndicator(Indicator):
    kind: ClassVar[str] = "ratio"
    metric_fields: ClassVar[tuple[str, ...]] = ("metric",)
    metric: str
    errors: tuple[Matcher, ...]
    window: int
    measure: Literal["success_ratio", "error_ratio"] = "success_ratio"


class Ratio(Kind):
    name = "ratio"
    model = RatioIndicator
    summary = "share of failing (or succeeding) events of a counter"
    required = ("metric", "errors", "window")
    optional = ("measure",)
    metric_types: ClassVar[dict[str, str]] = {"metric": "counter"}
    unit = "ratio"
    alert_options = ("min_rate",)
    triage = (
        "Open the dashboard panel: is the drop in success sudden (deploy, dependency) or gradual?",
        "Split the failures by their labels in Prometheus (e.g. `sum by (route, code)` or "
        "`sum by (provider)`) to find the part that fails.",
        "Check the platform's ERROR logs for the same window; roll back a recent deploy if "
        "the failures started with it.",
    )

    def parse_fields(self, c: Checker, m: LineMap, path: str, fields: dict[str, Any],
                     metrics: dict[str, Metric]) -> dict[str, Any] | None:
        errors = parse_errors(c, m, path, metrics[fields["metric"]], required=True)
        window = parse_window(c, m, path)
        measure = c.value(m, "measure", path, str, "success_ratio", lambda v: None if v in (
            "success_ratio", "error_ratio") else "must be success_ratio or error_ratio")
        if errors is None or window is None:
            return None
        split = sorted({m.label for m in errors} & set(fields["by"]))
        if split:
            c.error(m.key_lines["by"], f"{path}.by", f"{', '.join(split)} is read by the errors matcher; a ratio "
                    "split by it would be 0 or 1 per series; drop it from by")
            return None
        return {"errors": errors, "window": window, "measure": measure}

    def parse_alert_options(self, c: Checker, m: LineMap, path: str, ind: Indicator,
                            metrics: dict[str, Metric]) -> dict[str, Any] | None:
        return parse_min_rate(c, m, path)

    def windows(self, ind: Indicator) -> dict[str, int]:
        return {"window": ind.window}  # type: ignore[attr-defined]

    def sample_values(self, spec: Spec, alert: Alert) -> tuple[float, float]:
        healthy, breach = near(alert.threshold, 0.01, 0.0, 1.0, "ratio")
        per_step = _events_per_step(alert, self.fixture_step(alert.indicator))
        to_error = _to_error(alert.indicator)  # type: ignore[arg-type]
        realised = [to_error(round(per_step * to_error(v)) / per_step) for v in (healthy, breach)]
        # the fixture counts whole events: make sure rounding kept each side of the line
        if alert.threshold.breached_by(realised[0]) or not alert.threshold.breached_by(realised[1]):
            raise InfeasibleThreshold(f"{alert.threshold.value:g} is finer than 1/{per_step}, the resolution "
                                      "of the generated tests; round it")
        return healthy, breach

    # -- rules -------------------------------------------------------------------------------
    def split_labels(self, spec: Spec, ind: RatioIndicator) -> tuple[str, ...]:
        """Labels of the one rate of the raw counter: the kept ones plus those the error
        matcher reads (so errors and total both derive from it)."""
        return tuple(dict.fromkeys((*self.kept_labels(spec, ind), *(m.label for m in ind.errors))))

    def total_rate_name(self, spec: Spec, ind: RatioIndicator) -> str:
        return naming.recorded(self.kept_labels(spec, ind), ind.metric, naming.windowed("rate", ind.window))

    def series_name(self, spec: Spec, ind: Indicator) -> str:
        assert isinstance(ind, RatioIndicator)
        return naming.recorded(self.kept_labels(spec, ind), ind.metric,
                               naming.windowed(f"{ind.measure}_rate", ind.window))

    def recordings(self, spec: Spec, ind: Indicator) -> list[Recording]:
        assert isinstance(ind, RatioIndicator)
        kept = self.kept_labels(spec, ind)
        split = self.split_labels(spec, ind)
        w = naming.windowed("rate", ind.window)
        raw = f"rate({selector(spec, ind.metric)}[{w.removeprefix('rate')}])"
        total_name = self.total_rate_name(spec, ind)
        out = []
        if split != kept:
            split_name = naming.recorded(split, ind.metric, w)
            out.append(Recording(split_name, agg("sum", split, raw)))
            out.append(Recording(total_name, agg("sum", kept, split_name)))
            errors = agg("sum", kept, series_selector(split_name, ind.errors))
        else:  # the error labels are kept anyway: the total's own series carry them
            out.append(Recording(total_name, agg("sum", kept, raw)))
            errors = agg("sum", kept, series_selector(total_name, ind.errors))
        # A never-seen error series is zero errors, not "no data": `or total * 0`.
        error_ratio = f"({errors}\n  or\n{total_name} * 0\n)\n/\n{total_name}"
        expr = error_ratio if ind.measure == "error_ratio" else f"1 - (\n{error_ratio}\n)"
        out.append(Recording(self.series_name(spec, ind), expr))
        return out

    def alert_expr(self, spec: Spec, alert: Alert) -> str:
        ind = alert.indicator
        assert isinstance(ind, RatioIndicator)
        labels = self.kept_labels(spec, ind)
        return (f"{self.alert_series(spec, alert)} {threshold_text(alert.threshold)}\nand {on(labels)}\n"
                f"{self.total_rate_name(spec, ind)} >= {alert.min_rate:g}")

    def describe(self, spec: Spec, alert: Alert) -> list[Part]:
        w = naming.windowed("", alert.indicator.window)  # type: ignore[attr-defined]
        return [Text(f"{alert.indicator.title} is "), Value("ratio"), Text(f" over the last {w}")]

    # -- generated tests -----------------------------------------------------------------------
    def fixture(self, spec: Spec, alert: Alert, phases: Phases) -> tuple[Series, ValueAt]:
        ind = alert.indicator
        assert isinstance(ind, RatioIndicator) and alert.min_rate is not None
        step = phases.step
        per_step = _events_per_step(alert, step)
        healthy, breach = self.sample_values(spec, alert)
        to_error = _to_error(ind)
        errors = phases.spread(tuple(round(per_step * to_error(v)) for v in (healthy, breach, healthy)))
        labels = base_labels(spec, ind, ind.metric)
        error_labels, ok_labels = dict(labels), dict(labels)
        metric = spec.metrics[ind.metric]
        for matcher in ind.errors:
            hit, miss = example_values(metric, matcher)  # type: ignore[misc]
            error_labels[matcher.label], ok_labels[matcher.label] = hit, miss
        err = counter(errors)
        ok = counter([per_step - e for e in errors])
        series: Series = {series_key(ind.metric, ok_labels): ok, series_key(ind.metric, error_labels): err}
        w = ind.window // step
        min_rate = alert.min_rate

        def value_at(i: int) -> float | None:
            e, o = rate_at(err, i, w, step), rate_at(ok, i, w, step)
            if e is None or o is None:
                return None
            total = e + o
            if total < min_rate:
                return None
            ratio = e / total
            return ratio if ind.measure == "error_ratio" else 1 - ratio

        return series, value_at


def _events_per_step(alert: Alert, step: int) -> int:
    assert alert.min_rate is not None
    return 1000 * max(1, math.ceil(alert.min_rate * step * 10 / 1000))


def _to_error(ind: RatioIndicator) -> Any:
    return (lambda v: v) if ind.measure == "error_ratio" else (lambda v: round(1 - v, 6))


def parse_errors(c: Checker, m: LineMap, path: str, metric: Metric, required: bool) -> tuple[Matcher, ...] | None:
    """The `errors` matcher list, checked against the catalogue: the fixtures need a label
    value it selects and one it does not."""
    if "errors" not in m:
        return () if not required else None
    text = c.text(m, "errors", path)
    if not text:
        return None
    parsed = parse_matchers(text)
    field = f"{path}.errors"
    if isinstance(parsed, str):
        c.error(m.key_lines["errors"], field, parsed)
        return None
    for matcher in parsed:
        if matcher.label not in metric.labels:
            c.error(m.key_lines["errors"], field, f"label {matcher.label!r} is not a label of {metric.name} "
                    f"in the catalogue (known: {', '.join(sorted(metric.labels)) or 'none'})")
            return None
        if not example_values(metric, matcher):
            c.error(m.key_lines["errors"], field,
                    f"no value of {metric.name}'s label {matcher.label!r} in the catalogue matches and "
                    f"another does not; add example values to metrics.{metric.name}.labels.{matcher.label}")
            return None
    return parsed


def parse_min_rate(c: Checker, m: LineMap, path: str) -> dict[str, Any] | None:
    if "min_rate" not in m:
        c.error(m.line, path, "ratio and rate alerts need min_rate (events/s below which the alert does "
                "not judge), so tiny traffic cannot page on one failure")
        return None
    value = c.number(m, "min_rate", path, check=lambda v: None if 0 <= v <= 1e6
                     else "must be between 0 and 1000000 events/s")
    return None if value is None else {"min_rate": value}
