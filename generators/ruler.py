"""Render deploy/ruler/: the rule groups as Mimir/Cortex ruler namespaces and Thanos Ruler files.

Mimir and Cortex group rules by tenant and namespace; a namespace is one file here (its
name is the rule file's stem) in the format mimirtool/cortextool load: `namespace:` and the
Prometheus `groups:`. The tenant is not in the file: it is whom you load the file as
(`mimirtool rules sync --id <tenant>`, i.e. the X-Scope-OrgID header). With
packaging.source_tenants set, every group is a federated rule group that reads those tenants
(Mimir needs -tenant-federation.enabled and -ruler.tenant-federation.enabled).

Thanos Ruler loads Prometheus rule files (--rule-file); each group says
`partial_response_strategy: abort`, so a StoreAPI that does not answer fails the evaluation
loudly instead of an alert silently judging partial data. Thanos Ruler has no tenants of its
own: run one per tenant and tell them apart by its external labels (--label).
"""

from __future__ import annotations

import posixpath
from collections.abc import Mapping
from typing import Any

from generators.mixin import is_rule_file, rule_groups
from generators.model import Spec
from generators.yamlout import GENERATED_HEADER, dump_yaml

OUT = "deploy/ruler"


def namespace_of(path: str) -> str:
    """'alerts/billing.rules.yml' -> 'billing'."""
    return posixpath.basename(path).removesuffix(".yml").removesuffix(".rules")


def mimir_namespace(spec: Spec, path: str, groups: list[dict[str, Any]]) -> dict[str, Any]:
    tenants = list(spec.packaging.source_tenants)
    # source_tenants goes right after the name, where Mimir's own examples put it
    return {"namespace": namespace_of(path),
            "groups": [{"name": g["name"], **({"source_tenants": tenants} if tenants else {}),
                        **{k: v for k, v in g.items() if k != "name"}} for g in groups]}


def thanos_rules(groups: list[dict[str, Any]]) -> dict[str, Any]:
    return {"groups": [{**g, "partial_response_strategy": "abort"} for g in groups]}


def render_ruler(spec: Spec, files: dict[str, str],
                 groups_of: Mapping[str, list[dict[str, Any]]] | None = None) -> dict[str, str]:
    """`groups_of`: the groups of each rule file when the caller has them (else parsed from `files`)."""
    out = {}
    for path in sorted(p for p in files if is_rule_file(p)):
        groups = groups_of[path] if groups_of is not None else rule_groups(files[path])
        namespace = namespace_of(path)
        mimir_header = (f"{GENERATED_HEADER}# Mimir/Cortex ruler namespace {namespace!r}. Load as a tenant:\n"
                        f"#   mimirtool rules sync --rule-dirs=deploy/ruler/mimir --address=<ruler> --id=<tenant>\n")
        out[f"{OUT}/mimir/{namespace}.yaml"] = dump_yaml(mimir_namespace(spec, path, groups), header=mimir_header)
        thanos_header = (f"{GENERATED_HEADER}# Thanos Ruler: --rule-file=deploy/ruler/thanos/*.rules.yml "
                         "(with --query pointing at your Thanos Query)\n")
        out[f"{OUT}/thanos/{namespace}.rules.yml"] = dump_yaml(thanos_rules(groups), header=thanos_header)
    return out
