"""dashboards: panels whose targets name indicators (their recorded series)."""

from __future__ import annotations

from typing import Any

from generators.loader.checker import KEY_RE, Checker
from generators.loader.values import template_problem
from generators.model import UNITS, Dashboard, Indicator, Panel, Row, Target

BUILTIN_TARGETS = ("firing_alerts",)
MAX_TITLE = 120


def load_dashboards(c: Checker, node: Any, line: int, indicators: dict[str, Indicator]) -> list[Dashboard]:
    result: list[Dashboard] = []
    keys: set[str] = set()
    for _, body, iline, p in c.items(node, line, "dashboards", "dashboards"):
        m = c.mapping(body, p, iline, required=("key", "title", "description", "rows"))
        if m is None:
            continue
        key = c.value(m, "key", p, str, "", lambda v: None if KEY_RE.match(v) else "snake_case key")
        if key in keys:
            c.error(m.key_lines["key"], f"{p}.key", f"duplicate dashboard key {key!r}")
        keys.add(key)
        rows = []
        for _, row_body, rline, rp in c.items(m.get("rows"), c.line_of(m, "rows"), f"{p}.rows", "rows"):
            rm = c.mapping(row_body, rp, rline, required=("title", "panels"))
            if rm is None:
                continue
            panels = []
            for _, panel_body, pline, pp in c.items(rm.get("panels"), c.line_of(rm, "panels"), f"{rp}.panels",
                                                   "panels"):
                panel = _panel(c, panel_body, pp, pline, indicators)
                if panel is not None:
                    panels.append(panel)
            rows.append(Row(_title(c, rm, rp), tuple(panels)))
        result.append(Dashboard(key, _title(c, m, p), c.text(m, "description", p, check=template_problem),
                                tuple(rows)))
    return result


def _title(c: Checker, m: Any, p: str) -> str:
    return c.text(m, "title", p, check=lambda v: template_problem(v) or (
        f"at most {MAX_TITLE} characters" if len(v) > MAX_TITLE else None))


def _panel(c: Checker, node: Any, p: str, line: int, indicators: dict[str, Indicator]) -> Panel | None:
    m = c.mapping(node, p, line, required=("title", "targets"), optional=("type", "unit"))
    if m is None:
        return None
    ptype = c.value(m, "type", p, str, "timeseries", lambda v: None if v in ("timeseries", "stat")
                    else "must be timeseries or stat")
    unit = c.value(m, "unit", p, str, None, lambda v: None if v in UNITS else f"must be one of {', '.join(UNITS)}")
    targets = []
    for _, body, tline, tp in c.items(m.get("targets"), c.line_of(m, "targets"), f"{p}.targets", "targets"):
        tm = c.mapping(body, tp, tline, required=("legend",), optional=("indicator", "expr", "builtin"))
        if tm is None:
            continue
        ind = c.value(tm, "indicator", tp, str, "")
        builtin = c.value(tm, "builtin", tp, str, "")
        expr = c.text(tm, "expr", tp)
        if bool(ind) == bool(builtin):
            c.error(tm.line, tp, "give exactly one of indicator or builtin")
            continue
        if ind and not c.reference(tm.key_lines["indicator"], f"{tp}.indicator", "indicators", "indicator",
                                   ind, indicators):
            return None
        if builtin and builtin not in BUILTIN_TARGETS:
            c.error(tm.key_lines["builtin"], f"{tp}.builtin", f"one of {', '.join(BUILTIN_TARGETS)}")
            continue
        if expr and (problem := _expr_problem(expr)):
            c.error(tm.key_lines["expr"], f"{tp}.expr", problem)
            continue
        legend = c.text(tm, "legend", tp)
        targets.append(Target(legend=legend, indicator=ind, expr=expr, builtin=builtin))
    if "targets" in m and not targets and not any(e.field.startswith(f"{p}.targets") for e in c.errors):
        c.error(m.line, p, "a panel needs at least one target")
    title = _title(c, m, p)
    if not targets or not title:
        return None
    return Panel(title, ptype, tuple(targets), unit)


def _expr_problem(expr: str) -> str | None:
    """A transform of the recorded series: it must contain {series} and parse as PromQL."""
    import promql_parser

    if "{series}" not in expr:
        return "must contain {series}, the recorded series"
    try:
        promql_parser.parse(expr.replace("{series}", "recorded_series"))
    except Exception as exc:  # the parser raises plain exceptions with its message
        return f"not valid PromQL once {{series}} is filled in ({str(exc)[:120]})"
    return None
