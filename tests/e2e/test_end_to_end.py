"""End to end on a real Prometheus and Alertmanager (Debian's binaries) on 127.0.0.1.

One stack for the module: rules rendered with the spec's `e2e` profile, 3 hours of
backfilled history plus the same hours a week ago, a live scrape of the simulator.
Run alone with `pytest -m e2e`.
"""

from __future__ import annotations

import json
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from typing import Any

import pytest
import yaml

from generators.model import Spec
from generators.routing import receivers_for
from generators.slo.model import PAGE, POLICIES, TICKET
from simulator.stack import Stack
from tests.conftest import ROOT, SPEC_PATH

pytestmark = pytest.mark.e2e
DASHBOARDS = sorted((ROOT / "dashboards").glob("*.json"))


def _panel_queries() -> list[tuple[str, str]]:
    out = []
    for path in DASHBOARDS:
        dashboard = json.loads(path.read_text())
        for panel in dashboard["panels"]:
            for target in panel.get("targets", []):
                # what Grafana sends with the cluster variable on "All"
                expr = target["expr"].replace('"$cluster"', '".*"').replace("$__rate_interval", "2m")
                out.append((f"{dashboard['title']} / {panel['title']} / {target['refId']}", expr))
    return out


@pytest.fixture(scope="module")
def stack() -> Iterator[Stack]:
    with Stack(SPEC_PATH) as running:
        _wait_until(lambda: all(running.query(expr) for _, expr in _panel_queries()), timeout=60)
        yield running


def _alertmanager_alerts(stack: Stack, matcher: str) -> list[dict[str, Any]]:
    query = urllib.parse.urlencode({"filter": matcher, "inhibited": "true"})
    with urllib.request.urlopen(f"{stack.alertmanager_url}/api/v2/alerts?{query}", timeout=10) as resp:
        return json.loads(resp.read())


def _wait_until(condition: Any, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(1)
    return False


def test_every_rule_group_is_healthy(stack: Stack, spec: Spec) -> None:
    groups = stack.api("/api/v1/rules")["groups"]
    rendered = [g for path in sorted((ROOT / "alerts").glob("*.rules.yml"))
                for g in yaml.safe_load(path.read_text())["groups"]]
    assert len(groups) == len(rendered)
    problems = [(g["name"], r["name"], r.get("lastError")) for g in groups for r in g["rules"]
                if r["health"] != "ok" or r.get("lastError")]
    assert not problems
    assert {r["name"] for g in groups for r in g["rules"] if r["type"] == "alerting"} == {
        a.name for a in spec.alerts} | {slo.alert_name(p) for slo in spec.slos for p in POLICIES}


def test_every_dashboard_query_returns_data_in_the_healthy_scenario(stack: Stack) -> None:
    empty = [where for where, expr in _panel_queries() if not stack.query(expr)]
    assert not empty, f"panels showing no data: {empty}"


def test_healthy_scenario_fires_no_alert(stack: Stack) -> None:
    # the fixture waited for recorded data, so every alert was evaluated at least once on it:
    # a breach would show as pending already; one more evaluation for good measure
    time.sleep(stack.spec.settings.evaluation_interval)
    alerts = stack.api("/api/v1/alerts")["alerts"]
    assert not alerts, [(a["labels"]["alertname"], a["state"]) for a in alerts]
    assert not stack.sink.payloads


def test_platform_down_reaches_every_receiver_with_its_links(stack: Stack, spec: Spec) -> None:
    alert = next(a for a in spec.alerts if a.short_name == "PlatformDown")
    assert spec.routing is not None
    expected = set(receivers_for(spec.routing, spec.teams, alert.team, alert.severity))
    started = time.monotonic()
    stack.set_scenario("platform_down")

    def firing(path: str, payload: dict[str, Any]) -> bool:
        return payload["status"] == "firing" and any(
            a["labels"]["alertname"] == alert.name for a in payload["alerts"])

    assert _wait_until(lambda: {p for p, _ in stack.sink.wait_for(firing, 1)} >= expected, timeout=90)
    elapsed = time.monotonic() - started
    _, payload = stack.sink.wait_for(firing, 1)[0]
    notified = next(a for a in payload["alerts"] if a["labels"]["alertname"] == alert.name)
    assert notified["labels"]["severity"] == "critical"
    assert notified["labels"]["cluster"] == "e2e"
    annotations = notified["annotations"]
    assert annotations["summary"] == alert.summary
    assert annotations["runbook_url"].endswith("#billingplatformdown")
    assert "/d/billing-overview/" in annotations["dashboard_url"]
    assert "0%" in annotations["description"]
    print(f"\nPlatformDown notified {sorted(expected)} {elapsed:.1f}s after the platform went down")

    # the warning of the same indicator fires too, and Alertmanager inhibits it
    def target_down_inhibited() -> bool:
        alerts = _alertmanager_alerts(stack, 'alertname="BillingPlatformTargetDown"')
        return any(a["status"]["state"] == "suppressed" and a["status"]["inhibitedBy"] for a in alerts)

    assert _wait_until(target_down_inhibited, timeout=60)
    assert not stack.sink.wait_for(
        lambda _, p: any(a["labels"]["alertname"] == "BillingPlatformTargetDown" for a in p["alerts"]), 0)

    stack.set_scenario("healthy")

    def resolved(path: str, payload: dict[str, Any]) -> bool:
        return payload["status"] == "resolved" and any(
            a["labels"]["alertname"] == alert.name for a in payload["alerts"])

    assert _wait_until(lambda: stack.sink.wait_for(resolved, 1), timeout=90)


def test_slow_burn_ticket_reaches_its_receivers_and_nothing_pages(stack: Stack) -> None:
    """2% of events failing: no guide threshold (95%) is crossed, the ingestion SLO burns at
    4x. The e2e profile's slo_day (1m) makes the ticket's 1d window 1m and its 3d one 3m,
    so the 3x-over-1d ticket fires about a minute after its windows fill with the burn."""
    spec = stack.spec
    slo = next(s for s in spec.slos if s.key == "ingestion_success")
    assert spec.routing is not None
    ticket, page = slo.alert_name(TICKET), slo.alert_name(PAGE)
    expected = set(receivers_for(spec.routing, spec.teams, slo.team, TICKET.severity))
    started = time.monotonic()
    stack.set_scenario("slow_burn")

    def firing(name: str) -> Any:
        return lambda path, payload: payload["status"] == "firing" and any(
            a["labels"]["alertname"] == name for a in payload["alerts"])

    try:
        assert _wait_until(lambda: {p for p, _ in stack.sink.wait_for(firing(ticket), 1)} >= expected, timeout=240)
        elapsed = time.monotonic() - started
        _, payload = stack.sink.wait_for(firing(ticket), 1)[0]
        notified = next(a for a in payload["alerts"] if a["labels"]["alertname"] == ticket)
        assert notified["labels"]["severity"] == "warning" and notified["labels"]["slo"] == slo.key
        assert notified["annotations"]["runbook_url"].endswith(f"#{ticket.lower()}")
        assert "/d/billing-slos/" in notified["annotations"]["dashboard_url"]
        # nothing pages: neither the SLO's page nor the guide's threshold on the same indicator
        guide = {a.name for a in spec.alerts_of(slo.indicator)}
        assert not stack.sink.wait_for(lambda _, p: any(
            a["labels"]["alertname"] in guide | {page} for a in p["alerts"]), 0)
        print(f"\n{ticket} notified {sorted(expected)} {elapsed:.1f}s after 2% of events started failing")
    finally:
        stack.set_scenario("healthy")
