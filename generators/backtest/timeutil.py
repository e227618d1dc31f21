"""Durations and instants as the command line and the reports spell them."""

from __future__ import annotations

import math
import re
from datetime import UTC, datetime

_DURATION_RE = re.compile(r"^(?:(\d+)y)?(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?(?:(\d+)ms)?$")
_UNITS = (365 * 86400, 7 * 86400, 86400, 3600, 60, 1, 0.001)


class TimeInputError(ValueError):
    pass


def parse_duration(text: str, what: str = "duration") -> float:
    """A Prometheus duration ('30s', '1h30m', '7d') in seconds."""
    match = _DURATION_RE.match(text.strip())
    if not text.strip() or not match or not any(match.groups()):
        raise TimeInputError(f"{what}: {text!r} is not a duration; write e.g. 30s, 5m, 1h30m, 7d")
    return float(sum(int(g) * unit for g, unit in zip(match.groups(), _UNITS, strict=True) if g))


def format_duration(seconds: float) -> str:
    """Canonical Prometheus duration ('1h30m', '45s'); sub-second parts as ms."""
    if seconds < 0:
        return "-" + format_duration(-seconds)
    millis = round(seconds * 1000)
    if millis == 0:
        return "0s"
    parts = []
    for suffix, unit in (("w", 604800000), ("d", 86400000), ("h", 3600000), ("m", 60000), ("s", 1000),
                         ("ms", 1)):
        count, millis = divmod(millis, unit)
        if count:
            parts.append(f"{count}{suffix}")
    return "".join(parts)


def human_duration(seconds: float) -> str:
    """Short reading form for reports: '2h 5m', '40s', '3d 4h'."""
    seconds = round(seconds)
    if seconds < 60:
        return f"{seconds}s"
    parts = []
    for suffix, unit in (("d", 86400), ("h", 3600), ("m", 60), ("s", 1)):
        count, seconds = divmod(seconds, unit)
        if count:
            parts.append(f"{count}{suffix}")
    return " ".join(parts[:2])


def parse_instant(text: str, what: str) -> float:
    """RFC 3339 ('2024-05-01T10:00:00Z') or a Unix timestamp in seconds."""
    text = text.strip()
    try:
        value = float(text)
    except ValueError:
        pass
    else:
        if math.isfinite(value):
            return value
        raise TimeInputError(f"{what}: {text!r} is not a finite Unix timestamp")
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        raise TimeInputError(
            f"{what}: {text!r} is neither RFC 3339 (2024-05-01T10:00:00Z) nor a Unix timestamp") from None
    if parsed.tzinfo is None:
        raise TimeInputError(f"{what}: {text!r} has no time zone; add Z for UTC or an offset like +02:00")
    return parsed.timestamp()


def format_instant(ts: float) -> str:
    """UTC, second precision, the same in every report: 2024-05-01T10:00:00Z."""
    return datetime.fromtimestamp(ts, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
