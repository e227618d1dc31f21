"""Where things sit on the dashboards: UIDs, slugs, panel ids, the panel of each alert.

Rules (dashboard_url annotations), dashboards and docs all use this, so a link and the
panel it opens cannot drift apart. Ids follow spec order (position, not title): editing a
threshold never renumbers panels. The placement is computed once per spec and indexed, so
every lookup is O(1) and the build grows linearly with the spec.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from generators.kinds import kind_of
from generators.model import Alert, Dashboard, Panel, Spec


@dataclass(frozen=True)
class PlacedPanel:
    dashboard: Dashboard
    row_index: int
    panel_index: int
    panel: Panel
    id: int


@dataclass(frozen=True)
class Layout:
    panels: dict[str, list[PlacedPanel]]  # dashboard key -> its panels in order
    row_ids: dict[str, list[int]]  # dashboard key -> id of each row header
    alerts_on: dict[int, list[Alert]]  # id(Panel) -> alerts whose thresholds it draws
    panel_of: dict[str, PlacedPanel]  # alert name -> the panel its dashboard_url opens


@lru_cache(maxsize=8)
def layout(spec: Spec) -> Layout:
    panels: dict[str, list[PlacedPanel]] = {}
    rows: dict[str, list[int]] = {}
    alerts_on: dict[int, list[Alert]] = {}
    panel_of: dict[str, PlacedPanel] = {}
    for dashboard in spec.dashboards:
        placed, ids, next_id = [], [], 1
        for row_index, row in enumerate(dashboard.rows):
            ids.append(next_id)
            for panel_index, panel in enumerate(row.panels):
                placed.append(PlacedPanel(dashboard, row_index, panel_index, panel, next_id + 1 + panel_index))
            next_id += 1 + len(row.panels)
        panels[dashboard.key], rows[dashboard.key] = placed, ids
        for p in placed:
            shown = dict.fromkeys(t.indicator for t in p.panel.targets if t.indicator and not t.transformed)
            on_panel = [a for key in shown for a in spec.alerts_of(spec.indicators[key])]
            # in spec order, as a reader of the spec expects the lines and descriptions
            on_panel.sort(key=_spec_order(spec).__getitem__)
            alerts_on[id(p.panel)] = on_panel
            for alert in on_panel:
                panel_of.setdefault(alert.name, p)
    return Layout(panels, rows, alerts_on, panel_of)


@lru_cache(maxsize=8)
def _spec_order(spec: Spec) -> dict[Alert, int]:
    return {alert: index for index, alert in enumerate(spec.alerts)}


def dashboard_uid(spec: Spec, dashboard: Dashboard) -> str:
    return f"{spec.settings.alert_prefix.lower()}-{dashboard.key}"


def slug(title: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")


def placed_panels(spec: Spec, dashboard: Dashboard) -> list[PlacedPanel]:
    return layout(spec).panels[dashboard.key]


def row_ids(spec: Spec, dashboard: Dashboard) -> list[int]:
    return layout(spec).row_ids[dashboard.key]


def alerts_on_panel(spec: Spec, panel: Panel) -> list[Alert]:
    """Alerts whose indicator the panel shows untransformed: their thresholds are drawn."""
    return layout(spec).alerts_on[id(panel)]


def drawn_alerts(spec: Spec, panel: Panel) -> list[Alert]:
    return [a for a in alerts_on_panel(spec, panel) if kind_of(a).draws_threshold(a)]


def alert_panel(spec: Spec, alert: Alert) -> PlacedPanel:
    return layout(spec).panel_of[alert.name]  # the spec loader guarantees a panel


def panel_url(spec: Spec, placed: PlacedPanel) -> str:
    d = placed.dashboard
    return f"{spec.settings.grafana_url}/d/{dashboard_uid(spec, d)}/{slug(d.title)}?viewPanel={placed.id}"


def dashboard_url(spec: Spec, alert: Alert) -> str:
    return panel_url(spec, alert_panel(spec, alert))


def runbook_anchor(alert: Alert) -> str:
    """GitHub's anchor for the '## <AlertName>' heading of docs/alerts.md."""
    return alert.name.lower()


def runbook_url(spec: Spec, alert: Alert) -> str:
    return f"{spec.settings.runbook_url}#{runbook_anchor(alert)}"
