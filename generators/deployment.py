"""The multi-cluster deployment: what operators copy to run the generated rules beyond one server.

Per cluster, a Prometheus in agent mode scrapes the spec's jobs and remote-writes into every
replica of a central HA pair; the aggregation label (`cluster`) comes from the agent's
`external_labels`, so every series arrives carrying it. Each central replica evaluates the
same generated rules and sends to every Alertmanager of a gossiping cluster. The replicas
differ only in their `replica` external label, which `alert_relabel_configs` drops before
alerts leave: both replicas then send identical label sets and Alertmanager deduplicates
them. Rendering is pure: a `Deployment` in, configuration dicts and flag lists out.
"""

from __future__ import annotations

import re
import urllib.parse
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from generators.yamlout import GENERATED_HEADER, dump_yaml

if TYPE_CHECKING:
    from generators.model import Spec

AGENT_FLAGS = ("--enable-feature=agent",)
CENTRAL_FLAGS = ("--web.enable-remote-write-receiver",)
DEFAULT_RULES_PATH = "/etc/prometheus/rules/*.rules.yml"  # the guide's rules and the SLOs'
DEFAULT_PEER_TIMEOUT = 15.0  # Alertmanager's --cluster.peer-timeout
_LABEL_NAME = re.compile(r"^[a-zA-Z_][a-zA-Z0-9_]*$")
_CONTROL = re.compile(r"[\x00-\x20\x7f]")
_HOST_PORT = re.compile(r"^(?P<host>[A-Za-z0-9_.-]+|\[[0-9A-Fa-f:.]+\]):(?P<port>\d{1,5})$")


class DeploymentInvalid(ValueError):
    """A deployment description that would render a broken configuration."""


@dataclass(frozen=True)
class ScrapeJob:
    """One scrape job of the spec: `source` is its key in `settings.selectors`, `labels` the
    selector (`job=...` plus any other equality labels the rules filter on)."""

    source: str
    labels: tuple[tuple[str, str], ...]

    @property
    def job(self) -> str:
        return dict(self.labels)["job"]


@dataclass(frozen=True)
class ScrapeTargets:
    addresses: tuple[str, ...]  # host:port
    metrics_path: str = "/metrics"
    params: Mapping[str, tuple[str, ...]] | None = None  # URL parameters, e.g. a blackbox exporter's module


@dataclass(frozen=True)
class Cluster:
    """One monitored cluster: its name is the value of the aggregation label on every series."""

    name: str
    targets: Mapping[str, ScrapeTargets]  # scrape job source -> where to scrape it in this cluster


@dataclass(frozen=True)
class CentralReplica:
    name: str  # value of the replica label; it never reaches Alertmanager
    remote_write_url: str  # where the agents send: http://host:9090/api/v1/write


@dataclass(frozen=True)
class AlertmanagerPeer:
    name: str
    address: str  # host:port Prometheus sends alerts to (--web.listen-address)
    cluster_address: str  # host:port the other peers gossip with
    cluster_listen_address: str = ""  # what this node binds for gossip; "" = 0.0.0.0 on the cluster port


@dataclass(frozen=True)
class Deployment:
    clusters: tuple[Cluster, ...]
    scrape_jobs: tuple[ScrapeJob, ...]
    central: tuple[CentralReplica, ...]
    alertmanagers: tuple[AlertmanagerPeer, ...]
    scrape_interval: int  # seconds, settings.scrape_interval
    evaluation_interval: int  # seconds, settings.evaluation_interval
    cluster_label: str = "cluster"
    replica_label: str = "replica"
    # Alertmanager gossip; None keeps Alertmanager's default (200ms, 1m, 15s)
    gossip_interval: float | None = None
    pushpull_interval: float | None = None
    peer_timeout: float | None = None

    def __post_init__(self) -> None:
        problems = _problems(self)
        if problems:
            raise DeploymentInvalid("\n".join(problems))

    def cluster(self, name: str) -> Cluster:
        return _by_name(self.clusters, name, "deployment.clusters")

    def replica(self, name: str) -> CentralReplica:
        return _by_name(self.central, name, "deployment.central")

    def alertmanager(self, name: str) -> AlertmanagerPeer:
        return _by_name(self.alertmanagers, name, "deployment.alertmanagers")


def scrape_jobs(selectors: Mapping[str, tuple[tuple[str, str], ...]]) -> tuple[ScrapeJob, ...]:
    """The scrape jobs of `settings.selectors`, in spec order."""
    return tuple(ScrapeJob(source, tuple(labels)) for source, labels in selectors.items())


def deployment_for(spec: Spec, *, clusters: tuple[Cluster, ...], central: tuple[CentralReplica, ...],
                   alertmanagers: tuple[AlertmanagerPeer, ...], cluster_label: str = "cluster",
                   check_peer_timeout: bool = True, **gossip: float | None) -> Deployment:
    """A deployment whose jobs and intervals come from the spec (`settings`, `routing`).
    `check_peer_timeout=False` exists only to reproduce the failure it prevents."""
    settings = spec.settings
    if cluster_label not in settings.aggregation_labels:
        raise DeploymentInvalid(
            f"deployment.cluster_label: {cluster_label!r} is not in settings.aggregation_labels "
            f"{list(settings.aggregation_labels)}; the rules would aggregate it away. Add it there or use one of them")
    deployment = Deployment(clusters=clusters, scrape_jobs=scrape_jobs(settings.selectors), central=central,
                            alertmanagers=alertmanagers, scrape_interval=settings.scrape_interval,
                            evaluation_interval=settings.evaluation_interval, cluster_label=cluster_label, **gossip)
    intervals = {f"routing.timings.{severity}.group_interval": timing.group_interval
                 for severity, timing in spec.routing.timings.items()} if spec.routing else {}
    problems = peer_timeout_problems(deployment, intervals) if check_peer_timeout else []
    if problems:
        raise DeploymentInvalid("\n".join(problems))
    return deployment


def peer_timeout_problems(deployment: Deployment, group_intervals: Mapping[str, int]) -> list[str]:
    """Alertmanager peer i notifies from a snapshot of its alerts taken peer_timeout * i earlier.
    When that wait reaches the group_interval, the last peer's flushes run back to back on stale
    snapshots: a resolution sent meanwhile by the first peer is followed by a stale firing
    notification and a second resolution (prometheus/alertmanager#3283). Keep
    peer_timeout * (peers - 1) below the shortest group_interval."""
    if len(deployment.alertmanagers) < 2 or not group_intervals:
        return []
    timeout = deployment.peer_timeout if deployment.peer_timeout is not None else DEFAULT_PEER_TIMEOUT
    wait = timeout * (len(deployment.alertmanagers) - 1)
    where, shortest = min(group_intervals.items(), key=lambda item: item[1])
    if wait < shortest:
        return []
    return [f"deployment.peer_timeout: {go_duration(timeout)} x {len(deployment.alertmanagers) - 1} later peers = "
            f"{go_duration(wait)} is not below {where} ({go_duration(shortest)}); the last peer would re-send a "
            "resolved alert as firing. Lower peer_timeout or raise group_interval"]


# -- rendering -----------------------------------------------------------------------------------

def series_labels(deployment: Deployment, cluster: str, job: ScrapeJob, address: str) -> dict[str, str]:
    """The labels every series of a target carries once it reaches the central tier: the
    selector (job and friends), instance, and the agent's external cluster label."""
    return {**dict(job.labels), "instance": address, deployment.cluster_label: cluster}


def render_agent_config(deployment: Deployment, cluster: str) -> dict[str, Any]:
    """prometheus.yml of the agent of one cluster (run with AGENT_FLAGS)."""
    where = deployment.cluster(cluster)
    scrape_configs = []
    for job in deployment.scrape_jobs:
        targets = where.targets.get(job.source)
        if targets is None:
            continue  # this cluster does not run the job
        static: dict[str, Any] = {"targets": list(targets.addresses)}
        extra = {k: v for k, v in job.labels if k != "job"}
        if extra:
            static["labels"] = extra
        scrape: dict[str, Any] = {"job_name": job.job, "metrics_path": targets.metrics_path}
        if targets.params:
            scrape["params"] = {name: list(values) for name, values in targets.params.items()}
        scrape["static_configs"] = [static]
        scrape_configs.append(scrape)
    return {
        "global": {"scrape_interval": go_duration(deployment.scrape_interval),
                   "external_labels": {deployment.cluster_label: where.name}},
        "scrape_configs": scrape_configs,
        "remote_write": [{"name": f"central-{replica.name}", "url": replica.remote_write_url}
                         for replica in deployment.central],
    }


def render_central_config(deployment: Deployment, replica: str,
                          rule_files: tuple[str, ...] = (DEFAULT_RULES_PATH,)) -> dict[str, Any]:
    """prometheus.yml of one central replica (run with CENTRAL_FLAGS). Keep the rule file at the
    same path on every replica: the evaluation phase of a group derives from its name and file,
    so identical paths make the replicas evaluate at the same instants."""
    this = deployment.replica(replica)
    return {
        "global": {"evaluation_interval": go_duration(deployment.evaluation_interval),
                   "external_labels": {deployment.replica_label: this.name}},
        "rule_files": list(rule_files),
        "alerting": {
            # the replicas' alerts must be identical for Alertmanager to deduplicate them
            "alert_relabel_configs": [{"action": "labeldrop", "regex": deployment.replica_label}],
            "alertmanagers": [{"static_configs": [{"targets": [am.address for am in deployment.alertmanagers]}]}],
        },
    }


def alertmanager_cluster_flags(deployment: Deployment, peer: str) -> list[str]:
    """The --cluster.* flags of one Alertmanager: listen for gossip, join every other peer."""
    this = deployment.alertmanager(peer)
    listen = this.cluster_listen_address or f"0.0.0.0:{this.cluster_address.rsplit(':', 1)[1]}"
    flags = [f"--cluster.listen-address={listen}"]
    flags += [f"--cluster.peer={other.cluster_address}" for other in deployment.alertmanagers if other is not this]
    for flag, seconds in (("gossip-interval", deployment.gossip_interval),
                          ("pushpull-interval", deployment.pushpull_interval),
                          ("peer-timeout", deployment.peer_timeout)):
        if seconds is not None:
            flags.append(f"--cluster.{flag}={go_duration(seconds)}")
    return flags


def to_yaml(config: dict[str, Any]) -> str:
    return dump_yaml(config, header="")


def go_duration(seconds: float) -> str:
    """A duration both Go's time.ParseDuration and Prometheus' config accept: 1m30s, 200ms."""
    millis = round(seconds * 1000)
    if millis % 1000:
        return f"{millis}ms"
    whole = millis // 1000
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    text = (f"{hours}h" if hours else "") + (f"{minutes}m" if minutes else "") + (f"{secs}s" if secs else "")
    return text or "0s"


# -- validation ----------------------------------------------------------------------------------

def _by_name(items: tuple[Any, ...], name: str, where: str) -> Any:
    for item in items:
        if item.name == name:
            return item
    raise DeploymentInvalid(f"{where}: no entry named {name!r}; known: {', '.join(i.name for i in items)}")


def _problems(d: Deployment) -> list[str]:
    problems: list[str] = []
    for attr, label in (("cluster_label", d.cluster_label), ("replica_label", d.replica_label)):
        if not _LABEL_NAME.match(label) or label.startswith("__"):
            problems.append(f"deployment.{attr}: {label!r} is not a label name; use letters, digits and _")
    if d.cluster_label == d.replica_label:
        problems.append("deployment.replica_label: equals the cluster label; the replica label is dropped "
                        "from alerts, so it must be a label of its own (e.g. replica)")
    for section, items in (("clusters", d.clusters), ("central", d.central), ("alertmanagers", d.alertmanagers)):
        if not items:
            problems.append(f"deployment.{section}: empty; list at least one")
        seen: set[str] = set()
        for i, item in enumerate(items):
            if not item.name.strip():
                problems.append(f"deployment.{section}[{i}].name: empty; give it a name")
            elif item.name in seen:
                problems.append(f"deployment.{section}[{i}].name: {item.name!r} is used twice; names must be unique")
            seen.add(item.name)
    jobs = {job.source: job for job in d.scrape_jobs}
    for i, job in enumerate(d.scrape_jobs):
        if "job" not in dict(job.labels):
            problems.append(f"deployment.scrape_jobs[{i}] ({job.source}): the selector has no job label; "
                            f"add job: <name> to settings.selectors.{job.source}")
        if d.replica_label in dict(job.labels):
            problems.append(f"deployment.scrape_jobs[{i}] ({job.source}): the selector filters on the replica "
                            f"label {d.replica_label!r}; rules must not depend on it")
    for i, cluster in enumerate(d.clusters):
        if not cluster.targets:
            problems.append(f"deployment.clusters[{i}].targets: empty; say where at least one job is scraped")
        for source, targets in cluster.targets.items():
            where = f"deployment.clusters[{i}].targets.{source}"
            if source not in jobs:
                problems.append(f"{where}: no scrape job {source!r} in settings.selectors; "
                                f"use one of {', '.join(jobs) or '(none)'}")
            if not targets.addresses:
                problems.append(f"{where}.addresses: empty; list host:port targets or drop the job")
            problems += [f"{where}.addresses: {a!r} is not host:port" for a in targets.addresses if not _host_port(a)]
            problems += [f"{where}.params.{name}: {list(values)!r} must be a non-empty list of strings"
                         for name, values in (targets.params or {}).items()
                         if not values or not all(isinstance(v, str) for v in values)]
            if not targets.metrics_path.startswith("/"):
                problems.append(f"{where}.metrics_path: {targets.metrics_path!r} must start with /")
    for i, replica in enumerate(d.central):
        url = urllib.parse.urlparse(replica.remote_write_url)
        # urlparse silently drops tabs and newlines; Prometheus would not
        if url.scheme not in ("http", "https") or not url.netloc or _CONTROL.search(replica.remote_write_url):
            problems.append(f"deployment.central[{i}].remote_write_url: {replica.remote_write_url!r} is not an "
                            "http(s) URL; e.g. http://prometheus-a:9090/api/v1/write")
    for section, items, attr in (("central", d.central, "remote_write_url"),
                                 ("alertmanagers", d.alertmanagers, "address"),
                                 ("alertmanagers", d.alertmanagers, "cluster_address")):
        values = [getattr(item, attr) for item in items]
        problems += [f"deployment.{section}[{i}].{attr}: {value!r} is used twice; each node needs its own"
                     for i, value in enumerate(values) if value in values[:i]]
    for i, peer in enumerate(d.alertmanagers):
        for attr in ("address", "cluster_address", "cluster_listen_address"):
            value = getattr(peer, attr)
            if (value or attr != "cluster_listen_address") and not _host_port(value):
                problems.append(f"deployment.alertmanagers[{i}].{attr}: {value!r} is not host:port")
    for attr in ("scrape_interval", "evaluation_interval", "gossip_interval", "pushpull_interval", "peer_timeout"):
        value = getattr(d, attr)
        if value is not None and not value > 0:
            problems.append(f"deployment.{attr}: {value!r} must be a positive number of seconds")
    return problems


def _host_port(text: str) -> bool:
    match = _HOST_PORT.match(text)
    return bool(match) and 0 < int(match["port"]) < 65536


# -- the files operators copy ------------------------------------------------------------------

def render_deployment_files(deployment: Deployment | None) -> dict[str, str]:
    """deploy/: one prometheus.yml per cluster agent and per central replica, and the
    Alertmanager cluster flags of every peer (the spec's `deployment` section)."""
    if deployment is None:
        return {}
    files = {}
    for cluster in deployment.clusters:
        header = (f"{GENERATED_HEADER}# The agent of cluster {cluster.name}: prometheus {' '.join(AGENT_FLAGS)} "
                  "--config.file=this file\n")
        files[f"deploy/prometheus/agent-{cluster.name}.yml"] = header + to_yaml(render_agent_config(
            deployment, cluster.name))
    for replica in deployment.central:
        header = (f"{GENERATED_HEADER}# Central replica {replica.name}: prometheus {' '.join(CENTRAL_FLAGS)} "
                  "--config.file=this file; copy alerts/*.rules.yml to /etc/prometheus/rules/\n")
        files[f"deploy/prometheus/central-{replica.name}.yml"] = header + to_yaml(render_central_config(
            deployment, replica.name))
    lines = [GENERATED_HEADER.rstrip("\n"), "# Start each Alertmanager peer with the shared configuration "
             "(alertmanager/alertmanager.yml) and its flags below.", ""]
    for peer in deployment.alertmanagers:
        flags = " \\\n  ".join([f"--web.listen-address={peer.address}", *alertmanager_cluster_flags(deployment,
                                                                                                    peer.name)])
        lines += [f"# {peer.name}", f"alertmanager --config.file=alertmanager.yml \\\n  {flags}", ""]
    files["deploy/alertmanager/cluster-flags.sh"] = "\n".join(lines)
    return files
