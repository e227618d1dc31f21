"""Two clusters into an HA pair of central Prometheus servers and a 3-node Alertmanager cluster.

One topology for the module (real Debian binaries on 127.0.0.1, every config rendered by
generators.deployment), driven through one story in test order: healthy; an incident in
`eu`; one Alertmanager SIGKILLed mid-incident; one central replica SIGKILLed mid-incident;
the resolution; the `us` agent stopped. Run with `make test-ha` (marker `ha`).

Timing on a shared 2-core machine: every wait is on a condition with a generous timeout.
The only fixed waits are the observation windows after a notification, long enough for
every Alertmanager peer to have had its turn to (wrongly) send it again: that is the only
way to show a duplicate did not happen.
"""

from __future__ import annotations

import json
import re
import subprocess
import time
from collections.abc import Iterator
from datetime import datetime
from typing import Any

import pytest
import yaml

from generators.model import Alert, Spec
from generators.routing import receivers_for
from simulator.topology import FAST_LOOKBACK, HATopology
from tests.conftest import ROOT, SPEC_PATH, require_tool
from tests.expectations import lost_job_pages, page_labels
from tests.ha.conftest import record
from tests.ha.notifications import Notification, duplicate_alerts, duplicates, notifications

pytestmark = pytest.mark.ha
CLUSTERS = ("eu", "us")


def _panel_queries(cluster: str) -> list[tuple[str, str]]:
    out = []
    for path in sorted((ROOT / "dashboards").glob("*.json")):
        dashboard = json.loads(path.read_text())
        for panel in dashboard["panels"]:
            for target in panel.get("targets", []):
                # what Grafana sends with one cluster selected in the `cluster` variable
                expr = target["expr"].replace("$cluster", re.escape(cluster)).replace("$__rate_interval", "2m")
                out.append((f"{dashboard['title']} / {panel['title']} / {target['refId']}", expr))
    return out


class Story:
    """What happened when, shared by the tests of the module (they run in order)."""

    def __init__(self, topology: HATopology) -> None:
        self.topology = topology
        self.incident_started = 0.0
        self.healed = 0.0
        self.killed_alertmanager = ""
        self.killed_replica = ""


ABSENCE_ALERT = "BillingScrapeTargetsMissing"  # per (cluster, job) of every scrape job of the spec


@pytest.fixture(scope="module")
def story() -> Iterator[Story]:
    started = time.monotonic()
    with HATopology(SPEC_PATH, central_flags=FAST_LOOKBACK) as topology:
        record(f"topology up (7 servers, 2 simulators, 6h of backfill) in {time.monotonic() - started:.1f}s")
        topology.wait_until(lambda: all(topology.query(r, expr) for r in topology.central
                                        for c in CLUSTERS for _, expr in _panel_queries(c)),
                            180, "every dashboard query to return data")
        yield Story(topology)
        notes = notifications(topology)
        record(f"notifications received: {len(notes)}; over the whole run {len(duplicates(notes))} duplicate "
               f"notifications, {duplicate_alerts(notes)} duplicate alerts inside notifications")
    record(f"module run time (topology start to stop): {time.monotonic() - started:.1f}s")


def _incident_alerts(spec: Spec) -> list[Alert]:
    """platform_down fails the platform scrape and the health check probe; what PlatformDown
    inhibits (HealthCheckFailing: one incident, one page) fires but is never notified."""
    firing = [a for a in spec.alerts if a.short_name in ("PlatformDown", "HealthCheckFailing")]
    inhibited = {name for a in firing for name in a.inhibits}
    return [a for a in firing if a.name not in inhibited]


def _observe(topology: HATopology) -> None:
    """Long enough for every Alertmanager peer to have flushed twice after its peer wait."""
    d = topology.deployment
    window = (len(d.alertmanagers) - 1) * (d.peer_timeout or 15) + 2 * _group_interval(topology) + 5
    time.sleep(window)


def _group_interval(topology: HATopology) -> float:
    assert topology.spec.routing is not None
    return max(t.group_interval for t in topology.spec.routing.timings.values())


def _wait_notified(topology: HATopology, spec: Spec, alerts: list[Alert], status: str, since: float,
                   timeout: float, **labels: str) -> dict[tuple[str, str], Notification]:
    """The first notification of each (alert, receiver) in `status` received after `since`."""
    wanted = {(a.name, r) for a in alerts for r in receivers_for(spec.routing, spec.teams, a.team, a.severity)}

    def first() -> dict[tuple[str, str], Notification] | None:
        found: dict[tuple[str, str], Notification] = {}
        for note in notifications(topology):
            for name, receiver in wanted:
                if note.at >= since and note.receiver == receiver and note.about(name, status, **labels):
                    found.setdefault((name, receiver), note)
        return found if set(found) == wanted else None

    return topology.wait_until(first, timeout, f"{status} notifications of {sorted(wanted)}")


def _record_latencies(what: str, found: dict[tuple[str, str], Notification], since: float) -> None:
    for (alert, receiver), note in sorted(found.items()):
        record(f"{what}: {alert} -> {receiver} via {note.alertmanager}: {note.at - since:.1f}s")


def _count(notes: list[Notification], alert: str, receiver: str, status: str, **labels: str) -> int:
    return sum(1 for n in notes if n.receiver == receiver and n.about(alert, status, **labels))


# -- healthy -----------------------------------------------------------------------------------

def test_every_config_the_topology_runs_is_valid(story: Story) -> None:
    topology = story.topology
    checks = [[require_tool("amtool"), "check-config", str(topology.alertmanager_config)]]
    checks += [[require_tool("promtool"), "check", "config", "--agent", str(topology.root / f"agent-{c}.yml")]
               for c in topology.agents]
    checks += [[require_tool("promtool"), "check", "config", str(topology.root / f"central-{r}.yml")]
               for r in topology.central]  # with the rule files they load
    for command in checks:
        result = subprocess.run(command, capture_output=True, text=True)
        assert result.returncode == 0, (command, result.stdout + result.stderr)


def test_the_alertmanager_cluster_formed_from_the_rendered_flags(story: Story) -> None:
    topology = story.topology
    addresses = sorted(peer.cluster_address for peer in topology.deployment.alertmanagers)
    for name in topology.alertmanagers:
        status = topology.cluster_status(name)
        assert status["status"] == "ready"
        assert sorted(p["address"] for p in status["peers"]) == addresses


def test_every_rule_group_is_healthy_on_both_replicas(story: Story, spec: Spec) -> None:
    for replica in story.topology.central:
        groups = story.topology.api(replica, "/api/v1/rules")["groups"]
        rendered = [g for path in sorted((ROOT / "alerts").glob("*.rules.yml"))
                    for g in yaml.safe_load(path.read_text())["groups"]]
        assert sorted(g["name"] for g in groups) == sorted(g["name"] for g in rendered)
        problems = [(g["name"], r["name"], r.get("lastError")) for g in groups for r in g["rules"]
                    if r["health"] != "ok" or r.get("lastError")]
        assert not problems, (replica, problems)


def test_replicas_evaluate_each_group_at_the_same_instants(story: Story) -> None:
    """Same rule file path -> same evaluation phase per group: the replicas see an alert
    start and end in the same evaluation, so they rarely disagree about it in Alertmanager."""
    topology = story.topology
    interval = topology.spec.settings.evaluation_interval
    phases = {r: {g["name"]: _epoch(g["lastEvaluation"]) % interval for g in topology.api(r, "/api/v1/rules")["groups"]}
              for r in topology.central}
    a, b = (phases[r] for r in sorted(phases))
    apart = {name: min(abs(a[name] - b[name]), interval - abs(a[name] - b[name])) for name in a}
    assert max(apart.values()) < 0.5, sorted(apart.items(), key=lambda item: -item[1])[:3]


def test_the_cluster_variable_lists_both_clusters_on_both_replicas(story: Story) -> None:
    for replica in story.topology.central:
        match = {"match[]": 'up{job="billing-platform"}'}  # the variable's label_values() query
        values = story.topology.api(replica, "/api/v1/label/cluster/values", **match)
        assert values == list(CLUSTERS), replica


def test_every_dashboard_query_returns_data_per_cluster_on_both_replicas(story: Story) -> None:
    empty, foreign = [], []
    for replica in story.topology.central:
        for cluster in CLUSTERS:
            for where, expr in _panel_queries(cluster):
                result = story.topology.query(replica, expr)
                if not result:
                    empty.append((replica, cluster, where))
                foreign += [(replica, cluster, where) for s in result
                            if s["metric"].get("cluster", cluster) != cluster]
    assert not empty, f"panels showing no data: {empty}"
    assert not foreign, f"panels showing another cluster: {foreign}"


def test_healthy_clusters_fire_nothing(story: Story, spec: Spec) -> None:
    topology = story.topology
    # every alert has been evaluated on data (the fixture waited for it); one more round
    time.sleep(spec.settings.evaluation_interval)
    for replica in topology.central:
        alerts = topology.rule_alerts(replica)
        assert not alerts, (replica, [(a["labels"]["alertname"], a["state"]) for a in alerts])
    for name in topology.alertmanagers:
        assert not topology.alertmanager_alerts(name), name
    assert not topology.sink.payloads


# -- an incident in eu -------------------------------------------------------------------------

def test_incident_in_eu_is_notified_once_per_receiver(story: Story, spec: Spec) -> None:
    topology = story.topology
    story.incident_started = time.time()
    topology.set_scenario("eu", "platform_down")
    alerts = _incident_alerts(spec)
    found = _wait_notified(topology, spec, alerts, "firing", story.incident_started, 180, cluster="eu")
    _record_latencies("incident in eu, firing", found, story.incident_started)
    _observe(topology)

    notes = notifications(topology)
    for alert in alerts:
        for receiver in receivers_for(spec.routing, spec.teams, alert.team, alert.severity):
            assert _count(notes, alert.name, receiver, "firing") == 1, (alert.name, receiver)
    assert not [n for n in notes if any(dict(a).get("cluster") == "us" for a, _ in n.alerts)]
    assert not duplicates(notes)
    assert not duplicate_alerts(notes)
    record(f"incident in eu, firing: {len(notes)} notifications, {len(duplicates(notes))} duplicates, "
           f"{duplicate_alerts(notes)} duplicate alerts inside them")

    for replica in topology.central:
        firing = {(a["labels"]["alertname"], a["labels"].get("cluster")) for a in topology.rule_alerts(replica)
                  if a["state"] == "firing"}
        assert {(a.name, "eu") for a in alerts} <= firing, replica
        assert not [f for f in firing if f[1] != "eu"], replica
    for name in topology.alertmanagers:
        for alert in alerts:
            received = topology.alertmanager_alerts(name, f'alertname="{alert.name}"')
            # both replicas sent it; the replica label was dropped, so it is one alert
            assert [a["labels"].get("cluster") for a in received] == ["eu"], (name, received)
            assert "replica" not in received[0]["labels"]


def test_alertmanager_node_killed_mid_incident(story: Story, spec: Spec) -> None:
    topology = story.topology
    sender = notifications(topology)[0].alertmanager  # the one whose turn it is: the hardest to lose
    story.killed_alertmanager = sender
    topology.kill(topology.alertmanagers[sender])
    killed_at = time.monotonic()
    survivors = [n for n in topology.alertmanagers if n != sender]
    topology.wait_until(lambda: all(len(topology.cluster_status(n)["peers"]) == len(survivors) for n in survivors),
                        120, f"the surviving Alertmanagers to drop {sender}")
    record(f"{sender} SIGKILLed; the survivors saw it gone after {time.monotonic() - killed_at:.1f}s")
    _observe(topology)
    notes = notifications(topology)
    assert not duplicates(notes)
    assert not duplicate_alerts(notes)
    assert not [n for n in notes if n.status == "resolved"]  # the incident is still on


def test_central_replica_killed_mid_incident(story: Story, spec: Spec) -> None:
    topology = story.topology
    victim, survivor = sorted(topology.central)
    story.killed_replica = victim
    topology.kill(topology.central[victim])
    killed_at = time.time()
    alerts = _incident_alerts(spec)

    firing = {a["labels"]["alertname"] for a in topology.rule_alerts(survivor)
              if a["state"] == "firing" and a["labels"].get("cluster") == "eu"}
    assert {a.name for a in alerts} <= firing
    # the survivor keeps feeding every live Alertmanager (resend every --rules.alert.resend-delay, 1m)
    survivors = [n for n in topology.alertmanagers if n != story.killed_alertmanager]

    def refreshed_by_survivor() -> bool:
        return all(_epoch(a["updatedAt"]) > killed_at for name in survivors for alert in alerts
                   for a in topology.alertmanager_alerts(name, f'alertname="{alert.name}"'))

    topology.wait_until(refreshed_by_survivor, 120, f"central-{survivor} to resend the alerts")
    record(f"central-{victim} SIGKILLed; central-{survivor} refreshed the alerts in Alertmanager "
           f"{time.time() - killed_at:.1f}s later")
    # both agents keep writing to the survivor
    for cluster in CLUSTERS:
        newest = topology.query(survivor, f'max(timestamp(up{{cluster="{cluster}"}}))')
        assert newest and float(newest[0]["value"][1]) > killed_at, cluster
    notes = notifications(topology)
    assert not [n for n in notes if n.status == "resolved"]
    assert not duplicates(notes)
    assert not duplicate_alerts(notes)


def test_resolution_arrives_once_after_the_kills(story: Story, spec: Spec) -> None:
    topology = story.topology
    story.healed = time.time()
    topology.set_scenario("eu", "healthy")
    alerts = _incident_alerts(spec)
    found = _wait_notified(topology, spec, alerts, "resolved", story.healed, 180, cluster="eu")
    _record_latencies("eu healed, resolved", found, story.healed)
    assert story.killed_alertmanager not in {n.alertmanager for n in found.values()}
    _observe(topology)

    notes = notifications(topology)
    for alert in alerts:
        for receiver in receivers_for(spec.routing, spec.teams, alert.team, alert.severity):
            assert _count(notes, alert.name, receiver, "firing") == 1, (alert.name, receiver)
            assert _count(notes, alert.name, receiver, "resolved") == 1, (alert.name, receiver)
    assert not duplicates(notes)
    assert not duplicate_alerts(notes)
    record(f"incident in eu, firing + AM kill + replica kill + resolution: {len(notes)} notifications, "
           f"{len(duplicates(notes))} duplicates, {duplicate_alerts(notes)} duplicate alerts inside them")


# -- an agent stops ----------------------------------------------------------------------------

def test_stopping_the_us_agent_fires_the_absence_alert_for_us_only(story: Story, spec: Spec) -> None:
    topology = story.topology
    survivor = next(r for r in topology.central if r != story.killed_replica)
    before = len(topology.sink.payloads)
    stopped = time.time()
    topology.stop(topology.agents["us"])
    jobs = sorted(dict(labels)["job"] for labels in spec.settings.selectors.values())

    def absence_firing() -> list[dict[str, Any]] | None:
        alerts = [a for a in topology.rule_alerts(survivor) if a["labels"]["alertname"] == ABSENCE_ALERT]
        firing = [a for a in alerts if a["state"] == "firing"]
        return alerts if sorted(a["labels"]["job"] for a in firing) == jobs else None

    alerts = topology.wait_until(absence_firing, 240, f"{ABSENCE_ALERT} for every job of us")
    assert {a["labels"]["cluster"] for a in alerts} == {"us"}
    record(f"us agent stopped: {ABSENCE_ALERT} firing for {jobs} after {time.time() - stopped:.1f}s "
           f"({FAST_LOOKBACK[0]} + for)")

    # each job of us pages once: through its own `absent` alert (which inhibits the watch for
    # that job) or one that inhibits that alert, else through the watch itself
    by_name = {a.name: a for a in spec.alerts}
    pages = lost_job_pages(spec)
    firsts: dict[tuple[str, str], Notification] = {}

    def every_job_paged() -> bool:
        for note in notifications(topology)[before:]:
            for job, names in pages.items():
                for name in names:
                    if note.about(name, "firing", **page_labels(names, name, "us", job)):
                        firsts.setdefault((job, f"{name}->{note.receiver}"), note)
        paged = {job for job, names in pages.items()
                 if any(all((job, f"{name}->{r}") in firsts for r in
                            receivers_for(spec.routing, spec.teams, by_name[name].team, by_name[name].severity))
                        for name in names)}
        return paged == set(jobs)

    topology.wait_until(every_job_paged, 150, f"a page for each job of us ({pages})")
    for (job, route), note in sorted(firsts.items()):
        record(f"us agent stopped, firing for job {job}: {route} via {note.alertmanager}: "
               f"{note.at - stopped:.1f}s")
    _observe(topology)
    notes = notifications(topology)[before:]
    assert not [n for n in notes if n.about(ABSENCE_ALERT, "firing", cluster="eu")]
    assert not duplicates(notes)
    assert not duplicate_alerts(notes)
    per_note = ", ".join(f"{n.receiver}:{len(n.alerts)}" for n in notes)
    record(f"us agent stopped: {len(notes)} notifications (receiver:alerts in it: {per_note}; a group re-sent "
           f"because another job joined it is not a duplicate), {len(duplicates(notes))} duplicates, "
           f"{duplicate_alerts(notes)} duplicate alerts inside them")


def _epoch(timestamp: str) -> float:
    """Alertmanager's RFC 3339 timestamps (nanoseconds) as epoch seconds."""
    trimmed = re.sub(r"(\.\d{6})\d*", r"\1", timestamp).replace("Z", "+00:00")
    return datetime.fromisoformat(trimmed).timestamp()

