"""Reports: hostile label values cannot break the terminal, the Markdown table or the JSON."""

from __future__ import annotations

import json
import math
import re

from generators.backtest.compare import compare
from generators.backtest.report import SCHEMA, VERSION, RunInfo, render_json, render_markdown, render_text
from generators.backtest.results import AlertResult, BacktestResult, EpisodeResult
from tests.conftest import ROOT

HOSTILE = 'x|y`z\n\x1b[31mred\u202e*_[a](b)'


def _episode(kind: str, start: float, end: float | None, peak: float, **labels: str) -> EpisodeResult:
    full = tuple(sorted({"alertname": "BillingX", "severity": "warning", **labels}.items()))
    return EpisodeResult(full, kind, start, end, start - 60, peak, start, (end or 7200) - start)


def _alert(firing: list[EpisodeResult], pending: list[EpisodeResult], for_seconds: float = 300) -> AlertResult:
    return AlertResult(
        name="BillingX", group="g", step=30, for_seconds=for_seconds, keep_firing_for_seconds=0,
        rule_labels={"severity": "warning"}, rule_expr="x > 1", expr="x > 1", recordings=(), firing=firing,
        pending_only=pending, firing_seconds=sum(e.seconds for e in firing), receivers=["chat"],
        notifications={"chat": len(firing) * 2}, inhibited_seconds=0, inhibited_by={})


def _result(alert: AlertResult, origin: str = "thresholds.yaml") -> BacktestResult:
    return BacktestResult(origin, "http://127.0.0.1:9090", 0, 7200, [alert], {"chat": 2}, {"chat": 0}, [])


def _sample() -> BacktestResult:
    return _result(_alert([_episode("firing", 600, 1200, math.nan, pool=HOSTILE)],
                          [_episode("pending", 3000, 3060, 2.5, pool="p1")]))


def test_text_escapes_control_characters() -> None:
    text = render_text([_sample()], None, RunInfo(1.0, 3))
    assert "\x1b" not in text and "\u202e" not in text
    assert "\\x1b[31mred" in text and "\\n" in text
    assert "peak NaN" in text and "firing " in text and "pending" in text


def _cells(row: str) -> list[str]:
    return re.split(r"(?<!\\)\|", row.strip())[1:-1]


def test_markdown_tables_keep_their_columns_whatever_the_labels() -> None:
    markdown = render_markdown([_sample()], None, RunInfo(1.0, 3))
    table = [line for line in markdown.splitlines() if line.startswith("| State")]
    rows = markdown.splitlines()[markdown.splitlines().index(table[0]):]
    body = [r for r in rows if r.startswith("|")]
    assert {len(_cells(r)) for r in body} == {6}
    assert "\x1b" not in markdown and "`" not in markdown.replace("\\`", "")


def test_json_is_versioned_strict_and_complete() -> None:
    doc = json.loads(render_json([_sample()], None, RunInfo(1.5, 3, ["a warning"])),
                     parse_constant=lambda c: (_ for _ in ()).throw(ValueError(c)))
    assert (doc["schema"], doc["version"], doc["mode"]) == (SCHEMA, VERSION, "single")
    alert = doc["result"]["alerts"][0]
    episode = alert["firing_episodes"][0]
    assert episode["labels"]["pool"] == HOSTILE and episode["peak"] == "NaN"
    assert episode["start"] == {"time": "1970-01-01T00:10:00Z", "unix": 600}
    assert alert["pending_only_episodes"][0]["end"]["time"] == "1970-01-01T00:51:00Z"
    assert doc["warnings"] == ["a warning"] and doc["run"]["alert_days"] == 1 / 12


def test_comparison_lists_exactly_the_episodes_that_changed() -> None:
    kept = _episode("firing", 600, 1200, 3, pool="p1")
    before = _result(_alert([kept, _episode("firing", 4000, 4600, 3, pool="p2")], []), "base.yaml")
    after = _result(_alert([kept], [_episode("pending", 4000, 4200, 3, pool="p2")], for_seconds=600))
    [change] = compare(before, after)
    assert (change.status, change.rule_changed) == ("changed", True)
    assert [(e.kind, e.start) for e in change.gone()] == [("firing", 4000)]
    assert [(e.kind, e.start) for e in change.new()] == [("pending", 4000)]
    assert change.kept() == [kept]
    markdown = render_markdown([before, after], [change], RunInfo(1.0, 2))
    assert "| BillingX | changed (rule) | 2 → 1 |" in markdown
    assert "- before: `x > 1` for 5m" in markdown and "- after: `x > 1` for 10m" in markdown
    doc = json.loads(render_json([before, after], [change], RunInfo(1.0, 2)))
    assert doc["mode"] == "compare" and doc["baseline"]["spec"] == "base.yaml"
    assert [e["kind"] for e in doc["changes"][0]["gone"]] == ["firing"]
    assert compare(before, before) == []


def _keys(value: object) -> set[str]:
    if isinstance(value, dict):
        return set(value) | {k for v in value.values() for k in _keys(v)}
    if isinstance(value, list):
        return {k for v in value for k in _keys(v)}
    return set()


def test_every_json_field_is_documented() -> None:
    kept = _episode("firing", 600, 1200, 3, pool="p1")
    before = _result(_alert([kept], []), "base.yaml")
    after = _result(_alert([], [_episode("pending", 4000, 4200, 3, pool="p2")]))
    documents = [json.loads(render_json([_sample()], None, RunInfo(1.0, 3))),
                 json.loads(render_json([before, after], compare(before, after), RunInfo(1.0, 3)))]
    label_and_receiver_keys = {"alertname", "severity", "pool", "chat"}
    fields = set().union(*map(_keys, documents)) - label_and_receiver_keys
    text = (ROOT / "docs" / "backtest.md").read_text()
    assert not sorted(f for f in fields if f"`{f}`" not in text and f"`{f}." not in text and f".{f}`" not in text)
