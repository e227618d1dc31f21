"""What the benchmark needs to know about a Prometheus rule file, read from the file itself:
its groups and intervals, how far back its selectors reach, and which metrics it reads
with a long offset (those need history from that long ago)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

_UNITS = {"ms": 0.001, "s": 1, "m": 60, "h": 3600, "d": 86400, "w": 7 * 86400, "y": 365 * 86400}
_DURATION = r"(?:\d+(?:ms|[smhdwy]))+"
_RANGE = re.compile(rf"\[\s*({_DURATION})\s*(?::\s*(?:{_DURATION})?\s*)?\]")
# name{matchers}[range] offset d: the offset applies to that selector
_OFFSET_SELECTOR = re.compile(
    rf"([a-zA-Z_:][a-zA-Z0-9_:]*)\s*(?:\{{[^}}]*\}})?\s*(?:\[\s*({_DURATION})[^\]]*\])?\s*offset\s+({_DURATION})")
LOOKBACK = 300.0  # Prometheus' default lookback delta for instant selectors


class RuleFileError(ValueError):
    pass


def seconds(text: str) -> float:
    parts = re.findall(r"(\d+)(ms|[smhdwy])", text)
    if not parts or "".join(n + u for n, u in parts) != text:
        raise ValueError(f"not a Prometheus duration: {text!r}")
    return sum(int(n) * _UNITS[u] for n, u in parts)


@dataclass(frozen=True)
class OffsetRead:
    metric: str  # the selector's metric name
    range_seconds: float  # 0 for an instant selector (then the lookback applies)
    offset_seconds: float

    @property
    def reach(self) -> float:
        return self.offset_seconds + (self.range_seconds or LOOKBACK)


@dataclass(frozen=True)
class RuleFile:
    path: Path
    groups: list[dict[str, Any]]
    longest_range: float
    offset_reads: list[OffsetRead]

    def interval(self, group: dict[str, Any], default: float) -> float:
        return seconds(group["interval"]) if group.get("interval") else default


def load_rule_file(path: Path) -> RuleFile:
    try:
        document = yaml.safe_load(path.read_text())
    except (OSError, yaml.YAMLError) as exc:
        raise RuleFileError(f"{path}: cannot read the rule file: {exc}") from exc
    groups = document.get("groups") if isinstance(document, dict) else None
    if not isinstance(groups, list) or not groups:
        raise RuleFileError(f"{path}: no `groups` list; is this a Prometheus rule file?")
    exprs = [str(rule.get("expr", "")) for group in groups for rule in group.get("rules") or []]
    ranges = [seconds(m.group(1)) for expr in exprs for m in _RANGE.finditer(expr)]
    offsets = [
        OffsetRead(m.group(1), seconds(m.group(2)) if m.group(2) else 0.0, seconds(m.group(3)))
        for expr in exprs for m in _OFFSET_SELECTOR.finditer(expr)
    ]
    return RuleFile(path, groups, max(ranges, default=LOOKBACK), offsets)


def with_interval(rule_file: RuleFile, interval: str, out: Path) -> None:
    """A copy of the rule file with every group evaluated every `interval`."""
    groups = [{**group, "interval": interval} for group in rule_file.groups]
    out.write_text(yaml.safe_dump({"groups": groups}, sort_keys=False, width=1000))
