"""Lay out a generated test's phases and ask the alert's kind for series and oracle.

For an alert, `build_fixture` lays out input series in three phases: healthy just on the
safe side of the threshold, breach just across it, healthy again. The kind's oracle
evaluates the indicator on those series with PromQL's arithmetic (rate over a range whose
ends hold samples is (last - first) / range, histogram_quantile interpolates inside the
bucket, ...), so the test generator can find when the alert becomes pending, when it
fires, what its description says, and when it resolves, without a Prometheus at build
time. promtool then checks every one of those claims.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from generators.kinds import kind_of
from generators.kinds.base import Phases, Series, ValueAt, base_labels
from generators.model import Alert, Spec


@dataclass
class Fixture:
    step: int  # seconds between samples and between rule evaluations
    series: Series
    breach_start: int  # first sample index of the breach phase
    recovery_start: int
    end: int  # number of samples
    value_at: ValueAt  # indicator value at sample index (None = no data)
    window_steps: int
    alert_labels: dict[str, str] = field(default_factory=dict)


def build_fixture(spec: Spec, alert: Alert, step: int | None = None) -> Fixture:
    """`step` overrides the kind's sample spacing (the recovery-tail cases sample at the
    rules' evaluation interval)."""
    kind = kind_of(alert)
    ind = alert.indicator
    step = step or kind.fixture_step(ind)
    settle = kind.settle_steps(alert, step)
    hold = math.ceil(alert.for_seconds / step)
    history = kind.history_steps(alert, step)
    phases = Phases(history + settle + hold + 5, settle + hold + 10, settle + 10, step)
    series, value_at = kind.fixture(spec, alert, phases)
    first_metric = ind.metrics()[0]
    kept = kind.kept_labels(spec, ind)
    labels = {k: v for k, v in base_labels(spec, ind, first_metric).items() if k in kept}
    labels.update(kind.alert_labels(alert))
    window = max(kind.windows(ind).values(), default=0) // step
    return Fixture(step, series, phases.breach_start, phases.recovery_start, phases.end, value_at, window, labels)
