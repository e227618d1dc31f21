"""Coverage gate: every alert rule has at least one promtool test case where it fires."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from generators.model import Spec
from tests.conftest import ROOT

TEST_FILES = [*(ROOT / "alerts" / "tests").glob("*.test.yml"), *(ROOT / "tests" / "promtool").glob("*.test.yml")]


def firing_cases(paths: list[Path]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for path in paths:
        for test in yaml.safe_load(path.read_text())["tests"]:
            for case in test.get("alert_rule_test", []):
                if case.get("exp_alerts"):
                    counts[case["alertname"]] = counts.get(case["alertname"], 0) + 1
    return counts


def test_every_alert_rule_has_a_firing_test(alert_rules: list[dict[str, Any]]) -> None:
    counts = firing_cases(TEST_FILES)
    untested = sorted(r["alert"] for r in alert_rules if r["alert"] not in counts)
    assert not untested, f"alert rules without a firing test case: {untested}"


def test_every_guide_threshold_is_an_alert(spec: Spec) -> None:
    """The monitoring guide's thresholds and critical alert groups, each mapped to an alert.

    Where the guide states a number, the spec must keep it (None: the guide gives none and
    the spec's rationale explains the choice)."""
    guide = {
        "Event Ingestion: success rate < 95%": ("IngestionSuccessRateLow", "<", 0.95),
        "Event Ingestion: latency > 1 second": ("IngestionLatencyHigh", ">", 1),
        "Event Ingestion: rate drops > 50%": ("IngestionRateDrop", "<", 0.5),
        "Invoice Generation: success rate < 100% / any failure": ("InvoiceGenerationFailures", ">", 0),
        "Invoice Generation: duration > 5 minutes": ("InvoiceRunTooSlow", ">", 300),
        "Invoice Generation Failures: missing invoices": ("InvoicesMissingAfterDeadline", ">", 0),
        "Payment Processing: success rate < 90%": ("PaymentSuccessRateLow", "<", 0.9),
        "Payment Processing: latency > 5 seconds": ("PaymentLatencyHigh", ">", 5),
        "Payment Processing: webhook failures": ("PaymentWebhookFailures", "<", None),
        "Database Performance: pool usage > 80%": ("DatabasePoolUsageHigh", ">", 0.8),
        "Database Performance: query time > 1 second": ("DatabaseQueryLatencyHigh", ">", 1),
        "Database Performance: CPU usage > 80%": ("RDSCPUHigh", ">", 80),
        "Platform Down: health check failures": ("HealthCheckFailing", "<", None),
        "Platform Down: target down or absent": ("PlatformDown", "<=", 0),
        "Platform Down: high error rate": ("APIErrorRateHigh", ">", None),
        "Database Issues: connection failures": ("DatabaseConnectionErrors", ">", None),
        "Logging: FATAL requires immediate attention": ("FatalLogMessages", ">", 0),
    }
    by_name = {a.short_name: a for a in spec.alerts}
    for line, (name, op, value) in guide.items():
        assert name in by_name, f"guide line {line!r} has no alert {name}"
        alert = by_name[name]
        assert alert.threshold.op == op, line
        if value is not None:
            assert alert.threshold.value == value, line
    critical = {"PlatformDown", "HealthCheckFailing", "APIErrorRateHigh", "PaymentSuccessRateLow",
                "IngestionSuccessRateLow",
                "PaymentWebhookFailures", "InvoiceGenerationFailures", "InvoicesMissingAfterDeadline",
                "DatabaseConnectionErrors", "DatabaseQueryLatencyHigh", "FatalLogMessages",
                "ScrapeTargetsMissing", "IngestionStopped"}
    assert {a.short_name for a in spec.alerts if a.severity == "critical"} == critical
