"""generators.deployment: the configs operators copy for the multi-cluster HA deployment.

Checked by the real tools (`promtool check config`, agent mode included; the flag names
against the binaries' --help), by validation of bad deployments, and against the snippets
in docs/deployment.md, which must be exactly what the renderer produces for the example
below. tests/ha/ starts the whole topology from these renderers.
"""

from __future__ import annotations

import dataclasses
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from generators.deployment import (
    AGENT_FLAGS,
    CENTRAL_FLAGS,
    DEFAULT_RULES_PATH,
    AlertmanagerPeer,
    CentralReplica,
    Cluster,
    Deployment,
    DeploymentInvalid,
    ScrapeTargets,
    alertmanager_cluster_flags,
    deployment_for,
    go_duration,
    render_agent_config,
    render_central_config,
    to_yaml,
)
from generators.loader.build import load_spec
from generators.model import Spec
from tests.conftest import ROOT, RULES_PATH, SPEC_PATH, require_tool

DOCS = ROOT / "docs" / "deployment.md"


def _cluster(name: str) -> Cluster:
    return Cluster(name, {
        "platform": ScrapeTargets((f"billing-api-0.{name}.internal:8080", f"billing-api-1.{name}.internal:8080")),
        "healthcheck": ScrapeTargets((f"blackbox-exporter.{name}.internal:9115",), "/probe",
                                     {"module": ("http_2xx",), "target": (f"https://billing.{name}.example.com/health",)}),
        "cloudwatch": ScrapeTargets((f"yace.{name}.internal:5000",)),
    })


def example_deployment(spec: Spec, **changes: Any) -> Deployment:
    """The example of docs/deployment.md: two clusters, an HA pair, three Alertmanagers."""
    parts: dict[str, Any] = {
        "clusters": (_cluster("eu"), _cluster("us")),
        "central": tuple(CentralReplica(r, f"http://prometheus-{r}.monitoring.internal:9090/api/v1/write")
                         for r in ("a", "b")),
        "alertmanagers": tuple(AlertmanagerPeer(f"alertmanager-{i}", f"alertmanager-{i}.monitoring.internal:9093",
                                                f"alertmanager-{i}.monitoring.internal:9094") for i in range(3)),
    }
    return deployment_for(spec, **{**parts, **changes})


@pytest.fixture(scope="module")
def deployment(spec: Spec) -> Deployment:
    return example_deployment(spec)


def _check_config(tmp_path: Path, config: dict[str, Any], *flags: str) -> subprocess.CompletedProcess[str]:
    path = tmp_path / "prometheus.yml"
    path.write_text(to_yaml(config))
    return subprocess.run([require_tool("promtool"), "check", "config", *flags, str(path)],
                          capture_output=True, text=True)


# -- agent ---------------------------------------------------------------------------------------

def test_agent_config_is_valid_in_agent_mode(tmp_path: Path, deployment: Deployment) -> None:
    result = _check_config(tmp_path, render_agent_config(deployment, "eu"), "--agent")
    assert result.returncode == 0, result.stdout + result.stderr


def test_agent_scrapes_the_spec_jobs_and_labels_the_cluster_externally(deployment: Deployment, spec: Spec) -> None:
    config = render_agent_config(deployment, "us")
    assert config["global"]["external_labels"] == {"cluster": "us"}
    assert [s["job_name"] for s in config["scrape_configs"]] == [
        dict(labels)["job"] for labels in spec.settings.selectors.values()]
    # the cluster label comes from external_labels only, never from a scrape config
    assert not [s for s in config["scrape_configs"] for c in s["static_configs"] if "cluster" in c.get("labels", {})]
    assert [w["url"] for w in config["remote_write"]] == [r.remote_write_url for r in deployment.central]
    assert config["global"]["scrape_interval"] == go_duration(spec.settings.scrape_interval)
    assert "rule_files" not in config and "alerting" not in config


def test_agent_skips_a_job_a_cluster_does_not_run(spec: Spec) -> None:
    only_platform = Cluster("edge", {"platform": ScrapeTargets(("api:8080",))})
    d = example_deployment(spec, clusters=(only_platform,))
    assert [s["job_name"] for s in render_agent_config(d, "edge")["scrape_configs"]] == ["billing-platform"]


def test_promtool_agent_mode_refuses_what_only_a_server_has(tmp_path: Path, deployment: Deployment) -> None:
    # the --agent check is not a formality: the central config fails it
    result = _check_config(tmp_path, render_central_config(deployment, "a", (str(RULES_PATH),)), "--agent")
    assert result.returncode != 0
    assert "not allowed in agent mode" in result.stdout + result.stderr


# -- central ---------------------------------------------------------------------------------------

def test_central_config_is_valid_with_the_generated_rules(tmp_path: Path, deployment: Deployment) -> None:
    result = _check_config(tmp_path, render_central_config(deployment, "a", (str(RULES_PATH),)))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "rules found" in result.stdout


def test_central_documented_config_is_valid_syntax(tmp_path: Path, deployment: Deployment) -> None:
    result = _check_config(tmp_path, render_central_config(deployment, "b"), "--syntax-only")
    assert result.returncode == 0, result.stdout + result.stderr


def test_replicas_differ_only_in_the_replica_label_which_never_reaches_alertmanager(deployment: Deployment) -> None:
    a, b = (render_central_config(deployment, r) for r in ("a", "b"))
    assert a["global"].pop("external_labels") == {"replica": "a"}
    assert b["global"].pop("external_labels") == {"replica": "b"}
    assert a == b
    assert a["alerting"]["alert_relabel_configs"] == [{"action": "labeldrop", "regex": "replica"}]
    assert a["alerting"]["alertmanagers"] == [{"static_configs": [{"targets": [
        f"alertmanager-{i}.monitoring.internal:9093" for i in range(3)]}]}]


# -- alertmanager ------------------------------------------------------------------------------------

def test_alertmanager_joins_every_other_peer(deployment: Deployment) -> None:
    flags = alertmanager_cluster_flags(deployment, "alertmanager-1")
    assert flags == [
        "--cluster.listen-address=0.0.0.0:9094",
        "--cluster.peer=alertmanager-0.monitoring.internal:9094",
        "--cluster.peer=alertmanager-2.monitoring.internal:9094",
    ]


def test_alertmanager_gossip_timings_render_as_go_durations(spec: Spec) -> None:
    d = example_deployment(spec, gossip_interval=0.1, pushpull_interval=5, peer_timeout=2)
    assert alertmanager_cluster_flags(d, "alertmanager-0")[-3:] == [
        "--cluster.gossip-interval=100ms", "--cluster.pushpull-interval=5s", "--cluster.peer-timeout=2s"]


def _help_flags(binary: str) -> set[str]:
    result = subprocess.run([require_tool(binary), "--help"], capture_output=True, text=True)
    return set(re.findall(r"--([a-z][a-z0-9.-]+)", result.stdout + result.stderr))


def test_every_rendered_flag_is_known_to_the_installed_binaries(spec: Spec) -> None:
    d = example_deployment(spec, gossip_interval=0.1, pushpull_interval=5, peer_timeout=2)
    known = _help_flags("prometheus-alertmanager")
    flags = {f[2:].split("=")[0] for f in alertmanager_cluster_flags(d, "alertmanager-0")}
    assert flags <= known, flags - known
    prometheus = _help_flags("prometheus")
    assert {f[2:].split("=")[0] for f in (*AGENT_FLAGS, *CENTRAL_FLAGS)} <= prometheus
    help_text = subprocess.run([require_tool("prometheus"), "--help"], capture_output=True, text=True)
    assert re.search(r"Valid options:\s+agent,", help_text.stdout + help_text.stderr)  # --enable-feature=agent


# -- validation ----------------------------------------------------------------------------------------

@pytest.mark.parametrize(("change", "message"), [
    ({"clusters": ()}, "deployment.clusters: empty"),
    ({"clusters": (_cluster("eu"), _cluster("eu"))}, "deployment.clusters[1].name: 'eu' is used twice"),
    ({"central": (CentralReplica("a", "prometheus-a:9090/api/v1/write"),)},
     "deployment.central[0].remote_write_url: 'prometheus-a:9090/api/v1/write' is not an http(s) URL"),
    ({"central": (CentralReplica("a", "http://prometheus-a:9090/api/v1/write\n"),)},
     "deployment.central[0].remote_write_url: 'http://prometheus-a:9090/api/v1/write\\n' is not an http(s) URL"),
    ({"clusters": (Cluster("eu", {}),)}, "deployment.clusters[0].targets: empty"),
    ({"central": (CentralReplica("a", "http://p:9090/api/v1/write"), CentralReplica("b", "http://p:9090/api/v1/write"))},
     "deployment.central[1].remote_write_url: 'http://p:9090/api/v1/write' is used twice"),
    ({"alertmanagers": (AlertmanagerPeer("x", "am:9093", "am:9094"), AlertmanagerPeer("y", "am2:9093", "am:9094"))},
     "deployment.alertmanagers[1].cluster_address: 'am:9094' is used twice"),
    ({"clusters": (Cluster(" ", {"platform": ScrapeTargets(("api:8080",))}),)}, "deployment.clusters[0].name: empty"),
    ({"alertmanagers": (AlertmanagerPeer("am", "alertmanager", "alertmanager:9094"),)},
     "deployment.alertmanagers[0].address: 'alertmanager' is not host:port"),
    ({"clusters": (Cluster("eu", {"platfrom": ScrapeTargets(("api:8080",))}),)},
     "deployment.clusters[0].targets.platfrom: no scrape job 'platfrom' in settings.selectors"),
    ({"clusters": (Cluster("eu", {"platform": ScrapeTargets(())}),)},
     "deployment.clusters[0].targets.platform.addresses: empty"),
    ({"clusters": (Cluster("eu", {"platform": ScrapeTargets(("api:99999",))}),)},
     "'api:99999' is not host:port"),
    ({"clusters": (Cluster("eu", {"platform": ScrapeTargets(("api:8080",), "metrics")}),)},
     "metrics_path: 'metrics' must start with /"),
    ({"replica_label": "cluster"}, "deployment.replica_label: equals the cluster label"),
    ({"replica_label": "re-plica"}, "deployment.replica_label: 're-plica' is not a label name"),
    ({"peer_timeout": 0}, "deployment.peer_timeout: 0 must be a positive number"),
])
def test_a_broken_deployment_is_refused_naming_the_field(deployment: Deployment, change: dict[str, Any],
                                                         message: str) -> None:
    with pytest.raises(DeploymentInvalid) as error:
        dataclasses.replace(deployment, **change)
    assert message in str(error.value)


def test_the_cluster_label_must_be_an_aggregation_label(spec: Spec) -> None:
    with pytest.raises(DeploymentInvalid, match=r"deployment.cluster_label: 'region' is not in "
                                                r"settings.aggregation_labels \['cluster'\]"):
        example_deployment(spec, cluster_label="region")


def test_a_peer_timeout_reaching_the_group_interval_is_refused() -> None:
    e2e = load_spec(SPEC_PATH, "e2e")  # group_interval 5s: Alertmanager's default 15s x 2 peers is too long
    with pytest.raises(DeploymentInvalid, match=r"deployment.peer_timeout: 15s x 2 later peers = 30s is not below "
                                                r"routing.timings.\w+.group_interval \(5s\)"):
        example_deployment(e2e)
    assert example_deployment(e2e, peer_timeout=2)  # 4s < 5s
    assert example_deployment(e2e, peer_timeout=30, check_peer_timeout=False)


def test_rendering_is_deterministic(spec: Spec) -> None:
    first, second = example_deployment(spec), example_deployment(spec)
    for render in (lambda d: to_yaml(render_agent_config(d, "eu")), lambda d: to_yaml(render_central_config(d, "a")),
                   lambda d: "\n".join(alertmanager_cluster_flags(d, "alertmanager-0"))):
        assert render(first) == render(second)


@pytest.mark.parametrize(("seconds", "text"), [(30, "30s"), (90, "1m30s"), (3600, "1h"), (0.2, "200ms"),
                                               (1.5, "1500ms"), (0, "0s")])
def test_go_duration(seconds: float, text: str) -> None:
    assert go_duration(seconds) == text


# -- docs ----------------------------------------------------------------------------------------------

def _documented_blocks() -> dict[str, str]:
    text = DOCS.read_text()
    return {m["key"]: m["body"] for m in re.finditer(
        r"<!-- rendered: (?P<key>[^>]+?) -->\n```\w*\n(?P<body>.*?)```", text, re.DOTALL)}


def _rendered_blocks(deployment: Deployment) -> dict[str, str]:
    blocks = {f"agent {c.name}": to_yaml(render_agent_config(deployment, c.name)) for c in deployment.clusters}
    blocks.update({f"central {r.name}": to_yaml(render_central_config(deployment, r.name))
                   for r in deployment.central})
    blocks.update({f"alertmanager {p.name}": " \\\n  ".join(["alertmanager", *alertmanager_cluster_flags(
        deployment, p.name)]) + "\n" for p in deployment.alertmanagers})
    return blocks


def test_docs_show_exactly_what_the_renderer_produces(deployment: Deployment) -> None:
    documented, rendered = _documented_blocks(), _rendered_blocks(deployment)
    assert documented, f"{DOCS} has no <!-- rendered: ... --> blocks"
    for key, body in documented.items():
        assert key in rendered, f"{DOCS}: unknown rendered block {key!r}; known: {sorted(rendered)}"
        assert body == rendered[key], f"{DOCS}: block {key!r} is stale; it must read:\n{rendered[key]}"


def test_documented_yaml_blocks_parse() -> None:
    for key, body in _documented_blocks().items():
        if not key.startswith("alertmanager"):
            assert isinstance(yaml.safe_load(body), dict), key


# -- the spec's `deployment` section -> deploy/ ---------------------------------------------------
def test_the_spec_section_is_the_documented_example(spec: Spec, deployment: Deployment) -> None:
    assert spec.deployment == deployment


def test_rendered_deploy_files_pass_promtool(tmp_path: Path, spec: Spec) -> None:
    from generators.outputs import render_all

    files = {rel: text for rel, text in render_all(spec).items()
             if rel.startswith(("deploy/prometheus/", "deploy/alertmanager/"))}
    assert sorted(files) == ["deploy/alertmanager/cluster-flags.sh", "deploy/prometheus/agent-eu.yml",
                             "deploy/prometheus/agent-us.yml", "deploy/prometheus/central-a.yml",
                             "deploy/prometheus/central-b.yml"]
    for rel, text in files.items():
        assert text.startswith("# Generated from thresholds.yaml"), rel
        if rel.endswith(".yml"):
            path = tmp_path / Path(rel).name
            # the central config names the rules where operators copy them; check against ours
            path.write_text(text.replace(DEFAULT_RULES_PATH, str(RULES_PATH)))
            flags = ("--agent",) if "agent-" in rel else ()
            result = subprocess.run([require_tool("promtool"), "check", "config", *flags, str(path)],
                                    capture_output=True, text=True)
            assert result.returncode == 0, rel + result.stdout + result.stderr


def test_a_bad_deployment_section_is_a_spec_error_at_its_line(tmp_path: Path) -> None:
    from generators.loader.build import SpecInvalid

    text = SPEC_PATH.read_text().replace('    a: {remote_write_url: "http://prometheus-a',
                                         '    a: {remote_write_url: "ftp://prometheus-a')
    path = tmp_path / "thresholds.yaml"
    path.write_text(text)
    with pytest.raises(SpecInvalid) as caught:
        load_spec(path)
    assert any(e.field.startswith("deployment") for e in caught.value.errors), caught.value.errors
