"""The `make bench` parts: the Nx spec generator and the child-process measurement."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from bench.measure import run_measured
from bench.specgen import SpecShapeError, counts, scale_spec, write_scaled_spec
from tests.conftest import SPEC_PATH


@pytest.fixture(scope="module")
def source() -> dict:
    return yaml.safe_load(SPEC_PATH.read_text())


def _panel_indicators(spec: dict) -> list[str]:
    found: list[str] = []

    def walk(node: object) -> None:
        if isinstance(node, dict):
            found.extend(v for k, v in node.items() if k == "indicator")
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    walk(spec["dashboards"])
    return found


def test_scaled_spec_copies_everything_with_consistent_references(source: dict) -> None:
    scaled = scale_spec(source, 3)
    assert counts(scaled) == {k: 3 * v for k, v in counts(source).items()}
    assert "api_errors_r3" in scaled["indicators"] and "api_errors" not in scaled["indicators"]
    names = {a["name"] for a in scaled["alerts"]}
    assert "PlatformDownR2" in names and len(names) == len(scaled["alerts"])
    for alert in scaled["alerts"]:
        copy = alert["name"].rsplit("R", 1)[1]
        assert alert["indicator"] in scaled["indicators"] and alert["indicator"].endswith(f"_r{copy}")
        assert all(name in names and name.endswith(f"R{copy}") for name in alert.get("inhibits", []))
    assert set(_panel_indicators(scaled)) <= set(scaled["indicators"])
    for dashboard in scaled["dashboards"]:
        titles = [row["title"] for row in dashboard["rows"]]
        assert len(titles) == len(set(titles))


def test_scaled_spec_is_accepted_and_built_by_the_cli(tmp_path: Path) -> None:
    sizes = write_scaled_spec(SPEC_PATH, 2, tmp_path / "spec.yaml")
    result = subprocess.run([sys.executable, "-m", "generators", "build", "--spec", str(tmp_path / "spec.yaml"),
                             "--out", str(tmp_path / "out")], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    tests = [p.name for p in (tmp_path / "out" / "alerts" / "tests").glob("*.test.yml")]
    own = [t for t in tests if "ErrorBudget" not in t and not t.endswith(".tail.test.yml")]
    assert len(own) == sizes["alerts"]  # + one per SLO alert policy and one per alert with recovery-tail cases
    assert "BillingPlatformDownR2" in (tmp_path / "out" / "alerts" / "billing.rules.yml").read_text()


def test_spec_without_indicators_is_a_clear_error() -> None:
    with pytest.raises(SpecShapeError, match="`indicators` must be a dict"):
        scale_spec({"alerts": []}, 2)


def test_measured_child_reports_its_own_peak_memory_not_the_parents() -> None:
    ballast = bytearray(300 << 20)  # the benchmark process is big; the child must not inherit that as a floor
    small = run_measured([sys.executable, "-c", "pass"], timeout=30)
    big = run_measured([sys.executable, "-c", "x = bytearray(200 << 20); x[::4096] = b'1' * len(x[::4096])"], 30)
    assert ballast is not None
    assert small.returncode == 0 and small.max_rss_kb < 100 << 10 and 0 < small.cpu_seconds < small.seconds + 1
    assert big.max_rss_kb > 200 << 10


def test_measured_child_is_killed_at_the_timeout() -> None:
    run = run_measured([sys.executable, "-c", "import time; time.sleep(30)"], timeout=0.5)
    assert run.timed_out and run.returncode != 0 and run.seconds < 5


def test_measured_child_caches_bytecode_even_when_the_caller_disables_it(monkeypatch: pytest.MonkeyPatch) -> None:
    # the project's modules must load from .pyc like the bare imports' libraries do
    monkeypatch.setenv("PYTHONDONTWRITEBYTECODE", "1")
    run = run_measured([sys.executable, "-c", "import sys; sys.exit(1 if sys.dont_write_bytecode else 0)"], 30)
    assert run.returncode == 0
