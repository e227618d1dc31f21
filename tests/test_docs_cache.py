"""docs/alerts.md is the same whether its template comes compiled from the cache or not."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from generators import docs
from generators.model import Spec
from generators.slo.docs import render_slo_docs
from tests.conftest import ROOT


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(docs, "_CACHE_DIR", tmp_path / "jinja2")
    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    return tmp_path / "jinja2"


def test_the_cached_template_renders_the_committed_runbooks(spec: Spec, cache: Path) -> None:
    committed = (ROOT / "docs" / "alerts.md").read_text()  # the alerts' runbooks, then the SLOs'
    slo_docs = render_slo_docs(spec)
    assert docs.render_alert_docs(spec) + slo_docs == committed  # compiles and stores
    assert len(list(cache.iterdir())) == 1
    assert docs.render_alert_docs(spec) + slo_docs == committed  # from the cache


def test_a_template_compiled_under_other_options_is_not_reused(spec: Spec, cache: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    trimmed = docs.render_alert_docs(spec)
    monkeypatch.setitem(docs._OPTIONS, "trim_blocks", False)
    untrimmed = docs.render_alert_docs(spec)
    assert untrimmed != trimmed and docs.render_alert_docs(spec) == untrimmed
    monkeypatch.setitem(docs._OPTIONS, "trim_blocks", True)
    assert docs.render_alert_docs(spec) == trimmed


def test_nothing_is_written_without_bytecode_or_a_writable_directory(spec: Spec, cache: Path, tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "dont_write_bytecode", True)
    first = docs.render_alert_docs(spec)
    assert not cache.exists()
    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    (tmp_path / "blocked").write_text("a file where the directory would go")
    monkeypatch.setattr(docs, "_CACHE_DIR", tmp_path / "blocked" / "jinja2")
    assert docs.render_alert_docs(spec) == first
