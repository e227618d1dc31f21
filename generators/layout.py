"""Where things sit on the dashboards: UIDs, slugs, panel ids, the panel of each alert.

Rules (dashboard_url annotations), dashboards and docs all use this, so a link and the
panel it opens cannot drift apart. Ids follow spec order: editing a threshold never
renumbers panels.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from generators.model import Alert, Dashboard, Panel, Spec


@dataclass(frozen=True)
class PlacedPanel:
    dashboard: Dashboard
    row_index: int
    panel: Panel
    id: int


def dashboard_uid(spec: Spec, dashboard: Dashboard) -> str:
    return f"{spec.settings.alert_prefix.lower()}-{dashboard.key}"


def slug(title: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")


def row_ids(dashboard: Dashboard) -> list[int]:
    """Panel id of each row header; a row's panels take the ids after it."""
    ids, next_id = [], 1
    for row in dashboard.rows:
        ids.append(next_id)
        next_id += 1 + len(row.panels)
    return ids


def placed_panels(dashboard: Dashboard) -> list[PlacedPanel]:
    placed = []
    for row_index, (row, row_id) in enumerate(zip(dashboard.rows, row_ids(dashboard), strict=True)):
        for offset, panel in enumerate(row.panels, start=1):
            placed.append(PlacedPanel(dashboard, row_index, panel, row_id + offset))
    return placed


def alerts_on_panel(spec: Spec, panel: Panel) -> list[Alert]:
    """Alerts whose indicator the panel shows untransformed: their thresholds are drawn."""
    shown = {t.indicator for t in panel.targets if t.indicator and not t.transformed}
    return [a for a in spec.alerts if a.indicator.key in shown]


def alert_panel(spec: Spec, alert: Alert) -> PlacedPanel:
    for dashboard in spec.dashboards:
        for placed in placed_panels(dashboard):
            if alert in alerts_on_panel(spec, placed.panel):
                return placed
    raise LookupError(f"no panel shows {alert.name}")  # the spec loader rules this out


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
