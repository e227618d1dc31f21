"""deployment (optional): the multi-cluster topology operators run the rules in.

Clusters (each with the scrape targets of every job of settings.selectors), the central
Prometheus replicas the agents remote-write to, and the Alertmanager peers. The section is
turned into generators.deployment.Deployment, whose own checks (addresses, URLs, the
Alertmanager peer timeout against routing's group_interval) report here as spec errors.
"""

from __future__ import annotations

from typing import Any

from generators.deployment import (
    AlertmanagerPeer,
    CentralReplica,
    Cluster,
    Deployment,
    DeploymentInvalid,
    ScrapeTargets,
    deployment_for,
)
from generators.loader.checker import LABEL_NAME_RE, Checker
from generators.loader.source import LineList, LineMap
from generators.loader.values import SOURCE_RE, TEAM_RE
from generators.model import Spec

_TARGET_KEYS = ("targets", "metrics_path", "params")


def load_deployment(c: Checker, node: Any, line: int, spec: Spec) -> Deployment | None:
    p = "deployment"
    m = c.mapping(node, p, line, required=("clusters", "central", "alertmanagers"),
                  optional=("cluster_label", "peer_timeout", "gossip_interval", "pushpull_interval"))
    if m is None:
        return None
    before = len(c.errors)
    clusters = []
    for name, body, kline, cp in c.entries(m.get("clusters"), c.line_of(m, "clusters"), f"{p}.clusters", "cluster"):
        if not TEAM_RE.match(name):
            c.error(kline, cp, "cluster names are lower-case words, e.g. eu")
            continue
        cm = c.mapping(body, cp, kline)
        if cm is None:
            continue
        targets = {}
        for source, tbody, tline, tp in c.entries(cm, kline, cp, "scrape job"):
            if source not in spec.settings.selectors or not SOURCE_RE.match(source):
                c.error(tline, tp, f"not a scrape job of settings.selectors ({', '.join(spec.settings.selectors)})")
                continue
            tm = c.mapping(tbody, tp, tline, required=("targets",), optional=_TARGET_KEYS)
            if tm is None:
                continue
            addresses = c.value(tm, "targets", tp, list, LineList())
            if not all(isinstance(a, str) for a in addresses):
                c.error(tm.key_lines["targets"], f"{tp}.targets", "list host:port strings")
                continue
            params = c.value(tm, "params", tp, dict, LineMap())
            if not all(isinstance(k, str) and isinstance(v, list) and all(isinstance(x, str) for x in v)
                       for k, v in params.items()):
                c.error(tm.key_lines["params"], f"{tp}.params", "a mapping of parameter -> list of strings")
                continue
            targets[source] = ScrapeTargets(tuple(addresses), c.text(tm, "metrics_path", tp, "/metrics"),
                                            {k: tuple(v) for k, v in params.items()} or None)
        clusters.append(Cluster(name, targets))
    central = [CentralReplica(name, c.text(body, "remote_write_url", rp) if isinstance(body, LineMap) else "")
               for name, body, _, rp in c.entries(m.get("central"), c.line_of(m, "central"), f"{p}.central",
                                                  "replica")]
    peers = []
    for name, body, kline, ap in c.entries(m.get("alertmanagers"), c.line_of(m, "alertmanagers"),
                                           f"{p}.alertmanagers", "peer"):
        am = c.mapping(body, ap, kline, required=("address", "cluster_address"))
        if am is not None:
            peers.append(AlertmanagerPeer(name, c.text(am, "address", ap), c.text(am, "cluster_address", ap)))
    label = c.value(m, "cluster_label", p, str, "cluster",
                    lambda v: None if LABEL_NAME_RE.match(v) else "a label name")
    gossip = {key: c.duration(m, key, p) or None for key in ("peer_timeout", "gossip_interval", "pushpull_interval")
              if key in m}
    if len(c.errors) > before:
        return None
    try:
        return deployment_for(spec, clusters=tuple(clusters), central=tuple(central), alertmanagers=tuple(peers),
                              cluster_label=label, **gossip)
    except DeploymentInvalid as exc:
        for problem in str(exc).splitlines():
            c.error(line, p, problem)
        return None
