"""When Prometheus evaluates a rule group: its phase within the interval (rules/manager.go, 2.42).

A group runs at the instants `base + offset` where base is a multiple of the interval and
offset = xxhash64 of the label set {file=<rule file>, name=<group>} modulo the interval in
nanoseconds (`Group.EvalTimestamp`); queries and samples use that instant cut to the
millisecond. The backtest evaluates each alert on that grid, so recorded samples it
re-creates (a range over a recorded series) sit where Prometheus wrote them. The rule file
path is what the server reports in /api/v1/rules; for groups not deployed there the phase
is unknown (0 is used, and said).
"""

from __future__ import annotations

from dataclasses import dataclass

from generators.backtest.deployed import Deployed

_P1, _P2, _P3 = 0x9E3779B185EBCA87, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9
_P4, _P5 = 0x85EBCA77C2B2AE63, 0x27D4EB2F165667C5
_MASK = (1 << 64) - 1


def _rotl(x: int, r: int) -> int:
    return ((x << r) | (x >> (64 - r))) & _MASK


def _round(acc: int, lane: int) -> int:
    return (_rotl((acc + lane * _P2) & _MASK, 31) * _P1) & _MASK


def _merge(acc: int, value: int) -> int:
    return ((acc ^ _round(0, value)) * _P1 + _P4) & _MASK


def xxhash64(data: bytes, seed: int = 0) -> int:
    """XXH64 (github.com/cespare/xxhash, what Prometheus' labels.Hash uses)."""
    n, i = len(data), 0
    if n >= 32:
        v = [(seed + _P1 + _P2) & _MASK, (seed + _P2) & _MASK, seed, (seed - _P1) & _MASK]
        while i + 32 <= n:
            for lane in range(4):
                v[lane] = _round(v[lane], int.from_bytes(data[i + 8 * lane:i + 8 * lane + 8], "little"))
            i += 32
        h = (_rotl(v[0], 1) + _rotl(v[1], 7) + _rotl(v[2], 12) + _rotl(v[3], 18)) & _MASK
        for lane in v:
            h = _merge(h, lane)
    else:
        h = (seed + _P5) & _MASK
    h = (h + n) & _MASK
    while i + 8 <= n:
        h = ((_rotl(h ^ _round(0, int.from_bytes(data[i:i + 8], "little")), 27)) * _P1 + _P4) & _MASK
        i += 8
    if i + 4 <= n:
        h = (_rotl(h ^ (int.from_bytes(data[i:i + 4], "little") * _P1 & _MASK), 23) * _P2 + _P3) & _MASK
        i += 4
    while i < n:
        h = (_rotl(h ^ (data[i] * _P5 & _MASK), 11) * _P1) & _MASK
        i += 1
    h ^= h >> 33
    h = (h * _P2) & _MASK
    h ^= h >> 29
    h = (h * _P3) & _MASK
    return h ^ (h >> 32)


def group_phase(rule_file: str, group: str, interval: float) -> float:
    """Seconds after each multiple of `interval` at which Prometheus evaluates the group, to the ms."""
    # labels.New(name=..., file=...) sorts by name: file first; each name and value ends in 0xff
    key = b"file\xff" + rule_file.encode() + b"\xffname\xff" + group.encode() + b"\xff"
    interval_ns = round(interval * 1e9)
    return (xxhash64(key) % interval_ns) // 1_000_000 / 1000


@dataclass(frozen=True)
class Phases:
    by_group: dict[str, float]  # group name -> phase in seconds
    sources: dict[str, str]  # group name -> where the phase came from, for the report


def resolve_phases(deployed: Deployed, groups: dict[str, float], rule_file: str | None) -> Phases:
    """Phases of `groups` (name -> interval): from the given rule file path (where Prometheus will
    load the rules from), else the server's deployed group of the same name and interval, else 0."""
    by_group, sources = {}, {}
    for name, interval in sorted(groups.items()):
        file, source = None, "phase 0: not deployed on the server; pass --rule-file for the phase it will get"
        if rule_file is not None:
            file, source = rule_file, f"--rule-file {rule_file}"
        elif name in deployed.groups and abs(deployed.groups[name][1] - interval) < 1e-9:
            file, source = deployed.groups[name][0], f"deployed on the server from {deployed.groups[name][0]}"
        by_group[name] = group_phase(file, name, interval) if file is not None else 0.0
        sources[name] = source
    return Phases(by_group, sources)
