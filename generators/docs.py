"""docs/alerts.md: one runbook section per alert, from the spec (jinja2)."""

from __future__ import annotations

from pathlib import Path

import jinja2

from generators import promql
from generators.layout import dashboard_url
from generators.model import Spec
from generators.rules import description_parts, render_alert
from generators.spec import format_duration
from generators.templating import format_value, go_template

_TEMPLATES = Path(__file__).parent / "templates"


def render_alert_docs(spec: Spec) -> str:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(_TEMPLATES),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    alerts = []
    for alert in spec.alerts:
        rule = render_alert(spec, alert)
        alerts.append({
            "alert": alert,
            "expr": rule["expr"],
            "for": format_duration(alert.for_seconds),
            "threshold": f"{alert.threshold.op} {format_value(alert.value_unit, alert.threshold.value)}",
            "description": go_template(description_parts(spec, alert)),
            "recordings": promql.recordings(spec, alert.indicator),
            "dashboard_url": dashboard_url(spec, alert),
        })
    return env.get_template("alerts.md.j2").render(spec=spec, alerts=alerts, triage=TRIAGE)


# First steps per indicator kind; the rationale in the spec says why the threshold is set.
TRIAGE: dict[str, tuple[str, ...]] = {
    "ratio": (
        "Open the dashboard panel: is the drop in success sudden (deploy, dependency) or gradual?",
        "Split the failures by their labels in Prometheus (e.g. `sum by (route, code)` or "
        "`sum by (provider)`) to find the part that fails.",
        "Check the platform's ERROR logs for the same window; roll back a recent deploy if "
        "the failures started with it.",
    ),
    "quantile": (
        "Compare p50/p95/p99 on the panel: all rising means saturation, only the tail means "
        "a slow dependency or lock contention.",
        "Check the database panels (pool usage, query time) and queue depth on the "
        "Performance dashboard.",
        "Scale out or shed load if traffic grew; otherwise find the slow dependency.",
    ),
    "rate": (
        "Check whether the platform is up (PlatformDown / HealthCheckFailing) and whether "
        "clients get errors (APIErrorRateHigh).",
        "Compare with last week's curve on the panel: a holiday or a known customer "
        "change explains a drop; silence from one large customer is worth a call.",
        "Check the ingestion queue and the client-facing endpoint for rejected traffic.",
    ),
    "increase": (
        "Find the failing items in the platform's ERROR/FATAL logs for the window.",
        "Decide whether a retry is safe (invoices and payments must not be duplicated) "
        "and re-run the failed items.",
        "If failures continue, stop the job that produces them and escalate to the owning team.",
    ),
    "gauge_ratio": (
        "Check which pool is saturated and whether traffic or slow queries hold connections.",
        "Look at query time on the Performance dashboard; long transactions keep "
        "connections checked out.",
        "Raise the pool size only if the database has headroom (RDS CPU, connections).",
    ),
    "gauge": (
        "Check the RDS instance in CloudWatch / Performance Insights for the top queries.",
        "Correlate with invoice runs and traffic on the dashboards.",
        "Scale the instance class or offload read traffic to replicas if load is organic.",
    ),
    "availability": (
        "Check the targets in Prometheus (Status -> Targets) and the platform's pods/instances.",
        "If every target is down, check the last deploy and the load balancer/health endpoint.",
        "If the series are absent, check service discovery and the scrape job's selector "
        "(settings.selectors in thresholds.yaml). Right after a Prometheus restart the series "
        "are absent until the first scrape; `for` covers that, so a page means they stayed away.",
    ),
    "run_duration": (
        "Check the invoice run's progress in its logs: is it stuck or just slow?",
        "Check database latency and pool usage; invoice runs are database-bound.",
        "Do not start a second run in parallel; if it is stuck, stop it and re-run.",
    ),
    "overdue": (
        "Check whether an invoice run is in progress and how many invoices remain.",
        "Check InvoiceGenerationFailures for the invoices that failed.",
        "Generate the missing invoices manually or re-run the cycle, and inform finance.",
    ),
}
