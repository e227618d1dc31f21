"""The evaluation phase Prometheus gives a rule group (its live check: tests/backtest/test_live.py)."""

from __future__ import annotations

import pytest

from generators.backtest.deployed import Deployed
from generators.backtest.phase import group_phase, resolve_phases, xxhash64


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
