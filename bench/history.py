"""Synthetic series matching the spec's metric catalogue, for the rule benchmark.

Read from thresholds.yaml (plain YAML, no generator code): `metrics` (type, source, label
values, histogram buckets), `settings.selectors` (the labels of each source's scrape job)
and `settings.aggregation_labels`. The platform is scaled out as Prometheus would see it
at a larger installation: `clusters` x `replicas` targets, each target one instance with
every catalogue metric of every source, under its own `instance` and aggregation labels.

Values only need to be plausible: what rules cost depends on the number of series and
samples they read, not on the values. They are chosen like a healthy platform's, so that
alerts stay quiet as they mostly do in production: counters grow at a noisy rate, except
failure counters (a metric or label value naming an error or failure), which exist but
stay flat, as on a healthy platform; histograms are cumulative (integer bucket
counts of a log-normal latency, `+Inf` = `_count`), 0/1 gauges are 1, gauges named `_max`
are 100, other gauges wander between 20 and 50, timestamps lie an hour ahead.
"""

from __future__ import annotations

import itertools
import math
import random
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from bench.remote_write import encode_labels, encode_series, sample_suffix

FAILURE_VALUE = re.compile(r"fail|fatal|error|^5\d\d$", re.IGNORECASE)
BASE_RATE = 5.0  # events per second of one counter series (or observations of one histogram)


class CatalogueError(ValueError):
    """The spec's metric catalogue cannot be read; the message names the field."""


@dataclass
class Unit:
    """One counter, gauge or histogram child of one target: one or more series that move together."""

    kind: str  # counter | gauge | histogram
    name: str  # the catalogue name
    labels: dict[str, str]  # without __name__ and le
    encoded: list[bytes] = field(default_factory=list)  # TimeSeries.labels per series
    rate: float = 0.0
    value: float = 0.0  # counter value, histogram _count, or gauge level
    total: float = 0.0  # histogram _sum
    fractions: list[float] = field(default_factory=list)  # histogram: share of observations <= each le
    les: list[str] = field(default_factory=list)  # histogram: the `le` label of each bucket
    mean: float = 0.0
    gauge_shape: str = "level"  # gauge: level (constant), wander (20..50) or timestamp

    def series_names(self) -> list[tuple[str, dict[str, str]]]:
        if self.kind != "histogram":
            return [(self.name, self.labels)]
        buckets = [(f"{self.name}_bucket", {**self.labels, "le": le}) for le in self.les]
        return [*buckets, (f"{self.name}_count", self.labels), (f"{self.name}_sum", self.labels)]


def _format_le(bound: float) -> str:
    return repr(float(bound))  # as client libraries expose it: 0.05, 1.0


def _lognormal_cdf(x: float, median: float, sigma: float) -> float:
    return 0.5 * (1 + math.erf(math.log(x / median) / (sigma * math.sqrt(2))))


@dataclass
class Installation:
    units: list[Unit]
    clusters: int
    replicas: int
    series_per_target: int

    @property
    def series(self) -> int:
        return sum(len(u.encoded) for u in self.units)


def _catalogue(spec: dict[str, Any]) -> dict[str, dict[str, Any]]:
    metrics = spec.get("metrics")
    if not isinstance(metrics, dict) or not metrics:
        raise CatalogueError("thresholds.yaml: `metrics` must map metric names to their definitions")
    for name, definition in metrics.items():
        if not isinstance(definition, dict) or definition.get("type") not in ("counter", "gauge", "histogram"):
            raise CatalogueError(f"thresholds.yaml: metrics.{name}.type must be counter, gauge or histogram")
    return metrics


def _target_labels(spec: dict[str, Any], source: str, cluster: int, replica: int) -> dict[str, str]:
    settings = spec.get("settings") or {}
    selector = (settings.get("selectors") or {}).get(source)
    if not isinstance(selector, dict):
        raise CatalogueError(f"thresholds.yaml: settings.selectors.{source} (the scrape job of source "
                             f"`{source}`) is missing")
    labels = {str(k): str(v) for k, v in selector.items()}
    labels["instance"] = f"{source}-{replica}:8080"
    for label in settings.get("aggregation_labels") or []:
        labels[str(label)] = f"{label}-{cluster:03d}"
    return labels


def _metric_label_sets(definition: dict[str, Any], fixed: dict[str, str]) -> list[dict[str, str]]:
    label_values = {k: [str(v) for v in vs] for k, vs in (definition.get("labels") or {}).items() if k not in fixed}
    names = sorted(label_values)
    return [dict(zip(names, combo, strict=True)) for combo in itertools.product(*(label_values[n] for n in names))]


def _units_of_target(spec: dict[str, Any], cluster: int, replica: int, rng: random.Random,
                     only: set[str] | None = None) -> list[Unit]:
    units = []
    for name, definition in _catalogue(spec).items():
        if only is not None and name not in only:
            continue
        fixed = _target_labels(spec, str(definition.get("source")), cluster, replica)
        for metric_labels in _metric_label_sets(definition, fixed):
            labels = {**metric_labels, **fixed}
            unit = Unit(definition["type"], name, labels)
            failing = any(FAILURE_VALUE.search(v) for v in [name, *metric_labels.values()])
            unit.rate = 0.0 if failing and unit.kind == "counter" else BASE_RATE * rng.uniform(0.5, 1.5)
            if unit.kind == "histogram":
                bounds = sorted(float(b) for b in definition.get("buckets") or [])
                if not bounds:
                    raise CatalogueError(f"thresholds.yaml: metrics.{name}.buckets must list the bucket bounds")
                median = bounds[len(bounds) // 4]  # most observations fall in the lower buckets
                unit.fractions = [_lognormal_cdf(b, median, 0.5) for b in bounds] + [1.0]
                unit.les = [_format_le(b) for b in bounds] + ["+Inf"]
                unit.mean = median * math.exp(0.125)
            elif unit.kind == "counter":
                unit.value = rng.uniform(1e3, 1e6)
            else:
                unit.gauge_shape, unit.value = _gauge_shape(name, rng)
            unit.encoded = [encode_labels({"__name__": n, **lbls}) for n, lbls in unit.series_names()]
            units.append(unit)
    return units


def _gauge_shape(name: str, rng: random.Random) -> tuple[str, float]:
    if "timestamp" in name:
        return "timestamp", 0.0
    if name == "up" or "success" in name:
        return "level", 1.0
    if name.endswith("_max"):
        return "level", 100.0
    if "in_progress" in name:
        return "level", 0.0
    return "wander", rng.uniform(20, 50)


def build_installation(spec: dict[str, Any], target_series: int, replicas: int, seed: int = 1,
                       only: set[str] | None = None) -> Installation:
    """Enough clusters x replicas for about target_series series (of only some metrics, if given)."""
    rng = random.Random(seed)
    per_target = sum(len(u.encoded) for u in _units_of_target(spec, 0, 0, rng))
    targets = max(1, math.ceil(target_series / per_target))
    clusters = max(1, math.ceil(targets / replicas))
    replicas = math.ceil(targets / clusters)
    units = [u for c in range(clusters) for r in range(replicas) for u in _units_of_target(spec, c, r, rng, only)]
    return Installation(units, clusters, replicas, per_target)


def _advance(unit: Unit, step: float, rng: random.Random, t: float) -> list[float]:
    """The unit's series values one step later (counters and histograms only ever grow)."""
    if unit.kind == "counter":
        unit.value += unit.rate * step * rng.uniform(0.8, 1.2)
        return [unit.value]
    if unit.kind == "histogram":
        observed = round(unit.rate * step * rng.uniform(0.8, 1.2))
        unit.value += observed
        unit.total += observed * unit.mean * rng.uniform(0.9, 1.1)
        count = unit.value
        return [*(math.floor(count * f) for f in unit.fractions[:-1]), count, count, unit.total]
    if unit.gauge_shape == "timestamp":
        return [t + 3600]
    if unit.gauge_shape == "wander":
        unit.value = min(50.0, max(20.0, unit.value + rng.uniform(-1, 1)))
    return [unit.value]


def slab(units: list[Unit], times: list[float], step: float, rng: random.Random) -> Iterator[bytes]:
    """Encoded TimeSeries of every series over `times` (seconds), advancing the units."""
    suffixes = [sample_suffix(int(t * 1000)) for t in times]
    for unit in units:
        columns = [_advance(unit, step, rng, t) for t in times]
        for index, labels in enumerate(unit.encoded):
            yield encode_series(labels, [column[index] for column in columns], suffixes)


def openmetrics_lines(units: list[Unit], times: list[float], step: float, rng: random.Random) -> Iterator[str]:
    """The same series as OpenMetrics text lines, time-major (for promtool create-blocks-from)."""
    rendered = [
        [f"{name}{{{','.join(f'{k}={_quote(v)}' for k, v in sorted(labels.items()))}}}"
         for name, labels in unit.series_names()]
        for unit in units
    ]
    for t in times:
        stamp = f"{t:.3f}"
        for unit, names in zip(units, rendered, strict=True):
            for series, value in zip(names, _advance(unit, step, rng, t), strict=True):
                yield f"{series} {float(value)!r} {stamp}\n"


def _quote(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'
