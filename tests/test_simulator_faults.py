"""Replicas, clusters and target faults of the simulator: which replica a scenario hits,
which scrapes fail, what service discovery lists, and how the HTTP server carries it out."""

from __future__ import annotations

import json
import urllib.error
import urllib.request

import pytest

from simulator.exposition import History
from simulator.platform import SCENARIOS, PlatformSimulator
from simulator.server import SimulatorCluster

T0 = 1_795_000_000.0
LABELS = {job: {"job": job, "instance": "sim:0"} for job in ("platform", "healthcheck", "cloudwatch")}


def _values(sim: PlatformSimulator, name: str, replica: int) -> dict[tuple[tuple[str, str], ...], float]:
    return {s.labels: s.value for s in sim.samples() if s.name == name and s.replica == replica}


def test_each_replica_has_its_own_series_and_a_share_of_the_traffic() -> None:
    one, two = PlatformSimulator(T0, seed=3), PlatformSimulator(T0, seed=3, replicas=2)
    one.advance(T0 + 1800)
    two.advance(T0 + 1800)
    ok = (("outcome", "success"),)
    total = one.counters[("platform", 0, "billing_events_received_total", ok)]
    shares = [two.counters[("platform", r, "billing_events_received_total", ok)] for r in (0, 1)]
    assert all(0.4 * total < share < 0.6 * total for share in shares), (total, shares)
    assert 0.95 * total < sum(shares) < 1.05 * total
    # the invoice worker and the shared queues report once, from replica 0; pools per replica
    assert _values(two, "billing_invoices_pending", 0) and not _values(two, "billing_invoices_pending", 1)
    assert _values(two, "billing_queue_depth", 0) and not _values(two, "billing_queue_depth", 1)
    assert len(_values(two, "billing_db_pool_connections_in_use", 1)) == 2


def test_healthy_scrapes_never_fail_and_every_target_is_discovered() -> None:
    sim = PlatformSimulator(T0, replicas=2)
    assert not any(sim.scrape_fails(job, r) for _ in range(20) for job in ("platform", "healthcheck", "cloudwatch")
                   for r in (0, 1))
    assert sim.discovered("platform") == [0, 1] and sim.discovered("cloudwatch") == [0]


def test_scrape_gap_fails_every_other_scrape_of_the_last_replica_only() -> None:
    sim = PlatformSimulator(T0, "scrape_gap", replicas=2)
    faulty = [sim.scrape_fails("platform", 1) for _ in range(10)]
    assert faulty == [False, True] * 5
    assert not any(sim.scrape_fails("platform", 0) for _ in range(10))
    assert not any(sim.scrape_fails(job) for job in ("healthcheck", "cloudwatch") for _ in range(4))
    assert sim.discovered("platform") == [0, 1]


def test_cluster_lost_leaves_discovery_and_exporter_faults_hit_the_exporter_only() -> None:
    lost = PlatformSimulator(T0, "cluster_lost", replicas=2)
    assert [lost.discovered(job) for job in ("platform", "healthcheck", "cloudwatch")] == [[], [], []]
    down = PlatformSimulator(T0, "exporter_down", replicas=2)
    assert down.scrape_fails("cloudwatch") and down.discovered("cloudwatch") == [0]
    assert not down.scrape_fails("platform", 1) and not down.scrape_fails("healthcheck")
    gone = PlatformSimulator(T0, "exporter_gone", replicas=2)
    assert gone.discovered("cloudwatch") == [] and gone.discovered("platform") == [0, 1]
    assert not gone.scrape_fails("cloudwatch")


def test_platform_down_fails_every_replica() -> None:
    sim = PlatformSimulator(T0, "platform_down", replicas=3)
    assert all(sim.scrape_fails("platform", r) for r in range(3))


def test_replica_pool_full_fills_the_last_replica_only() -> None:
    sim = PlatformSimulator(T0, "replica_pool_full", replicas=2)
    sim.advance(T0 + 60)
    for replica, low, high in ((0, 0.0, 0.5), (1, 0.9, 1.0)):
        used = _values(sim, "billing_db_pool_connections_in_use", replica)
        size = _values(sim, "billing_db_pool_connections_max", replica)
        ratio = sum(used.values()) / sum(size.values())
        assert low <= ratio <= high, (replica, ratio)


def test_replica_crashloop_resets_the_last_replica_and_fails_its_scrapes_while_it_starts() -> None:
    sim = PlatformSimulator(T0, replicas=2)
    sim.advance(T0 + 600)
    sim.set_scenario("replica_crashloop")
    key = ("platform", 1, "billing_events_received_total", (("outcome", "success"),))
    healthy = ("platform", 0, "billing_events_received_total", (("outcome", "success"),))
    before, before_healthy = sim.counters[key], sim.counters[healthy]
    assert sim.scrape_fails("platform", 1)  # starting
    sim.advance(T0 + 600 + 65)  # past one restart
    assert sim.counters[key] < before and sim.counters[healthy] > before_healthy
    sim.advance(T0 + 600 + 65 + 20)
    assert not sim.scrape_fails("platform", 1) and not sim.scrape_fails("platform", 0)


def test_every_scenario_can_be_set() -> None:
    sim = PlatformSimulator(T0, replicas=2)
    for name in SCENARIOS:
        sim.set_scenario(name)
        sim.advance(sim.t + 30)
        assert sim.samples()
    with pytest.raises(KeyError, match="unknown scenario"):
        sim.set_scenario("no_such_scenario")
    with pytest.raises(ValueError, match="replicas"):
        PlatformSimulator(T0, replicas=0)


def test_history_gives_each_replica_its_instance() -> None:
    sim = PlatformSimulator(T0, replicas=2)
    history = History(LABELS, {0: "sim:0", 1: "sim:1"})
    sim.advance(T0 + 30)
    history.record(sim.t, sim.samples())
    instances = {dict(labels)["instance"] for name, labels in history.points if name == "http_requests_total"}
    assert instances == {"sim:0", "sim:1"}
    assert {dict(labels)["instance"] for name, labels in history.points if name == "probe_success"} == {"sim:0"}


def _get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=5) as resp:
            return resp.status, resp.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def test_the_server_gives_each_replica_its_address_and_discovery_follows_the_scenario() -> None:
    now = [T0]
    cluster = SimulatorCluster(PlatformSimulator(T0, replicas=2), clock=lambda: now[0],
                               labels={"platform": {"cluster": "eu"}}).start()
    try:
        first, second = cluster.servers
        assert first.address != second.address
        status, body = _get(f"{cluster.url}/sd/platform")
        assert status == 200
        assert json.loads(body) == [{"targets": [first.address, second.address], "labels": {"cluster": "eu"}}]
        assert json.loads(_get(f"{cluster.url}/sd/cloudwatch")[1]) == [{"targets": [first.address], "labels": {}}]
        now[0] += 60
        assert _get(f"{second.url}/platform/metrics")[0] == 200
        assert b"billing_invoices_pending" in _get(f"{first.url}/platform/metrics")[1]
        assert b"billing_invoices_pending" not in _get(f"{second.url}/platform/metrics")[1]
        cluster.set_scenario("scrape_gap")
        statuses = [_get(f"{second.url}/platform/metrics")[0] for _ in range(4)]
        assert sorted(statuses) == [200, 200, 503, 503]
        assert all(_get(f"{first.url}/platform/metrics")[0] == 200 for _ in range(4))
        cluster.set_scenario("cluster_lost")
        assert json.loads(_get(f"{cluster.url}/sd/platform")[1]) == []
        assert _get(f"{cluster.url}/sd/nonsense")[0] == 404
    finally:
        cluster.stop()
