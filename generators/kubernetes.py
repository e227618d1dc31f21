"""Render deploy/kubernetes/: PrometheusRule objects, dashboard ConfigMaps, the Alertmanager Secret.

One PrometheusRule per rule file (today one, with every group): an alert and the recordings
it reads, and an alert and the alerts it inhibits, are applied and pruned together, never
half-deployed; Prometheus still evaluates each group on its own. The object stays far below
the Kubernetes size limits (a test checks), and a second rule file becomes a second object.

The Alertmanager Secret holds the configuration and templates only. Credentials stay in the
operator's own Secret (packaging.credentials_secret): every `*_file` path of the configuration
is rewritten to where prometheus-operator mounts that Secret (`spec.secrets` of the
Alertmanager object: /etc/alertmanager/secrets/<secret>/<key>), and the configuration's
templates to where it mounts the config Secret (/etc/alertmanager/config).
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Mapping
from typing import Any

import yaml

from generators.alertmanager import CONFIG_FILE
from generators.mixin import is_dashboard, is_rule_file, rule_groups
from generators.model import Spec
from generators.yamlout import GENERATED_HEADER, dump_yaml

OUT = "deploy/kubernetes"
CONFIG_DIR = "/etc/alertmanager/config"
SECRETS_DIR = "/etc/alertmanager/secrets"
_Loader: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def object_name(text: str) -> str:
    """A DNS-1123 name from a file stem or key ('billing.rules' -> 'billing-rules')."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:63].rstrip("-") or "billing"


def credential_keys(spec: Spec) -> dict[str, str]:
    """*_file path of the spec -> key in the credentials Secret (its file name); the loader
    guarantees two paths never share a file name."""
    return {value: posixpath.basename(value) for r in spec.receivers.values()
            for key, value in r.settings if key.endswith("_file")}


def _metadata(spec: Spec, name: str, labels: dict[str, str]) -> dict[str, Any]:
    meta: dict[str, Any] = {"name": name, "namespace": spec.packaging.namespace}
    if labels:
        meta["labels"] = labels
    return meta


def prometheus_rule(spec: Spec, path: str, groups: list[dict[str, Any]]) -> dict[str, Any]:
    stem = posixpath.basename(path).removesuffix(".yml")
    return {
        "apiVersion": "monitoring.coreos.com/v1",
        "kind": "PrometheusRule",
        "metadata": _metadata(spec, object_name(stem), dict(spec.packaging.rule_labels)),
        "spec": {"groups": groups},
    }


def dashboard_config_map(spec: Spec, path: str, content: str) -> dict[str, Any]:
    name = posixpath.basename(path)
    prefix = spec.settings.alert_prefix.lower()
    return {
        "apiVersion": "v1",
        "kind": "ConfigMap",
        # the Grafana sidecar (kube-prometheus-stack, grafana helm chart) loads every ConfigMap with it
        "metadata": _metadata(spec, object_name(f"{prefix}-dashboard-{name.removesuffix('.json')}"),
                              {"grafana_dashboard": "1"}),
        "data": {name: content},
    }


def _rewrite_files(node: Any, paths: dict[str, str], secret: str) -> Any:
    if isinstance(node, dict):
        return {k: (f"{SECRETS_DIR}/{secret}/{paths[v]}" if k.endswith("_file") and isinstance(v, str)
                    else _rewrite_files(v, paths, secret)) for k, v in node.items()}
    if isinstance(node, list):
        return [_rewrite_files(v, paths, secret) for v in node]
    return node


def alertmanager_secret(spec: Spec, files: dict[str, str], config: dict[str, Any] | None = None
                        ) -> tuple[str, dict[str, Any]]:
    """`config`: the tree behind files[CONFIG_FILE] when the caller has it (parsing the file
    back cost 0.2 s at 100x); else the file is parsed."""
    secret = spec.packaging.credentials_secret
    paths = credential_keys(spec)
    if config is None:
        config = yaml.load(files[CONFIG_FILE], Loader=_Loader)
    config = _rewrite_files(config, paths, secret)
    config["templates"] = [f"{CONFIG_DIR}/*.tmpl"]
    templates = {posixpath.basename(p): c for p, c in files.items() if p.startswith("alertmanager/templates/")}
    name = f"alertmanager-{spec.settings.alert_prefix.lower()}"
    keys = sorted(set(paths.values()))
    create = " \\\n#     ".join([f"kubectl -n {spec.packaging.namespace} create secret generic {secret}",
                                  *(f"--from-file={k}=./{k}" for k in keys)])
    header = (
        f"{GENERATED_HEADER}"
        "# The Alertmanager configuration and templates; no credential is in here. Every *_file\n"
        f"# path points into the Secret {secret}, which you create from your own files:\n#\n"
        f"#   {create}\n#\n"
        f"# prometheus-operator: in the Alertmanager object set spec.configSecret: {name}\n"
        f"# and spec.secrets: [{secret}]. The operator mounts them at\n"
        f"# {CONFIG_DIR} and {SECRETS_DIR}/{secret}/.\n"
        "# Without the operator, mount the two Secrets at those same paths.\n"
    )
    manifest = {
        "apiVersion": "v1",
        "kind": "Secret",
        "metadata": _metadata(spec, name, {}),
        "type": "Opaque",
        "stringData": {"alertmanager.yaml": dump_yaml(config, header=""), **templates},
    }
    return header, manifest


def render_kubernetes(spec: Spec, files: dict[str, str],
                      groups_of: Mapping[str, list[dict[str, Any]]] | None = None,
                      alertmanager_config: dict[str, Any] | None = None) -> dict[str, str]:
    """`files`: the rendered outputs (rule files, dashboards, Alertmanager config); `groups_of`:
    the groups of each rule file, and `alertmanager_config` the tree of the Alertmanager
    config, when the caller has them (else parsed from `files`)."""
    out = {}
    for path in sorted(files):
        if is_rule_file(path):
            stem = object_name(posixpath.basename(path).removesuffix(".yml"))
            out[f"{OUT}/prometheusrule-{stem}.yaml"] = dump_yaml(prometheus_rule(
                spec, path, groups_of[path] if groups_of is not None else rule_groups(files[path])))
        elif is_dashboard(path):
            key = object_name(posixpath.basename(path).removesuffix(".json"))
            out[f"{OUT}/grafana-dashboard-{key}.yaml"] = dump_yaml(dashboard_config_map(spec, path, files[path]))
    if CONFIG_FILE in files:
        header, manifest = alertmanager_secret(spec, files, alertmanager_config)
        out[f"{OUT}/alertmanager-secret.yaml"] = dump_yaml(manifest, header=header)
    return out
