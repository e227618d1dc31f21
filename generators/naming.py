"""Names of recorded series: `level:metric:operations` (the Prometheus convention).

`level` lists the labels the series keeps (`cluster_provider`), `metric` is the raw metric
without `_total`, `operations` says what was done (`rate5m`, `success_ratio_rate10m`).
Rules, dashboards, docs and the simulator's checks all name series through here.
"""

from __future__ import annotations

from generators.durations import format_duration


def level(labels: tuple[str, ...]) -> str:
    return "_".join(labels) or "global"


def base(metric: str) -> str:
    return metric.removesuffix("_total")


def recorded(labels: tuple[str, ...], metric: str, operation: str) -> str:
    return f"{level(labels)}:{base(metric)}:{operation}"


def windowed(operation: str, window: int) -> str:
    """'rate' + 300 -> 'rate5m'."""
    return f"{operation}{format_duration(window)}"


def is_name_part(text: str) -> bool:
    """Whether a label value may appear inside a recorded series name."""
    return bool(text) and all(ch.isascii() and (ch.isalnum() or ch == "_") for ch in text)
