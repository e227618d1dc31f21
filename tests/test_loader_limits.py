"""The loader under hostile input: each case is refused with one clear line at a real line of
the file, quickly, with bounded output, and never a traceback (issue 10's loader classes)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from generators.loader.build import SpecInvalid, load_spec
from generators.loader.source import _may_have_aliases
from tests.conftest import ROOT, SPEC_PATH

GOOD = SPEC_PATH.read_text()


def _refused(tmp_path: Path, content: str | bytes, profile: str | None = None) -> list[str]:
    path = tmp_path / "thresholds.yaml"
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content)
    started = time.monotonic()
    with pytest.raises(SpecInvalid) as caught:
        load_spec(path, profile)
    assert time.monotonic() - started < 10, "the loader must give up quickly"
    errors = caught.value.errors
    for error in errors:
        assert error.line >= 1, error
        assert "\n" not in str(error) and len(str(error)) < 1500, str(error)[:300]
    return [str(e) for e in errors]


def _replace(old: str, new: str) -> str:
    assert GOOD.count(old) == 1, old
    return GOOD.replace(old, new)


THRESHOLD = 'threshold: {op: "<", value: 0.95}\n    min_failures: 5'


@pytest.mark.parametrize("content,fragment", [
    (GOOD.encode().replace(b"Billing Overview", b"Billing \xff\xfe Overview"), "is not UTF-8"),
    ("? [a]\n: 1\n" + GOOD, "keys must be plain strings"),
    ("a:\n" + "".join("  " * i + f"k{i}:\n" for i in range(1, 3000)) + "  " * 3000 + "v: 1\n", "nesting depth"),
    ("a: " + "[" * 2000 + "]" * 2000 + "\n", "nest"),
    (_replace(THRESHOLD, 'threshold: {op: "<", value: .nan}\n    min_failures: 5'), "finite"),
    (_replace(THRESHOLD, 'threshold: {op: "<", value: -.inf}\n    min_failures: 5'), "finite"),
    (_replace(THRESHOLD, 'threshold: {op: "<", value: 1.0e+308}\n    min_failures: 5'), "too large"),
    (_replace(THRESHOLD, 'threshold: {op: "<", value: ' + "9" * 5000 + "}\n    min_failures: 5"), "digits"),
    (_replace(THRESHOLD, 'threshold: {op: "<", value: 0.95}\n    min_rate: ' + "1" * 60), "digits"),
    (_replace("  platform_up:\n    kind: availability", "  7:\n    kind: availability"), "keys must be plain"),
    # a `by` label only one side of a gauge ratio has
    (_replace("    help: pool size\n    labels: {pool: [primary, replica]}", "    help: pool size"),
     "is not a label of billing_db_pool_connections_max"),
    (_replace("errors: 'code=~\"5..\"'", "errors: 'code=~\"\\\\pN\"'"), "Unicode classes"),
    (_replace("errors: 'code=~\"5..\"'", "errors: 'code=~\"(5)\\\\1\"'"), "regex"),
    (_replace("    for: 10m\n    severity: warning\n    team: ingestion",
              "    for: 1040w\n    severity: warning\n    team: ingestion"), "longer than"),
    (_replace("  alert_prefix: Billing", "  alert_prefix: &x Billing\n  bomb: [*x]"), "unknown key"),
])
def test_hostile_specs_are_refused_clearly(tmp_path: Path, content: str | bytes, fragment: str) -> None:
    errors = _refused(tmp_path, content)
    assert any(fragment in e for e in errors), errors


def test_alias_bomb_is_refused_and_its_value_never_echoed_whole(tmp_path: Path) -> None:
    bomb = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n' + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [" + ",".join([f"*{chr(97 + i)}"] * 9) + "]\n" for i in range(8))
    errors = _refused(tmp_path, bomb)
    assert any("aliases expand" in e for e in errors), errors
    small = 'settings: &s [' + ",".join(["x" * 50] * 200) + "]\n" + "metrics: *s\n"
    for error in _refused(tmp_path, small):
        assert len(error) < 600, error


def test_an_alias_bomb_after_a_comment_mentioning_aliases_is_still_refused(tmp_path: Path) -> None:
    bomb = '# comments may say *_file\na: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n' + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [" + ",".join([f"*{chr(97 + i)}"] * 9) + "]  # *x\n" for i in range(8))
    assert any("aliases expand" in e for e in _refused(tmp_path, bomb))
    assert _may_have_aliases(bomb)
    assert not _may_have_aliases("# only *_file in a comment\nkey: value * 2\n")


def test_a_huge_spec_is_refused_by_size(tmp_path: Path) -> None:
    path = tmp_path / "thresholds.yaml"
    with path.open("w") as handle:
        handle.write(GOOD)
        handle.truncate(20 * 1024 * 1024)  # a sparse 20 MB file
    with pytest.raises(SpecInvalid) as caught:
        load_spec(path)
    assert "bytes; a spec is at most" in str(caught.value)


def test_a_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "thresholds.yaml"
    os.mkfifo(fifo)
    result = subprocess.run([sys.executable, "-m", "generators", "check", "--spec", str(fifo)],
                            capture_output=True, text=True, cwd=ROOT, timeout=30)
    assert result.returncode == 1 and "not a regular file" in result.stderr
    assert "Traceback" not in result.stderr


def test_every_profile_is_checked_even_when_not_used(tmp_path: Path) -> None:
    errors = _refused(tmp_path, _replace("    max_for: 20s", "    max_for: soon"))
    assert any("profiles.e2e.max_for" in e and "bad duration" in e for e in errors), errors


def test_unknown_profile_names_the_known_ones(tmp_path: Path) -> None:
    errors = _refused(tmp_path, GOOD, profile="nope")
    assert any("no profile 'nope' (known: e2e)" in e for e in errors), errors


def test_errors_never_point_at_line_zero(tmp_path: Path) -> None:
    for content in ("", "[]", "just text", "settings: 1"):
        for error in _refused(tmp_path, content):
            assert ":0:" not in error, error
