"""run_duration: how long the current run has been running (0 when none runs).

Measured on the run in progress (now - start), so a stuck run alerts while it is stuck
rather than after it finishes, if it ever does.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from generators.kinds.base import (
    InfeasibleThreshold,
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
from generators.promql import agg

MAX_RUN_SECONDS = 7 * 86400


@dataclass(frozen=True, kw_only=True)
class RunDurationIndicator(Indicator):
    kind: ClassVar[str] = "run_duration"
    metric_fields: ClassVar[tuple[str, ...]] = ("in_progress", "started")
    in_progress: str
    started: str


class RunDuration(Kind):
    name = "run_duration"
    model = RunDurationIndicator
    summary = "how long the run in progress has been running"
    required = ("in_progress", "started")
    metric_types: ClassVar[dict[str, str]] = {"in_progress": "gauge", "started": "gauge"}
    unit = "seconds"
    ops = (">", ">=")
    reads_gauges = True
    triage = (
        "Check the run's progress in its logs: is it stuck or just slow?",
        "Check database latency and pool usage; batch runs are usually database-bound.",
        "Do not start a second run in parallel; if it is stuck, stop it and re-run.",
    )

    def sample_values(self, spec: Spec, alert: Alert) -> tuple[float, float]:
        if alert.threshold.value > MAX_RUN_SECONDS:
            raise InfeasibleThreshold(f"at most {MAX_RUN_SECONDS // 86400} days; a longer run is not a run")
        return super().sample_values(spec, alert)

    def series_name(self, spec: Spec, ind: Indicator) -> str:
        assert isinstance(ind, RunDurationIndicator)
        return f"{self.level(spec, ind)}:{ind.in_progress}:running_seconds"

    def recordings(self, spec: Spec, ind: Indicator) -> list[Recording]:
        assert isinstance(ind, RunDurationIndicator)
        elapsed = f"(time() - {held_gauge(spec, ind.started)}) * {held_gauge(spec, ind.in_progress)}"
        return [Recording(self.series_name(spec, ind), agg("max", self.kept_labels(spec, ind), elapsed))]

    def worst_replica(self, alert: Alert) -> bool:
        return True  # the longest run in progress, whichever replica runs it

    def fixture_step(self, ind: Indicator) -> int:
        return 60

    def settle_steps(self, alert: Alert, step: int) -> int:
        return int(alert.threshold.value // step) + 2

    def fixture(self, spec: Spec, alert: Alert, phases: Phases) -> tuple[Series, ValueAt]:
        ind = alert.indicator
        assert isinstance(ind, RunDurationIndicator)
        step = phases.step
        limit = int(alert.threshold.value // step)  # a healthy run lasts just under the threshold
        a, b = phases.breach_start, phases.recovery_start
        # healthy: a run from 0 lasting up to the threshold; breach: a run from the breach
        # start that does not finish; recovery: no run in progress
        samples = range(phases.end)
        in_progress = [1.0 if i < limit or a <= i < b else 0.0 for i in samples]
        started = [0.0 if i < a else float(a * step) for i in samples]
        series: Series = {
            series_key(ind.in_progress, base_labels(spec, ind, ind.in_progress)): in_progress,
            series_key(ind.started, base_labels(spec, ind, ind.started)): started,
        }
        return series, lambda i: (i * step - started[i]) * in_progress[i]  # type: ignore[operator]

    # -- the healthy week ----------------------------------------------------------------------
    def week_series(self, spec: Spec, ind: Indicator, week: Week) -> Series:
        """A run every day at 02:00 on the first replica, lasting half the first alert's line."""
        assert isinstance(ind, RunDurationIndicator)
        alerts = spec.alerts_of(ind)
        length = week.steps(int(alerts[0].threshold.value) // 2 if alerts else 600)
        day = 86400 // week.step
        start = 7200 // week.step
        series: Series = {}
        for target in week.targets(spec, ind.in_progress):
            runs = target["instance"] == week.replicas[0]
            in_progress = [1.0 if runs and (i - start) % day < length and i >= start else 0.0
                           for i in range(week.samples)]
            started = [float(((i - start) // day * day + start) * week.step) if runs and i >= start else 0.0
                       for i in range(week.samples)]
            series[series_key(ind.in_progress, target)] = in_progress  # type: ignore[assignment]
            series[series_key(ind.started, target)] = started  # type: ignore[assignment]
        return series


