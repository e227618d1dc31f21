"""PromQL for every indicator: recording rules and the series alerts and panels read.

Rules and dashboards both import from here, so a panel queries exactly the recorded
series its alert evaluates. Conventions: recording names are level:metric:operations
(the level names the labels kept), aggregations keep settings.aggregation_labels, and
every selector comes from settings.selectors.
"""

from __future__ import annotations

from dataclasses import dataclass

from generators.model import Alert, Indicator, Matcher, Spec
from generators.spec import format_duration


@dataclass(frozen=True)
class Recording:
    record: str
    expr: str
    labels: tuple[tuple[str, str], ...] = ()


def _selector(spec: Spec, metric: str, extra: tuple[Matcher, ...] = (), suffix: str = "") -> str:
    pairs = [Matcher(k, "=", v) for k, v in spec.selector_labels(metric)]
    body = ",".join(m.render() for m in (*pairs, *extra))
    return f"{metric}{suffix}{{{body}}}"


def kept_labels(spec: Spec, ind: Indicator) -> tuple[str, ...]:
    """The labels an indicator's recorded series keep."""
    labels = (*spec.settings.aggregation_labels, *ind.by)
    if ind.kind == "availability":
        # keep the job so that several availability indicators of `up` never collide
        labels = (*labels, *(k for k, _ in spec.selector_labels(ind.metric)))
    return tuple(dict.fromkeys(labels))


def _level(spec: Spec, ind: Indicator) -> str:
    return "_".join(kept_labels(spec, ind)) or "global"


def _agg(fn: str, labels: tuple[str, ...], expr: str) -> str:
    by = f" by ({', '.join(labels)})" if labels else ""
    return f"{fn}{by} ({expr})"


def _on(labels: tuple[str, ...]) -> str:
    return f"on ({', '.join(labels)})"


def _base(metric: str) -> str:
    return metric.removesuffix("_total")


def _errors_tag(ind: Indicator) -> str:
    if len(ind.errors) == 1 and ind.errors[0].op == "=":
        return ind.errors[0].value
    return "errors" if ind.errors else ""


def series_name(spec: Spec, ind: Indicator) -> str:
    """Name of the recorded series that carries the indicator's headline value."""
    level, w = _level(spec, ind), format_duration(ind.window)
    return {
        "ratio": f"{level}:{_base(ind.metric)}:{ind.measure}_rate{w}",
        "quantile": f"{level}_quantile:{ind.metric}:histogram_quantile_rate{w}",
        "rate": f"{level}:{_base(ind.metric)}:rate{w}",
        "increase": f"{level}:{_base(ind.metric)}:{_errors_tag(ind) + '_' if ind.errors else ''}increase{w}",
        "gauge_ratio": f"{level}:{ind.numerator}:ratio",
        "gauge": f"{level}:{ind.metric}:{ind.aggregation}",
        "availability": f"{level}:{ind.metric}:avg",
        "run_duration": f"{level}:{ind.in_progress}:running_seconds",
        "overdue": f"{level}:{ind.pending}:overdue",
    }[ind.kind]


def total_rate_name(spec: Spec, ind: Indicator) -> str:
    """ratio indicators: the recorded rate of all events (the min_rate guard and panels)."""
    return f"{_level(spec, ind)}:{_base(ind.metric)}:rate{format_duration(ind.window)}"


def baseline_name(spec: Spec, ind: Indicator) -> str:
    """rate indicators: the recorded rate `baseline_offset` ago."""
    return f"{series_name(spec, ind)}_offset{format_duration(ind.baseline_offset)}"


def recordings(spec: Spec, ind: Indicator) -> list[Recording]:
    labels = kept_labels(spec, ind)
    w = format_duration(ind.window)
    name = series_name(spec, ind)
    if ind.kind == "ratio":
        total = _agg("sum", labels, f"rate({_selector(spec, ind.metric)}[{w}])")
        errors = _agg("sum", labels, f"rate({_selector(spec, ind.metric, ind.errors)}[{w}])")
        # A never-seen error series is zero errors, not "no data": `or total * 0`.
        error_ratio = f"({errors}\n  or\n{total} * 0\n)\n/\n{total}"
        expr = error_ratio if ind.measure == "error_ratio" else f"1 - (\n{error_ratio}\n)"
        return [Recording(total_rate_name(spec, ind), total), Recording(name, expr)]
    if ind.kind == "quantile":
        by_le = (*labels, "le")
        buckets = _agg("sum", by_le, f"rate({_selector(spec, ind.metric, suffix='_bucket')}[{w}])")
        return [
            Recording(name, f"histogram_quantile({q:g}, {buckets})", (("quantile", f"{q:g}"),))
            for q in ind.quantiles
        ]
    if ind.kind == "rate":
        offset = format_duration(ind.baseline_offset)
        sel = _selector(spec, ind.metric)
        current = Recording(name, _agg("sum", labels, f"rate({sel}[{w}])"))
        if not ind.baseline_offset:
            return [current]
        baseline = _agg("sum", labels, f"rate({sel}[{w}] offset {offset})")
        return [current, Recording(baseline_name(spec, ind), baseline)]
    if ind.kind == "increase":
        sel = _selector(spec, ind.metric, ind.errors)
        # increase() cannot see the first increment of a series born inside the window
        # (a failure counter that appears with its first failure). Such a series is
        # counted by its current value; `* 1` drops the metric name so `or` matches.
        expr = _agg("sum", labels, f"({sel} unless {sel} offset {w}) * 1\n  or\nincrease({sel}[{w}])")
        return [Recording(name, expr)]
    if ind.kind == "gauge_ratio":
        num = _agg("sum", labels, _selector(spec, ind.numerator))
        den = _agg("sum", labels, _selector(spec, ind.denominator))
        return [Recording(name, f"{num}\n/\n{den}")]
    if ind.kind == "gauge":
        return [Recording(name, _agg(ind.aggregation, labels, _selector(spec, ind.metric)))]
    if ind.kind == "availability":
        return [Recording(name, _agg("avg", labels, _selector(spec, ind.metric)))]
    if ind.kind == "run_duration":
        elapsed = f"(time() - {_selector(spec, ind.started)}) * {_selector(spec, ind.in_progress)}"
        return [Recording(name, _agg("max", labels, elapsed))]
    if ind.kind == "overdue":
        pending = _agg("max", labels, _selector(spec, ind.pending))
        past = _agg("max", labels, f"time() >= bool {_selector(spec, ind.deadline)}")
        return [Recording(name, f"{pending}\n* {_on(labels)}\n{past}")]
    raise ValueError(f"no recording rules for kind {ind.kind}")


def alert_series(spec: Spec, ind: Indicator, quantile: float | None = None) -> str:
    """The selector of the recorded series an alert or a panel reads."""
    name = series_name(spec, ind)
    if ind.kind == "quantile" and quantile is not None:
        return f'{name}{{quantile="{quantile:g}"}}'
    if ind.kind == "availability":
        return _selector_on(name, spec.selector_labels(ind.metric))
    return name


def _selector_on(name: str, pairs: tuple[tuple[str, str], ...]) -> str:
    return name + "{" + ",".join(Matcher(k, "=", v).render() for k, v in pairs) + "}"


def alert_expr(spec: Spec, alert: Alert) -> str:
    ind = alert.indicator
    labels = kept_labels(spec, ind)
    t = alert.threshold
    value = f"{t.op} {t.value:g}"
    if ind.kind == "ratio":
        return (f"{alert_series(spec, ind)} {value}\nand {_on(labels)}\n"
                f"{total_rate_name(spec, ind)} >= {alert.min_rate:g}")
    if ind.kind == "rate":
        base = baseline_name(spec, ind)
        return (f"({series_name(spec, ind)} / {_on(labels)} {base}) {value}\n"
                f"and {_on(labels)}\n{base} >= {alert.min_rate:g}")
    expr = f"{alert_series(spec, ind, alert.quantile)} {value}"
    if alert.absent:
        # absent() is 1; `* 0` makes the value read as "0% of targets up", which is true.
        expr += f"\nor\nabsent({_selector(spec, ind.metric)}) * 0"
    return expr
