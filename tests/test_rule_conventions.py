"""Our own rule lint: naming, labels, annotations, catalogue-only metrics, rate windows."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from generators.model import Spec
from tests import rulecheck
from tests.conftest import ROOT


def _allowed(spec: Spec, recording_rules: list[dict[str, Any]]) -> set[str]:
    catalogue = {name: m.type for name, m in spec.metrics.items()}
    return rulecheck.allowed_metric_names(catalogue, {r["record"] for r in recording_rules})


def test_every_alert_follows_mixin_conventions(spec: Spec, alert_rules: list[dict[str, Any]]) -> None:
    problems = {
        rule["alert"]: p
        for rule in alert_rules
        if (p := rulecheck.check_alert_conventions(rule, spec.settings.alert_prefix))
    }
    assert not problems


def test_every_expression_uses_catalogue_metrics_and_long_enough_windows(
    spec: Spec, recording_rules: list[dict[str, Any]], alert_rules: list[dict[str, Any]]
) -> None:
    allowed = _allowed(spec, recording_rules)
    minimum = timedelta(seconds=4 * spec.settings.scrape_interval)
    problems = {}
    for rule in recording_rules + alert_rules:
        found = rulecheck.check_expression(rule["expr"], allowed, minimum)
        if found:
            problems[rule.get("alert") or rule["record"]] = found
    assert not problems


def test_expression_check_rejects_unknown_metric_and_short_window(
    spec: Spec, recording_rules: list[dict[str, Any]]
) -> None:
    allowed = _allowed(spec, recording_rules)
    problems = rulecheck.check_expression(
        'sum(rate(billing_made_up_total{job="x"}[1m]))', allowed, timedelta(minutes=2)
    )
    assert any("billing_made_up_total" in p for p in problems)
    assert any("shorter than 4x" in p for p in problems)


def test_conventions_check_rejects_bad_alert() -> None:
    bad = {
        "alert": "billing_down",
        "labels": {"severity": "page"},
        "annotations": {"summary": "Down {{ $labels.job }}", "description": "static"},
    }
    assert len(rulecheck.check_alert_conventions(bad, "Billing")) == 6


def test_runbook_urls_resolve_to_sections_of_docs(spec: Spec, alert_rules: list[dict[str, Any]]) -> None:
    anchors = rulecheck.github_anchors((ROOT / "docs" / "alerts.md").read_text())
    for rule in alert_rules:
        url = rule["annotations"]["runbook_url"]
        base, _, anchor = url.partition("#")
        assert base == spec.settings.runbook_url, url
        assert anchor in anchors, f"{rule['alert']}: no section #{anchor} in docs/alerts.md"


@pytest.mark.parametrize("group_key", ["billing.ingestion_success", "billing.payment_success"])
def test_alerts_share_a_group_with_their_recordings(rule_groups: list[dict[str, Any]], group_key: str) -> None:
    group = next(g for g in rule_groups if g["name"] == group_key)
    kinds = ["record" if "record" in r else "alert" for r in group["rules"]]
    assert kinds == sorted(kinds, key=lambda k: k == "alert"), "recordings must come first"
    assert "alert" in kinds
