"""Alertmanager inhibition for SLO alerts: one incident pages once.

- The page of an SLO silences its ticket (same SLO, same labels).
- A guide threshold alert that pages (critical) and the fast-burn page of an SLO on the
  same indicator silence each other, on the labels the indicator keeps. Whichever fires
  first has already paged; when the second starts firing it is silenced at once, and the
  first is silenced too from then on (Alertmanager mutes an alert while any matching
  source fires; it does not recall a sent page). Their pages resolve when both resolve.
  Inhibiting in one direction only would page twice for one of the two orders: a total
  outage pages through the SLO first (its 5m window sees it within a minute or two), a
  5% error rate through the guide's threshold first (the 1h window needs ~17 minutes).
"""

from __future__ import annotations

from typing import Any

from generators.kinds import kind_of
from generators.model import Spec
from generators.slo.model import PAGE, TICKET


def _matcher(label: str, value: str) -> str:
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    return f'{label}="{escaped}"'


def _any(names: list[str]) -> str:
    return f'alertname=~"{"|".join(sorted(names))}"'


def slo_inhibit_rules(spec: Spec) -> list[dict[str, Any]]:
    rules: list[dict[str, Any]] = []
    for slo in spec.slos:
        kept = list(kind_of(slo.indicator).kept_labels(spec, slo.indicator))
        page = slo.alert_name(PAGE)
        rules.append({"source_matchers": [_matcher("alertname", page)],
                      "target_matchers": [_matcher("alertname", slo.alert_name(TICKET))],
                      "equal": [*kept, "slo"]})
        guide = [a.name for a in spec.alerts_of(slo.indicator) if a.severity == "critical"]
        if guide:
            rules.append({"source_matchers": [_matcher("alertname", page)], "target_matchers": [_any(guide)],
                          "equal": kept})
            rules.append({"source_matchers": [_any(guide)], "target_matchers": [_matcher("alertname", page)],
                          "equal": kept})
    return rules


def slo_routes_needed(spec: Spec) -> set[tuple[str, str]]:
    """(team, severity) pairs SLO alerts are sent with."""
    return {(slo.team, policy.severity) for slo in spec.slos for policy in (PAGE, TICKET)}
