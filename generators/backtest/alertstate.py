"""Prometheus' alert state machine (rules/alerting.go, 2.42) over one series' evaluations.

At each evaluation an alert whose expression returns its label set is active: new ->
pending (active since now), pending for at least `for` -> firing. When the series is
gone a pending alert is dropped; a firing one resolves at that evaluation, unless
`keep_firing_for` keeps it firing while `now - first missing evaluation < keep_firing_for`.
A resolved alert that comes back is a new alert (pending again).
"""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass
class Episode:
    active_at: float  # first evaluation that returned the series (pending from here)
    fired_at: float | None  # evaluation at which it turned firing; None: pending only
    resolved_at: float | None  # first evaluation at which it was inactive; None: still active at the end
    last_seen: float  # last evaluation that returned the series
    peak: float
    peak_at: float

    @property
    def fired(self) -> bool:
        return self.fired_at is not None


def _worse(value: float, than: float, direction: str) -> bool:
    if math.isnan(value):
        return False
    if math.isnan(than):
        return True
    return value < than if direction == "min" else value > than


def run_state_machine(points: list[tuple[float, float]], step: float, grid_end: float, for_seconds: float,
                      keep_firing_for: float = 0.0, direction: str = "max") -> list[Episode]:
    """Episodes of one alert label set. `points`: (evaluation time, value) where the expression
    returned the series, sorted, on a grid of `step`; evaluations up to `grid_end` ran."""
    episodes: list[Episode] = []
    current: Episode | None = None
    half = step / 2  # grid times are floats: compare gaps with a tolerance

    def resolution(first_missing: float, ep: Episode) -> float:
        """Evaluation at which an alert missing since `first_missing` turns inactive."""
        if ep.fired_at is None or keep_firing_for <= 0:
            return first_missing
        evaluations = math.ceil(keep_firing_for / step - 1e-9)  # kept while j * step < keep_firing_for
        return first_missing + evaluations * step

    for t, value in points:
        if current is not None and t - current.last_seen > step + half:
            resolve_at = resolution(current.last_seen + step, current)
            if resolve_at < t - half:
                current.resolved_at = resolve_at
                episodes.append(current)
                current = None
        if current is None:
            current = Episode(active_at=t, fired_at=None, resolved_at=None, last_seen=t, peak=value, peak_at=t)
        current.last_seen = t
        if _worse(value, current.peak, direction):
            current.peak, current.peak_at = value, t
        if current.fired_at is None and t - current.active_at >= for_seconds - 1e-9:
            current.fired_at = t
    if current is not None:
        resolve_at = resolution(current.last_seen + step, current)
        if resolve_at <= grid_end + half:
            current.resolved_at = resolve_at
        episodes.append(current)
    return episodes
