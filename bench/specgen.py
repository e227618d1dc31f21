"""An N-times larger spec: every indicator, alert, SLO and dashboard row copied N times.

Only the parts of the spec format that any version of it must have are relied on: an
`indicators` mapping, an `alerts` list whose entries have `name`, `indicator` and
optionally `inhibits`, and `dashboards` whose `rows` hold `panels` whose targets name an
`indicator`. Copy n (1-based) renames indicator keys `key_rN` and alert names `NameRn`
(CamelCase), and every reference inside a copied alert or panel follows its copy, so the
result is a spec the validator accepts whenever the original is.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import yaml


class SpecShapeError(ValueError):
    """The spec lacks a section the generator needs; the message names it."""


def indicator_copy(key: str, n: int) -> str:
    return f"{key}_r{n}"


def alert_copy(name: str, n: int) -> str:
    return f"{name}R{n}"


def _rename_indicator_refs(node: Any, n: int, known: set[str]) -> Any:
    """Every `indicator: key` anywhere below node points at copy n (targets may nest)."""
    if isinstance(node, dict):
        return {
            k: indicator_copy(v, n) if k == "indicator" and isinstance(v, str) and v in known
            else _rename_indicator_refs(v, n, known)
            for k, v in node.items()
        }
    if isinstance(node, list):
        return [_rename_indicator_refs(item, n, known) for item in node]
    return node


def _section(spec: dict[str, Any], name: str, kind: type) -> Any:
    value = spec.get(name)
    if not isinstance(value, kind):
        raise SpecShapeError(f"spec section `{name}` must be a {kind.__name__}, got {type(value).__name__}")
    return value


def scale_spec(spec: dict[str, Any], times: int) -> dict[str, Any]:
    """The spec with its indicators, alerts and dashboard rows repeated `times` times."""
    if times < 1:
        raise ValueError(f"times must be >= 1, got {times}")
    indicators: dict[str, Any] = _section(spec, "indicators", dict)
    alerts: list[Any] = _section(spec, "alerts", list)
    known = set(indicators)
    alert_names = {a["name"] for a in alerts if isinstance(a, dict) and isinstance(a.get("name"), str)}
    scaled = dict(spec)
    scaled["indicators"] = {
        indicator_copy(key, n): copy.deepcopy(value) for n in range(1, times + 1) for key, value in indicators.items()
    }
    scaled["alerts"] = [_copy_alert(alert, n, known, alert_names) for n in range(1, times + 1) for alert in alerts]
    dashboards = spec.get("dashboards")
    if isinstance(dashboards, list):
        scaled["dashboards"] = [_scale_dashboard(d, times, known) for d in dashboards]
    slos = spec.get("slos")
    if isinstance(slos, dict):  # each copy's SLOs on that copy's indicators
        scaled["slos"] = {indicator_copy(key, n): _rename_indicator_refs(copy.deepcopy(value), n, known)
                          for n in range(1, times + 1) for key, value in slos.items()}
    return scaled


def _copy_alert(alert: Any, n: int, known: set[str], alert_names: set[str]) -> Any:
    if not isinstance(alert, dict):
        return copy.deepcopy(alert)
    copied = _rename_indicator_refs(copy.deepcopy(alert), n, known)
    if isinstance(copied.get("name"), str):
        copied["name"] = alert_copy(copied["name"], n)
    if isinstance(copied.get("inhibits"), list):
        copied["inhibits"] = [alert_copy(x, n) if x in alert_names else x for x in copied["inhibits"]]
    return copied


def _scale_dashboard(dashboard: Any, times: int, known: set[str]) -> Any:
    """Rows are repeated (titles suffixed), so panel titles stay unique within each row."""
    if not isinstance(dashboard, dict) or not isinstance(dashboard.get("rows"), list):
        return dashboard
    rows = []
    for n in range(1, times + 1):
        for row in dashboard["rows"]:
            copied = _rename_indicator_refs(copy.deepcopy(row), n, known)
            if isinstance(copied, dict) and isinstance(copied.get("title"), str):
                copied["title"] = f"{copied['title']} (r{n})"
            rows.append(copied)
    return {**dashboard, "rows": rows}


def counts(spec: dict[str, Any]) -> dict[str, int]:
    """Sizes a reader of the bench table wants: alerts, indicators, dashboard panels."""
    panels = sum(
        len(row.get("panels") or [])
        for d in spec.get("dashboards") or [] if isinstance(d, dict)
        for row in d.get("rows") or [] if isinstance(row, dict)
    )
    return {"alerts": len(spec.get("alerts") or []), "indicators": len(spec.get("indicators") or {}),
            "panels": panels}


def write_scaled_spec(source: Path, times: int, out: Path) -> dict[str, int]:
    spec = yaml.safe_load(source.read_text())
    if not isinstance(spec, dict):
        raise SpecShapeError(f"{source}: the spec must be a mapping")
    scaled = scale_spec(spec, times)
    out.write_text(yaml.safe_dump(scaled, sort_keys=False, allow_unicode=True, width=1000))
    return counts(scaled)
