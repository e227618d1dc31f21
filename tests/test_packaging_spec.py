"""The optional `packaging` section: defaults when absent, one clear error per bad value."""

from __future__ import annotations

from pathlib import Path

import pytest

from generators.loader.build import SpecInvalid, load_spec
from tests.conftest import SPEC_PATH

GOOD = SPEC_PATH.read_text()
SECTION = GOOD[GOOD.index("packaging:\n"):GOOD.index("# Profiles:")]


def _load(text: str, tmp_path: Path) -> list[str]:
    path = tmp_path / "thresholds.yaml"
    path.write_text(text)
    try:
        load_spec(path)
    except SpecInvalid as exc:
        return [str(e) for e in exc.errors]
    return []


def test_without_the_section_the_defaults_apply(tmp_path: Path) -> None:
    path = tmp_path / "thresholds.yaml"
    path.write_text(GOOD.replace(SECTION, ""))
    packaging = load_spec(path).packaging
    assert packaging.namespace == "monitoring"
    assert packaging.rule_labels == (("role", "alert-rules"),)
    assert packaging.credentials_secret == "alertmanager-billing-credentials"
    assert packaging.source_tenants == ()


@pytest.mark.parametrize(("old", "new", "fragments"), [
    ("namespace: monitoring", "namespace: Monitoring_NS", ["packaging.namespace", "not a Kubernetes namespace"]),
    ("role: alert-rules,", "role: 1,", ["packaging.rule_labels.role", "expected str, got int"]),
    ("role: alert-rules,", "-role: alert-rules,", ["packaging.rule_labels.-role", "not a Kubernetes label key"]),
    ("role: alert-rules,", 'role: "alert rules",', ["packaging.rule_labels.role", "not a Kubernetes label value"]),
    ("credentials_secret: alertmanager-billing-credentials", "credentials_secret: AM_creds",
     ["packaging.credentials_secret", "not a Kubernetes Secret name"]),
    ("source_tenants: []", "source_tenants: [billing, '..', 'a b']",
     ["packaging.source_tenants[1]", "packaging.source_tenants[2]", "not a tenant ID"]),
    ("source_tenants: []", "source_tenant: []", ["packaging.source_tenant", "did you mean 'source_tenants'?"]),
    ("/etc/alertmanager/secrets/pagerduty-billing", "/etc/alertmanager/other/pagerduty-sre",
     ["receivers.billing-pager.routing_key_file", "share the file name 'pagerduty-sre'"]),
])
def test_a_bad_packaging_value_names_the_field_and_the_fix(tmp_path: Path, old: str, new: str,
                                                        fragments: list[str]) -> None:
    assert GOOD.count(old) == 1
    errors = _load(GOOD.replace(old, new), tmp_path)
    text = "\n".join(errors)
    assert all(f in text for f in fragments), text
    assert all("thresholds.yaml:" in e for e in errors)
