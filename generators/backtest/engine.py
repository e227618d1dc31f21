"""Evaluate alert expressions over history with range queries, then run the state machine.

Each alert is queried at its group's evaluation interval (or --step) over the period
plus a warm-up of its `for` before the start, so an alert already breaching when the
period starts has the state Prometheus would have given it. Ranges are cut into chunks
of at most 11,000 points (Prometheus refuses more per series), identical queries (same
expression, step and chunk, e.g. an alert unchanged between two spec versions) run
once, and at most `concurrency` run at a time. Progress goes to stderr on long runs.
"""

from __future__ import annotations

import math
import threading
import time
from array import array
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from typing import Any, TextIO

import promql_parser as pp

from generators.backtest.alertstate import Episode, run_state_machine
from generators.backtest.client import PrometheusClient
from generators.backtest.rulefile import AlertRule

MAX_POINTS = 11_000  # Prometheus: "exceeded maximum resolution of 11,000 points per timeseries"

Labels = tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class AlertPlan:
    rule: AlertRule
    expr: str  # with recordings inlined
    recordings: tuple[str, ...]
    step: float
    phase: float = 0.0  # evaluations at phase + k * step, as Prometheus runs the group (phase.py)
    shift: float = 0.0  # `expr` answers for an evaluation `shift` seconds before the query time
    phase_source: str = "phase 0"  # where the phase came from, for the report

    def grid(self, start: float, end: float) -> tuple[float, float]:
        """First and last evaluation: on the group's phase, warm-up of `for` before start."""
        first = math.floor((start - self.rule.for_seconds - self.phase) / self.step) * self.step + self.phase
        return first, math.floor((end - self.phase) / self.step) * self.step + self.phase

    def query_key(self, a: float, b: float) -> tuple[str, float, float, float]:
        """The range query of the evaluations a..b."""
        return self.expr, self.step, round(a + self.shift, 3), round(b + self.shift, 3)


@dataclass
class SeriesEpisodes:
    labels: Labels  # alert labels: series labels, rule labels, alertname
    episodes: list[Episode]


@dataclass
class Evaluated:
    plan: AlertPlan
    series: list[SeriesEpisodes]
    grid_end: float
    warnings: list[str] = field(default_factory=list)


def chunks(first: float, last: float, step: float, max_points: int = MAX_POINTS) -> list[tuple[float, float]]:
    """[first, last] on a grid of `step`, cut into ranges of at most max_points evaluations."""
    count = round((last - first) / step) + 1
    out = []
    for offset in range(0, count, max_points):
        n = min(max_points, count - offset)
        out.append((first + offset * step, first + (offset + n - 1) * step))
    return out


def breach_direction(expr: str) -> str:
    """'min' when the alert breaches below a threshold (`<`, `<=`), else 'max': which value is the peak."""
    node: Any = pp.parse(expr)
    while True:
        if isinstance(node, pp.ParenExpr):
            node = node.expr
        elif isinstance(node, pp.BinaryExpr) and str(node.op) in ("and", "or", "unless"):
            node = node.lhs
        elif isinstance(node, pp.BinaryExpr) and str(node.op) in ("<", "<="):
            return "min"
        else:
            return "max"


def alert_labels(metric: dict[str, str], rule: AlertRule) -> Labels:
    """The labels Prometheus gives the alert: the series' without __name__, then the rule's, then alertname."""
    labels = {k: v for k, v in metric.items() if k != "__name__"}
    for name, value in rule.labels:
        if value:
            labels[name] = value
        else:
            labels.pop(name, None)
    labels["alertname"] = rule.name
    return tuple(sorted(labels.items()))


class Progress:
    """'backtest: 12/40 queries' on stderr, at most every 2 s, only once a run lasts over 2 s."""

    def __init__(self, total: int, stream: TextIO | None, every: float = 2.0) -> None:
        self.total, self.stream, self.every = total, stream, every
        self.done = 0
        self.started = self.last = time.monotonic()
        self.lock = threading.Lock()
        self.shown = False

    def tick(self) -> None:
        with self.lock:
            self.done += 1
            now = time.monotonic()
            if self.stream is None or now - self.last < self.every or now - self.started < self.every:
                return
            self.last = now
            self.shown = True
            print(f"backtest: {self.done}/{self.total} queries, {now - self.started:.0f}s", file=self.stream,
                  flush=True)

    def finish(self) -> None:
        if self.shown and self.stream is not None:
            print(f"backtest: {self.total}/{self.total} queries, {time.monotonic() - self.started:.1f}s",
                  file=self.stream, flush=True)


@dataclass(frozen=True)
class Series:
    """One series of a range query, compact: a long breach is arrays of doubles, not JSON lists."""

    metric: tuple[tuple[str, str], ...]
    times: array
    values: array


def compact(result: list[dict[str, Any]]) -> list[Series]:
    return [Series(tuple(sorted(s["metric"].items())), array("d", (float(t) for t, _ in s["values"])),
                   array("d", (float(v) for _, v in s["values"]))) for s in result]


class Engine:
    def __init__(self, client: PrometheusClient, concurrency: int = 4, progress: TextIO | None = None,
                 max_points: int = MAX_POINTS) -> None:
        self.client = client
        self.concurrency = max(1, concurrency)
        self.progress_stream = progress
        self.max_points = max_points
        self.cache: dict[tuple[str, float, float, float], list[Series]] = {}
        self.queries_run = 0

    def evaluate(self, plans: list[AlertPlan], start: float, end: float) -> list[Evaluated]:
        wanted: dict[tuple[str, float, float, float], str] = {}
        for plan in plans:
            for a, b in chunks(*plan.grid(start, end), plan.step, self.max_points):
                wanted.setdefault(plan.query_key(a, b), plan.rule.name)
        missing = [key for key in wanted if key not in self.cache]
        self._run(missing, lambda key: compact(self.client.query_range(key[0], key[2], key[3], key[1],
                                                                        f"the query of {wanted[key]}")))
        return [self._episodes(plan, start, end) for plan in plans]

    def _run(self, keys: list[tuple[str, float, float, float]],
             fetch: Callable[[tuple[str, float, float, float]], list[Series]]) -> None:
        progress = Progress(len(keys), self.progress_stream)
        pool = ThreadPoolExecutor(max_workers=self.concurrency)
        try:
            futures = {pool.submit(fetch, key): key for key in keys}
            for future in as_completed(futures):
                self.cache[futures[future]] = future.result()
                self.queries_run += 1
                progress.tick()
        finally:
            pool.shutdown(wait=True, cancel_futures=True)  # on an error: queued queries never start
        progress.finish()

    def _episodes(self, plan: AlertPlan, start: float, end: float) -> Evaluated:
        first, last = plan.grid(start, end)
        points: dict[Labels, list[Series]] = {}
        warnings = []
        for a, b in chunks(first, last, plan.step, self.max_points):  # in time order, disjoint
            seen: set[Labels] = set()
            for series in self.cache[plan.query_key(a, b)]:
                labels = alert_labels(dict(series.metric), plan.rule)
                if labels in seen:
                    warnings.append(f"{plan.rule.name}: two series have the labels {dict(labels)} once the "
                                    "rule's labels are applied; Prometheus fails such evaluations")
                seen.add(labels)
                points.setdefault(labels, []).append(series)
        direction = breach_direction(plan.expr)
        out = []
        for labels in sorted(points):
            series_points = sorted((round(t - plan.shift, 3), v) for series in points[labels]
                                   for t, v in zip(series.times, series.values, strict=True))
            episodes = run_state_machine(series_points, plan.step, last, plan.rule.for_seconds,
                                         plan.rule.keep_firing_for_seconds, direction)
            kept = [e for e in episodes if e.resolved_at is None or e.resolved_at > start]
            if kept:
                out.append(SeriesEpisodes(labels, kept))
        return Evaluated(plan, out, last, sorted(set(warnings)))
