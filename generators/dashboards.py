"""Render the Grafana dashboards of the spec with grafanalib.

Panels read the indicators' recorded series (the ones alerts evaluate), draw each alert's
threshold as a dashed line with the alert's own value, and describe the alert with a link
to its runbook. Ids and UIDs come from generators.layout, so alert links open these panels.
"""

from __future__ import annotations

from typing import Any

from grafanalib import core as G

from generators.durations import format_duration
from generators.grafana_json import dashboard_json, datasource_variable, label_variable
from generators.jsonout import dump_json
from generators.kinds import kind_of
from generators.layout import alerts_on_panel, dashboard_uid, drawn_alerts, placed_panels, row_ids, runbook_url
from generators.model import Alert, Dashboard, Indicator, Matcher, Panel, Spec, Target, Unit
from generators.promql import render_matchers

GRAFANA_UNITS: dict[str, str] = {
    "ratio": "percentunit",
    "seconds": "s",
    "percent": "percent",
    "per_second": "cps",
    "count": "short",
    "bytes": "bytes",
}
SEVERITY_COLORS = {"critical": "red", "warning": "orange", "info": "blue"}
PANEL_WIDTH, PANEL_HEIGHT, ROW_HEIGHT = 8, 8, 1
GENERATED_NOTE = "Generated from thresholds.yaml by `make build`; do not edit."


def filtered_series(spec: Spec, ind: Indicator, name: str | None = None) -> str:
    """A recorded series of the indicator (its headline one unless `name` says otherwise),
    filtered by the dashboard's label variables."""
    kind = kind_of(ind)
    name = name or kind.series_name(spec, ind)
    matchers = [*kind.dashboard_matchers(spec, ind)]
    matchers += [Matcher(label, "=~", f"${label}") for label in spec.settings.aggregation_labels]
    return name + "{" + render_matchers(matchers) + "}"


def firing_alerts_expr(spec: Spec) -> str:
    matchers = [Matcher("alertstate", "=", "firing"),
                Matcher("alertname", "=~", f"{spec.settings.alert_prefix}.+")]
    matchers += [Matcher(label, "=~", f"${label}") for label in spec.settings.aggregation_labels]
    selector = "ALERTS{" + render_matchers(matchers) + "}"
    # `or vector(0)`: no firing alert is a 0 on the panel, not "No data"
    return f"sum by (severity) ({selector}) or on () vector(0)"


def target_exprs(spec: Spec, target: Target) -> list[tuple[str, str]]:
    """(expr, legend) pairs for one spec target (a drop alert adds its moving line)."""
    if target.builtin == "firing_alerts":
        return [(firing_alerts_expr(spec), target.legend)]
    ind = spec.indicators[target.indicator]
    series = filtered_series(spec, ind)
    expr = target.expr.replace("{series}", series) if target.expr else series
    out = [(expr, target.legend)]
    if target.transformed:
        return out
    for alert in spec.alerts_of(ind):
        # e.g. a drop alert has no fixed line: it draws threshold x the baseline it compares with
        out += kind_of(alert).reference_lines(spec, alert, lambda name: filtered_series(spec, ind, name))
    return out


def panel_unit(spec: Spec, panel: Panel) -> Unit:
    if panel.unit:
        return panel.unit
    first = next((t for t in panel.targets if t.indicator), None)
    return spec.indicators[first.indicator].unit if first else "count"


def threshold_steps(alerts: list[Alert]) -> list[dict[str, Any]]:
    """Grafana colours a value by the last step it meets or exceeds. Alerts on values
    below a threshold colour the base and turn green at the threshold; alerts above stay
    green up to their threshold. `alerts` are those whose threshold is a fixed line."""
    fixed = alerts
    if not fixed:
        return [{"color": "green", "value": None}]
    below = sorted((a for a in fixed if a.threshold.op in ("<", "<=")), key=lambda a: a.threshold.value)
    above = sorted((a for a in fixed if a.threshold.op in (">", ">=")), key=lambda a: a.threshold.value)
    base = SEVERITY_COLORS[below[0].severity] if below else "green"
    steps: list[dict[str, Any]] = [{"color": base, "value": None}]
    for index, alert in enumerate(below):
        following = below[index + 1].severity if index + 1 < len(below) else None
        steps.append({"color": SEVERITY_COLORS[following] if following else "green",
                      "value": alert.threshold.value})
    steps += [{"color": SEVERITY_COLORS[a.severity], "value": a.threshold.value} for a in above]
    return steps


def panel_description(spec: Spec, panel: Panel) -> str:
    parts = []
    for target in panel.targets:
        if target.indicator:
            ind = spec.indicators[target.indicator]
            parts.append(f"{ind.title}: recorded series `{kind_of(ind).series_name(spec, ind)}`.")
    for alert in alerts_on_panel(spec, panel):
        t = alert.threshold
        parts.append(
            f"Alert **{alert.name}** ({alert.severity}, team {alert.team}) when {t.op} {t.value:g}"
            f"{' for ' + format_duration(alert.for_seconds) if alert.for_seconds else ''}: "
            f"{alert.summary} [Runbook]({runbook_url(spec, alert)})"
        )
    return "\n\n".join(dict.fromkeys(parts))


def _panel(spec: Spec, panel: Panel, panel_id: int, grid: G.GridPos) -> Any:
    targets = []
    for target in panel.targets:
        for expr, legend in target_exprs(spec, target):
            targets.append(G.Target(expr=expr, legendFormat=legend, refId=chr(ord("A") + len(targets))))
    common: dict[str, Any] = {
        "title": panel.title,
        "id": panel_id,
        "gridPos": grid,
        "targets": targets,
        "description": panel_description(spec, panel),
        "thresholds": threshold_steps(drawn_alerts(spec, panel)),
    }
    unit = GRAFANA_UNITS[panel_unit(spec, panel)]
    if panel.type == "stat":
        return G.Stat(**common, format=unit, graphMode="area", colorMode="value")
    return G.TimeSeries(**common, unit=unit, thresholdsStyleMode="dashed", legendDisplayMode="list")


def build_dashboard(spec: Spec, dashboard: Dashboard) -> dict[str, Any]:
    panels: list[Any] = []
    y = 0
    placed = {(p.row_index, p.panel_index): p.id for p in placed_panels(spec, dashboard)}
    for row_index, (row, row_id) in enumerate(zip(dashboard.rows, row_ids(spec, dashboard), strict=True)):
        panels.append(G.RowPanel(title=row.title, id=row_id, gridPos=G.GridPos(h=ROW_HEIGHT, w=24, x=0, y=y)))
        y += ROW_HEIGHT
        for index, panel in enumerate(row.panels):
            x = (index % 3) * PANEL_WIDTH
            if index and index % 3 == 0:
                y += PANEL_HEIGHT
            grid = G.GridPos(h=PANEL_HEIGHT, w=PANEL_WIDTH, x=x, y=y)
            panels.append(_panel(spec, panel, placed[(row_index, index)], grid))
        y += PANEL_HEIGHT
    model = G.Dashboard(
        title=dashboard.title,
        uid=dashboard_uid(spec, dashboard),
        description=f"{dashboard.description} {GENERATED_NOTE}",
        tags=[spec.settings.alert_prefix.lower(), "generated"],
        panels=panels,
        timezone="browser",
        refresh="1m",
        time=G.Time("now-6h", "now"),
        graphTooltip=1,
    )
    variables = [datasource_variable()]
    variables += [label_variable(label, f"label_values({_variable_source(spec)}, {label})")
                  for label in spec.settings.aggregation_labels]
    links = [{
        "title": f"{spec.settings.alert_prefix} dashboards",
        "type": "dashboards",
        "tags": [spec.settings.alert_prefix.lower()],
        "asDropdown": False,
        "icon": "external link",
        "tooltip": "",
        "targetBlank": False,
        "includeVars": True,
        "keepTime": True,
    }]
    return dashboard_json(model, variables, links)


def _variable_source(spec: Spec) -> str:
    """The series whose labels fill the filter variables: `up` of the job that exposes the
    catalogue's `up` (the platform), else of the first scrape job."""
    source = spec.metrics["up"].source if "up" in spec.metrics else next(iter(spec.settings.selectors))
    return "up{" + render_matchers([Matcher(k, "=", v) for k, v in spec.settings.selectors[source]]) + "}"


def render_dashboards(spec: Spec) -> dict[str, str]:
    return {
        f"dashboards/{d.key}.json": dump_json(build_dashboard(spec, d)) + "\n"
        for d in spec.dashboards
    }
