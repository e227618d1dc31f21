"""Checks across sections, run once every section has been read."""

from __future__ import annotations

from generators.durations import format_duration
from generators.kinds import kind_of
from generators.loader.alerts import AlertPosition
from generators.loader.checker import Checker
from generators.loader.source import LineMap
from generators.model import Spec
from generators.routing import team_receivers
from generators.rules import recordings_of


def _field_line(c: Checker, node: object, key: str, field: str) -> int:
    body = node.get(key) if isinstance(node, LineMap) else None
    return c.line_of(body, field) if isinstance(body, LineMap) else c.line_of(node, key)


def check_windows(c: Checker, spec: Spec, node: object) -> None:
    """rate()/increase() windows must hold at least 4 scrapes to survive a missed one."""
    minimum = 4 * spec.settings.scrape_interval
    for key, ind in spec.indicators.items():
        for field, window in kind_of(ind).windows(ind).items():
            if window < minimum:
                c.error(_field_line(c, node, key, field), f"indicators.{key}.{field}",
                        f"{format_duration(window)} is shorter than 4x the scrape interval "
                        f"({format_duration(spec.settings.scrape_interval)}); use at least "
                        f"{format_duration(minimum)}")


def check_recordings(c: Checker, spec: Spec, node: object) -> None:
    """Two indicators may share a recorded series only if they record it identically."""
    seen: dict[tuple[str, tuple[tuple[str, str], ...]], tuple[str, str]] = {}
    for key, ind in spec.indicators.items():
        for rec in recordings_of(spec, ind):
            first = seen.setdefault((rec.record, rec.labels), (key, rec.expr))
            if first[0] != key and first[1] != rec.expr:
                c.error(c.line_of(node, key), f"indicators.{key}",
                        f"records {rec.record} like indicators.{first[0]} but with another expression; "
                        "change its window, measure or key labels so the names differ")


def check_alerts_shown(c: Checker, spec: Spec, positions: dict[str, AlertPosition]) -> None:
    """Every alert needs a panel for its dashboard_url: one reading its indicator untransformed."""
    shown = {t.indicator for d in spec.dashboards for r in d.rows for pn in r.panels for t in pn.targets
             if t.indicator and not t.transformed}
    for alert in spec.alerts:
        if alert.indicator.key not in shown:
            c.error(*positions[alert.name].at("indicator"),
                    f"no dashboard panel shows indicator {alert.indicator.key!r}; add a panel target for "
                    "it so the alert's dashboard_url has somewhere to point")


def check_alerts_routed(c: Checker, spec: Spec, positions: dict[str, AlertPosition]) -> None:
    """Every alert reaches its team on a severity with timings; inhibits name other alerts."""
    if spec.routing is None:
        return
    names = set(positions)
    for alert in spec.alerts:
        where = positions[alert.name]
        if not team_receivers(spec.teams[alert.team], alert.severity):
            c.error(*where.at("team"),
                    f"a {alert.severity} alert of team {alert.team!r} reaches no receiver of the team; "
                    f"give teams.{alert.team} a chat receiver")
        if alert.severity not in spec.routing.timings:
            c.error(*where.at("severity"), f"routing.timings has no {alert.severity!r} entry")
        for target in alert.inhibits:
            if target not in names or target == alert.name:
                short = target[len(spec.settings.alert_prefix):]
                c.error(*where.at("inhibits"), f"{short!r} is not another alert of this spec "
                        "(write names without the prefix)")

