"""Does the history cover the period? A range beyond retention must not read as "no alerts".

The alerts' expressions name raw metrics (after inlining) at some offsets (`offset 1w`
for a baseline). For each offset, one coarse range query counts those metrics' series
over the shifted period; the first point with data says where history begins. The main
period starting before that is an error (or a warning with --allow-partial-history); a
baseline offset reaching before it is a warning, since a missing baseline keeps an alert
quiet. Prometheus' runtime info adds the server's retention to the message when it has it.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Any

import promql_parser as pp

from generators.backtest.client import PrometheusClient
from generators.backtest.promql_text import seconds
from generators.backtest.timeutil import format_duration, format_instant, human_duration

_METRIC_NAME = re.compile(r"^[a-zA-Z_:][a-zA-Z0-9_:]*$")
POINTS = 200
TOLERATED_SHARE = 0.05


class CoverageError(Exception):
    pass


@dataclass
class Coverage:
    data_start: dict[float, float | None] = field(default_factory=dict)  # offset -> first data time
    warnings: list[str] = field(default_factory=list)


def metrics_by_offset(exprs: list[str]) -> dict[float, set[str]]:
    """Metric names each expression reads, keyed by the total offset they are read at."""
    out: dict[float, set[str]] = {}

    def visit(node: Any, shift: float) -> None:
        if isinstance(node, pp.MatrixSelector):
            visit(node.vector_selector, shift)
        elif isinstance(node, pp.VectorSelector):
            if node.at is None and node.name and _METRIC_NAME.match(node.name):
                out.setdefault(shift + seconds(node.offset), set()).add(node.name)
        elif isinstance(node, pp.SubqueryExpr):
            if node.at is None:
                visit(node.expr, shift + seconds(node.offset))
        elif isinstance(node, pp.Call):
            for arg in node.args:
                visit(arg, shift)
        elif isinstance(node, pp.AggregateExpr):
            visit(node.expr, shift)
            if node.param is not None:
                visit(node.param, shift)
        elif isinstance(node, pp.BinaryExpr):
            visit(node.lhs, shift)
            visit(node.rhs, shift)
        elif isinstance(node, (pp.ParenExpr, pp.UnaryExpr)):
            visit(node.expr, shift)

    for expr in exprs:
        visit(pp.parse(expr), 0.0)
    return out


def _retention(client: PrometheusClient) -> str:
    info = client.status("/api/v1/status/runtimeinfo")
    retention = (info or {}).get("storageRetention")
    return f" (the server keeps {retention})" if retention else ""


def check_coverage(client: PrometheusClient, exprs: list[str], start: float, end: float,
                   allow_partial: bool) -> Coverage:
    result = Coverage()
    by_offset = metrics_by_offset(exprs)
    by_offset.setdefault(0.0, set())
    window = max(60.0, math.ceil((end - start) / POINTS / 60) * 60)
    for offset in sorted(by_offset):
        names = sorted(by_offset[offset] or {n for ns in by_offset.values() for n in ns})
        if not names:
            continue
        expr = f'count(last_over_time({{__name__=~"{"|".join(names)}"}}[{format_duration(window)}]))'
        a, b = start - offset, end - offset
        where = "the period" if offset == 0 else f"the period shifted by offset {format_duration(offset)}"
        series = client.query_range(expr, a + window, max(b, a + window), window, f"the history check of {where}")
        times = sorted(float(ts) for s in series for ts, _ in s["values"])
        first = times[0] - window if times else None
        result.data_start[offset] = first
        # the main period must be covered from its start; a shifted read (a baseline, or
        # `offset 5m` to spot new counters) may miss a small part of it without changing much
        tolerance = window if offset == 0 else max(window, TOLERATED_SHARE * (end - start))
        if first is not None and first <= a + tolerance:
            continue
        if offset == 0:
            if first is None:
                raise CoverageError(
                    f"{client.shown} has no samples of the alerts' metrics between {format_instant(a)} and "
                    f"{format_instant(b)}{_retention(client)}: the period is beyond retention, or the "
                    "server is not the one that scrapes the platform")
            message = (f"history begins at {format_instant(first)}, {human_duration(first - a)} after the period "
                       f"start {format_instant(a)}{_retention(client)}: alerts cannot have fired before it")
            if not allow_partial:
                raise CoverageError(message + f"; use --start {format_instant(first)} or --allow-partial-history")
            result.warnings.append(message)
        else:
            begins = "no history" if first is None else f"history from {format_instant(first)} only"
            result.warnings.append(
                f"expressions read {', '.join(names)} at offset {format_duration(offset)}: {begins} for "
                f"{format_instant(a)} to {format_instant(b)}; alerts comparing with that baseline stay quiet there")
    return result
