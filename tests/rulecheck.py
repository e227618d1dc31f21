"""Rule conventions checked on the generated rule file (mixtool/pint style).

Kept apart from the tests so the same checks run on any rule file; each function
returns a list of problems (empty when the rule is fine).
"""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import promql_parser

SEVERITIES = ("critical", "warning", "info")
_HISTOGRAM_SUFFIXES = ("_bucket", "_count", "_sum")


def selectors_and_ranges(expr: str) -> tuple[set[str], list[tuple[str, timedelta]]]:
    """Metric names selected and range-vector windows used by a PromQL expression, each
    window with the name it reads."""
    names: set[str] = set()
    ranges: list[tuple[str, timedelta]] = []

    def visit(node: Any) -> None:
        if isinstance(node, promql_parser.VectorSelector) and node.name:
            names.add(node.name)
        if isinstance(node, promql_parser.MatrixSelector):
            ranges.append((node.vector_selector.name or "", node.range))

    promql_parser.walk(promql_parser.parse(expr), pre_visit=visit)
    return names, ranges


def allowed_metric_names(catalogue: dict[str, str], recorded: set[str]) -> set[str]:
    """catalogue: metric name -> type. ALERTS is what Prometheus writes for alerting rules
    (the recovery-tail clause reads the inhibitor's firing state from it)."""
    allowed = set(recorded) | {"ALERTS"}
    for name, mtype in catalogue.items():
        allowed.add(name)
        if mtype == "histogram":
            allowed.update(name + suffix for suffix in _HISTOGRAM_SUFFIXES)
    return allowed


def check_expression(expr: str, allowed: set[str], min_range: timedelta) -> list[str]:
    """Unknown metric names, and ranges over scraped series shorter than `min_range` (4x the
    scrape interval: fewer samples than rate() needs through a failed scrape). A range over
    a recorded series (`:` in its name) reads one sample per evaluation, not per scrape."""
    names, ranges = selectors_and_ranges(expr)
    problems = [f"metric {n!r} is neither in the catalogue nor a recording rule"
                for n in sorted(names - allowed)]
    problems += [f"range [{r}] is shorter than 4x the scrape interval ({min_range})"
                 for name, r in ranges if r < min_range and ":" not in name]
    return problems


def check_alert_conventions(rule: dict[str, Any], prefix: str) -> list[str]:
    problems = []
    name = rule["alert"]
    if not re.fullmatch(rf"{prefix}[A-Z][A-Za-z0-9]*", name):
        problems.append(f"name must be CamelCase starting with {prefix}")
    labels = rule.get("labels", {})
    if labels.get("severity") not in SEVERITIES:
        problems.append(f"severity must be one of {SEVERITIES}")
    ann = rule.get("annotations", {})
    summary = ann.get("summary", "")
    if not summary.endswith(".") or "{{" in summary:
        problems.append("summary must be static and end with a period")
    if "{{" not in ann.get("description", ""):
        problems.append("description must be templated (mention $value or $labels)")
    for key in ("runbook_url", "dashboard_url"):
        if not ann.get(key, "").startswith("http"):
            problems.append(f"{key} annotation missing")
    return problems


def github_anchors(markdown: str) -> set[str]:
    """Anchors GitHub gives the headings of a Markdown document."""
    anchors = set()
    for line in markdown.splitlines():
        match = re.match(r"^#{1,6}\s+(.*)$", line)
        if match:
            text = match.group(1).strip().lower()
            anchors.add(re.sub(r"[^\w\- ]", "", text).replace(" ", "-"))
    return anchors
