"""The rendered rule groups (the dict behind alerts/billing.rules.yml) as typed rules."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from generators.backtest.timeutil import TimeInputError, parse_duration

# Prometheus' global evaluation_interval default, for groups that set no interval
DEFAULT_INTERVAL = 60.0


class RuleFileError(ValueError):
    pass


@dataclass(frozen=True)
class RecordingRule:
    record: str
    expr: str
    labels: tuple[tuple[str, str], ...]
    group: str
    interval: float


@dataclass(frozen=True)
class AlertRule:
    name: str
    expr: str
    for_seconds: float
    keep_firing_for_seconds: float
    labels: tuple[tuple[str, str], ...]
    group: str
    interval: float
    interval_set: bool = field(default=True, compare=False)  # False: the group had no `interval`


@dataclass(frozen=True)
class RuleSet:
    alerts: tuple[AlertRule, ...]
    recordings: tuple[RecordingRule, ...]


def _labels(raw: Any, where: str) -> tuple[tuple[str, str], ...]:
    if raw is None:
        return ()
    if not isinstance(raw, dict):
        raise RuleFileError(f"{where}.labels: expected a mapping of label name to value")
    out = []
    for key, value in raw.items():
        text = "" if value is None else str(value)
        if "{{" in text:
            raise RuleFileError(f"{where}.labels.{key}: templated label values are not supported by the backtest")
        out.append((str(key), text))
    return tuple(sorted(out))


def _duration(raw: Any, where: str) -> float:
    if raw is None:
        return 0.0
    try:
        return parse_duration(str(raw), where)
    except TimeInputError as exc:
        raise RuleFileError(str(exc)) from None


def parse_rule_groups(groups: Any) -> RuleSet:
    """Rules of every group, in file order. `groups` is the list under the file's `groups:`."""
    if not isinstance(groups, list):
        raise RuleFileError("rule file: `groups` must be a list")
    alerts: list[AlertRule] = []
    recordings: list[RecordingRule] = []
    for gi, group in enumerate(groups):
        if not isinstance(group, dict) or not isinstance(group.get("rules"), list):
            raise RuleFileError(f"groups[{gi}]: expected a mapping with a `rules` list")
        name = str(group.get("name", f"groups[{gi}]"))
        interval_set = group.get("interval") is not None
        interval = _duration(group.get("interval"), f"groups[{gi}].interval") if interval_set else DEFAULT_INTERVAL
        if interval <= 0:
            raise RuleFileError(f"groups[{gi}].interval: must be positive")
        for ri, rule in enumerate(group["rules"]):
            where = f"groups[{gi}] ({name}).rules[{ri}]"
            if not isinstance(rule, dict) or not isinstance(rule.get("expr"), str):
                raise RuleFileError(f"{where}: expected a mapping with an `expr` string")
            labels = _labels(rule.get("labels"), where)
            if "alert" in rule:
                alerts.append(AlertRule(
                    name=str(rule["alert"]), expr=rule["expr"],
                    for_seconds=_duration(rule.get("for"), f"{where}.for"),
                    keep_firing_for_seconds=_duration(rule.get("keep_firing_for"), f"{where}.keep_firing_for"),
                    labels=labels, group=name, interval=interval, interval_set=interval_set))
            elif "record" in rule:
                recordings.append(RecordingRule(str(rule["record"]), rule["expr"], labels, name, interval))
            else:
                raise RuleFileError(f"{where}: neither `alert` nor `record`")
    # ALERTS of our own alerts: history has none for rules not deployed (imported here: the
    # stand-in module builds on this one's types)
    from generators.backtest.standin import with_stand_ins

    return with_stand_ins(RuleSet(tuple(alerts), tuple(recordings)))
