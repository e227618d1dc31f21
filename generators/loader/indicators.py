"""indicators: the generic fields here, everything kind-specific in the kind's module."""

from __future__ import annotations

from typing import Any

from generators.kinds import KINDS
from generators.loader.checker import KEY_RE, Checker, describe
from generators.loader.source import LineMap
from generators.loader.values import template_problem
from generators.model import UNITS, Indicator, Metric

MAX_TITLE = 120


def load_indicators(c: Checker, node: Any, line: int, metrics: dict[str, Metric]) -> dict[str, Indicator]:
    result: dict[str, Indicator] = {}
    for key, body, kline, p in c.entries(node, line, "indicators", "indicator key"):
        if not KEY_RE.match(key):
            c.error(kline, p, "indicator keys are snake_case, e.g. ingestion_success")
            continue
        kind_name = body.get("kind") if isinstance(body, LineMap) else None
        kind = KINDS.get(kind_name) if isinstance(kind_name, str) else None
        if kind is None:
            c.error(c.line_of(body, "kind", kline), f"{p}.kind",
                    f"unknown kind {describe(kind_name)}; one of: {', '.join(KINDS)}")
            continue
        m = c.mapping(body, p, kline, required=("kind", "title", *kind.required), optional=("by", *kind.optional))
        if m is None or any(field not in m for field in kind.required):
            continue
        title = c.text(m, "title", p, check=lambda v: template_problem(v) or (
            f"at most {MAX_TITLE} characters" if len(v) > MAX_TITLE else None))
        unit = kind.unit or c.value(m, "unit", p, str, None, lambda v: None if v in UNITS
                                    else f"must be one of {', '.join(UNITS)}")
        by = _by(c, m, p, [m.get(role) for role in kind.metric_types], metrics)
        if not title or unit is None or by is None:
            continue
        indicator = kind.parse(c, m, p, {"key": key, "title": title, "unit": unit, "by": by}, metrics)
        if indicator is not None:
            result[key] = indicator
    return result


def _by(c: Checker, m: LineMap, p: str, names: list[Any], metrics: dict[str, Metric]) -> tuple[str, ...] | None:
    """`by` labels must be labels of every metric the indicator reads, so no side of a
    ratio loses them."""
    if "by" not in m:
        return ()
    by = c.value(m, "by", p, list, None)
    if by is None:
        return None
    read = [metrics[n] for n in names if isinstance(n, str) and n in metrics]
    out = []
    for i, label in enumerate(by):
        missing = [mt.name for mt in read if not isinstance(label, str) or label not in mt.labels]
        if missing:
            c.error(by.item_lines[i], f"{p}.by[{i}]",
                    f"label {describe(label)} is not a label of {', '.join(missing)} in the catalogue")
            return None
        out.append(label)
    if len(set(out)) != len(out):
        c.error(m.key_lines["by"], f"{p}.by", "list each label once")
        return None
    return tuple(out)
