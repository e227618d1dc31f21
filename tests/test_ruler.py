"""deploy/ruler/: Mimir/Cortex namespaces and Thanos Ruler files hold our groups, and promtool
accepts them once the ruler-only fields are taken off."""

from __future__ import annotations

import subprocess
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
import yaml

from generators.model import Packaging, Spec
from generators.outputs import render_all
from generators.ruler import render_ruler
from tests.conftest import require_tool


@pytest.fixture(scope="module")
def files(spec: Spec) -> dict[str, str]:
    return render_all(spec)


def promtool_check(groups: list[dict[str, Any]], path: Path) -> None:
    path.write_text(yaml.safe_dump({"groups": groups}))
    result = subprocess.run([require_tool("promtool"), "check", "rules", str(path)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_one_mimir_namespace_per_rule_file(files: dict[str, str], tmp_path: Path) -> None:
    rule_files = [p for p in files if p.startswith("alerts/") and p.endswith(".rules.yml")]
    namespaces = {p: yaml.safe_load(c) for p, c in files.items() if p.startswith("deploy/ruler/mimir/")}
    assert sorted(namespaces) == sorted(f"deploy/ruler/mimir/{Path(p).name.removesuffix('.rules.yml')}.yaml"
                                        for p in rule_files)
    doc = namespaces["deploy/ruler/mimir/billing.yaml"]
    assert set(doc) == {"namespace", "groups"} and doc["namespace"] == "billing"
    assert doc["groups"] == yaml.safe_load(files["alerts/billing.rules.yml"])["groups"]  # no source_tenants
    promtool_check(doc["groups"], tmp_path / "mimir.rules.yml")


def test_source_tenants_make_every_group_federated(spec: Spec, files: dict[str, str], tmp_path: Path) -> None:
    federated = replace(spec, packaging=Packaging(source_tenants=("billing-eu", "billing-us")))
    doc = yaml.safe_load(render_ruler(federated, files)["deploy/ruler/mimir/billing.yaml"])
    assert all(g["source_tenants"] == ["billing-eu", "billing-us"] for g in doc["groups"])
    # promtool knows no source_tenants (Mimir's extension): the rest must still be valid
    with pytest.raises(AssertionError, match="source_tenants"):
        promtool_check(doc["groups"], tmp_path / "raw.rules.yml")
    promtool_check([{k: v for k, v in g.items() if k != "source_tenants"} for g in doc["groups"]],
                   tmp_path / "federated.rules.yml")


def test_thanos_rule_files_abort_on_partial_responses(files: dict[str, str], tmp_path: Path) -> None:
    doc = yaml.safe_load(files["deploy/ruler/thanos/billing.rules.yml"])
    assert all(g["partial_response_strategy"] == "abort" for g in doc["groups"])
    plain = [{k: v for k, v in g.items() if k != "partial_response_strategy"} for g in doc["groups"]]
    assert plain == yaml.safe_load(files["alerts/billing.rules.yml"])["groups"]
    promtool_check(plain, tmp_path / "thanos.rules.yml")
