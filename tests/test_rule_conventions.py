"""Our own rule lint: naming, labels, annotations, catalogue-only metrics, rate windows."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
import yaml

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


# The recovery tail (generators/inhibition.py) reads a new kind of recording, an alert's own
# condition (`level:AlertName:condition`). The catalogue/window lint above accepts it as any
# recording; these two say what makes it right: it is exactly its alert's expression, recorded
# in the alert's group ahead of it (so the targets' `unless` judges what the alert judges), and
# only an alert that really inhibits the reader in Alertmanager is read (never a pair the
# Alertmanager config does not have).
_CONDITION = re.compile(r"\b(\w+):(\w+):condition\b")


def test_a_condition_recording_is_its_alert_expression_in_its_group(rule_groups: list[dict[str, Any]]) -> None:
    found = 0
    for group in rule_groups:
        names = [r.get("record") or r.get("alert") for r in group["rules"]]
        for index, rule in enumerate(group["rules"]):
            match = _CONDITION.fullmatch(rule.get("record", ""))
            if not match:
                continue
            found += 1
            alert = match.group(2)
            assert alert in names[index + 1:], f"{rule['record']}: no alert {alert} after it in {group['name']}"
            source = group["rules"][names.index(alert)]
            assert source["expr"] == rule["expr"], f"{rule['record']} differs from {alert}'s expression"
            assert source.get("keep_firing_for"), f"{alert}: a tail source holds its resolution (keep_firing_for)"
    assert found, "no condition recording: the recovery-tail clause is gone"


def test_only_alerts_that_inhibit_the_reader_are_read_as_conditions(alert_rules: list[dict[str, Any]]) -> None:
    config = yaml.safe_load((ROOT / "alertmanager" / "alertmanager.yml").read_text())

    def inhibits(source: str, target: str) -> bool:
        def hit(matchers: list[str], name: str) -> bool:
            return any(m == f'alertname="{name}"' or (m.startswith('alertname=~"')
                       and name in m.removeprefix('alertname=~"').removesuffix('"').split("|")) for m in matchers)
        return any(hit(r["source_matchers"], source) and hit(r["target_matchers"], target)
                   for r in config["inhibit_rules"])

    pairs = {(m.group(2), rule["alert"]) for rule in alert_rules for m in _CONDITION.finditer(rule["expr"])}
    assert pairs
    assert not {p for p in pairs if not inhibits(*p)}, "a tail clause without its inhibit rule"
