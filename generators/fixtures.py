"""Synthetic series for each indicator kind, and an oracle of the value they produce.

For an alert, `build_fixture` lays out input series in three phases: healthy just on the
safe side of the threshold, breach just across it, healthy again. `Fixture.value_at`
evaluates the indicator on those series with PromQL's arithmetic (rate over a range whose
ends hold samples is (last - first) / range, histogram_quantile interpolates inside the
bucket, ...), so the test generator can find when the alert becomes pending, when it
fires, what its description says, and when it resolves, without a Prometheus at build time.
promtool then checks every one of those claims.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field

from generators import promql
from generators.model import Alert, Indicator, Spec
from generators.spec import example_values

STEP_FOR_LONG_BASELINE = 300  # seconds: a week of 1m samples makes promtool slow

Series = dict[tuple[tuple[str, str], ...], list[float | None]]


@dataclass
class Fixture:
    step: int  # seconds between samples and between rule evaluations
    series: Series
    breach_start: int  # first sample index of the breach phase
    recovery_start: int
    end: int  # number of samples
    value_at: Callable[[int], float | None]  # indicator value at sample index (None = no data)
    window_steps: int
    alert_labels: dict[str, str] = field(default_factory=dict)


def _base_labels(spec: Spec, ind: Indicator, metric: str) -> dict[str, str]:
    labels = dict(spec.selector_labels(metric))
    for label in spec.settings.aggregation_labels:
        labels[label] = f"{label}-a"
    for label in ind.by:
        labels[label] = spec.metrics[metric].labels[label][0]
    return labels


def _key(name: str, labels: dict[str, str]) -> tuple[tuple[str, str], ...]:
    return (("__name__", name), *sorted(labels.items()))


def _counter(increments: list[float]) -> list[float | None]:
    values: list[float | None] = []
    total = 0.0
    for inc in increments:
        total += inc
        values.append(total)
    return values


def _phases(lengths: tuple[int, int, int], values: tuple[float, float, float]) -> list[float]:
    out: list[float] = []
    for n, v in zip(lengths, values, strict=True):
        out += [v] * n
    return out


def step_for(ind: Indicator) -> int:
    return STEP_FOR_LONG_BASELINE if ind.baseline_offset >= 86400 else 60


def _delta(unit: str) -> float:
    return 0.01 if unit == "ratio" else 1.0


def _near(alert: Alert, candidates: list[float] | None = None) -> tuple[float, float]:
    """A healthy value just on the safe side of the threshold and a breach just across."""
    t = alert.threshold
    if candidates is not None:
        healthy = [c for c in candidates if not t.breached_by(c)]
        breach = [c for c in candidates if t.breached_by(c)]
        key = lambda c: abs(c - t.value)  # noqa: E731
        return min(healthy, key=key), min(breach, key=key)
    d = _delta(alert.value_unit)
    if t.op in ("<", "<="):
        return round(t.value + d, 6), round(t.value - d, 6)
    return round(t.value - d, 6), round(t.value + d, 6)


def build_fixture(spec: Spec, alert: Alert) -> Fixture:
    ind = alert.indicator
    step = step_for(ind)
    w = ind.window // step
    f = math.ceil(alert.for_seconds / step)
    history = ind.baseline_offset // step
    settle = max(w, 1)
    if ind.kind == "run_duration":
        settle = int(alert.threshold.value // step) + 2
    lengths = (history + settle + f + 5, settle + f + 10, settle + 10)
    a, b = lengths[0], lengths[0] + lengths[1]
    end = sum(lengths)
    builder = _BUILDERS[ind.kind]
    series, value_at = builder(spec, alert, lengths, step)
    labels = {k: v for k, v in _base_labels(spec, ind, ind.metrics()[0]).items()
              if k in promql.kept_labels(spec, ind)}
    if alert.quantile is not None:  # the recorded quantile series carries its quantile
        labels["quantile"] = f"{alert.quantile:g}"
    return Fixture(step, series, a, b, end, value_at, w, labels)


def _rate(values: list[float | None], i: int, w: int, step: int) -> float | None:
    if i - w < 0 or values[i] is None or values[i - w] is None:
        return None
    return (values[i] - values[i - w]) / (w * step)  # type: ignore[operator]


def _build_ratio(spec: Spec, alert: Alert, lengths: tuple[int, int, int], step: int):
    ind = alert.indicator
    metric = spec.metrics[ind.metric]
    assert alert.min_rate is not None
    per_step = 1000 * max(1, math.ceil(alert.min_rate * step * 10 / 1000))
    healthy, breach = _near(alert)
    to_error = (lambda v: v) if ind.measure == "error_ratio" else (lambda v: round(1 - v, 6))
    errors = _phases(lengths, tuple(round(per_step * to_error(v)) for v in (healthy, breach, healthy)))
    labels = _base_labels(spec, ind, ind.metric)
    error_labels, ok_labels = dict(labels), dict(labels)
    for matcher in ind.errors:
        hit, miss = example_values(metric, matcher)  # type: ignore[misc]
        error_labels[matcher.label], ok_labels[matcher.label] = hit, miss
    err = _counter(errors)
    ok = _counter([per_step - e for e in errors])
    series: Series = {_key(ind.metric, ok_labels): ok, _key(ind.metric, error_labels): err}
    w = ind.window // step

    def value_at(i: int) -> float | None:
        e, o = _rate(err, i, w, step), _rate(ok, i, w, step)
        if e is None or o is None:
            return None
        total = e + o
        if total < alert.min_rate:  # type: ignore[operator]
            return None
        ratio = e / total
        return ratio if ind.measure == "error_ratio" else 1 - ratio

    return series, value_at


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


def _build_quantile(spec: Spec, alert: Alert, lengths: tuple[int, int, int], step: int):
    ind = alert.indicator
    bounds = [*spec.metrics[ind.metric].buckets, math.inf]
    k = bounds.index(alert.threshold.value)
    # every observation in the bucket ending at the threshold (quantile just below it),
    # then in the bucket above it (just above), then back
    per_step = 100
    chosen = _phases(lengths, (k, k + 1, k))
    labels = _base_labels(spec, ind, ind.metric)
    series: Series = {}
    counters = []
    for index, bound in enumerate(bounds):
        values = _counter([per_step if c <= index else 0 for c in chosen])
        counters.append((bound, values))
        series[_key(f"{ind.metric}_bucket", {**labels, "le": _le(bound)})] = values
    series[_key(f"{ind.metric}_count", labels)] = _counter([per_step] * len(chosen))
    w = ind.window // step
    q = alert.quantile
    assert q is not None

    def value_at(i: int) -> float | None:
        rates = [(bound, _rate(values, i, w, step)) for bound, values in counters]
        if any(r is None for _, r in rates):
            return None
        return histogram_quantile(q, rates)  # type: ignore[arg-type]

    return series, value_at


def _build_rate(spec: Spec, alert: Alert, lengths: tuple[int, int, int], step: int):
    ind = alert.indicator
    assert alert.min_rate is not None
    per_step = 1000 * max(1, math.ceil(alert.min_rate * step * 10 / 1000))
    history = ind.baseline_offset // step
    healthy, breach = _near(alert)
    # the history phase (the baseline a week ago) runs at per_step; the test phases run
    # at a fraction of it
    increments = [float(per_step)] * history + _phases(
        (lengths[0] - history, lengths[1], lengths[2]),
        tuple(per_step * v for v in (healthy, breach, healthy)),
    )
    values = _counter(increments)
    labels = _base_labels(spec, ind, ind.metric)
    series: Series = {_key(ind.metric, labels): values}
    w, offset = ind.window // step, history

    def value_at(i: int) -> float | None:
        current = _rate(values, i, w, step)
        base = _rate(values, i - offset, w, step) if i - offset >= 0 else None
        if current is None or base is None or base < alert.min_rate:  # type: ignore[operator]
            return None
        return current / base

    return series, value_at


def _build_increase(spec: Spec, alert: Alert, lengths: tuple[int, int, int], step: int):
    ind = alert.indicator
    w = ind.window // step
    t = alert.threshold.value
    # whole events only: the nearest counts on either side of the threshold, never negative
    healthy, breach = _near(alert, [c for c in (t - 1, t, t + 1, t + 2) if c >= 0])
    # one burst every window: any window then holds exactly one burst, so increase() over
    # it is exactly the burst size, in integers
    # (the first burst is the series' initial value: a young series counts as a whole)
    pattern = _phases(lengths, (healthy, breach, healthy))
    increments = [pattern[i] if i % w == 0 else 0.0 for i in range(len(pattern))]
    labels = _base_labels(spec, ind, ind.metric)
    for matcher in ind.errors:
        labels[matcher.label] = example_values(spec.metrics[ind.metric], matcher)[0]  # type: ignore[index]
    values = _counter(increments)
    series: Series = {_key(ind.metric, labels): values}

    def value_at(i: int) -> float | None:
        if i - w < 0:
            return values[i]  # the series is younger than the window: its whole value counts
        return values[i] - values[i - w]  # type: ignore[operator]

    return series, value_at


def _build_gauge_ratio(spec: Spec, alert: Alert, lengths: tuple[int, int, int], step: int):
    ind = alert.indicator
    healthy, breach = _near(alert)
    den = 100.0
    num = _phases(lengths, (round(healthy * den), round(breach * den), round(healthy * den)))
    series: Series = {
        _key(ind.numerator, _base_labels(spec, ind, ind.numerator)): list(num),
        _key(ind.denominator, _base_labels(spec, ind, ind.denominator)): [den] * len(num),
    }
    return series, lambda i: num[i] / den


def _build_gauge(spec: Spec, alert: Alert, lengths: tuple[int, int, int], step: int):
    ind = alert.indicator
    healthy, breach = _near(alert)
    values = _phases(lengths, (healthy, breach, healthy))
    series: Series = {_key(ind.metric, _base_labels(spec, ind, ind.metric)): list(values)}
    return series, lambda i: values[i]


def _build_availability(spec: Spec, alert: Alert, lengths: tuple[int, int, int], step: int):
    ind = alert.indicator
    instances = spec.metrics[ind.metric].labels.get("instance", ("target-0",))
    n = len(instances)
    healthy, breach = _near(alert, [k / n for k in range(n + 1)])
    up_count = _phases(lengths, (round(healthy * n), round(breach * n), round(healthy * n)))
    labels = _base_labels(spec, ind, ind.metric)
    series: Series = {}
    for index, instance in enumerate(instances):
        series[_key(ind.metric, {**labels, "instance": instance})] = [
            1.0 if index < up else 0.0 for up in up_count
        ]
    return series, lambda i: up_count[i] / n


def _build_run_duration(spec: Spec, alert: Alert, lengths: tuple[int, int, int], step: int):
    ind = alert.indicator
    limit = int(alert.threshold.value // step)  # a healthy run lasts exactly the threshold
    a, b = lengths[0], lengths[0] + lengths[1]
    # healthy: a run from 0 lasting exactly the threshold; breach: a run from the breach
    # start that does not finish; recovery: no run in progress
    samples = range(sum(lengths))
    in_progress = [1.0 if i < limit or a <= i < b else 0.0 for i in samples]
    started = [0.0 if i < a else float(a * step) for i in samples]
    series: Series = {
        _key(ind.in_progress, _base_labels(spec, ind, ind.in_progress)): in_progress,
        _key(ind.started, _base_labels(spec, ind, ind.started)): started,
    }
    return series, lambda i: (i * step - started[i]) * in_progress[i]  # type: ignore[operator]


def _build_overdue(spec: Spec, alert: Alert, lengths: tuple[int, int, int], step: int):
    ind = alert.indicator
    a = lengths[0]
    pending_count = alert.threshold.value + 5
    pending = _phases(lengths, (pending_count, pending_count, 0.0))
    deadline = float(a * step)  # the breach phase starts at the deadline
    series: Series = {
        _key(ind.pending, _base_labels(spec, ind, ind.pending)): list(pending),
        _key(ind.deadline, _base_labels(spec, ind, ind.deadline)): [deadline] * len(pending),
    }
    return series, lambda i: pending[i] * (1.0 if i * step >= deadline else 0.0)


_BUILDERS = {
    "ratio": _build_ratio,
    "quantile": _build_quantile,
    "rate": _build_rate,
    "increase": _build_increase,
    "gauge_ratio": _build_gauge_ratio,
    "gauge": _build_gauge,
    "availability": _build_availability,
    "run_duration": _build_run_duration,
    "overdue": _build_overdue,
}
