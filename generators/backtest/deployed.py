"""What the server already evaluates: its rule groups (/api/v1/rules) and since when it records.

A recording the server evaluates with the same expression has samples only from its first
evaluation on (the rules were deployed, or the server started, then): a live alert reading
it over a range reads nothing before. The backtest reproduces that for unchanged recordings
(inline.py filters the subquery points before that instant) so a period just after a
deployment backtests as the live server evaluated it; a recording the server does not have,
or has with another expression, is backtested as if it had always been deployed.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from generators.backtest.client import PrometheusClient
from generators.backtest.promql_text import Printer, Untranslatable, parse, quote
from generators.backtest.rulefile import RecordingRule


@dataclass
class Deployed:
    groups: dict[str, tuple[str, float]] = field(default_factory=dict)  # name -> (rule file, interval)
    recordings: dict[tuple[str, str], str] = field(default_factory=dict)  # (group, record) -> canonical expr


def canonical(expr: str) -> str | None:
    """One text per PromQL tree (the server prints rules its own way), None if it does not parse."""
    try:
        return Printer().expr(parse(expr, "rule"))
    except (Untranslatable, ValueError):
        return None


def deployed_rules(client: PrometheusClient | None) -> Deployed:
    """The server's rule groups, or nothing when it has no rules API (Thanos query, Mimir without ruler)."""
    out = Deployed()
    data = client.status("/api/v1/rules") if client is not None else None
    groups = data.get("groups") if isinstance(data, dict) else None
    for group in groups if isinstance(groups, list) else []:
        if not isinstance(group, dict):
            continue
        name, file, interval = group.get("name"), group.get("file"), group.get("interval")
        if not (isinstance(name, str) and isinstance(file, str) and isinstance(interval, (int, float))
                and interval > 0) or name in out.groups:
            continue
        out.groups[name] = (file, float(interval))
        for rule in group.get("rules") or []:
            if isinstance(rule, dict) and rule.get("type") == "recording" and isinstance(rule.get("query"), str):
                text = canonical(rule["query"])
                if text is not None and isinstance(rule.get("name"), str):
                    out.recordings[(name, rule["name"])] = text
    return out


def recorded_since(client: PrometheusClient, deployed: Deployed, recordings: list[RecordingRule], start: float,
                   end: float) -> dict[str, float]:
    """Recorded name -> its first sample in [start, end], for recordings the server evaluates with
    the same expression and labels, whose first sample is after `start` (else not listed)."""
    out: dict[str, float] = {}
    by_name: dict[str, list[RecordingRule]] = {}
    for rule in recordings:
        by_name.setdefault(rule.record, []).append(rule)
    for name, rules in sorted(by_name.items()):
        if len(rules) != 1 or rules[0].labels:
            continue  # several rules (or static labels) per name: which one began when is not worth guessing
        rule = rules[0]
        if deployed.recordings.get((rule.group, name)) != canonical(rule.expr):
            continue
        # the earliest sample's timestamp: at each subquery point (one per interval) timestamp()
        # returns the latest sample, so the first point after the first sample returns it
        window = max(rule.interval, math.ceil((end - start) / rule.interval) * rule.interval)
        selector = "{__name__=" + quote(name) + "}"
        query = f"min(min_over_time(timestamp({selector})[{int(window * 1000)}ms:{int(rule.interval * 1000)}ms]))"
        result = client.query_range(query, end, end, rule.interval, f"the first sample of {name}")
        first = float(result[0]["values"][0][1]) if result and result[0]["values"] else None
        if first is not None and first > start:
            out[name] = first
    return out
