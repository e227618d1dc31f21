"""Issue 9: a simulated healthy period with blips (short error spikes, a failed probe, failed
scrapes of one replica, latency and gauge spikes) fires nothing at any evaluation, asserted
by promtool on the ALERTS history of the committed rules (a week of the guide's rules, a day
of every rule file); and the test can fail: a rule whose `for` a blip outlasts pages, and the
same generated test goes red. The file is rendered here, not by `make build` (a week of series
costs every build about 1.5 s). The promtool runs are marked `week` (`make test-week`); the
checks of the rendering run in `make test`."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from generators.healthy_week import DAY, WEEK, WEEK_FILE, plan_week, render_healthy_week, week_series
from generators.model import Spec
from tests.conftest import ROOT, RULES_PATH, require_tool

RULE_FILES = sorted(f"alerts/{p.name}" for p in (ROOT / "alerts").glob("*.rules.yml"))



def _promtool_test(path: Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([require_tool("promtool"), "test", "rules", str(path)],
                          capture_output=True, text=True, cwd=cwd)


def _scratch(root: Path, rule_files: dict[str, str], test_text: str) -> Path:
    """The rules (committed, or mutated) and the rendered test in a scratch tree laid out like
    the repository, so the test's relative rule_files resolve."""
    for name, text in rule_files.items():
        (root / "alerts").mkdir(parents=True, exist_ok=True)
        (root / "alerts" / name).write_text(text)
    (root / WEEK_FILE).parent.mkdir(parents=True, exist_ok=True)
    (root / WEEK_FILE).write_text(test_text)
    return root / WEEK_FILE


@pytest.mark.week
@pytest.mark.parametrize("period,rule_files", [
    (WEEK, [f"alerts/{RULES_PATH.name}"]),  # the guide's alerts over a week
    (DAY, RULE_FILES),  # every rule file, the SLOs' 30d windows included, over a day
], ids=["week-billing-rules", "day-every-rule-file"])
def test_the_healthy_period_fires_nothing_at_any_evaluation(tmp_path: Path, spec: Spec, period: int,
                                                            rule_files: list[str]) -> None:
    text = render_healthy_week(spec, rule_files, period)[WEEK_FILE]
    rules = {Path(f).name: (ROOT / f).read_text() for f in rule_files}
    result = _promtool_test(_scratch(tmp_path, rules, text), tmp_path)
    assert result.returncode == 0, (result.stdout + result.stderr)[-4000:]


def test_the_week_proves_its_blips_happened(spec: Spec) -> None:
    """Not vacuous: the file checks the blips reached their indicators and made alerts pending."""
    text = render_healthy_week(spec, RULE_FILES)[WEEK_FILE]
    assert 'count_over_time(ALERTS{alertstate="firing"}[1w' in text
    for name in ("BillingAPIErrorRateHigh", "BillingIngestionSuccessRateLow", "BillingIngestionLatencyHigh",
                 "BillingDatabasePoolUsageHigh", "BillingRDSCPUHigh"):
        assert f'max_over_time(ALERTS{{alertname="{name}", alertstate="pending"}}' in text, name
    assert text.count(" stale") >= 6  # failed scrapes of one replica of every job
    for period in (WEEK, DAY):
        _, blips = week_series(spec, plan_week(spec, period))
        assert not [(b.what, b.pages) for b in blips if b.pages]  # the kinds' models: no blip pages
        assert sum(len(b.pending) for b in blips) >= 5


# A ratio alert whose `for` the 2m blip of 30% 5xx outlasts (it holds the 5m ratio over 5% for
# 5m of evaluations): with for 5m instead of 6m the blip pages. A shorter period of the same
# generated test is enough to show it (the blips are laid in by the same code), on the billing
# rules alone (the SLO rules triple promtool's time and are not what is mutated).
MUTATION = ("alert: BillingAPIErrorRateHigh", "for: 6m", "for: 5m")
SHORT_PERIOD = 6 * 3600


@pytest.mark.week
def test_a_rule_that_a_blip_outlasts_turns_the_week_red(tmp_path: Path, spec: Spec) -> None:
    rules = RULES_PATH.read_text()
    alert, old, new = MUTATION
    start = rules.index(alert)
    end = rules.index(old, start)
    mutated = rules[:end] + new + rules[end + len(old):]
    week = render_healthy_week(spec, [f"alerts/{RULES_PATH.name}"], SHORT_PERIOD)[WEEK_FILE]
    originals = _scratch(tmp_path / "original", {RULES_PATH.name: rules}, week)
    mutants = _scratch(tmp_path / "mutated", {RULES_PATH.name: mutated}, week)
    original = _promtool_test(originals, tmp_path / "original")
    assert original.returncode == 0, (original.stdout + original.stderr)[-3000:]  # green on the real rules
    result = _promtool_test(mutants, tmp_path / "mutated")
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert 'alertname="BillingAPIErrorRateHigh", alertstate="firing"' in output, output[-3000:]
