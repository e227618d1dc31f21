"""Inlining recorded series into alert expressions: the PromQL it writes.

These check the text; tests/backtest/test_history.py proves on a real Prometheus that
each inlined expression returns what the recorded series it replaces returns.
"""

from __future__ import annotations

from typing import Any

import promql_parser as pp
import pytest

from generators.backtest.inline import Inliner
from generators.backtest.promql_text import Printer, Untranslatable, quote
from generators.backtest.rulefile import RecordingRule, parse_rule_groups

TRICKY = [
    'x / ignoring(a) group_right(b) y', 'x and on() y', 'x == bool 1', '{__name__="foo", a="b"}',
    'x offset -5m', 'x @ start()', 'x @ 1700000000.5 offset 1m', 'rate(x[5m:])', 'rate(x[5m:10s] offset 1w)',
    '-(x)', 'x ^ 2 ^ 3', '-x ^ 2', 'NaN', '-Inf', r'label_replace(x, "a", "b\"c\\d\n", "", "")',
    'sum without() (x)', 'topk(3, x) by (a)', 'count_values("v", x)', 'x atan2 y', r'x{a="q\"z"}',
    'hour()', '(a + b)[5m:1m]', 'max_over_time((x > 1)[1h:])', 'x - -3', '1 - -1', 'x / on() group_left vector(1)',
    'quantile without(a) (0.5, r)', 'absent_over_time(x{a="b"}[5m])', 'x unless on(a, b) y or z',
]


def _rules(*specs: tuple[str, str, dict[str, str]], interval: float = 30.0) -> list[RecordingRule]:
    return [RecordingRule(name, expr, tuple(sorted(labels.items())), "g", interval) for name, expr, labels in specs]


def _selectors(text: str) -> list[Any]:
    found: list[Any] = []
    pp.walk(pp.parse(text), pre_visit=lambda n: found.append(n) if isinstance(n, pp.VectorSelector) else None)
    return found


@pytest.mark.parametrize("expr", TRICKY)
def test_printed_promql_parses_back_to_the_same_tree(expr: str) -> None:
    tree = pp.parse(expr)
    printed = Printer().expr(tree)
    assert pp.parse(printed).prettify() == tree.prettify()


def test_every_rule_expression_prints_back_to_the_same_tree(rule_groups: list[dict[str, Any]]) -> None:
    for group in rule_groups:
        for rule in group["rules"]:
            tree = pp.parse(rule["expr"])
            assert pp.parse(Printer().expr(tree)).prettify() == tree.prettify(), rule["expr"]


def test_every_alert_of_the_rule_file_inlines_to_raw_metrics_only(rule_groups: list[dict[str, Any]]) -> None:
    rules = parse_rule_groups(rule_groups)
    recorded = {r.record for r in rules.recordings}
    inliner = Inliner(rules.recordings)
    for alert in rules.alerts:
        result = inliner.inline(alert.expr, alert.name)
        names = {s.name for s in _selectors(result.text)}
        assert not names & recorded, (alert.name, result.text)
        # the recordings it read: those it names, and those they read in turn (nested recordings)
        assert {s.name for s in _selectors(alert.expr)} & recorded <= set(result.recordings) <= recorded


def test_static_labels_choose_the_recording_rule_and_label_its_result() -> None:
    inliner = Inliner(_rules(("q", "histogram_quantile(0.5, h)", {"quantile": "0.5"}),
                             ("q", "histogram_quantile(0.99, h)", {"quantile": "0.99"})))
    one = inliner.inline('q{quantile="0.99"} > 1', "t").text
    assert one == '(label_replace(histogram_quantile(0.99, h), "quantile", "0.99", "", "")) > 1'
    both = inliner.inline("q > 1", "t").text
    assert "histogram_quantile(0.5, h)" in both and "histogram_quantile(0.99, h)" in both and " or " in both
    regex = inliner.inline('q{quantile=~"0.9.*"}', "t").text
    assert "0.5" not in regex and "0.99" in regex
    with pytest.raises(Untranslatable, match="matches no recording rule"):
        inliner.inline('q{quantile="0.75"}', "t")


def test_matchers_on_the_inner_result_still_filter() -> None:
    inliner = Inliner(_rules(("r", "sum by (cluster, job) (x)", {})))
    assert inliner.inline('r{job="a"}', "t").text == (
        '((sum by (cluster, job) (x)) and on(job) label_replace(vector(1), "job", "a", "", ""))')
    assert inliner.inline('r{job=""}', "t").text == "((sum by (cluster, job) (x)) and on(job) vector(1))"
    assert "unless on(job)" in inliner.inline('r{job!="a"}', "t").text
    regex = inliner.inline('r{cluster=~"p.*"}', "t").text
    assert '"__backtest_match", "1", "cluster", "p.*"' in regex and "and on(__backtest_match)" in regex
    assert "unless on(__backtest_match)" in inliner.inline('r{cluster!~"p.*"}', "t").text


def test_offset_shifts_every_selector_and_time() -> None:
    inliner = Inliner(_rules(("run", "max by (cluster) ((time() - started) * in_progress)", {}),
                             ("pinned", "x @ 100 + y offset 5m", {})))
    shifted = inliner.inline("run offset 1w > 300", "t").text
    assert shifted == ("(max by (cluster) (((time() - 604800) - started offset 1w) * in_progress offset 1w)) > 300")
    assert inliner.inline("pinned offset 1h", "t").text == "(x @ 100.000 + y offset 1h5m)"


def test_a_range_over_a_recorded_series_becomes_a_subquery_at_the_recording_interval() -> None:
    inliner = Inliner(_rules(("run", "max(time() - started)", {}), interval=45))
    text = inliner.inline("max_over_time(run[1d] offset 1w)", "t").text
    # the subquery's offset moves time() with it: nothing inside is shifted
    assert text == "max_over_time((max (time() - started))[1d:45s] offset 1w)"


def test_recordings_reading_recordings_inline_recursively() -> None:
    inliner = Inliner(_rules(("a", "rate(x[5m])", {}), ("b", "sum by (c) (a)", {}), ("c", "b / on() group_left a", {})))
    result = inliner.inline("c > 1", "t")
    assert result.text == "((sum by (c) ((rate(x[5m])))) / on() group_left() (rate(x[5m]))) > 1"
    assert result.recordings == ("a", "b", "c")


@pytest.mark.parametrize("rules,expr,message", [
    ([("a", "a + 1", {})], "a", "reads itself"),
    ([("a", "b", {}), ("b", "a or vector(0)", {})], "a", r"reads itself \(a -> b -> a\)"),
    ([("a", "x", {})], "a @ 100", "`@` on the recorded series"),
    ([("a", "x", {})], '{__name__=~"a|z"}', "__name__ pattern"),
    ([("a", "timestamp(x)", {})], "a offset 1h", "timestamp"),
])
def test_what_cannot_be_inlined_is_refused_with_the_reason(rules: list[tuple[str, str, dict[str, str]]], expr: str,
                                                            message: str) -> None:
    with pytest.raises(Untranslatable, match=message):
        Inliner(_rules(*rules)).inline(expr, "t")


def test_absent_keeps_the_labels_of_the_selector() -> None:
    text = Inliner(_rules(("r", "sum by (job) (x)", {}))).inline('absent(r{job="a"})', "t").text
    assert text.startswith("label_replace(absent(") and text.endswith(', "job", "a", "", "")')


def test_hostile_label_values_stay_inside_their_strings() -> None:
    value = 'a"} or vector(1) #\n\\'
    inliner = Inliner(_rules(("r", "sum by (job) (x)", {"team": value})))
    text = inliner.inline(f"r{{job={quote(value)}}}", "t").text
    strings: list[str] = []
    pp.walk(pp.parse(text), pre_visit=lambda n: strings.append(n.val) if isinstance(n, pp.StringLiteral) else None)
    assert strings.count(value) == 2  # the static label and the matcher, each one whole string
    assert [s.name for s in _selectors(text)] == ["x"]


def test_a_range_over_a_recorded_series_samples_it_at_its_groups_phase() -> None:
    # the group runs at 7.25 s past each 30 s: the subquery's points (multiples of 30 s) read
    # the inner expression 22.75 s earlier, and the whole text is queried 22.75 s late so the
    # subquery needs no negative offset
    inliner = Inliner(_rules(("a", "rate(x[5m])", {})), {"g": 7.25})
    result = inliner.inline("max_over_time(a[10m]) > 1 and a > 2", "t", 7.25, 30)
    assert result.shift == 22.75
    assert result.text == ("max_over_time((rate(x[5m] offset 22s750ms))[10m:30s]) > 1 "
                           "and (rate(x[5m] offset 22s750ms)) > 2")
    at_zero = Inliner(_rules(("a", "rate(x[5m])", {})), {"g": 0.0}).inline("max_over_time(a[10m])", "t", 0, 30)
    assert (at_zero.text, at_zero.shift) == ("max_over_time((rate(x[5m]))[10m:30s])", 0.0)


def test_a_recording_of_another_group_is_read_at_its_latest_evaluation() -> None:
    rules = [RecordingRule("a", "rate(x[5m])", (), "other", 60.0)]
    result = Inliner(rules, {"other": 10.0}).inline("a > 1", "t", 0.0, 30.0)
    assert result.shift == 50
    assert result.text == "last_over_time((rate(x[5m] offset 50s))[59s999ms:1m]) > 1"


def test_a_recording_the_server_began_inside_the_period_has_no_points_before() -> None:
    inliner = Inliner(_rules(("a", "rate(x[5m])", {})), {"g": 0.0}, since={"a": 1000.0})
    result = inliner.inline("max_over_time(a[10m])", "t", 0, 30)
    assert result.text == "max_over_time(((rate(x[5m])) and on() (vector(time()) >= 999.9995))[10m:30s])"
