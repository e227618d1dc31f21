"""The one layer between grafanalib and the JSON we ship.

grafanalib 0.7.1 writes the dashboard model of Grafana 5-era: schemaVersion 12, legacy
keys (`rows`, `span`, `style`, `sharedCrosshair`, `query`/`step`/`intervalFactor` on
targets, ...), `null` everywhere, a `"null"`-ish empty string for stat threshold steps, and
`datasource` as a bare name. Grafana 11/12 migrate that on import and save something else,
so re-exports would diff forever. Here each object is rebuilt from the keys current
Grafana writes (the allowlists follow Grafana's own JSON Schemas, copied under
tests/grafana_schema), datasources become `{type, uid}` bound to the `datasource`
variable, and missing options get Grafana's defaults. The only `null`s left are threshold
base steps, which is how Grafana itself serialises "from -Infinity".
"""

from __future__ import annotations

from typing import Any

from grafanalib import core as G

SCHEMA_VERSION = 39
DATASOURCE = {"type": "prometheus", "uid": "${datasource}"}

_DASHBOARD_KEYS = (
    "description", "uid", "title", "tags", "timezone", "editable", "graphTooltip", "time",
    "timepicker", "fiscalYearStartMonth", "liveNow", "weekStart", "refresh", "schemaVersion",
    "version", "links", "annotations", "templating", "panels",
)
_PANEL_KEYS = (
    "type", "id", "title", "description", "datasource", "gridPos", "targets", "options",
    "fieldConfig", "links", "transparent",
)
_ROW_KEYS = ("type", "id", "title", "collapsed", "gridPos", "panels")
_TARGET_KEYS = ("datasource", "refId", "expr", "legendFormat", "range", "instant", "editorMode")
_STAT_DEFAULTS = {
    "wideLayout": True,
    "showPercentChange": False,
    "percentChangeColorMode": "standard",
}


_LEAVES = (str, int, float, bool, type(None))


def _plain_deep(value: Any) -> Any:
    kind = type(value)
    if kind in _LEAVES:  # most values; hasattr() on them is a caught AttributeError each
        return value
    if kind is dict:
        return {k: v if type(v) in _LEAVES else _plain_deep(v) for k, v in value.items()}
    if hasattr(value, "to_json_data"):
        return _plain_deep(value.to_json_data())
    if isinstance(value, dict):
        return {k: _plain_deep(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain_deep(v) for v in value]
    return value


def _drop_nulls(value: Any) -> Any:
    if type(value) in _LEAVES:
        return value
    if isinstance(value, dict):
        return {k: _drop_nulls(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_drop_nulls(v) for v in value]
    return value


def _pick(data: dict[str, Any], keys: tuple[str, ...]) -> dict[str, Any]:
    return {k: data[k] for k in keys if k in data and data[k] is not None}


def _target(data: dict[str, Any]) -> dict[str, Any]:
    out = _pick({**data, "datasource": DATASOURCE, "range": True, "instant": False,
                 "editorMode": "code"}, _TARGET_KEYS)
    return out


def _thresholds(steps: Any) -> dict[str, Any]:
    # grafanalib's Stat writes "" when no steps are given; Grafana writes a green base.
    if not steps:
        steps = [{"color": "green", "value": None}]
    return {"mode": "absolute", "steps": [{"color": s["color"], "value": _number(s.get("value"))} for s in steps]}


def _number(value: float | None) -> float | int | None:
    """1.0 -> 1, as Grafana writes it."""
    return int(value) if isinstance(value, float) and value.is_integer() else value


def _field_config(data: dict[str, Any], panel_type: str) -> dict[str, Any]:
    defaults = data.get("defaults", {})
    steps = defaults.get("thresholds", {}).get("steps")
    clean = _drop_nulls({k: v for k, v in defaults.items() if k != "thresholds"})
    if clean.get("custom", {}).get("stacking") == {}:  # Grafana's explicit "no stacking"
        clean["custom"]["stacking"] = {"group": "A", "mode": "none"}
    if panel_type == "stat":
        clean.pop("noValue", None)  # grafanalib's "none" text would replace a real 0
        clean.setdefault("color", {"mode": "thresholds"})
    clean["thresholds"] = _thresholds(steps)
    return {"defaults": dict(sorted(clean.items())), "overrides": data.get("overrides", [])}


def _options(data: dict[str, Any], panel_type: str) -> dict[str, Any]:
    options = _drop_nulls(data)
    if panel_type == "stat":
        options = {**_STAT_DEFAULTS, **options}
        options["reduceOptions"] = {"calcs": ["lastNotNull"], "fields": "", "values": False}
    if "legend" in options:
        options["legend"] = {"showLegend": True, **options["legend"]}
    return options


def _shallow(obj: Any, keys: tuple[str, ...]) -> dict[str, Any]:
    """obj's JSON data, converted deeply only for the keys we keep (grafanalib's full
    model of a panel is large, and most of it is dropped here)."""
    data = obj.to_json_data()
    return {k: _plain_deep(data[k]) for k in keys if k in data}


_PANEL_INPUT_KEYS = tuple(dict.fromkeys((*_PANEL_KEYS, *_ROW_KEYS)))


def panel_json(panel: Any) -> dict[str, Any]:
    data = _shallow(panel, _PANEL_INPUT_KEYS)
    if data["type"] == "row":
        out = _pick(data, _ROW_KEYS)
        out["panels"] = []
        return out
    out = _pick(data, _PANEL_KEYS)
    out["datasource"] = DATASOURCE
    out["targets"] = [_target(t) for t in data.get("targets", [])]
    out["fieldConfig"] = _field_config(data.get("fieldConfig", {}), data["type"])
    out["options"] = _options(data.get("options", {}), data["type"])
    if not out.get("description"):
        out.pop("description", None)
    return {k: out[k] for k in _PANEL_KEYS if k in out}


def dashboard_json(
    dashboard: G.Dashboard,
    variables: list[dict[str, Any]],
    links: list[dict[str, Any]],
) -> dict[str, Any]:
    data = _shallow(dashboard, tuple(k for k in _DASHBOARD_KEYS if k != "panels"))
    out = _pick(data, _DASHBOARD_KEYS)
    out["schemaVersion"] = SCHEMA_VERSION
    out["panels"] = [panel_json(p) for p in dashboard.panels]
    out["templating"] = {"list": variables}
    out["links"] = links
    out["annotations"] = {"list": [BUILTIN_ANNOTATION]}
    out["timepicker"] = {}
    out["fiscalYearStartMonth"] = 0
    out["liveNow"] = False
    out["weekStart"] = ""
    out["version"] = 1
    return {k: out[k] for k in _DASHBOARD_KEYS if k in out}


# What Grafana adds to every new dashboard: alert and annotation events on all panels.
BUILTIN_ANNOTATION = {
    "builtIn": 1,
    "datasource": {"type": "grafana", "uid": "-- Grafana --"},
    "enable": True,
    "hide": True,
    "iconColor": "rgba(0, 211, 255, 1)",
    "name": "Annotations & Alerts",
    "type": "dashboard",
}


def datasource_variable() -> dict[str, Any]:
    return {
        "type": "datasource",
        "name": "datasource",
        "label": "Data source",
        "query": "prometheus",
        "current": {"text": "default", "value": "default"},
        "hide": 0,
        "includeAll": False,
        "multi": False,
        "options": [],
        "refresh": 1,
        "regex": "",
        "skipUrlSync": False,
    }


def label_variable(name: str, query: str) -> dict[str, Any]:
    """A multi-value label filter; All matches series without the label too (.*)."""
    return {
        "type": "query",
        "name": name,
        "label": name,
        "datasource": DATASOURCE,
        "definition": query,
        "query": query,
        "current": {"text": ["All"], "value": ["$__all"]},
        "hide": 0,
        "includeAll": True,
        "allValue": ".*",
        "multi": True,
        "options": [],
        "refresh": 2,
        "regex": "",
        "sort": 1,
        "skipUrlSync": False,
    }
