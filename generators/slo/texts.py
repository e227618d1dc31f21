"""Texts of SLO alerts: summary, description (Go template and test oracle), links."""

from __future__ import annotations

from generators.model import Spec
from generators.slo.layout import slo_panel_url
from generators.slo.model import SLO, BurnPolicy, window_text
from generators.slo.sli import kept_labels
from generators.templating import Label, Part, Text, Value, go_template


def percent(objective: float) -> str:
    return f"{objective * 100:g}%"


def policy_text(policy: BurnPolicy) -> str:
    """'> 14.4x over 1h and 5m, or > 6x over 6h and 30m'."""
    return ", or ".join(f"> {bw.factor:g}x over {window_text(bw.long)} and {window_text(bw.short)}"
                        for bw in policy.windows)


def summary(slo: SLO, policy: BurnPolicy) -> str:
    speed = "fast" if policy.purpose == "page" else "slowly but steadily"
    return f"{slo.title}: the {percent(slo.objective)} SLO is burning its error budget {speed}."


def description_parts(spec: Spec, slo: SLO, policy: BurnPolicy) -> list[Part]:
    where: list[Part] = []
    for label in kept_labels(spec, slo):
        optional = label in spec.settings.aggregation_labels and label not in slo.indicator.by
        where.append(Label(label, f" in {label} " if optional else f" for {label} ", optional))
    return [
        Text(f"{slo.title} burns its error budget at "), Value("count"),
        Text("x the sustainable rate over the alert's long window"), *where,
        Text(f" ({policy.purpose}: {policy_text(policy)}; objective {percent(slo.objective)} over "
             f"{window_text(slo.window)})."),
    ]


def runbook_url(spec: Spec, slo: SLO, policy: BurnPolicy) -> str:
    return f"{spec.settings.runbook_url}#{slo.alert_name(policy).lower()}"


def dashboard_url(spec: Spec, slo: SLO) -> str:
    """The SLO's burn-rate panel on the Billing SLOs dashboard."""
    return slo_panel_url(spec, slo)


def alert_annotations(spec: Spec, slo: SLO, policy: BurnPolicy) -> dict[str, str]:
    return {
        "summary": summary(slo, policy),
        "description": go_template(description_parts(spec, slo, policy)),
        "runbook_url": runbook_url(spec, slo, policy),
        "dashboard_url": dashboard_url(spec, slo),
    }
