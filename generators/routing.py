"""Who is notified of an alert: the one routing function.

The Alertmanager renderer builds its routing tree from `team_receivers`, the validator
refuses a spec where an alert reaches none of its team's receivers, and the tests compare
`receivers_for` with what amtool says the rendered tree does.
"""

from __future__ import annotations

from generators.model import Routing, Severity, Team


def team_receivers(team: Team, severity: Severity | str) -> tuple[str, ...]:
    """The team's own receivers for a severity: its pager for critical alerts, then its chat."""
    pager = (team.pager,) if severity == "critical" and team.pager else ()
    return tuple(dict.fromkeys((*pager, *team.chat)))


def receivers_for(routing: Routing, teams: dict[str, Team], team: str, severity: Severity | str) -> tuple[str, ...]:
    """Every receiver an alert with these labels reaches, in routing order: everyone's
    receivers first, then the team's, or the default receiver when the team has none for
    this severity (or is unknown)."""
    own = team_receivers(teams[team], severity) if team in teams else ()
    return tuple(dict.fromkeys((*routing.all_alerts_to, *(own or (routing.default_receiver,)))))
