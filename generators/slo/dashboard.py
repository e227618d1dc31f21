"""The fourth dashboard, "Billing SLOs": a row per SLO, every panel reading recorded series.

Per SLO: the SLI over the SLO window against the objective, the error budget remaining,
the burn rate over every alert window with the page and ticket factors drawn as dashed
threshold lines, and the state of its two alerts. It carries the same tag link as the
other three dashboards, so each of them lists it and it lists them.
"""

from __future__ import annotations

import json
from typing import Any

from grafanalib import core as G

from generators.dashboards import GENERATED_NOTE, _variable_source
from generators.grafana_json import dashboard_json, datasource_variable, label_variable
from generators.model import Matcher, Spec
from generators.promql import render_matchers
from generators.slo.layout import FILE, HEIGHT, PANELS_PER_ROW, TITLE, WIDTHS, row_id, uid
from generators.slo.model import ALERT_WINDOWS, BASE_WINDOW, PAGE, POLICIES, SLO, TICKET, window_text
from generators.slo.names import BUDGET_REMAINING, OBJECTIVE, coverage_name, errors_name, events_name, ratio_name


def _series(spec: Spec, name: str, slo: SLO, extra: tuple[Matcher, ...] = ()) -> str:
    matchers = [Matcher("slo", "=", slo.key), *extra]
    matchers += [Matcher(label, "=~", f"${label}") for label in spec.settings.aggregation_labels]
    return name + "{" + render_matchers(matchers) + "}"


def _ratio(spec: Spec, slo: SLO, window: int) -> str:
    """The window's error ratio as the alerts compute it (recorded, or recorded counts divided)."""
    if window in (BASE_WINDOW, slo.window):
        return _series(spec, ratio_name(window), slo)
    return f"{_series(spec, errors_name(window), slo)} / {_series(spec, events_name(window), slo)}"


def _legend(spec: Spec, slo: SLO, what: str) -> str:
    by = " ".join(f"{{{{{label}}}}}" for label in slo.indicator.by)
    return f"{by} {what}".strip()


def _target(expr: str, legend: str, ref: int) -> G.Target:
    return G.Target(expr=expr, legendFormat=legend, refId=chr(ord("A") + ref))


def _panels(spec: Spec, slo: SLO, y: int) -> list[Any]:
    base = row_id(spec, slo)
    budget_minutes = slo.budget * slo.window / 60
    w = window_text(slo.window)
    grid = [G.GridPos(h=HEIGHT, w=WIDTHS[i], x=sum(WIDTHS[:i]), y=y) for i in range(PANELS_PER_ROW)]
    sli = G.Stat(
        title=f"SLI over {w} (objective {slo.objective * 100:g}%)", id=base + 1, gridPos=grid[0],
        targets=[_target(f"1 - {_series(spec, ratio_name(slo.window), slo)}", _legend(spec, slo, "SLI"), 0),
                 # the objective is one series per SLO, without cluster: a cluster filter would
                 # hide it whenever one cluster is selected
                 _target(OBJECTIVE + "{" + render_matchers([Matcher("slo", "=", slo.key)]) + "}", "objective", 1)],
        description=f"Share of good events over the last {w} (`1 - {ratio_name(slo.window)}`) and the "
                    f"objective (`{OBJECTIVE}`). {slo.rationale}",
        thresholds=[{"color": "red", "value": None}, {"color": "green", "value": slo.objective}],
        format="percentunit", graphMode="none", colorMode="value", decimals=3,
    )
    budget = G.Stat(
        title="Error budget remaining", id=base + 2, gridPos=grid[1],
        targets=[_target(_series(spec, BUDGET_REMAINING, slo), _legend(spec, slo, "remaining"), 0),
                 _target(_series(spec, coverage_name(slo.window), slo), _legend(spec, slo, f"{w} recorded"), 1)],
        description=f"Share of the {w} error budget ({slo.budget * 100:g}% of events, {budget_minutes:g} minutes "
                    f"of full outage) not yet spent (`{BUDGET_REMAINING}`). Below 0 the SLO is missed; see the "
                    f"error-budget policy in the runbook. '{w} recorded' (`{coverage_name(slo.window)}`): the share "
                    "of the window that holds data; below 100% (after a rollout) the budget is judged on less.",
        thresholds=[{"color": "red", "value": None}, {"color": "orange", "value": 0},
                    {"color": "green", "value": 0.25}],
        format="percentunit", graphMode="area", colorMode="value",
    )
    burn_targets = [
        _target(f"{_ratio(spec, slo, w)} / {slo.budget:g}", _legend(spec, slo, window_text(w)), i)
        for i, w in enumerate(ALERT_WINDOWS)
    ]
    factors = sorted({bw.factor for p in POLICIES for bw in p.windows})
    colors = {bw.factor: ("red" if p is PAGE else "orange") for p in POLICIES for bw in p.windows}
    alerts = ", ".join(f"**{slo.alert_name(p)}** ({p.severity}, {p.purpose}): "
                       + "; ".join(f"> {bw.factor:g}x over {window_text(bw.long)} and {window_text(bw.short)}"
                                   for bw in p.windows) for p in (PAGE, TICKET))
    burn = G.TimeSeries(
        title="Burn rate by window", id=base + 3, gridPos=grid[2], targets=burn_targets,
        description=f"Error ratio / budget ({slo.budget:g}) per window (`slo:sli_errors:increase<window> / "
                    "slo:sli_events:increase<window>`, the 5m one `slo:sli_error:ratio_rate5m`); 1x spends "
                    f"exactly the budget over {w}. Dashed lines: the alert factors. Alerts: {alerts}.",
        thresholds=[{"color": "green", "value": None}, *({"color": colors[f], "value": f} for f in factors)],
        unit="short", thresholdsStyleMode="dashed", legendDisplayMode="list",
    )
    names = "|".join(slo.alert_name(p) for p in POLICIES)
    firing = _series(spec, "ALERTS", slo, (Matcher("alertname", "=~", names), Matcher("alertstate", "=", "firing")))
    state = G.Stat(
        title="Alert state", id=base + 4, gridPos=grid[3],
        # `or vector(0)`: no firing alert is a 0 on the panel, not "No data"
        targets=[_target(f"sum by (alertname) ({firing}) or on () vector(0)", "{{alertname}}", 0)],
        description="Firing burn-rate alerts of this SLO (0: none).",
        thresholds=[{"color": "green", "value": None}, {"color": "red", "value": 1}],
        format="short", graphMode="none", colorMode="value",
    )
    return [sli, budget, burn, state]


def build_slo_dashboard(spec: Spec) -> dict[str, Any]:
    panels: list[Any] = []
    y = 0
    for slo in spec.slos:
        panels.append(G.RowPanel(title=f"{slo.title} ({slo.objective * 100:g}% over {window_text(slo.window)})",
                                 id=row_id(spec, slo), gridPos=G.GridPos(h=1, w=24, x=0, y=y)))
        y += 1
        panels += _panels(spec, slo, y)
        y += HEIGHT
    model = G.Dashboard(
        title=TITLE, uid=uid(spec),
        description=f"Are the billing SLOs met, and how fast is each error budget burning? {GENERATED_NOTE}",
        tags=[spec.settings.alert_prefix.lower(), "generated"], panels=panels, timezone="browser",
        refresh="1m", time=G.Time("now-7d", "now"), graphTooltip=1,
    )
    variables = [datasource_variable()]
    variables += [label_variable(label, f"label_values({_variable_source(spec)}, {label})")
                  for label in spec.settings.aggregation_labels]
    links = [{
        "title": f"{spec.settings.alert_prefix} dashboards", "type": "dashboards",
        "tags": [spec.settings.alert_prefix.lower()], "asDropdown": False, "icon": "external link",
        "tooltip": "", "targetBlank": False, "includeVars": True, "keepTime": True,
    }]
    return dashboard_json(model, variables, links)


def render_slo_dashboard(spec: Spec) -> dict[str, str]:
    if not spec.slos:
        return {}
    return {FILE: json.dumps(build_slo_dashboard(spec), indent=2, ensure_ascii=False) + "\n"}
