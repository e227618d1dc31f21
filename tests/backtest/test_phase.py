"""The evaluation phase Prometheus gives a rule group (its live check: tests/backtest/test_live.py)."""

from __future__ import annotations

import pytest

from generators.backtest.deployed import Deployed, deployed_rules, recorded_since
from generators.backtest.phase import group_phase, resolve_phases, xxhash64
from generators.backtest.rulefile import RecordingRule


@pytest.mark.parametrize("data,digest", [
    (b"", 0xEF46DB3751D8E999), (b"abc", 0x44BC2CF5AD770999),
    (b"Nobody inspects the spammish repetition", 0xFBCEA83C8A378BF1),  # > 32 bytes: the four-lane loop
])
def test_xxhash64_known_digests(data: bytes, digest: int) -> None:
    assert xxhash64(data) == digest


def test_phase_is_within_the_interval_to_the_ms_and_depends_on_file_and_name() -> None:
    phases = {group_phase(f, g, 30.0) for f in ("/a.yml", "/b.yml") for g in ("g1", "g2")}
    assert len(phases) == 4 and all(0 <= p < 30 and round(p * 1000) == p * 1000 for p in phases)


def test_without_a_server_or_rule_file_every_group_is_at_phase_zero_and_says_why() -> None:
    phases = resolve_phases(Deployed(), {"g": 30.0}, None)
    assert phases.by_group == {"g": 0.0} and "not deployed" in phases.sources["g"]
    assert resolve_phases(Deployed(), {"g": 30.0}, "/a.yml").by_group == {"g": group_phase("/a.yml", "g", 30.0)}


class _Server:
    """The two answers deployed.py reads: /api/v1/rules and one range query (a real server's
    answers are checked in test_live.py)."""

    def __init__(self, query: str, first: float) -> None:
        self.query, self.first = query, first
        self.asked: list[str] = []

    def status(self, path: str) -> dict[str, object]:
        assert path == "/api/v1/rules"
        return {"groups": [{"name": "g", "file": "/r.yml", "interval": 30, "rules": [
            {"type": "recording", "name": "a", "query": self.query}, {"type": "alerting", "name": "A"}]}]}

    def query_range(self, expr: str, start: float, end: float, step: float, what: str) -> list[dict[str, object]]:
        self.asked.append(expr)
        return [{"metric": {}, "values": [[end, str(self.first)]]}]


def test_an_unchanged_recording_keeps_when_the_server_began_it() -> None:
    rule = RecordingRule("a", "sum by (c) (rate(x[5m]))", (), "g", 30.0)
    server = _Server("sum by(c) (rate(x[5m]))", 1500.0)  # the server prints the rule its own way
    deployed = deployed_rules(server)  # type: ignore[arg-type]
    assert deployed.groups == {"g": ("/r.yml", 30.0)}
    assert recorded_since(server, deployed, [rule], 1000.0, 2000.0) == {"a": 1500.0}  # type: ignore[arg-type]
    assert server.asked == ['min(min_over_time(timestamp({__name__="a"})[1020000ms:30000ms]))']
    assert recorded_since(server, deployed, [rule], 1600.0, 2000.0) == {}  # began before the period  # type: ignore[arg-type]
    changed = _Server("sum by (c) (rate(x[10m]))", 1500.0)
    assert recorded_since(changed, deployed_rules(changed), [rule], 1000.0, 2000.0) == {}  # type: ignore[arg-type]
