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


def humanize(value: float) -> str:
    if value == 0 or math.isnan(value) or math.isinf(value):
        return _g4(value)
    if abs(value) >= 1:
        prefix = ""
        for p in ("k", "M", "G", "T", "P", "E", "Z", "Y"):
            if abs(value) < 1000:
                break
            prefix = p
            value /= 1000
        return _g4(value) + prefix
    prefix = ""
    for p in ("m", "u", "n", "p", "f", "a", "z", "y"):
        if abs(value) >= 1:
            break
        prefix = p
        value *= 1000
    return _g4(value) + prefix


def humanize1024(value: float) -> str:
    if abs(value) <= 1 or math.isnan(value) or math.isinf(value):
        return _g4(value)
    prefix = ""
    for p in ("ki", "Mi", "Gi", "Ti", "Pi", "Ei", "Zi", "Yi"):
        if abs(value) < 1024:
            break
        prefix = p
        value /= 1024
    return _g4(value) + prefix


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
    prefix = ""
    for p in ("m", "u", "n", "p", "f", "a", "z", "y"):
        if abs(value) >= 1:
            break
        prefix = p
        value *= 1000
    return f"{_g4(value)}{prefix}s"


def humanize_percentage(value: float) -> str:
    return _g4(value * 100) + "%"
