"""docs/alerts.md, SLO part: the error-budget policy and a runbook section per SLO alert.

Appended after the guide's alerts; spec prose reaches Markdown through `md_inline`, as in
generators/docs.py.
"""

from __future__ import annotations

from generators.docs import md_inline
from generators.model import Spec
from generators.slo.model import PAGE, POLICIES, SLO, BurnPolicy, window_text
from generators.slo.rules import alert_expr
from generators.slo.texts import dashboard_url, percent, policy_text, summary

POLICY = """\
## Error-budget policy

Each SLO below allows a share of bad events over its window: the **error budget** (for
99.5% over 30d, 0.5% of events, or 3.6 hours of total outage). The budget-remaining
series (`slo:error_budget_remaining:ratio`) is on the Billing SLOs dashboard.

- **Budget above 25%**: ship as usual.
- **Budget below 25%**: the owning team reviews every change to the path the SLO measures
  for its risk; incidents that spent budget get a written review.
- **Budget spent (below 0%)**: feature releases on that path stop until the budget is
  positive again; only fixes and reliability work ship. The owning team and its product
  owner may agree on an exception, recorded in the incident review.
- A **page** (`ErrorBudgetFastBurn`) means the budget burns fast enough to lose 2% of a 30d
  budget in an hour or 5% in six: act now. A **ticket** (`ErrorBudgetSlowBurn`) means 10%
  in a day or in three days: fix within working hours.
- A long window speaks only once it is recorded: an alert needs 90% of its long window
  covered by the SLO's 5m samples (`slo:sli_events:coverage<window>`). After a fresh
  rollout, or a Prometheus outage longer than the window's 10%, the page can fire after
  54 minutes (1h window) and the 1x-over-3d ticket only after 2.7 days; the guide's
  threshold alerts cover the gap.
- One incident pages once: a guide threshold alert and the fast-burn page of the same
  indicator inhibit each other in Alertmanager (whichever fires first pages; the other
  stays silent while both fire), and the page silences the ticket of its SLO.

| SLO | objective | window | budget (events) | budget (full outage) | owner |
|---|---|---|---|---|---|
"""


def _minutes(slo: SLO) -> str:
    minutes = slo.budget * slo.window / 60
    return f"{minutes:g} min" if minutes < 120 else f"{minutes / 60:g} h"


def _section(spec: Spec, slo: SLO, policy: BurnPolicy) -> str:
    name = slo.alert_name(policy)
    shares = "; ".join(f"{bw.factor:g}x over {window_text(bw.long)} spends {bw.budget_share * 100:.3g}% of a 30d "
                       "budget" for bw in policy.windows)
    if policy is PAGE:
        steps = [
            "Open the Billing SLOs dashboard (link above): which window burns, and how much budget is left?",
            f"Find the failing part with the guide alert's runbook for {slo.indicator.title}; if a deploy "
            "started it, roll back first and investigate after.",
            "If the budget is nearly spent, announce a release freeze for the path (error-budget policy).",
        ]
    else:
        steps = [
            "Not urgent at night: open a ticket for the owning team, with the burn-rate panel attached.",
            "Look for a slow leak: a provider, route or customer failing a little all the time, a bad "
            "retry policy, a partial rollout.",
            "Check the budget remaining; below 25%, the error-budget policy applies.",
        ]
    lines = [
        f"## {name}",
        "",
        f"**{md_inline(summary(slo, policy))}**",
        "",
        f"- Severity: `{policy.severity}` ({policy.purpose}), team: `{slo.team}` "
        f"({md_inline(spec.teams[slo.team].description)})",
        f"- SLO: {md_inline(slo.title)}, {percent(slo.objective)} over {window_text(slo.window)} "
        f"(indicator `{slo.indicator.key}`); budget {slo.budget * 100:g}% of events, {_minutes(slo)} of total outage",
        f"- Fires when the budget burns {policy_text(policy)}, with at least {slo.min_errors} bad events in the "
        "long window (so three failures at night do not page, while a total outage still does within minutes) "
        "and at least 90% of the long window recorded (a window holding minutes of data after a rollout "
        "does not speak for days)",
        f"- What the burn rate means: 1x spends exactly the budget over {window_text(slo.window)}; {shares}",
        f"- Dashboard: [{md_inline(slo.title)}]({dashboard_url(spec, slo)})",
        "",
        f"Why this objective: {md_inline(slo.rationale)}",
        "",
        "Alert expression:",
        "",
        "```promql",
        alert_expr(slo, policy),
        "```",
        "",
        "What to do:",
        "",
        *(f"1. {md_inline(step)}" for step in steps),
        "",
    ]
    return "\n".join(lines)


def render_slo_docs(spec: Spec) -> str:
    if not spec.slos:
        return ""
    rows = [f"| `{slo.key}` | {percent(slo.objective)} | {window_text(slo.window)} | {slo.budget * 100:g}% | "
            f"{_minutes(slo)} | `{slo.team}` |" for slo in spec.slos]
    sections = [_section(spec, slo, policy) for slo in spec.slos for policy in POLICIES]
    return "\n" + POLICY + "\n".join(rows) + "\n\n" + "\n".join(sections)
