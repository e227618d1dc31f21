"""Controls for the exactly-once claims of test_topology.py: break one thing, see duplicates.

1. Without `alert_relabel_configs` dropping `replica`, the two central replicas send two
   alerts that differ only in that label; Alertmanager cannot know they are one, and every
   receiver is told about the incident twice.
2. With a peer timeout whose wait reaches the group_interval (Alertmanager's default 15s
   against the e2e profile's 5s, here 30s to make it certain), a later peer notifies from
   a snapshot taken before the resolution: the receivers get a stale "firing" after the
   "resolved" (prometheus/alertmanager#3283). `deployment_for` refuses such a deployment.

Small topologies (one cluster, no history) to keep them quick. Marker `ha`.
"""

from __future__ import annotations

import time
from typing import Any

import pytest

from generators.deployment import peer_timeout_problems
from generators.model import Spec
from generators.routing import receivers_for
from simulator.topology import HATopology
from tests.conftest import SPEC_PATH
from tests.ha.conftest import record
from tests.ha.notifications import duplicate_alerts, duplicates, notifications

pytestmark = pytest.mark.ha


def _without_replica_drop(config: dict[str, Any]) -> dict[str, Any]:
    del config["alerting"]["alert_relabel_configs"]
    return config


def test_without_dropping_the_replica_label_every_receiver_is_told_twice(spec: Spec) -> None:
    alert = next(a for a in spec.alerts if a.short_name == "PlatformDown")
    receivers = set(receivers_for(spec.routing, spec.teams, alert.team, alert.severity))
    with HATopology(SPEC_PATH, clusters=("eu",), alertmanagers=1, history=False,
                    central_config_hook=_without_replica_drop) as topology:
        started = time.time()
        topology.set_scenario("eu", "platform_down")

        def told_by_both_replicas() -> set[str]:
            replicas: dict[str, set[str]] = {}
            for note in notifications(topology):
                for labels, status in note.alerts:
                    if dict(labels)["alertname"] == alert.name and status == "firing":
                        replicas.setdefault(note.receiver, set()).add(dict(labels).get("replica", ""))
            told = {r for r, seen in replicas.items() if seen == {"a", "b"}}
            return told if told >= receivers else set()

        topology.wait_until(told_by_both_replicas, 180, "notifications from both replicas")
        received = topology.alertmanager_alerts("am-0", f'alertname="{alert.name}"')
        assert sorted(a["labels"]["replica"] for a in received) == ["a", "b"]
        one, other = ({k: v for k, v in a["labels"].items() if k != "replica"} for a in received)
        assert one == other  # the same alert, twice
        notes = [n for n in notifications(topology) if any(dict(a)["alertname"] == alert.name for a, _ in n.alerts)]
        # what test_topology.py counts and requires to be 0
        assert duplicate_alerts(notes) >= len(receivers)
        record(f"control, no replica drop: every receiver told about {alert.name} twice (replica a and b): "
               f"{len(notes)} notifications to {len(receivers)} receivers carrying {duplicate_alerts(notes)} "
               f"duplicate alerts, {time.time() - started:.1f}s after the incident started")


def test_a_peer_timeout_reaching_the_group_interval_re_sends_a_resolved_alert(spec: Spec) -> None:
    alert = next(a for a in spec.alerts if a.short_name == "PlatformDown")
    gossip = {"gossip_interval": 0.1, "pushpull_interval": 5.0, "peer_timeout": 30.0}
    with HATopology(SPEC_PATH, clusters=("eu",), replicas=("a",), history=False, gossip=gossip,
                    check_peer_timeout=False) as topology:
        assert topology.spec.routing is not None
        intervals = {k: t.group_interval for k, t in topology.spec.routing.timings.items()}
        assert peer_timeout_problems(topology.deployment, intervals)  # what deployment_for refuses
        topology.set_scenario("eu", "platform_down")
        topology.wait_until(lambda: [n for n in notifications(topology) if n.about(alert.name, "firing")],
                            180, f"{alert.name} firing")
        # heal at once: the resolution reaches the first peer before the others' 30s waits end
        topology.set_scenario("eu", "healthy")

        def stale_firing() -> list[Any]:
            notes = notifications(topology)
            resolved = [n.at for n in notes if n.about(alert.name, "resolved")]
            return [n for n in notes if resolved and n.about(alert.name, "firing") and n.at > min(resolved)]

        stale = topology.wait_until(stale_firing, 180, "a firing notification after the resolution")
        dups = duplicates(notifications(topology))
        assert dups
        record(f"control, peer timeout 30s x 2 >= group_interval 5s: {len(dups)} duplicate notifications; "
               f"stale firing from {sorted({n.alertmanager for n in stale})} after the resolution")
