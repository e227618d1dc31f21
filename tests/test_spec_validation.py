"""A wrong spec fails with one clear message per problem (file, line, field, fix), no
traceback, and leaves existing outputs untouched."""

from __future__ import annotations

import contextlib
import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.conftest import ROOT, SPEC_PATH

GOOD = SPEC_PATH.read_text()


def _line_of(text: str, needle: str, occurrence: int = 1) -> int:
    start = -1
    for _ in range(occurrence):
        start = text.index(needle, start + 1)
    return text[:start].count("\n") + 1


def _build(spec_text: str, out: Path) -> subprocess.CompletedProcess[str]:
    spec = out / "thresholds.yaml"
    spec.write_text(spec_text)
    return subprocess.run(
        [sys.executable, "-m", "generators", "build", "--spec", str(spec), "--out", str(out)],
        capture_output=True, text=True, cwd=ROOT,
    )


CASES = [
    # (name, old, new, expected line needle, expected message fragments)
    ("unknown key", "    for: 6m\n    severity: critical\n    team: ingestion",
     "    for: 6m\n    severity: critical\n    tema: ingestion", "    tema: ingestion",
     ["alerts[5] (IngestionSuccessRateLow).tema", "unknown key; did you mean 'team'?"]),
    ("wrong type", "threshold: {op: \"<\", value: 0.95}\n    min_failures: 5",
     "threshold: {op: \"<\", value: high}\n    min_failures: 5", "threshold: {op: \"<\", value: high}",
     ["threshold.value", "expected int or float, got str"]),
    ("unknown metric", "metric: billing_events_received_total\n    errors",
     "metric: billing_events_recieved_total\n    errors",
     "metric: billing_events_recieved_total",
     ["indicators.ingestion_success.metric", "unknown metric 'billing_events_recieved_total'"]),
    ("duplicate alert", "  - name: PlatformTargetDown", "  - name: PlatformDown",
     "  - name: PlatformDown\n    indicator: platform_up\n    threshold: {op: \"<\"",
     ["duplicate alert name", "rename one"]),
    ("bad duration", "    for: 10m\n    severity: warning\n    team: ingestion",
     "    for: 10 minutes\n    severity: warning\n    team: ingestion", "    for: 10 minutes",
     ["IngestionLatencyHigh).for", "bad duration '10 minutes'"]),
    ("ratio out of range", "threshold: {op: \"<\", value: 0.95}\n    min_failures: 5",
     "threshold: {op: \"<\", value: 95}\n    min_failures: 5", "value: 95}",
     ["threshold.value", "out of range for a ratio", "e.g. 0.95"]),
    ("latency threshold between buckets", "threshold: {op: \">\", value: 5}",
     "threshold: {op: \">\", value: 4}", "threshold: {op: \">\", value: 4}",
     ["not a bucket boundary", "billing_payment_duration_seconds"]),
    ("rate window too short", "    window: 5m\n  api_latency", "    window: 1m\n  api_latency",
     "    window: 1m", ["indicators.api_errors.window", "shorter than 4x the scrape interval"]),
    ("unknown team", "    team: payments\n    summary: Less", "    team: payment\n    summary: Less",
     "    team: payment\n", ["unknown team 'payment'"]),
    ("templated summary", "summary: A database connection pool is more than 80% used.",
     "summary: Pool {{ $labels.pool }} is full", "summary: Pool", ["static sentence ending with a period"]),
    ("old volume guard", "    min_failures: 2\n", "    min_rate: 0.05\n", "    min_rate: 0.05",
     ["PaymentSuccessRateLow).min_rate", "replace it with min_failures"]),
    ("evidence guard not a count", "    min_failures: 2\n", "    min_failures: 0.5\n", "    min_failures: 0.5",
     ["PaymentSuccessRateLow).min_failures", "expected int"]),
    ("duplicate yaml key", "    severity: warning\n    team: database\n    summary: RDS",
     "    severity: warning\n    severity: info\n    team: database\n    summary: RDS", "    severity: info",
     ["duplicate key 'severity'"]),
]


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_bad_spec_is_reported_precisely(tmp_path: Path, case: tuple) -> None:
    _, old, new, line_needle, fragments = case
    assert GOOD.count(old) == 1, f"test fixture out of date: {old!r}"
    bad = GOOD.replace(old, new)
    existing = tmp_path / "alerts" / "billing.rules.yml"
    existing.parent.mkdir()
    existing.write_text("# committed output\n")
    result = _build(bad, tmp_path)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    line = _line_of(bad, line_needle)
    assert f"thresholds.yaml:{line}:" in result.stderr, result.stderr
    for fragment in fragments:
        assert fragment in result.stderr, result.stderr
    assert "nothing was written" in result.stderr
    assert existing.read_text() == "# committed output\n"
    assert sorted(p.name for p in tmp_path.rglob("*") if p.is_file()) == ["billing.rules.yml", "thresholds.yaml"]


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    bad = GOOD.replace("value: 0.95}\n    min_failures: 5", "value: 95}\n    min_failures: 5").replace(
        "    team: payments\n    summary: Less", "    team: payment\n    summary: Less")
    result = _build(bad, tmp_path)
    assert "2 problem(s)" in result.stderr


def test_yaml_syntax_error_names_the_line(tmp_path: Path) -> None:
    bad = GOOD.replace("  alert_prefix: Billing", "  alert_prefix: [Billing")
    result = _build(bad, tmp_path)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "not valid YAML" in result.stderr


def test_missing_spec_file(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "generators", "build", "--spec", str(tmp_path / "nope.yaml")],
        capture_output=True, text=True, cwd=ROOT,
    )
    assert result.returncode == 1 and "cannot read" in result.stderr


@pytest.mark.slow  # make test-heavy
def test_mangled_specs_never_crash_the_loader() -> None:
    """Deleted, duplicated and retyped lines give SpecInvalid (or a YAML error), never a crash."""
    import random

    from generators.loader.build import SpecInvalid, build_spec
    from generators.loader.source import SourceProblem, parse_spec_text

    lines = GOOD.splitlines()
    rng = random.Random(20261127)
    for _ in range(150):
        mangled = list(lines)
        for _ in range(rng.randint(1, 3)):
            j = rng.randrange(len(mangled))
            op = rng.choice(["delete", "duplicate", "null", "number", "list"])
            if op == "delete":
                del mangled[j]
            elif op == "duplicate":
                mangled.insert(j, mangled[j])
            elif ":" in mangled[j]:
                key = mangled[j].split(":")[0]
                mangled[j] = key + {"null": ": null", "number": ": 7", "list": ": [1, x]"}[op]
        with contextlib.suppress(SpecInvalid, SourceProblem):
            build_spec(parse_spec_text("\n".join(mangled)), "thresholds.yaml")


# -- the validator's promise: what it accepts renders and its tests pass (issue 8 cases) --------
def _spec_with(old: str, new: str, count: int = 1) -> str:
    assert GOOD.count(old) == count, f"test fixture out of date: {old!r}"
    return GOOD.replace(old, new)


def _errors(text: str, tmp_path: Path) -> list[str]:
    from generators.loader.build import SpecInvalid, load_spec

    path = tmp_path / "thresholds.yaml"
    path.write_text(text)
    try:
        load_spec(path)
    except SpecInvalid as exc:
        return [str(e) for e in exc.errors]
    return []


@pytest.mark.parametrize("old,new,message", [
    ('quantile: 0.99\n    threshold: {op: ">", value: 1}', 'quantile: 0.99\n    threshold: {op: "<", value: 1}',
     "a quantile alert takes >, >="),
    ('threshold: {op: ">", value: 300}', 'threshold: {op: "<", value: 300}', "a run_duration alert takes >, >="),
    ('indicator: db_connection_errors\n    threshold: {op: ">", value: 3}',
     'indicator: db_connection_errors\n    threshold: {op: ">=", value: 0}', "would always fire"),
    ('indicator: db_connection_errors\n    threshold: {op: ">", value: 3}',
     'indicator: db_connection_errors\n    threshold: {op: "<", value: 0}', "could never fire"),
    ('threshold: {op: "<", value: 0.95}\n    min_failures: 5', 'threshold: {op: ">", value: 1}\n    min_failures: 5',
     "could never fire"),
    ('threshold: {op: "<=", value: 0}\n    absent: true', 'threshold: {op: "<=", value: 1}\n    absent: true',
     "would always fire"),
])
def test_thresholds_that_cannot_work_are_refused_at_their_line(tmp_path: Path, old: str, new: str,
                                                               message: str) -> None:
    bad = _spec_with(old, new)
    errors = _errors(bad, tmp_path)
    assert any(message in e for e in errors), errors
    line = bad[:bad.index(new) + new.index("threshold:")].count("\n") + 1  # the threshold's own line
    assert any(f"thresholds.yaml:{line}:" in e for e in errors), (line, errors)


@pytest.mark.slow  # make test-heavy
@pytest.mark.parametrize("old,new,files", [
    # thresholds at the edge of their range: the tests must not need impossible values (101%);
    # `files`: the changed alert's test file, plus its recovery-tail file when PlatformDown
    # inhibits it (IngestionSuccessRateLow)
    ('threshold: {op: "<", value: 0.95}\n    min_failures: 5', 'threshold: {op: "<", value: 1}\n    min_failures: 5',
     2),
    ('threshold: {op: "<", value: 0.95}\n    min_failures: 5', 'threshold: {op: "<=", value: 0}\n    min_failures: 5',
     2),
    ('threshold: {op: ">", value: 0.8}', 'threshold: {op: ">=", value: 1}', 1),
    ('threshold: {op: ">", value: 80}', 'threshold: {op: ">", value: 99.999}', 1),
    ('indicator: db_connection_errors\n    threshold: {op: ">", value: 3}',
     'indicator: db_connection_errors\n    threshold: {op: "<=", value: 0}', 1),
])
def test_edge_thresholds_render_and_their_tests_pass(tmp_path: Path, old: str, new: str, files: int) -> None:
    from tests.test_spec_property import check_spec

    spec = yaml.safe_load(_spec_with(old, new))
    assert check_spec(spec, tmp_path) == f"rendered, {files} tests passed"


def test_renamed_scrape_job_key_renders(tmp_path: Path) -> None:
    from tests.test_spec_property import check_spec

    text = _spec_with("    platform: {job: billing-platform}", "    api: {job: billing-platform}")
    text = text.replace("    source: platform\n", "    source: api\n")
    text = text.replace("      platform: {targets", "      api: {targets")
    assert check_spec(yaml.safe_load(text), tmp_path, run_promtool=False) == "rendered"


def test_panels_with_the_same_title_get_their_own_ids(tmp_path: Path) -> None:
    from generators.loader.build import load_spec
    from generators.outputs import render_all

    panel = "          - {title: Queue depth, targets: [{indicator: queue_depth, legend: \"{{queue}}\"}]}\n"
    path = tmp_path / "thresholds.yaml"
    path.write_text(_spec_with(panel, panel + panel))
    dashboard = json.loads(render_all(load_spec(path))["dashboards/performance.json"])
    ids = [p["id"] for p in dashboard["panels"]]
    assert len(ids) == len(set(ids))


def test_errors_name_the_alert_where_it_is_written(tmp_path: Path) -> None:
    """An invalid alert earlier in the list must not shift the position named later."""
    text = _spec_with("    team: platform\n    summary: The billing platform health check is failing.",
                      "    team: nobody\n    summary: The billing platform health check is failing.")
    text = text.replace("threshold: {op: \">\", value: 5}", "threshold: {op: \">\", value: 4}")
    errors = _errors(text, tmp_path)
    names = [a["name"] for a in yaml.safe_load(text)["alerts"]]
    index = names.index("PaymentLatencyHigh")
    assert any(f"alerts[{index}] (PaymentLatencyHigh).threshold.value" in e for e in errors), errors


@pytest.mark.parametrize("new,message", [
    ("baseline_offsets: [1w, 1w]", "listed twice"),
    ("baseline_offsets: []", "give 1 to 4 offsets"),
    ("baseline_offsets: [1w, soon]", "'soon' is not a duration"),
    ("baseline_offsets: [1w, 5w]", "from 1s to 4w"),
    ("baseline_offsets: 1w", "expected list"),
    ("baseline_offsets: [1w, 2w]\n    baseline_offset: 1w", "not both"),
])
def test_bad_baseline_offsets_are_refused(tmp_path: Path, new: str, message: str) -> None:
    errors = _errors(_spec_with("baseline_offsets: [1w, 2w]", new), tmp_path)
    assert any("indicators.ingestion_rate.baseline_offset" in e and message in e for e in errors), errors


def test_one_baseline_offset_is_still_a_baseline(tmp_path: Path) -> None:
    """`baseline_offset: 1w` (one offset, the former form) loads as baseline_offsets: [1w]."""
    from generators.loader.build import load_spec

    path = tmp_path / "thresholds.yaml"
    path.write_text(_spec_with("baseline_offsets: [1w, 2w]", "baseline_offset: 1w"))
    ind = load_spec(path).indicators["ingestion_rate"]
    assert ind.baseline_offsets == (604800,)  # type: ignore[attr-defined]
