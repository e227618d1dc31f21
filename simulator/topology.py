"""The multi-cluster HA topology on 127.0.0.1, started from the configs operators copy.

Per cluster (`eu`, `us`): a simulator (two platform replicas, each its own target) and a
Prometheus agent scraping it with static targets, remote-writing to every central
replica. Central tier: Prometheus replicas `a` and `b` (remote-write
receivers) evaluating the rules rendered with a spec profile, sending to every node of a
gossiping Alertmanager cluster whose receivers all deliver to one webhook sink. Every
Prometheus and Alertmanager runs with the configuration and flags rendered by
`generators.deployment`; only ports, paths and test speed-ups are added here.

History is backfilled into the central tier (3 hours, and the same hours one and two weeks ago for
the drop alert's baseline) with the labels the agents' series carry, so rules and
dashboards have their windows from the first evaluation. `HATopology` is a context
manager: every process is stopped and the temp dir removed even when a test fails. Like
the single stack (simulator.processes): the servers die with this process even when it is
killed, a stop signal is held back until a just-started server is registered for cleanup,
and the temp dir of a killed run is removed by the next start. The agents' targets are
static, as deploy/ renders them: lose a cluster here by stopping its agent (`stop`); the
`cluster_lost` scenario needs service discovery (the single stack).
"""

from __future__ import annotations

import json
import shutil
import signal
import threading
import time
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from generators.deployment import (
    AGENT_FLAGS,
    CENTRAL_FLAGS,
    AlertmanagerPeer,
    CentralReplica,
    Cluster,
    Deployment,
    ScrapeTargets,
    alertmanager_cluster_flags,
    deployment_for,
    render_agent_config,
    render_central_config,
    series_labels,
    to_yaml,
)
from generators.loader.build import load_spec
from generators.model import Spec
from generators.outputs import render_all
from generators.writer import write_outputs
from simulator.exposition import History
from simulator.platform import JOBS, PlatformSimulator
from simulator.processes import make_owned_dir, remove_abandoned_dirs, run_tool, uninterrupted
from simulator.server import SimulatorCluster
from simulator.stack import (
    BASELINE_WEEKS,
    HISTORY_HOURS,
    HISTORY_STEP,
    REPLICAS,
    WEEK,
    ManagedProcess,
    WebhookSink,
    binary,
    free_port,
    receivers_to_sink,
)

HISTORY_SECONDS = HISTORY_HOURS * 3600
CLUSTER_SEEDS = {"eu": 7, "us": 13}
# A dead agent sends no staleness markers: its last samples stay visible to the central tier
# for the lookback delta (5m by default; measured: the `up` of a stopped agent vanished after
# 300s). Tests and demo shorten it to 1m, still 12 scrape intervals of the e2e profile.
FAST_LOOKBACK = ("--query.lookback-delta=1m",)
DEFAULT_GOSSIP = {"gossip_interval": 0.1, "pushpull_interval": 5.0, "peer_timeout": 2.0}
TEMP_PREFIX = "billing-ha-"


# the stack's sink records arrival times itself now; the old name stays for callers
TimedSink = WebhookSink


@dataclass
class Node:
    """One server process of the topology and its HTTP address."""

    name: str
    url: str
    process: ManagedProcess

    @property
    def alive(self) -> bool:
        return self.process.process.poll() is None


class HATopology:
    def __init__(self, spec_path: Path, profile: str = "e2e", clusters: tuple[str, ...] = ("eu", "us"),
                 replicas: tuple[str, ...] = ("a", "b"), alertmanagers: int = 3, history: bool = True,
                 extra_rule_files: dict[str, str] | None = None, central_flags: tuple[str, ...] = (),
                 gossip: dict[str, float] | None = None, check_peer_timeout: bool = True,
                 central_config_hook: Callable[[dict[str, Any]], dict[str, Any]] | None = None,
                 platform_replicas: int = REPLICAS) -> None:
        self.spec_path, self.profile, self.history = spec_path, profile, history
        self.cluster_names, self.replica_names, self.alertmanager_count = clusters, replicas, alertmanagers
        self.platform_replicas = platform_replicas
        self.extra_rule_files = extra_rule_files or {}
        self.extra_central_flags = central_flags
        # gossip faster than Alertmanager's defaults, and a peer timeout that keeps
        # peer_timeout * (peers - 1) below the e2e profile's 5s group_interval
        self.gossip = gossip if gossip is not None else DEFAULT_GOSSIP
        self.check_peer_timeout = check_peer_timeout
        self.central_config_hook = central_config_hook
        self.simulators: dict[str, SimulatorCluster] = {}
        self.agents: dict[str, Node] = {}
        self.central: dict[str, Node] = {}
        self.alertmanagers: dict[str, Node] = {}
        self._processes: list[ManagedProcess] = []
        self._servers: list[Any] = []
        self.tmp: Path | None = None

    # -- lifecycle -----------------------------------------------------------------------------
    def __enter__(self) -> HATopology:
        try:
            self._start()
        except BaseException:
            self.close()
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        with uninterrupted():  # a stop signal now would leave servers or the temp dir behind
            # in parallel: an agent whose central replica was killed waits out its stop timeout
            # trying to flush to it, and seven sequential stops would add up
            stoppers = [threading.Thread(target=p.stop) for p in self._processes]
            for stopper in stoppers:
                stopper.start()
            for stopper in stoppers:
                stopper.join()
            for server in self._servers:
                server.shutdown()
                server.server_close()
            self._processes, self._servers = [], []
            if self.tmp is not None:
                shutil.rmtree(self.tmp, ignore_errors=True)
                self.tmp = None

    def _start(self) -> None:
        remove_abandoned_dirs(TEMP_PREFIX)  # what a killed run left behind
        with uninterrupted():
            self.tmp = make_owned_dir(TEMP_PREFIX)
        self.root = root = self.tmp
        self.spec: Spec = load_spec(self.spec_path, self.profile)
        write_outputs(render_all(self.spec), root / "render")
        # every rule file the build renders: the guide's thresholds and the SLOs'
        self.rule_files = [str(path) for path in sorted((root / "render" / "alerts").glob("*.rules.yml"))]
        for name, content in sorted(self.extra_rule_files.items()):
            path = root / "render" / "alerts" / name
            path.write_text(content)
            self.rule_files.append(str(path))
        with uninterrupted():
            self.sink = WebhookSink()
            threading.Thread(target=self.sink.serve_forever, daemon=True).start()
            self._servers.append(self.sink)
        now = time.time()
        start = now - HISTORY_SECONDS if self.history else now
        for i, cluster in enumerate(self.cluster_names):
            simulator = PlatformSimulator(start, "healthy", seed=CLUSTER_SEEDS.get(cluster, 100 + i),
                                          replicas=self.platform_replicas)
            with uninterrupted():
                self.simulators[cluster] = SimulatorCluster(simulator)
                self._servers.append(self.simulators[cluster])
                self.simulators[cluster].start()
        self.deployment = self._deployment()
        if self.history:
            self._backfill(now)
        for server in self.simulators.values():
            server.simulator.advance(time.time())
        self._start_alertmanagers()
        self._start_central()
        self._start_agents()

    def _deployment(self) -> Deployment:
        """The deployment with this run's ports: the same dataclass operators fill in."""
        self._ports = {f"central-{r}": free_port() for r in self.replica_names}
        self._ports.update({f"agent-{c}": free_port() for c in self.cluster_names})
        peers = []
        for i in range(self.alertmanager_count):
            web, gossip = free_port(), free_port()
            self._ports[f"am-{i}"] = web
            peers.append(AlertmanagerPeer(name=f"am-{i}", address=f"127.0.0.1:{web}",
                                          cluster_address=f"127.0.0.1:{gossip}",
                                          cluster_listen_address=f"127.0.0.1:{gossip}"))
        clusters = tuple(
            Cluster(name=c, targets={job: ScrapeTargets(tuple(self.simulators[c].addresses(job)), f"/{job}/metrics")
                                     for job in JOBS})
            for c in self.cluster_names)
        central = tuple(CentralReplica(r, f"http://127.0.0.1:{self._ports[f'central-{r}']}/api/v1/write")
                        for r in self.replica_names)
        return deployment_for(self.spec, clusters=clusters, central=central, alertmanagers=tuple(peers),
                              check_peer_timeout=self.check_peer_timeout, **self.gossip)

    def _backfill(self, now: float) -> None:
        """History for every cluster, with the labels its agent's series arrive with, into one
        TSDB that each central replica gets a copy of."""
        promtool = binary("promtool")
        data = self.root / "backfill"
        jobs = {job.source: job for job in self.deployment.scrape_jobs}
        # the drop alert's baselines (the lower of the same hours one and two weeks ago), then now
        ranges = {f"{weeks}w-ago": (now - weeks * WEEK - 3600, now - weeks * WEEK + 3600) for weeks in BASELINE_WEEKS}
        ranges["recent"] = (now - HISTORY_SECONDS, now)
        for name, (start, end) in ranges.items():
            combined = History({})
            for cluster, server in self.simulators.items():
                addresses = server.addresses("platform")
                labels = {job: series_labels(self.deployment, cluster, jobs[job], addresses[0]) for job in JOBS}
                history = History(labels, dict(enumerate(addresses)))
                sim = server.simulator if name == "recent" else PlatformSimulator(
                    start, "healthy", seed=CLUSTER_SEEDS.get(cluster, 0) + 1000, replicas=self.platform_replicas)
                live_step, sim.step_seconds = sim.step_seconds, HISTORY_STEP  # as fine as the samples
                t = start
                while t < end - HISTORY_STEP:
                    t += HISTORY_STEP
                    sim.advance(t)
                    history.record(sim.t, sim.samples())
                sim.step_seconds = live_step
                combined.points.update(history.points)
            source = self.root / f"{name}.om"
            source.write_text(combined.render_openmetrics())
            run_tool([promtool, "tsdb", "create-blocks-from", "openmetrics", str(source), str(data)])
            source.unlink()

    def _start_alertmanagers(self) -> None:
        config_dir = self.root / "render" / "alertmanager"
        generated = yaml.safe_load((config_dir / "alertmanager.yml").read_text())
        self.alertmanager_config = config_dir / "ha.yml"
        self.alertmanager_config.write_text(yaml.safe_dump(receivers_to_sink(generated, self.sink.url)))
        for peer in self.deployment.alertmanagers:
            self.alertmanagers[peer.name] = self._launch(peer.name, "prometheus-alertmanager", [
                f"--config.file={self.alertmanager_config}",
                f"--storage.path={self.root / peer.name}",
                *alertmanager_cluster_flags(self.deployment, peer.name),
            ])
        expected = len(self.deployment.alertmanagers)
        self.wait_until(lambda: all(self.cluster_status(n)["status"] == "ready"
                                    and len(self.cluster_status(n)["peers"]) == expected
                                    for n in self.alertmanagers), 60, "the Alertmanager cluster to form")

    def _start_central(self) -> None:
        for replica in self.deployment.central:
            config = render_central_config(self.deployment, replica.name, tuple(self.rule_files))
            if self.central_config_hook is not None:
                config = self.central_config_hook(config)
            path = self.root / f"central-{replica.name}.yml"
            path.write_text(to_yaml(config))
            data = self.root / f"central-{replica.name}-data"
            if self.history:
                shutil.copytree(self.root / "backfill", data)
            self.central[replica.name] = self._launch(f"central-{replica.name}", "prometheus", [
                *CENTRAL_FLAGS, *self.extra_central_flags,
                f"--config.file={path}",
                f"--storage.tsdb.path={data}",
                "--storage.tsdb.retention.time=15d",  # keeps the week-old baseline blocks
            ])

    def _start_agents(self) -> None:
        for cluster in self.deployment.clusters:
            path = self.root / f"agent-{cluster.name}.yml"
            path.write_text(to_yaml(render_agent_config(self.deployment, cluster.name)))
            self.agents[cluster.name] = self._launch(f"agent-{cluster.name}", "prometheus", [
                *AGENT_FLAGS,
                f"--config.file={path}",
                f"--storage.agent.path={self.root / f'agent-{cluster.name}-wal'}",
            ])

    def _launch(self, name: str, binary_name: str, flags: list[str]) -> Node:
        port = self._ports[name]
        url = f"http://127.0.0.1:{port}"
        with uninterrupted():  # registered for close() before a stop can unwind
            process = ManagedProcess(name, [binary(binary_name), *flags, f"--web.listen-address=127.0.0.1:{port}"],
                                     f"{url}/-/ready", self.root / f"{name}.log")
            self._processes.append(process)
        process.wait_ready()
        return Node(name, url, process)

    @staticmethod
    def _netloc(url: str) -> str:
        return urllib.parse.urlparse(url).netloc

    # -- faults --------------------------------------------------------------------------------
    def kill(self, node: Node) -> None:
        """SIGKILL: no shutdown, no goodbye to peers, no flush."""
        node.process.process.send_signal(signal.SIGKILL)
        node.process.process.wait(timeout=10)

    def stop(self, node: Node) -> None:
        node.process.stop()

    def set_scenario(self, cluster: str, name: str) -> None:
        self.simulators[cluster].set_scenario(name)

    # -- API helpers ---------------------------------------------------------------------------
    @staticmethod
    def get_json(url: str, **params: str) -> Any:
        if params:
            url += "?" + urllib.parse.urlencode(params)
        with urllib.request.urlopen(url, timeout=10) as resp:
            return json.loads(resp.read())

    def api(self, replica: str, path: str, **params: str) -> Any:
        body = self.get_json(f"{self.central[replica].url}{path}", **params)
        if body.get("status") != "success":
            raise RuntimeError(f"central-{replica} {path}: {body}")
        return body["data"]

    def query(self, replica: str, expr: str) -> list[dict[str, Any]]:
        return self.api(replica, "/api/v1/query", query=expr)["result"]

    def rule_alerts(self, replica: str) -> list[dict[str, Any]]:
        """Pending and firing alerts as the replica's rule manager sees them."""
        return self.api(replica, "/api/v1/alerts")["alerts"]

    def alertmanager_alerts(self, name: str, matcher: str = "") -> list[dict[str, Any]]:
        params = {"inhibited": "true"}
        if matcher:
            params["filter"] = matcher
        return self.get_json(f"{self.alertmanagers[name].url}/api/v2/alerts", **params)

    def cluster_status(self, name: str) -> dict[str, Any]:
        return self.get_json(f"{self.alertmanagers[name].url}/api/v2/status")["cluster"]

    def wait_until(self, condition: Callable[[], Any], timeout: float, what: str) -> Any:
        """Poll until condition() is truthy; RuntimeError naming `what` after timeout seconds."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                result = condition()
            except (OSError, RuntimeError, KeyError):
                result = None  # a server still starting, or just killed
            if result:
                return result
            if time.monotonic() > deadline:
                raise RuntimeError(f"timed out after {timeout:.0f}s waiting for {what}")
            time.sleep(0.5)
