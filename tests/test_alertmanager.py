"""Alertmanager config: amtool accepts it, every alert rule reaches exactly the receivers
the spec names, inhibition and templates are what the spec says, no secret is inline."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from generators.model import Spec
from generators.routing import receivers_for
from tests.conftest import ROOT, require_tool

CONFIG = ROOT / "alertmanager" / "alertmanager.yml"


def _amtool(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([require_tool("amtool"), *args], capture_output=True, text=True, cwd=ROOT)


def routed_receivers(config: Path, labels: dict[str, str]) -> list[str]:
    result = _amtool("config", "routes", "test", f"--config.file={config}",
                     *(f"{k}={v}" for k, v in labels.items()))
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().split(",")


def test_amtool_accepts_the_config() -> None:
    result = _amtool("check-config", str(CONFIG))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "SUCCESS" in result.stdout and "1 templates" in result.stdout


def test_every_alert_rule_reaches_exactly_its_receivers(spec: Spec, alert_rules: list[dict[str, Any]]) -> None:
    assert spec.routing is not None
    problems = []
    for rule in alert_rules:
        expected = list(receivers_for(spec.routing, spec.teams, rule["labels"]["team"], rule["labels"]["severity"]))
        labels = {"alertname": rule["alert"], **rule["labels"], "cluster": "c1"}
        got = routed_receivers(CONFIG, labels)
        if got != expected:
            problems.append(f"{rule['alert']}: routed to {got}, spec says {expected}")
    assert not problems


def test_alert_of_unknown_team_reaches_the_default_receiver(spec: Spec) -> None:
    assert spec.routing is not None
    got = routed_receivers(CONFIG, {"alertname": "Watchdog", "severity": "none"})
    assert got == [*spec.routing.all_alerts_to, spec.routing.default_receiver]
    assert got == list(receivers_for(spec.routing, spec.teams, "", "none"))


def test_critical_alerts_reach_two_places(spec: Spec, alert_rules: list[dict[str, Any]]) -> None:
    for rule in alert_rules:
        if rule["labels"]["severity"] == "critical":
            got = routed_receivers(CONFIG, {"alertname": rule["alert"], **rule["labels"]})
            assert len(set(got)) >= 3, (rule["alert"], got)  # custom system, pager, team chat


def test_platform_down_inhibits_its_consequences_per_cluster() -> None:
    rules = yaml.safe_load(CONFIG.read_text())["inhibit_rules"]
    down = next(r for r in rules if r["source_matchers"] == ['alertname="BillingPlatformDown"'])
    for target in ("BillingIngestionRateDrop", "BillingIngestionSuccessRateLow", "BillingAPIErrorRateHigh"):
        assert target in down["target_matchers"][0]
    assert down["equal"] == ["cluster"]
    critical = next(r for r in rules if "BillingPlatformTargetDown" in r["target_matchers"][0]
                    and r is not down)
    assert critical["source_matchers"] == ['alertname=~"BillingPlatformDown"']
    assert critical["equal"] == ["cluster", "job"]


def _matches(matcher: str, labels: dict[str, str]) -> bool:
    name, op, value = re.fullmatch(r'(\w+)(=~|=)"(.*)"', matcher).groups()  # type: ignore[union-attr]
    return re.fullmatch(value, labels.get(name, "")) is not None if op == "=~" else labels.get(name) == value


def test_a_full_outage_pages_once() -> None:
    """Every alert a full platform outage fires in one cluster (issue 9, class 8): after
    inhibition, only PlatformDown is left to page; warnings stay in chat."""
    rules = yaml.safe_load(CONFIG.read_text())["inhibit_rules"]
    firing = [{"alertname": f"Billing{name}", "cluster": "c1", "job": job, "severity": severity}
              for name, job, severity in (
                  ("PlatformDown", "billing-platform", "critical"),
                  ("PlatformTargetDown", "billing-platform", "warning"),
                  ("HealthCheckFailing", "billing-healthcheck", "critical"),
                  ("IngestionStopped", "", "critical"),
                  ("APIErrorRateHigh", "", "critical"),
                  ("IngestionSuccessRateLow", "", "critical"))]

    def inhibited(target: dict[str, str]) -> bool:
        return any(all(_matches(m, target) for m in rule["target_matchers"])
                   and any(source is not target and all(_matches(m, source) for m in rule["source_matchers"])
                           and all(source.get(k, "") == target.get(k, "") for k in rule["equal"])
                           for source in firing)
                   for rule in rules)

    paging = [a["alertname"] for a in firing if a["severity"] == "critical" and not inhibited(a)]
    assert paging == ["BillingPlatformDown"]


def test_no_secret_is_inline() -> None:
    config = yaml.safe_load(CONFIG.read_text())
    for receiver in config["receivers"]:
        for kind, configs in receiver.items():
            if kind == "name":
                continue
            for entry in configs:
                for key in ("api_url", "routing_key", "service_key", "auth_password"):
                    assert key not in entry, (receiver["name"], key)
                auth = entry.get("http_config", {}).get("authorization", {})
                assert "credentials" not in auth


def test_notification_template_renders_links() -> None:
    result = _amtool("template", "render", "--template.glob=alertmanager/templates/*.tmpl",
                     "--template.text={{ template \"billing.text\" . }}")
    assert result.returncode == 0, result.stderr
    assert "Runbook:" in result.stdout and "Dashboard:" in result.stdout
    config = CONFIG.read_text()
    assert 'template "billing.text"' in config and 'template "billing.title"' in config


SPEC = (ROOT / "thresholds.yaml").read_text()


@pytest.mark.parametrize("old,new,message", [
    ("    routing_key_file: /etc/alertmanager/secrets/pagerduty-sre",
     "    routing_key: 0123456789abcdef", "secrets must not be written in the spec"),
    ("    api_url_file: /etc/alertmanager/secrets/slack-webhook-url\n  ingestion-chat",
     "    api_url: https://hooks.slack.com/services/T0/B0/XYZ\n  ingestion-chat", "write api_url_file"),
    ("    url: https://alerting.billing.example.com/hooks/alertmanager",
     "    url: https://alerting.billing.example.com/hooks/alertmanager?token=abc", "carries a credential"),
    ("    chat: [dba-email]", "    chat: [dba-mail]", "unknown receiver 'dba-mail'"),
    ("    pager: dba-pager\n    chat: [dba-email]", "    pager: dba-pager", "reaches no receiver of the team"),
    ("  default_receiver: platform-chat", "  default_receiver: nobody", "unknown receiver 'nobody'"),
])
def test_spec_with_bad_routing_is_refused(tmp_path: Path, old: str, new: str, message: str) -> None:
    assert SPEC.count(old) == 1, old
    spec = tmp_path / "thresholds.yaml"
    spec.write_text(SPEC.replace(old, new))
    result = subprocess.run([sys.executable, "-m", "generators", "build", "--spec", str(spec),
                             "--out", str(tmp_path)], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 1 and message in result.stderr, result.stderr
    for secret in ("0123456789abcdef", "T0/B0/XYZ", "token=abc"):  # never echoed back
        assert secret not in result.stderr
    assert not (tmp_path / "alertmanager").exists()
