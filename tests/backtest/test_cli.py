"""`python -m generators backtest` errors that need no server: one line each, exit 1, no traceback."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from generators.cli import main
from simulator.stack import free_port
from tests.conftest import ROOT


def _backtest(*args: str) -> subprocess.CompletedProcess[str]:
    """The command in a fresh process: what a user sees, tracebacks included."""
    return subprocess.run([sys.executable, "-m", "generators", "backtest", *args], capture_output=True, text=True,
                          cwd=ROOT, timeout=60)


def _in_process(capsys: pytest.CaptureFixture[str], *args: str) -> subprocess.CompletedProcess[str]:
    """The same through generators.cli.main, without a new interpreter's start-up time."""
    code = main(["backtest", *args])
    captured = capsys.readouterr()
    return subprocess.CompletedProcess(args, code, captured.out, captured.err)


def _one_error_line(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, lines
    assert result.stdout == ""
    return lines[0]


def test_an_unreachable_url_is_one_line_without_the_password() -> None:
    port = free_port()
    line = _one_error_line(_backtest("--url", f"http://admin:s3cret@127.0.0.1:{port}", "--since", "1h"))
    assert line.startswith(f"backtest: cannot reach http://127.0.0.1:{port}") and "refused" in line
    assert "s3cret" not in line


@pytest.mark.parametrize("args,expected", [
    (["--since", "7x"], "--since: '7x' is not a duration"),
    (["--start", "2024-05-02T00:00:00Z", "--end", "2024-05-01T00:00:00Z"], "the period is empty"),
    (["--start", "2024-05-01 10:00"], "has no time zone"),
    (["--start", "yesterday"], "neither RFC 3339"),
    (["--since", "1d", "--start", "2024-05-01T00:00:00Z"], "give one of them"),
    (["--step", "0s"], "--step must be positive"),
    (["--alert", "BillingNoSuchAlert"], "--alert BillingNoSuchAlert: not an alert of thresholds.yaml"),
    (["--header", "no-colon"], "--header: expected 'NAME: VALUE'"),
])
def test_bad_arguments_are_one_line(capsys: pytest.CaptureFixture[str], args: list[str], expected: str,
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    line = _one_error_line(_in_process(capsys, "--url", f"http://127.0.0.1:{free_port()}", *args))
    assert expected in line


def test_a_bad_url_scheme_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    assert "expected http(s)://host" in _one_error_line(_in_process(capsys, "--url", "ftp://x"))


def test_an_invalid_spec_lists_its_problems(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text((ROOT / "thresholds.yaml").read_text().replace("value: 0.8}", "value: 80}", 1))
    result = _in_process(capsys, "--url", f"http://127.0.0.1:{free_port()}", "--spec", str(bad))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert f"backtest: {bad}: 1 problem(s):" in result.stderr and "out of range" in result.stderr
