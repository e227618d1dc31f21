"""profiles: named overlays of the raw spec for non-production renders (e.g. `e2e`)."""

from __future__ import annotations

from typing import Any

from generators.durations import format_duration, parse_duration
from generators.loader.checker import Checker, SpecError
from generators.loader.source import LineMap

PROFILE_KEYS = ("settings", "routing", "deployment", "max_for")


def check_profiles(c: Checker, node: Any, line: int) -> None:
    """Every profile is checked, whether or not it is used in this build."""
    for _name, body, kline, p in c.entries(node, line, "profiles", "profile name"):
        m = c.mapping(body, p, kline, optional=PROFILE_KEYS)
        if m is None:
            continue
        for key in ("settings", "routing", "deployment"):
            if key in m and not isinstance(m[key], LineMap):
                c.error(m.key_lines[key], f"{p}.{key}", "expected a mapping merged over the spec's own")
        if "max_for" in m:
            c.duration(m, "max_for", p)


def apply_profile(raw: LineMap, name: str, file: str) -> list[SpecError]:
    """Overlay profiles.NAME on the raw spec (merge settings/routing, cap alert `for`)."""
    profiles = raw.get("profiles")
    if not isinstance(profiles, LineMap) or name not in profiles:
        known = ", ".join(sorted(profiles)) if isinstance(profiles, LineMap) else "none"
        line = getattr(profiles, "line", 1)
        return [SpecError(file, line, "profiles", f"no profile {name!r} (known: {known})")]
    overlay = profiles[name]
    if not isinstance(overlay, LineMap):
        return []  # reported by check_profiles
    for key in ("settings", "routing", "deployment"):
        if isinstance(overlay.get(key), LineMap) and isinstance(raw.get(key), LineMap):
            _merge(raw[key], overlay[key])
    cap = parse_duration(str(overlay.get("max_for", "")))
    if cap is not None and "max_for" in overlay:
        for alert in raw.get("alerts") or []:
            current = parse_duration(str(alert.get("for", ""))) if isinstance(alert, LineMap) else None
            if current is not None and current > cap:
                alert["for"] = format_duration(cap)
    return []


def _merge(base: LineMap, overlay: LineMap) -> None:
    for key, value in overlay.items():
        if isinstance(value, LineMap) and isinstance(base.get(key), LineMap):
            _merge(base[key], value)
        else:
            base[key] = value
            base.key_lines[key] = overlay.key_lines[key]
