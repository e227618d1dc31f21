"""End to end on a real Prometheus and Alertmanager (Debian's binaries) on 127.0.0.1.

One stack for the module: three clusters (`eu`, `us`, `ap`) of two platform replicas each, rules
rendered with the spec's `e2e` profile, 3 hours of backfilled history plus the same hours
a week ago, live scrapes found through the simulators' service discovery. The incident
tests run in file order on the one stack, each cluster judged on its own with the
others as witnesses, and print their detection time (scenario switch ->
notification at the receiver). Run alone with `pytest -m e2e`.
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
from tests.expectations import lost_job_pages, page_labels

pytestmark = pytest.mark.e2e
CLUSTERS = ("eu", "us", "ap")
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
    with Stack(SPEC_PATH, clusters=CLUSTERS) as running:
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


def _labels(payload: dict[str, Any], key: str) -> set[str]:
    return {a["labels"].get(key, "") for a in payload["alerts"]}


def _firing_since(stack: Stack, since: float, cluster: str) -> list[tuple[str, str]]:
    """(receiver, alertname) of firing notifications about `cluster` that arrived after `since`."""
    return [(receiver, a["labels"]["alertname"])
            for (receiver, payload), at in zip(stack.sink.payloads, stack.sink.times, strict=False)
            if at >= since and payload["status"] == "firing"
            for a in payload["alerts"] if a["labels"].get("cluster") == cluster]


def _switch(stack: Stack, scenario: str, cluster: str) -> float:
    switched = time.time()
    stack.set_scenario(scenario, cluster)
    return switched


def _wait_notified(stack: Stack, alertname: str, cluster: str, receivers: set[str], since: float,
                   timeout: float = 90, job: str | None = None) -> float:
    """Wait until every receiver got `alertname` firing for `cluster` (and `job`); seconds
    from `since` to the last of them."""
    def arrivals() -> dict[str, float]:
        first: dict[str, float] = {}
        for (receiver, payload), at in zip(stack.sink.payloads, stack.sink.times, strict=False):
            if at < since or payload["status"] != "firing":
                continue
            if any(a["labels"]["alertname"] == alertname and a["labels"].get("cluster") == cluster
                   and (job is None or a["labels"].get("job") == job) for a in payload["alerts"]):
                first.setdefault(receiver, at)
        return first

    _wait_until(lambda: set(arrivals()) >= receivers, timeout)
    got = arrivals()
    assert set(got) >= receivers, f"{alertname} for {cluster} reached {sorted(got)}, expected {sorted(receivers)}"
    return max(got[r] for r in receivers) - since


def _wait_paged(stack: Stack, spec: Spec, names: tuple[str, ...], cluster: str, since: float,
                job: str, timeout: float = 90) -> tuple[str, float]:
    """Wait until one of `names` (the job's own alert first, then the alerts that inhibit it
    per cluster) reached all its receivers for `cluster`; (which one, seconds from `since`)."""
    prefix = spec.settings.alert_prefix

    def paged() -> tuple[str, float] | None:
        for name in names:
            first: dict[str, float] = {}
            wanted = page_labels(names, name, cluster, job)
            for (receiver, payload), at in zip(stack.sink.payloads, stack.sink.times, strict=False):
                if at >= since and payload["status"] == "firing" and any(
                        a["labels"]["alertname"] == name and all(a["labels"].get(k) == v for k, v in wanted.items())
                        for a in payload["alerts"]):
                    first.setdefault(receiver, at)
            receivers = _expected_receivers(spec, name.removeprefix(prefix))
            if set(first) >= receivers:
                return name, max(first[r] for r in receivers) - since
        return None

    _wait_until(lambda: paged() is not None, timeout)
    found = paged()
    assert found, f"no page for job {job} of {cluster} by any of {names}"
    return found


def _rule_alerts(stack: Stack, cluster: str) -> list[tuple[str, str]]:
    return [(a["labels"]["alertname"], a["state"]) for a in stack.api("/api/v1/alerts")["alerts"]
            if a["labels"].get("cluster") == cluster]


def _expected_receivers(spec: Spec, short_name: str) -> set[str]:
    alert = next(a for a in spec.alerts if a.short_name == short_name)
    assert spec.routing is not None
    return set(receivers_for(spec.routing, spec.teams, alert.team, alert.severity))


def _pagers(spec: Spec) -> set[str]:
    return {team.pager for team in spec.teams.values() if team.pager}


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


def _jobs(stack: Stack) -> dict[str, str]:
    """simulator job -> the `job` label its targets carry (the spec's selectors)."""
    return {source: dict(pairs)["job"] for source, pairs in stack.spec.settings.selectors.items()}


def test_each_cluster_is_judged_on_its_own(stack: Stack, spec: Spec) -> None:
    """Three faults at once, one per cluster, in one window of time:
    - eu is lost (every target leaves discovery): each of eu's jobs pages once, through the
      per-cluster absence watch or, for a job with its own `absent` alert (PlatformDown,
      HealthCheckFailing), through that alert, which inhibits the watch;
    - us loses its CloudWatch exporter (its target leaves discovery): the watch fires for
      job=cloudwatch in us, and for no other job there;
    - in ap every other scrape of one platform replica fails for 40s (staleness markers,
      a fleet still serving): no pager hears of ap, during the gap or after it.
    Not merged (eu's loss does not page for us or ap), not diluted (us' and ap's healthy
    targets do not hide eu's loss). Prints the detection times."""
    expected = _expected_receivers(spec, "ScrapeTargetsMissing")
    name = f"{spec.settings.alert_prefix}ScrapeTargetsMissing"
    jobs = _jobs(stack)
    switched = time.time()
    stack.set_scenario("cluster_lost", "eu")
    stack.set_scenario("exporter_gone", "us")
    stack.set_scenario("scrape_gap", "ap")
    pages = lost_job_pages(spec)
    try:
        lost = {(names, job): _wait_paged(stack, spec, names, "eu", switched, job) for job, names in pages.items()}
        # a page by an inhibitor stands for the cluster: each job's own alert must still have
        # seen its job vanish (pending or firing in Prometheus, inhibited or not)
        seen = {(a["labels"]["alertname"], a["labels"].get("job")) for a in stack.api("/api/v1/alerts")["alerts"]
                if a["labels"].get("cluster") == "eu"}
        assert {job for job, names in pages.items() if (names[0], job) not in seen} == set(), seen
        exporter = _wait_notified(stack, name, "us", expected, switched, job=jobs["cloudwatch"])
        assert not stack.query('up{cluster="eu"}'), "eu's targets should have vanished"
        time.sleep(max(0.0, switched + 40 - time.time()))
    finally:  # a failure here must not leave the next tests a lost cluster
        for cluster in ("eu", "us", "ap"):
            stack.set_scenario("healthy", cluster)
    healed = time.time()

    # the gap really happened: exactly one ap replica had failed scrapes in it
    failed = stack.query(f'min_over_time(up{{cluster="ap",job="{jobs["platform"]}"}}[{int(healed - switched)}s]) == 0')
    assert len(failed) == 1, failed
    notified_us = {a["labels"].get("job") for (_, payload), at in zip(stack.sink.payloads, stack.sink.times,
                                                                      strict=False)
                   if at >= switched and payload["status"] == "firing" for a in payload["alerts"]
                   if a["labels"].get("cluster") == "us"}
    assert notified_us == {jobs["cloudwatch"]}
    assert _wait_until(lambda: not _rule_alerts(stack, "eu") and not _rule_alerts(stack, "us"), timeout=60)
    # what would page on the gap: pending during it, firing `for` (20s) after it
    time.sleep(max(0.0, healed + 25 - time.time()))
    ap_pages = [(r, n) for r, n in _firing_since(stack, switched, "ap") if r in _pagers(spec)]
    assert ap_pages == []
    assert not [a for a in stack.api("/api/v1/alerts")["alerts"]
                if a["labels"].get("cluster") == "ap" and a["labels"]["severity"] == "critical"]
    print("\ncluster_lost: the page for each job of eu after "
          + ", ".join(f"{job} by {paged} {seconds:.1f}s" for (_, job), (paged, seconds) in sorted(lost.items()))
          + f"\nexporter_gone: {name}{{job={jobs['cloudwatch']}}} in us after {exporter:.1f}s"
          + "\nscrape_gap: one ap replica failing every other scrape for 40s: no page")


def test_platform_down_reaches_every_receiver_with_its_links(stack: Stack, spec: Spec) -> None:
    alert = next(a for a in spec.alerts if a.short_name == "PlatformDown")
    assert spec.routing is not None
    expected = set(receivers_for(spec.routing, spec.teams, alert.team, alert.severity))
    started = time.monotonic()
    switched = _switch(stack, "platform_down", "eu")

    def firing(path: str, payload: dict[str, Any]) -> bool:
        return payload["status"] == "firing" and any(
            a["labels"]["alertname"] == alert.name and a["labels"].get("cluster") == "eu" for a in payload["alerts"])

    assert _wait_until(lambda: {p for p, _ in stack.sink.wait_for(firing, 1)} >= expected, timeout=90)
    elapsed = time.monotonic() - started
    _, payload = stack.sink.wait_for(firing, 1)[0]
    notified = next(a for a in payload["alerts"] if a["labels"]["alertname"] == alert.name)
    assert notified["labels"]["severity"] == "critical"
    assert notified["labels"]["cluster"] == "eu"
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
    assert ("platform-chat", "BillingPlatformTargetDown") not in _firing_since(stack, switched, "eu")

    assert _firing_since(stack, switched, "us") == [] and _firing_since(stack, switched, "ap") == []
    stack.set_scenario("healthy", "eu")

    def resolved(path: str, payload: dict[str, Any]) -> bool:
        return payload["status"] == "resolved" and any(
            a["labels"]["alertname"] == alert.name for a in payload["alerts"])

    assert _wait_until(lambda: stack.sink.wait_for(resolved, 1), timeout=90)
    # the recovery tail (generators/inhibition.py): the consequences whose windows still hold
    # the outage (HealthCheckFailing's 5m average, PlatformTargetDown's 10m one, the ratios)
    # are no longer inhibited once PlatformDown resolved, and used to page now. Several
    # flushes (group_interval 5s) later, none of them has notified anyone about eu.
    consequences = {a.name for a in spec.alerts if a.name in alert.inhibits} | {
        a.name for a in spec.alerts if a.indicator is alert.indicator and a.severity != "critical"}
    time.sleep(30)
    late = sorted({name for _, name in _firing_since(stack, switched, "eu")} & consequences)
    assert late == [], f"consequences of PlatformDown notified for eu: {late}"


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


def test_exporter_down_while_still_discovered_pages(stack: Stack, spec: Spec) -> None:
    """The CloudWatch exporter of us stops but its target stays listed (static targets, as
    deploy/ renders them): up{job="cloudwatch"} is 0 in us, RDSCPUHigh can no longer fire.
    ScrapeTargetsMissing counts targets up, not series, so it pages for us and that job."""
    exporter_job = _jobs(stack)["cloudwatch"]
    switched = time.time()
    stack.set_scenario("exporter_down", "us")
    try:
        assert stack.query(f'up{{cluster="us",job="{exporter_job}"}} == 0') or _wait_until(
            lambda: stack.query(f'up{{cluster="us",job="{exporter_job}"}} == 0'), timeout=20)

        def notified() -> bool:
            return any(at >= switched and payload["status"] == "firing"
                       and any(a["labels"].get("cluster") == "us" and a["labels"].get("job") == exporter_job
                               and a["labels"]["alertname"] == "BillingScrapeTargetsMissing"
                               for a in payload["alerts"])
                       for (_, payload), at in zip(stack.sink.payloads, stack.sink.times, strict=False))

        # every rule's `for` is at most 20s in the e2e profile: 45s is ample
        assert _wait_until(notified, timeout=45), "nothing notified about the stopped exporter"
        print(f"\nexporter_down: notified {time.time() - switched:.1f}s after the switch")
    finally:
        stack.set_scenario("healthy", "us")
