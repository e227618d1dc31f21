"""Render alertmanager/alertmanager.yml and its notification template from the spec.

Routing: every alert first reaches routing.all_alerts_to (continue), then its team: the
team's pager for critical alerts (continue) and the team's chat receivers, each with the
severity's timings. Inhibition: an alert's `inhibits` list, and each critical alert
silences the warning/info alerts of its own indicator, on the labels the indicator keeps.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from generators.durations import format_duration
from generators.inhibition import inhibitions
from generators.model import Receiver, Spec
from generators.routing import team_receivers
from generators.slo.routing import slo_inhibit_rules, slo_routes_needed
from generators.yamlout import dump_yaml

CONFIG_FILE = "alertmanager/alertmanager.yml"
TEMPLATE_FILE = "alertmanager/templates/billing.tmpl"
_TEMPLATE_SOURCE = Path(__file__).parent / "templates" / "billing.tmpl"
TITLE = '{{ template "billing.title" . }}'
TEXT = '{{ template "billing.text" . }}'


def _timing(spec: Spec, severity: str) -> dict[str, str]:
    assert spec.routing is not None
    t = spec.routing.timings[severity]
    return {
        "group_wait": format_duration(t.group_wait),
        "group_interval": format_duration(t.group_interval),
        "repeat_interval": format_duration(t.repeat_interval),
    }


def _matcher(label: str, value: str) -> str:
    """An Alertmanager matcher with the value quoted and escaped (the loader also restricts
    team and alert names, so no value can add a matcher of its own)."""
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    return f'{label}="{escaped}"'


def _alternatives(names: list[str]) -> str:
    return f'alertname=~"{"|".join(sorted(names))}"'


def render_routes(spec: Spec) -> list[dict[str, Any]]:
    assert spec.routing is not None
    routes: list[dict[str, Any]] = [
        {"receiver": name, "continue": True, **_timing(spec, "critical")}
        for name in spec.routing.all_alerts_to
    ]
    sent = {(a.team, a.severity) for a in spec.alerts} | slo_routes_needed(spec)
    severities = sorted({severity for _, severity in sent}, key=["critical", "warning", "info"].index)
    for team in sorted({team for team, _ in sent}):
        for severity in severities:
            targets = team_receivers(spec.teams[team], severity)
            for index, receiver in enumerate(targets):
                routes.append({
                    "receiver": receiver,
                    "matchers": [_matcher("team", team), _matcher("severity", severity)],
                    "continue": index < len(targets) - 1,
                    **_timing(spec, severity),
                })
    # without it an alert of no known team would reach only all_alerts_to: once a child
    # route matched (with continue), Alertmanager never falls back to the root receiver
    routes.append({"receiver": spec.routing.default_receiver, **_timing(spec, "warning")})
    return routes


def render_inhibit_rules(spec: Spec) -> list[dict[str, Any]]:
    rules = []
    for rule in inhibitions(spec):
        # one source is written as an exact matcher (the alert's own list), several as alternatives
        source = (_matcher("alertname", rule.sources[0]) if rule.origin == "inhibits"
                  else _alternatives(list(rule.sources)))
        rules.append({
            "source_matchers": [source],
            "target_matchers": [_alternatives(list(rule.targets))],
            "equal": list(rule.equal),
        })
    return rules + slo_inhibit_rules(spec)


def render_receiver(receiver: Receiver) -> dict[str, Any]:
    s = dict(receiver.settings)
    resolved = s.get("send_resolved", "true") == "true"
    if receiver.type == "webhook":
        config: dict[str, Any] = {"url": s["url"], "send_resolved": resolved}
        if "credentials_file" in s:
            config["http_config"] = {"authorization": {"type": "Bearer",
                                                       "credentials_file": s["credentials_file"]}}
        return {"name": receiver.name, "webhook_configs": [config]}
    if receiver.type == "slack":
        return {"name": receiver.name, "slack_configs": [{
            "api_url_file": s["api_url_file"], "channel": s["channel"], "send_resolved": resolved,
            "title": TITLE, "text": TEXT,
        }]}
    if receiver.type == "pagerduty":
        return {"name": receiver.name, "pagerduty_configs": [{
            "routing_key_file": s["routing_key_file"], "send_resolved": resolved,
            "description": TITLE,
            "details": {"summary": "{{ .CommonAnnotations.summary }}", "text": TEXT},
            "links": [
                {"href": "{{ (index .Alerts 0).Annotations.runbook_url }}", "text": "Runbook"},
                {"href": "{{ (index .Alerts 0).Annotations.dashboard_url }}", "text": "Dashboard"},
            ],
        }]}
    config = {"to": s["to"], "from": s["from"], "smarthost": s["smarthost"], "send_resolved": resolved,
              "headers": {"Subject": TITLE}, "text": TEXT}
    for key in ("auth_username", "auth_password_file"):
        if key in s:
            config[key] = s[key]
    return {"name": receiver.name, "email_configs": [config]}


def render_alertmanager_config(spec: Spec) -> dict[str, Any]:
    assert spec.routing is not None and spec.receivers is not None
    return {
        "global": {"resolve_timeout": "5m"},
        "templates": ["templates/*.tmpl"],
        "route": {
            "receiver": spec.routing.default_receiver,
            "group_by": list(spec.routing.group_by),
            **_timing(spec, "warning"),
            "routes": render_routes(spec),
        },
        "inhibit_rules": render_inhibit_rules(spec),
        "receivers": [render_receiver(r) for r in spec.receivers.values()],
    }


def render_alertmanager(spec: Spec, config: dict[str, Any] | None = None) -> dict[str, str]:
    """`config`: render_alertmanager_config(spec), when the caller has it (the Kubernetes
    Secret repackages the same tree)."""
    if spec.routing is None:
        return {}
    return {
        CONFIG_FILE: dump_yaml(render_alertmanager_config(spec) if config is None else config),
        TEMPLATE_FILE: _TEMPLATE_SOURCE.read_text(encoding="utf-8"),
    }
