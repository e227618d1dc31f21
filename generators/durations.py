"""Prometheus durations: parse the spec's text, print the canonical form.

Shared by the loader, every renderer and the simulator, so one definition decides what
'1h30m' means everywhere.
"""

from __future__ import annotations

import re
from functools import lru_cache

_DURATION_RE = re.compile(r"^(?:(\d{1,7})w)?(?:(\d{1,7})d)?(?:(\d{1,7})h)?(?:(\d{1,7})m)?(?:(\d{1,7})s)?$")
_UNITS = (604800, 86400, 3600, 60, 1)

# Longer than anything a monitoring rule needs (SLO windows are 28-30d, `for` minutes);
# the cap keeps a typo like `for: 1040w` from asking for years of fixtures.
MAX_DURATION = 90 * 86400


def parse_duration(text: str) -> int | None:
    """Prometheus-style duration ('5m', '1h30m', '1w') in seconds; None when malformed."""
    match = _DURATION_RE.match(text)
    if not text or not match:
        return None
    return sum(int(g) * unit for g, unit in zip(match.groups(), _UNITS, strict=True) if g)


@lru_cache(maxsize=4096, typed=True)  # called ~50 times per alert with a few distinct values
def format_duration(seconds: int) -> str:
    """The canonical Prometheus duration for a number of seconds (90 -> '1m30s')."""
    if seconds == 0:
        return "0s"
    parts = []
    for suffix, unit in zip("wdhms", _UNITS, strict=True):
        count, seconds = divmod(seconds, unit)
        if count:
            parts.append(f"{count}{suffix}")
    return "".join(parts)
