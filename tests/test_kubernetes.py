"""deploy/kubernetes/: PrometheusRule objects the CRD schema accepts and promtool loads, dashboard
ConfigMaps for the Grafana sidecar, and an Alertmanager Secret that holds no credential."""

from __future__ import annotations

import json
import re
import subprocess
from dataclasses import replace
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from generators.kubernetes import render_kubernetes
from generators.model import Packaging, Spec
from generators.outputs import render_all
from tests.conftest import ROOT, require_tool

CRD = yaml.safe_load((ROOT / "tests" / "k8s" / "monitoring.coreos.com_prometheusrules.yaml").read_text())
DNS_SUBDOMAIN = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")
# what `kubectl apply` (client-side) can store in its last-applied annotation; the hard limit is ~1.5 MiB
APPLY_LIMIT = 262144


@pytest.fixture(scope="module")
def files(spec: Spec) -> dict[str, str]:
    return render_all(spec)


def manifests(files: dict[str, str], kind: str) -> dict[str, dict[str, Any]]:
    out = {}
    for path, content in files.items():
        if path.startswith("deploy/kubernetes/"):
            doc = yaml.safe_load(content)
            if doc["kind"] == kind:
                out[path] = doc
    return out


def test_prometheus_rules_match_the_crd_schema_and_the_spec_labels(spec: Spec, files: dict[str, str]) -> None:
    rules = manifests(files, "PrometheusRule")
    rule_files = sorted(p for p in files if re.fullmatch(r"alerts/[^/]+\.rules\.yml", p))
    # one object per rule file, holding exactly its groups
    expected = {f"deploy/kubernetes/prometheusrule-{Path(p).name.removesuffix('.yml').replace('.', '-')}.yaml": p
                for p in rule_files}
    assert sorted(rules) == sorted(expected)
    schema = CRD["spec"]["versions"][0]["schema"]["openAPIV3Schema"]
    for path, obj in rules.items():
        jsonschema.Draft7Validator(schema).validate(obj)
        assert obj["apiVersion"] == f"{CRD['spec']['group']}/{CRD['spec']['versions'][0]['name']}"
        assert DNS_SUBDOMAIN.match(obj["metadata"]["name"])
        assert obj["metadata"]["namespace"] == spec.packaging.namespace
        # what a Prometheus ruleSelector matches: exactly packaging.rule_labels of the spec
        assert obj["metadata"]["labels"] == {"role": "alert-rules", "app.kubernetes.io/part-of": "billing-monitoring"}
        assert len(files[path].encode()) < APPLY_LIMIT
        assert obj["spec"]["groups"] == yaml.safe_load(files[expected[path]])["groups"]


def test_the_crd_schema_rejects_a_broken_rule(files: dict[str, str]) -> None:
    schema = CRD["spec"]["versions"][0]["schema"]["openAPIV3Schema"]
    obj = next(iter(manifests(files, "PrometheusRule").values()))
    obj["spec"]["groups"][0]["interval"] = "30 seconds"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft7Validator(schema).validate(obj)


def test_promtool_accepts_the_groups_of_every_prometheus_rule(files: dict[str, str], tmp_path: Path) -> None:
    for index, obj in enumerate(manifests(files, "PrometheusRule").values()):
        path = tmp_path / f"{index}.rules.yml"
        path.write_text(yaml.safe_dump({"groups": obj["spec"]["groups"]}))
        result = subprocess.run([require_tool("promtool"), "check", "rules", "--lint=all", "--lint-fatal", str(path)],
                                capture_output=True, text=True)
        assert result.returncode == 0, result.stdout + result.stderr


def test_rule_labels_come_from_the_spec(spec: Spec, files: dict[str, str]) -> None:
    other = replace(spec, packaging=Packaging("observability", (("prometheus", "k8s"),), "am-creds"))
    obj = yaml.safe_load(render_kubernetes(other, files)["deploy/kubernetes/prometheusrule-billing-rules.yaml"])
    assert obj["metadata"]["labels"] == {"prometheus": "k8s"}
    assert obj["metadata"]["namespace"] == "observability"


def test_dashboards_are_config_maps_for_the_grafana_sidecar(files: dict[str, str]) -> None:
    maps = manifests(files, "ConfigMap")
    dashboards = {p.split("/")[1]: c for p, c in files.items() if p.startswith("dashboards/")}
    assert sorted(name for m in maps.values() for name in m["data"]) == sorted(dashboards)
    for obj in maps.values():
        assert obj["metadata"]["labels"] == {"grafana_dashboard": "1"}
        assert DNS_SUBDOMAIN.match(obj["metadata"]["name"])
        (name, content), = obj["data"].items()
        assert content == dashboards[name]
        json.loads(content)
        assert len(content.encode()) < APPLY_LIMIT


def test_the_alertmanager_secret_references_credential_files_and_holds_none(
        spec: Spec, files: dict[str, str], tmp_path: Path) -> None:
    (secret,) = manifests(files, "Secret").values()
    assert set(secret) == {"apiVersion", "kind", "metadata", "type", "stringData"}
    config_text = secret["stringData"]["alertmanager.yaml"]
    config = yaml.safe_load(config_text)
    assert config["templates"] == ["/etc/alertmanager/config/*.tmpl"]
    assert secret["stringData"]["billing.tmpl"] == files["alertmanager/templates/billing.tmpl"]
    # every credential is a file inside the operator's own Secret, and every spec file is mapped
    mounted = f"/etc/alertmanager/secrets/{spec.packaging.credentials_secret}/"
    found = re.findall(r"_file: (\S+)", config_text)
    assert found and all(p.startswith(mounted) for p in found)
    spec_files = {v for r in spec.receivers.values() for k, v in r.settings if k.endswith("_file")}
    assert {p.removeprefix(mounted) for p in found} == {Path(v).name for v in spec_files}
    # apart from the paths, the configuration is the one alertmanager/ ships
    original = files["alertmanager/alertmanager.yml"]
    for value in spec_files:
        original = original.replace(value, mounted + Path(value).name)
    assert config == {**yaml.safe_load(original), "templates": ["/etc/alertmanager/config/*.tmpl"]}
    # the kubectl line in the header creates exactly those keys
    keys = re.findall(r"--from-file=([^=]+)=", files["deploy/kubernetes/alertmanager-secret.yaml"])
    assert sorted(keys) == sorted({Path(v).name for v in spec_files})
    path = tmp_path / "alertmanager.yaml"
    path.write_text(config_text)
    result = subprocess.run([require_tool("amtool"), "check-config", str(path)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_secret_packages_the_config_it_is_given(spec: Spec, files: dict[str, str]) -> None:
    # the build hands over the config's tree (not parsed back); alone, render_kubernetes parses
    # files' config, and a changed config there is the one packaged
    from generators.alertmanager import render_alertmanager_config

    secret = "deploy/kubernetes/alertmanager-secret.yaml"
    assert render_kubernetes(spec, files)[secret] == files[secret]
    assert render_kubernetes(spec, files, alertmanager_config=render_alertmanager_config(spec))[secret] == files[secret]
    changed = {**files, "alertmanager/alertmanager.yml": files["alertmanager/alertmanager.yml"].replace(
        "resolve_timeout: 5m", "resolve_timeout: 7m")}
    assert changed["alertmanager/alertmanager.yml"] != files["alertmanager/alertmanager.yml"]
    manifest = yaml.safe_load(render_kubernetes(spec, changed)[secret])
    packaged = yaml.safe_load(manifest["stringData"]["alertmanager.yaml"])
    assert packaged["global"]["resolve_timeout"] == "7m"
