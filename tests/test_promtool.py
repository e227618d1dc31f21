"""The rules load in promtool with every lint enabled, and every unit test passes."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from generators.durations import parse_duration
from tests.conftest import ROOT, RULES_PATH, require_tool

GENERATED_TESTS = sorted((ROOT / "alerts" / "tests").glob("*.test.yml"))
SCENARIO_TESTS = sorted((ROOT / "tests" / "promtool").glob("*.test.yml"))


def _promtool(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([require_tool("promtool"), *args], capture_output=True, text=True, cwd=ROOT)


@pytest.mark.parametrize("rule_file", sorted((ROOT / "alerts").glob("*.rules.yml")), ids=lambda p: p.name)
def test_rules_pass_promtool_lint(rule_file: Path) -> None:
    result = _promtool("check", "rules", "--lint=all", "--lint-fatal", str(rule_file))
    assert result.returncode == 0, result.stdout + result.stderr


def test_there_are_generated_and_scenario_tests() -> None:
    assert len(GENERATED_TESTS) >= 18
    assert SCENARIO_TESTS


DAY = 86400


def _marks(test_file: Path) -> list[pytest.MarkDecorator]:
    """The SLO rules' tests (30d windows) run in `make test-slo`; a test that evaluates more
    than a day of history (the week-over-week baselines) in `make test-heavy`: both are run
    by CI, and `make test` keeps to its two minutes."""
    doc = yaml.safe_load(test_file.read_text())
    if any(Path(f).name == "slo.rules.yml" for f in doc.get("rule_files", [])):
        return [pytest.mark.slo_days]
    times = [parse_duration(case["eval_time"]) or 0 for test in doc["tests"]
             for kind in ("alert_rule_test", "promql_expr_test") for case in test.get(kind) or []]
    return [pytest.mark.slow] if max(times, default=0) > DAY else []


@pytest.mark.parametrize("test_file", [pytest.param(p, marks=_marks(p)) for p in GENERATED_TESTS + SCENARIO_TESTS],
                         ids=lambda p: p.name)
def test_promtool_unit_tests(test_file: Path) -> None:
    result = _promtool("test", "rules", str(test_file))
    assert result.returncode == 0, result.stdout + result.stderr


def test_promtool_catches_a_broken_threshold(tmp_path: Path) -> None:
    """The generated tests can fail: move one threshold in the rules only, and they do."""
    rules = RULES_PATH.read_text().replace(
        "success_ratio_rate5m < 0.95", "success_ratio_rate5m < 0.93"
    )
    assert "< 0.93" in rules
    (tmp_path / "alerts" / "tests").mkdir(parents=True)
    (tmp_path / "alerts" / "billing.rules.yml").write_text(rules)
    test_file = ROOT / "alerts" / "tests" / "BillingIngestionSuccessRateLow.test.yml"
    copy = tmp_path / "alerts" / "tests" / test_file.name
    copy.write_text(test_file.read_text())
    result = _promtool("test", "rules", str(copy))
    assert result.returncode != 0
    assert "BillingIngestionSuccessRateLow" in result.stdout + result.stderr


@pytest.mark.parametrize("op,value", [(">=", 3), ("<", 2)])
def test_generated_tests_follow_any_comparison(tmp_path: Path, op: str, value: int) -> None:
    """The fixtures pick healthy/breach values for every operator, not only the ones the
    spec uses today: render a spec whose count alert uses another one and run promtool."""
    spec_text = (ROOT / "thresholds.yaml").read_text()
    old = 'indicator: db_connection_errors\n    threshold: {op: ">", value: 3}'
    assert spec_text.count(old) == 1
    spec_file = tmp_path / "thresholds.yaml"
    new = f'indicator: db_connection_errors\n    threshold: {{op: "{op}", value: {value}}}'
    spec_file.write_text(spec_text.replace(old, new))
    build = subprocess.run([sys.executable, "-m", "generators", "build", "--spec", str(spec_file),
                            "--out", str(tmp_path)], capture_output=True, text=True, cwd=ROOT)
    assert build.returncode == 0, build.stderr
    test_file = tmp_path / "alerts" / "tests" / "BillingDatabaseConnectionErrors.test.yml"
    assert f"{op} {value}" in (tmp_path / "alerts" / "billing.rules.yml").read_text()
    result = _promtool("test", "rules", str(test_file))
    assert result.returncode == 0, result.stdout + result.stderr
