"""overdue: items still pending once a deadline timestamp has passed."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from generators.kinds.base import (
    Kind,
    Phases,
    Recording,
    Series,
    ValueAt,
    Week,
    base_labels,
    held_gauge,
    series_key,
)
from generators.model import Alert, Indicator, Spec
from generators.promql import agg, on


@dataclass(frozen=True, kw_only=True)
class OverdueIndicator(Indicator):
    kind: ClassVar[str] = "overdue"
    metric_fields: ClassVar[tuple[str, ...]] = ("pending", "deadline")
    pending: str
    deadline: str


class Overdue(Kind):
    name = "overdue"
    model = OverdueIndicator
    summary = "items still pending after a deadline timestamp"
    required = ("pending", "deadline")
    metric_types: ClassVar[dict[str, str]] = {"pending": "gauge", "deadline": "gauge"}
    unit = "count"
    ops = (">", ">=")
    reads_gauges = True
    triage = (
        "Check whether the job that produces the items is running and how many remain.",
        "Check the failure alerts of the same job for items that failed.",
        "Produce the missing items by hand or re-run the job, and tell the people who depend on them.",
    )

    def series_name(self, spec: Spec, ind: Indicator) -> str:
        assert isinstance(ind, OverdueIndicator)
        return f"{self.level(spec, ind)}:{ind.pending}:overdue"

    def recordings(self, spec: Spec, ind: Indicator) -> list[Recording]:
        assert isinstance(ind, OverdueIndicator)
        labels = self.kept_labels(spec, ind)
        pending = agg("max", labels, held_gauge(spec, ind.pending))
        past = agg("max", labels, f"time() >= bool {held_gauge(spec, ind.deadline)}")
        return [Recording(self.series_name(spec, ind), f"{pending}\n* {on(labels)}\n{past}")]

    def worst_replica(self, alert: Alert) -> bool:
        return True  # any replica's past deadline and the most items pending

    def fixture(self, spec: Spec, alert: Alert, phases: Phases) -> tuple[Series, ValueAt]:
        ind = alert.indicator
        assert isinstance(ind, OverdueIndicator)
        pending_count = alert.threshold.value + 5
        pending = phases.spread((pending_count, pending_count, 0.0))
        deadline = float(phases.breach_start * phases.step)  # the breach phase starts at the deadline
        series: Series = {
            series_key(ind.pending, base_labels(spec, ind, ind.pending)): list(pending),
            series_key(ind.deadline, base_labels(spec, ind, ind.deadline)): [deadline] * len(pending),
        }
        return series, lambda i: pending[i] * (1.0 if i * phases.step >= deadline else 0.0)

    # -- the healthy week ----------------------------------------------------------------------
    def week_series(self, spec: Spec, ind: Indicator, week: Week) -> Series:
        """A cycle whose deadline falls mid-week: items pending until an hour before it, none after."""
        assert isinstance(ind, OverdueIndicator)
        deadline = week.samples // 2
        done = max(0, deadline - 3600 // week.step)
        series: Series = {}
        for target in week.targets(spec, ind.pending):
            series[series_key(ind.pending, target)] = [50.0] * done + [0.0] * (week.samples - done)
            series[series_key(ind.deadline, target)] = week.constant(float(deadline * week.step))
        return series


