"""Deterministic output, committed outputs up to date, and a threshold change that moves
exactly the alert, its tests, its docs and its dashboard line."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from generators.loader.build import load_spec
from generators.outputs import render_all
from generators.writer import diff_outputs
from tests.conftest import ROOT, SPEC_PATH


def _render(spec_text: str, tmp_path: Path) -> dict[str, str]:
    path = tmp_path / "thresholds.yaml"
    path.write_text(spec_text)
    return render_all(load_spec(path))


def test_same_spec_gives_byte_identical_files(tmp_path: Path) -> None:
    out = [tmp_path / "a", tmp_path / "b"]
    for target in out:
        build = subprocess.run([sys.executable, "-m", "generators", "build", "--out", str(target)],
                               check=True, cwd=ROOT, capture_output=True, text=True)
    files_a = {p.relative_to(out[0]): p.read_bytes() for p in out[0].rglob("*") if p.is_file()}
    files_b = {p.relative_to(out[1]): p.read_bytes() for p in out[1].rglob("*") if p.is_file()}
    assert files_a == files_b and len(files_a) >= 20
    # the command writes the parts of two processes as they come: the files of one process
    single = render_all(load_spec(SPEC_PATH), fork=False)
    assert {p.as_posix(): data for p, data in files_a.items()} == {r: c.encode() for r, c in single.items()}
    assert build.stdout.startswith(f"build: {len(single)} files from ")


def test_committed_outputs_match_a_fresh_build(spec) -> None:
    assert diff_outputs(render_all(spec), ROOT) == []


def test_every_generated_file_says_so(spec) -> None:
    for rel, content in render_all(spec).items():
        head = content[:300].lower()
        assert "generated from thresholds.yaml" in head, rel


def test_changing_one_threshold_changes_only_its_alert_tests_docs_and_panel(tmp_path: Path) -> None:
    text = SPEC_PATH.read_text()
    before = _render(text, tmp_path)
    old = 'quantile: 0.99\n    threshold: {op: ">", value: 1}'
    assert text.count(old) == 1
    after = _render(text.replace(old, 'quantile: 0.99\n    threshold: {op: ">", value: 2.5}'), tmp_path)
    changed = sorted(rel for rel in before if before[rel] != after.get(rel))
    assert changed == sorted(EXPECTED_CHANGED)
    assert "histogram_quantile_rate5m{quantile=\"0.99\"} > 2.5" in after["alerts/billing.rules.yml"]
    panels = json.loads(after["dashboards/performance.json"])["panels"]
    latency = next(p for p in panels if p["title"] == "Ingestion latency")
    assert [s["value"] for s in latency["fieldConfig"]["defaults"]["thresholds"]["steps"]] == [None, 2.5]


EXPECTED_CHANGED = [
    "alerts/billing.rules.yml",
    "alerts/tests/BillingIngestionLatencyHigh.test.yml",
    "docs/alerts.md",
    "dashboards/performance.json",
    # the mixin's templates read thresholds from _config: only its default value moves
    "mixin/config.libsonnet",
    # the deploy forms repackage the rules and dashboards
    "deploy/kubernetes/prometheusrule-billing-rules.yaml",
    "deploy/kubernetes/grafana-dashboard-performance.yaml",
    "deploy/ruler/mimir/billing.yaml",
    "deploy/ruler/thanos/billing.rules.yml",
]


def test_check_fails_on_a_hand_edited_output(tmp_path: Path) -> None:
    subprocess.run([sys.executable, "-m", "generators", "build", "--out", str(tmp_path)],
                   check=True, cwd=ROOT, capture_output=True)
    rules = tmp_path / "alerts" / "billing.rules.yml"
    rules.write_text(rules.read_text().replace("for: 10m", "for: 20m", 1))
    (tmp_path / "thresholds.yaml").write_text(SPEC_PATH.read_text())
    result = subprocess.run([sys.executable, "-m", "generators", "check", "--spec",
                             str(tmp_path / "thresholds.yaml"), "--out", str(tmp_path)],
                            cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 1
    assert "alerts/billing.rules.yml: differs from a fresh build" in result.stderr
