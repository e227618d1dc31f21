"""Alertmanager semantics in Python: receivers against amtool, notifications and inhibition by hand."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from generators.backtest.routing import (
    FiringInterval,
    RoutingError,
    parse_alertmanager,
    parse_matchers,
    simulate_notifications,
)
from tests.conftest import ROOT, require_tool

GENERATED = ROOT / "alertmanager" / "alertmanager.yml"

# every routing feature the walk implements: nesting, continue, legacy match/match_re,
# brace/unquoted/negative/regex matchers, inherited receivers and the default receiver
TREE: dict[str, Any] = {
    "route": {"receiver": "default", "group_by": ["alertname"], "routes": [
        {"receiver": "audit", "continue": True},
        {"receiver": "db", "match": {"team": "database"}, "routes": [
            {"receiver": "db-pager", "matchers": ['{severity="critical", env!~"dev|test"}'], "continue": True},
            {"matchers": ["severity=~crit.*"], "receiver": "db-chat"},
            {"match_re": {"severity": "warn(ing)?"}, "routes": [{"receiver": "db-quiet", "matchers": ['quiet="yes"']}]},
        ]},
        {"receiver": "fallback-empty-team", "matchers": ['team=""']},
        {"receiver": "weird", "matchers": ['path=~"a\\\\.b|c,d"', 'note!="x\\"y"']},
    ]},
    "receivers": [{"name": n, "webhook_configs": [{"url": "http://127.0.0.1:1/"}]}
                  for n in ("default", "audit", "db", "db-pager", "db-chat", "db-quiet", "fallback-empty-team",
                            "weird")],
}
LABEL_SETS = [
    {"alertname": "A", "team": "database", "severity": "critical"},
    {"alertname": "A", "team": "database", "severity": "critical", "env": "dev"},
    {"alertname": "A", "team": "database", "severity": "warning"},
    {"alertname": "A", "team": "database", "severity": "warn", "quiet": "yes"},
    {"alertname": "A", "team": "database", "severity": "info"},
    {"alertname": "A", "severity": "critical"},
    {"alertname": "A", "team": "x", "path": "a.b"},
    {"alertname": "A", "team": "x", "path": "axb"},
    {"alertname": "A", "team": "x", "path": "c,d", "note": 'x"y'},
    {"alertname": "A", "team": "x", "path": "c,d", "note": "z"},
]


def _escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"')


def _amtool_receivers(config: Path, labels: dict[str, str]) -> list[str]:
    result = subprocess.run([require_tool("amtool"), "config", "routes", "test", f"--config.file={config}",
                             *(f'{k}="{_escape(v)}"' for k, v in labels.items())], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().split(",")


def test_receivers_match_amtool_on_a_tree_using_every_feature(tmp_path: Path) -> None:
    config = tmp_path / "am.yml"
    config.write_text(yaml.safe_dump(TREE))
    routing = parse_alertmanager(TREE)
    for labels in LABEL_SETS:
        assert routing.receivers(labels) == _amtool_receivers(config, labels), labels


def test_receivers_match_amtool_for_every_alert_of_the_generated_config(alert_rules: list[dict[str, Any]]) -> None:
    routing = parse_alertmanager(yaml.safe_load(GENERATED.read_text()))
    label_sets = [{"alertname": r["alert"], **r["labels"], "cluster": "c1"} for r in alert_rules]
    label_sets += [{"alertname": "Watchdog"}, {"alertname": "X", "team": "payments", "severity": "info"}]
    for labels in label_sets:
        assert routing.receivers(labels) == _amtool_receivers(GENERATED, labels), labels


def test_matcher_syntax_errors_name_the_place() -> None:
    with pytest.raises(RoutingError, match=r"route.routes\[0\]: cannot read matcher"):
        parse_alertmanager({"route": {"receiver": "a", "routes": [{"matchers": ["=oops"]}]},
                            "receivers": [{"name": "a"}]})
    with pytest.raises(RoutingError, match="not defined under receivers"):
        parse_alertmanager({"route": {"receiver": "ghost"}, "receivers": []})
    assert [str(m) for m in parse_matchers('{a="1", b=~"x|y",c!=z}', "t")] == ['a="1"', 'b=~"x|y"', 'c!="z"']


# -- notifications: expectations derived from Alertmanager's dispatcher and dedup stage -------
def _routing(**route: Any) -> Any:
    config = {"route": {"receiver": "r", "group_by": ["alertname", "cluster"], "group_wait": "30s",
                        "group_interval": "5m", "repeat_interval": "4h", **route},
              "receivers": [{"name": "r", "webhook_configs": [{"url": "http://127.0.0.1:1/"}]},
                            {"name": "quiet", "slack_configs": [{"channel": "#x", "api_url_file": "/x"}]}],
              "inhibit_rules": [{"source_matchers": ['alertname="Down"'], "target_matchers": ['alertname="Slow"'],
                                 "equal": ["cluster"]}]}
    return parse_alertmanager(config)


def _alert(name: str, start: float, end: float | None, **labels: str) -> FiringInterval:
    return FiringInterval(tuple(sorted({"alertname": name, "cluster": "c", **labels}.items())), start, end)


def _sent(alerts: list[FiringInterval], end: float = 10**6, **route: Any) -> list[tuple[float, str]]:
    return [(n.at, n.status) for n in simulate_notifications(_routing(**route), alerts, end)]


def test_one_alert_notifies_after_group_wait_and_once_resolved_at_the_next_group_interval() -> None:
    assert _sent([_alert("A", 0, 600)]) == [(30, "firing"), (630, "resolved")]


def test_repeat_interval_re_notifies_at_the_first_flush_after_it_passed() -> None:
    # flushes every 5m from 30s; the one at 4h30s is not *after* 4h since the last: 4h5m30s is
    assert _sent([_alert("A", 0, 36000)]) == [(30, "firing"), (14730, "firing"), (29430, "firing"),
                                              (36030, "resolved")]


def test_a_new_alert_in_a_flushed_group_waits_for_the_next_group_interval() -> None:
    alerts = [_alert("A", 0, None, pool="p1"), _alert("A", 60, None, pool="p2")]
    assert _sent(alerts, end=1000) == [(30, "firing"), (330, "firing")]


def test_an_alert_resolved_before_group_wait_is_never_sent() -> None:
    assert _sent([_alert("A", 0, 20)]) == []


def test_without_send_resolved_only_firing_is_sent() -> None:
    assert _sent([_alert("A", 0, 600)], receiver="quiet") == [(30, "firing")]


def test_a_refire_within_15_minutes_joins_the_living_group_a_later_one_starts_a_new_group() -> None:
    # resolved at 600 (sent 630); back at 700: the group still lives (Prometheus re-sends the
    # resolved alert for 15 min), so the next tick at 930 notifies. Resolved at 1000 (sent 1230),
    # back at 3000: the group died after 1000 + 15m; a new group waits group_wait.
    alerts = [_alert("A", 0, 600), _alert("A", 700, 1000), _alert("A", 3000, 3100)]
    assert _sent(alerts) == [(30, "firing"), (630, "resolved"), (930, "firing"), (1230, "resolved"),
                             (3030, "firing"), (3330, "resolved")]


def test_inhibition_mutes_the_target_while_the_source_fires_in_the_same_cluster() -> None:
    routing = _routing()
    alerts = [_alert("Down", 0, 1200), _alert("Slow", 0, 600), _alert("Slow", 2000, 3000),
              _alert("Slow", 0, 600, cluster="other")]
    sent = simulate_notifications(routing, alerts, 10**6)
    slow_c = [(n.at, n.status) for n in sent if n.alertnames == ("Slow",) and n.group[1] == ("cluster", "c")]
    # muted for its whole first episode (Down fired throughout); the second one, after Down
    # resolved, is a new group (the old one died 15 min after 600)
    assert slow_c == [(2030, "firing"), (3230, "resolved")]
    slow_other = [(n.at, n.status) for n in sent if n.group[1] == ("cluster", "other")]
    assert slow_other == [(30, "firing"), (630, "resolved")]
    unmuted = simulate_notifications(routing, alerts, 10**6, inhibit=False)
    assert len(unmuted) - len(sent) == 2


def test_a_long_period_is_walked_event_by_event_not_flush_by_flush() -> None:
    # 700 days of one alert firing throughout: a repeat every 4h5m30s... (first flush after 4h
    # since the last), computed without visiting the 200,000 flushes in between one by one
    end = 700 * 86400.0
    sent = _sent([_alert("A", 0, None)], end=end)
    assert sent[:2] == [(30, "firing"), (14730, "firing")]
    assert len(sent) == 1 + int((end - 30) // 14700)
    assert all(status == "firing" for _, status in sent)
