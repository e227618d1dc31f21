"""Mutation check: every guard of the rules is proven by a generated test.

Each case strips or weakens one guard in a copy of alerts/billing.rules.yml and runs the
generated promtool tests of the alerts that rely on it: at least one must go red. A guard
no test notices is a guard nobody would miss when a refactor drops it.
"""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import ROOT, RULES_PATH, require_tool

pytestmark = pytest.mark.slow  # make test-heavy; CI runs it


@dataclass(frozen=True)
class Mutation:
    name: str
    pattern: str  # regex over the rule file
    replacement: str
    # test files that must each go red: an alert name (its generated file), `<alert>.tail`
    # (its recovery-tail cases) or a path under the repository without `.test.yml` (a
    # hand-written scenario); the smallest file suffices (promtool evaluates the whole rule
    # file at every step, so each file costs seconds)
    tests: tuple[str, ...]


MUTATIONS = (
    Mutation(
        "increase: a series is new when absent at one instant W ago (the scrape-gap false page)",
        r"\((\w+\{[^}]*\}) and \(count_over_time\(\1\[(\w+)\]\) < on \([^)]*\) group_left\n\s*"
        r"sum_over_time\(up\{[^}]*\}\[\w+\]\)\)\)",
        r"(\1 unless \1 offset \2)",
        ("BillingDatabaseConnectionErrors",),
    ),
    Mutation(
        "increase: a counter born with its first failure is not counted",
        # `sum by (...) ((x and (new)) * 1 or increase(x[W]))` -> `sum by (...) (increase(x[W]))`
        r"\(\w+\{[^}]*\} and \(count_over_time\([^\n]*\n[^\n]*\* 1\n\s*or\n\s*",
        "",
        ("BillingDatabaseConnectionErrors",),
    ),
    Mutation(
        "scrape_targets: a (cluster, job) gone since the last day reads no data instead of 0",
        r"\n\s*or on \([^)]*\)\n\s*max_over_time\(\w+:up:sum\[\w+\]\) \* 0",
        "",
        ("BillingScrapeTargetsMissing",),
    ),
    Mutation(
        "ratio: the evidence guard becomes the old volume guard (1 event/s of total traffic)",
        r"(?m)^(\s*)sum by \(([^)]*)\) \((\w+:\w+:rate\w+)\{[^}]*\}\) \* \d+ >= \d+$",
        r"\1sum by (\2) (\3) >= 1",
        ("BillingAPIErrorRateHigh",),
    ),
    Mutation(
        "ratio: no evidence guard (one failure among a handful of events is judged)",
        r"\n\s*and on \([^)]*\)\n\s*sum by \([^)]*\) \(\w+:\w+:rate\w+\{[^}]*\}\) \* \d+ >= \d+",
        "",
        ("BillingAPIErrorRateHigh",),
    ),
    Mutation(
        "availability: the instant share held for `for` instead of the windowed average (flapping)",
        r"(\w+:\w+:avg)_over_time\w+(\{[^}]*\}) <",
        r"\1\2 <",
        ("BillingHealthCheckFailing",),
    ),
    Mutation(
        "gauge_ratio: the fleet's sum instead of the worst replica",
        r"sum by \(([^)]*), instance\)",
        r"sum by (\1)",
        ("BillingDatabasePoolUsageHigh",),
    ),
    Mutation(
        "rate floor: a counter gone while its targets are up is 'no data' again",
        r"\n\s*or on \([^)]*\)\n\s*\(count by \([^)]*\) \(up\{[^}]*\} == 1\) \* 0\n[^\n]*\n[^\n]*\)",
        "",
        ("BillingIngestionStopped",),
    ),
    Mutation(
        "availability absent: a cluster whose targets all vanished is not 'down' (only absent() everywhere is)",
        r"\n\s*or on \([^)]*\)\n\s*max_over_time\((\w+:\w+:avg)\{[^}]*\}\[\w+\]\) \* 0\n\s*unless on \([^)]*\)"
        r"\n\s*\1\{[^}]*\}",
        "",
        ("BillingPlatformDown",),
    ),
    Mutation(
        "availability absent: the cluster-less absent() fires beside the per-cluster alerts",
        r"\n\s*unless on \(\)\n\s*max_over_time\(\w+:\w+:avg\{[^}]*\}\[\w+\]\)",
        "",
        ("BillingPlatformDown",),
    ),
    Mutation(
        "quantile: bucket rates summed across clusters (a slow cluster diluted by a fast one)",
        r"sum by \(cluster, le\) \(rate\(",
        r"sum by (le) (rate(",
        ("BillingIngestionLatencyHigh",),
    ),
    Mutation(
        "rate: the drop's baseline is the 1w offset alone (last week's one-off spike pages)",
        r"\((\w+:\w+:rate\w+) / on \(([^)]*)\) \1_min_offset(\d+\w)_\w+\)",
        r"(\1 / on (\2) \1_offset\3)",
        ("BillingIngestionRateDrop",),
    ),
    Mutation(
        "rate: the lowest of the offsets that have data (one week of history is a baseline)",
        r"(?m)(\n\s*and on \([^)]*\)\n\s*\w+:\w+:rate\d+\w_offset\w+$)+",
        "",
        ("BillingIngestionRateDrop",),
    ),
    # issue 9, the recovery tail: a consequence whose window still holds the outage after its
    # inhibiting alert resolved is dropped (generators/inhibition.py); without the clause each
    # of these fires un-inhibited after the recovery and its "silent in its recovery tail" case
    # goes red (IngestionStopped's fixture has no tail, so it is not listed)
    Mutation(
        "inhibition tail: the `unless` of the source firing recently is stripped (post-recovery pages)",
        r"\n\s*unless on \([^)]*\)\n\s*\(max_over_time\(ALERTS\{[^}]*\}\[\w+\]\) unless on \([^)]*\) "
        r"\w+:\w+:condition\)",
        "",
        ("BillingAPIErrorRateHigh.tail", "BillingHealthCheckFailing.tail", "BillingIngestionSuccessRateLow.tail",
         "BillingPaymentSuccessRateLow.tail", "BillingPaymentWebhookFailures.tail", "BillingPlatformTargetDown.tail"),
    ),
    Mutation(
        "inhibition tail keyed on the source's bare condition, not on its having fired (the reverted "
        "clause): a flapping outage, each breach shorter than PlatformDown's `for`, pages nobody",
        r'max_over_time\(ALERTS\{alertname="(\w+)", alertstate="firing"\}\[',
        r"max_over_time(cluster_job:\1:condition[",
        ("tests/promtool/flapping_outage",),
    ),
    Mutation(
        "inhibition tail keyed on a count of the source's condition over its `for` (the backtest's "
        "stand-in), not on its firing state: an outage ending in a crash loop leaks its consequences",
        r'max_over_time\(ALERTS\{alertname="(\w+)", alertstate="firing"\}\[(\w+)\]\)',
        r"max_over_time((count_over_time(cluster_job:\1:condition[2m15s]) >= 5)[\2:30s])",
        ("tests/promtool/recovery_tail_crashloop", "tests/promtool/recovery_tail_blips"),
    ),
    Mutation(
        "inhibition tail: the source resolves the moment its condition clears (no keep_firing_for), "
        "possibly before the consequence's group drops it",
        r"\n\s*keep_firing_for: \w+",
        "",
        ("BillingHealthCheckFailing.tail",),
    ),
    Mutation(
        "ratio: `for` back to 5m, shorter than a 2-minute blip keeps the 5m window over the line",
        # up to 12 lines of expression: it carries the recovery-tail clause of PlatformDown
        r"(alert: BillingAPIErrorRateHigh\n(?:.*\n){1,12}?\s*for: )6m",
        r"\g<1>5m",
        ("BillingAPIErrorRateHigh",),
    ),
    Mutation(
        "gauge kinds: gauges read at an instant (a failed scrape blanks the value, `for` restarts)",
        r"last_over_time\((\w+\{[^}]*\})\[\w+\]\)",
        r"\1",
        ("BillingDatabasePoolUsageHigh", "BillingInvoiceRunTooSlow", "BillingInvoicesMissingAfterDeadline",
         "BillingRDSCPUHigh"),
    ),
)


def mutate(rules: str, mutation: Mutation) -> str:
    mutated, count = re.subn(mutation.pattern, mutation.replacement, rules)
    assert count, f"{mutation.name}: the guard is not in the rules any more; update the mutation"
    return mutated


def _test_file(entry: str) -> str:
    """The repository path of a Mutation.tests entry."""
    return f"{entry}.test.yml" if "/" in entry else f"alerts/tests/{entry}.test.yml"


def run_copies(tmp_path: Path, rules: str, entries: tuple[str, ...]) -> dict[str, bool]:
    """Run the test files of `entries` (copied to the same place under tmp_path, so their
    relative rule_files find the copy of the rules) against `rules` in one promtool call;
    per entry, whether its file passed."""
    (tmp_path / "alerts").mkdir(parents=True)
    (tmp_path / "alerts" / "billing.rules.yml").write_text(rules)
    files = {}
    for entry in entries:
        copy = tmp_path / _test_file(entry)
        copy.parent.mkdir(parents=True, exist_ok=True)
        copy.write_text((ROOT / _test_file(entry)).read_text())
        files[str(copy)] = entry
    result = subprocess.run([require_tool("promtool"), "test", "rules", *files],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    # promtool prints "Unit Testing:  <file>" then SUCCESS or FAILED for each file
    verdicts = re.findall(r"Unit Testing:\s+(\S+)\s+(SUCCESS|FAILED)", result.stdout)
    passed = {files[f]: v == "SUCCESS" for f, v in verdicts}
    assert set(passed) == set(entries), result.stdout
    return passed


@pytest.mark.parametrize("mutation", MUTATIONS, ids=lambda m: m.name)
def test_removing_a_guard_turns_a_generated_test_red(tmp_path: Path, mutation: Mutation) -> None:
    mutated = mutate(RULES_PATH.read_text(), mutation)
    # red for the right reason: the weakened rules still load (a syntax error would fail every test too)
    (tmp_path / "loads.rules.yml").write_text(mutated)
    check = subprocess.run([require_tool("promtool"), "check", "rules", str(tmp_path / "loads.rules.yml")],
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    assert check.returncode == 0, check.stdout
    passed = run_copies(tmp_path, mutated, mutation.tests)
    green = sorted(alert for alert, ok in passed.items() if ok)
    assert not green, f"still green without the guard ({mutation.name}): {green}"


def test_unmutated_copy_passes(tmp_path: Path) -> None:
    """The harness itself: every file the mutations use is green on the real rules (so a
    red mutation run means the mutation, not a broken copy)."""
    entries = tuple(sorted({entry for m in MUTATIONS for entry in m.tests}))
    passed = run_copies(tmp_path, RULES_PATH.read_text(), entries)
    assert all(passed.values()), passed
