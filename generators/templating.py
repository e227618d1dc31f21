"""Alert description templates, rendered two ways from one definition.

A description is a list of parts. `go_template` turns it into the Go template Prometheus
renders; `render_expected` renders the same parts in Python, exactly as Prometheus would,
so the generated promtool tests can assert the full annotation text. The humanize
functions mirror Prometheus' template functions (template/template.go) byte for byte.
"""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class Text:
    text: str


@dataclass(frozen=True)
class Value:
    unit: str  # the model's Unit


@dataclass(frozen=True)
class Label:
    name: str
    before: str  # text shown before the value
    optional: bool  # rendered only when the alert has the label


Part = Text | Value | Label

# unit -> (Go template pipeline applied to $value, suffix)
_GO_FORMAT = {
    "ratio": ("humanizePercentage", ""),
    "seconds": ("humanizeDuration", ""),
    "percent": ("humanize", "%"),
    "per_second": ("humanize", "/s"),
    "count": ("humanize", ""),
    "bytes": ("humanize1024", "B"),
}


def go_template(parts: list[Part]) -> str:
    out = []
    for part in parts:
        if isinstance(part, Text):
            out.append(part.text)
        elif isinstance(part, Value):
            fn, suffix = _GO_FORMAT[part.unit]
            out.append(f"{{{{ $value | {fn} }}}}{suffix}")
        elif part.optional:
            out.append(f"{{{{ with $labels.{part.name} }}}}{part.before}{{{{ . }}}}{{{{ end }}}}")
        else:
            out.append(f"{part.before}{{{{ $labels.{part.name} }}}}")
    return "".join(out)


def render_expected(parts: list[Part], value: float, labels: dict[str, str]) -> str:
    out = []
    for part in parts:
        if isinstance(part, Text):
            out.append(part.text)
        elif isinstance(part, Value):
            out.append(format_value(part.unit, value))
        elif part.name in labels and labels[part.name] != "":
            out.append(part.before + labels[part.name])
        elif not part.optional:
            out.append(part.before)
    return "".join(out)


def format_value(unit: str, value: float) -> str:
    fn, suffix = _GO_FORMAT[unit]
    return {
        "humanize": humanize,
        "humanize1024": humanize1024,
        "humanizeDuration": humanize_duration,
        "humanizePercentage": humanize_percentage,
    }[fn](value) + suffix


def _g4(value: float) -> str:
    """Go's %.4g (same as C's, except Go prints +Inf/NaN as such)."""
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "+Inf" if value > 0 else "-Inf"
    return "%.4g" % value  # noqa: UP031 - printf semantics are the point


_BIG = ("k", "M", "G", "T", "P", "E", "Z", "Y")
_SMALL = ("m", "u", "n", "p", "f", "a", "z", "y")


def _scale_down(value: float, prefixes: tuple[str, ...], base: float) -> tuple[float, str]:
    """Divide by base while |value| >= base, as Go's humanize loops do."""
    prefix = ""
    for p in prefixes:
        if abs(value) < base:
            break
        prefix, value = p, value / base
    return value, prefix


def _scale_up(value: float) -> tuple[float, str]:
    """Multiply by 1000 while |value| < 1 (milli, micro, ...)."""
    prefix = ""
    for p in _SMALL:
        if abs(value) >= 1:
            break
        prefix, value = p, value * 1000
    return value, prefix


def humanize(value: float) -> str:
    if value == 0 or math.isnan(value) or math.isinf(value):
        return _g4(value)
    scaled, prefix = _scale_down(value, _BIG, 1000) if abs(value) >= 1 else _scale_up(value)
    return _g4(scaled) + prefix


def humanize1024(value: float) -> str:
    if abs(value) <= 1 or math.isnan(value) or math.isinf(value):
        return _g4(value)
    scaled, prefix = _scale_down(value, ("ki", "Mi", "Gi", "Ti", "Pi", "Ei", "Zi", "Yi"), 1024)
    return _g4(scaled) + prefix


def humanize_duration(value: float) -> str:
    if math.isnan(value) or math.isinf(value):
        return _g4(value)
    if value == 0:
        return _g4(value) + "s"
    if abs(value) >= 1:
        sign = ""
        if value < 0:
            sign, value = "-", -value
        duration = int(value)
        seconds = duration % 60
        minutes = (duration // 60) % 60
        hours = (duration // 3600) % 24
        days = duration // 86400
        if days:
            return f"{sign}{days}d {hours}h {minutes}m {seconds}s"
        if hours:
            return f"{sign}{hours}h {minutes}m {seconds}s"
        if minutes:
            return f"{sign}{minutes}m {seconds}s"
        return f"{sign}{_g4(value)}s"
    scaled, prefix = _scale_up(value)
    return f"{_g4(scaled)}{prefix}s"


def humanize_percentage(value: float) -> str:
    return _g4(value * 100) + "%"
