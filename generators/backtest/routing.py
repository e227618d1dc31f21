"""Alertmanager's routing tree, grouping, dedup and inhibition (0.25), walked in Python.

- `Route.match(labels)`: a node matches when its matchers do; its children are tried in
  order, the first match stops the walk unless that child has `continue: true`; a node
  none of whose children matched is itself the match. Children inherit receiver,
  group_by and the timings they do not set.
- Notifications: alerts reach the aggregation group (route, values of `group_by`) when
  they start firing. A new group flushes after `group_wait`, then every `group_interval`.
  A flush notifies when a firing alert was not in the last notification, when all alerts
  resolved, when a resolved alert is new (with send_resolved), or when `repeat_interval`
  has passed since the last notification. Prometheus re-sends a resolved alert for 15
  minutes, which keeps its group alive that long.
- Inhibition: at each flush, alerts matching an inhibit rule's target matchers are muted
  while a firing alert matching its source matchers has the same values of `equal`.
"""

from __future__ import annotations

import bisect
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from generators.backtest.timeutil import TimeInputError, parse_duration

Labels = tuple[tuple[str, str], ...]

RESOLVED_RETENTION = 15 * 60  # Prometheus re-sends resolved alerts this long (rules/alerting.go)
_NAME = re.compile(r"\s*([a-zA-Z_:][a-zA-Z0-9_:]*)\s*(=~|!~|!=|=)\s*")
_ESCAPES = {"n": "\n", "t": "\t", '"': '"', "\\": "\\"}
# integrations' send_resolved defaults in Alertmanager 0.25
_SEND_RESOLVED_DEFAULT = {"slack_configs": False, "email_configs": False, "wechat_configs": False}


class RoutingError(ValueError):
    pass


@dataclass(frozen=True)
class Matcher:
    name: str
    op: str
    value: str

    def matches(self, labels: dict[str, str]) -> bool:
        value = labels.get(self.name, "")
        if self.op == "=":
            return value == self.value
        if self.op == "!=":
            return value != self.value
        found = re.fullmatch(self.value, value) is not None  # Alertmanager anchors regexes
        return found if self.op == "=~" else not found

    def __str__(self) -> str:
        escaped = self.value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
        return f'{self.name}{self.op}"{escaped}"'


def parse_matchers(text: str, where: str) -> list[Matcher]:
    """Alertmanager matcher syntax: `a="b"`, `a=~"x|y"`, `{a="b", c!=d}`."""
    body = text.strip()
    if body.startswith("{") and body.endswith("}"):
        body = body[1:-1]
    out: list[Matcher] = []
    pos = 0
    while pos < len(body):
        if body[pos] in " ,":
            pos += 1
            continue
        head = _NAME.match(body, pos)
        if head is None:
            raise RoutingError(f"{where}: cannot read matcher {text!r} at {body[pos:]!r}")
        pos = head.end()
        if pos < len(body) and body[pos] == '"':
            value, pos = _quoted(body, pos + 1, text, where)
        else:
            end = body.find(",", pos)
            end = len(body) if end < 0 else end
            value, pos = body[pos:end].strip(), end
        if head.group(2) in ("=~", "!~"):
            try:
                re.compile(value)
            except re.error as exc:
                raise RoutingError(f"{where}: bad regex in {text!r}: {exc}") from None
        out.append(Matcher(head.group(1), head.group(2), value))
    return out


def _quoted(body: str, pos: int, text: str, where: str) -> tuple[str, int]:
    chars = []
    while pos < len(body):
        ch = body[pos]
        if ch == "\\" and pos + 1 < len(body):
            chars.append(_ESCAPES.get(body[pos + 1], "\\" + body[pos + 1]))
            pos += 2
        elif ch == '"':
            return "".join(chars), pos + 1
        else:
            chars.append(ch)
            pos += 1
    raise RoutingError(f"{where}: unterminated quote in matcher {text!r}")


def _legacy_matchers(node: dict[str, Any], prefix: str, where: str) -> list[Matcher]:
    out = [Matcher(str(k), "=", str(v)) for k, v in sorted((node.get(f"{prefix}match") or {}).items())]
    out += [Matcher(str(k), "=~", str(v)) for k, v in sorted((node.get(f"{prefix}match_re") or {}).items())]
    for text in node.get(f"{prefix}matchers") or []:
        out += parse_matchers(str(text), where)
    return out


def _seconds(raw: Any, where: str) -> float:
    try:
        return parse_duration(str(raw), where)
    except TimeInputError as exc:
        raise RoutingError(str(exc)) from None


@dataclass
class Route:
    receiver: str
    matchers: list[Matcher]
    continue_: bool
    group_by: tuple[str, ...] | None  # None: '...', every label
    group_wait: float
    group_interval: float
    repeat_interval: float
    path: str
    routes: list[Route] = field(default_factory=list)
    uses_time_intervals: bool = False

    def match(self, labels: dict[str, str]) -> list[Route]:
        if not all(m.matches(labels) for m in self.matchers):
            return []
        found: list[Route] = []
        for child in self.routes:
            matched = child.match(labels)
            found += matched
            if matched and not child.continue_:
                break
        return found or [self]

    def group_key(self, labels: dict[str, str]) -> Labels:
        if self.group_by is None:
            return tuple(sorted(labels.items()))
        return tuple((name, labels[name]) for name in self.group_by if labels.get(name))

    def walk(self) -> Iterable[Route]:
        yield self
        for child in self.routes:
            yield from child.walk()


def build_route(node: dict[str, Any], parent: Route | None = None, path: str = "route") -> Route:
    if not isinstance(node, dict):
        raise RoutingError(f"{path}: expected a mapping")
    group_by: tuple[str, ...] | None
    if "group_by" in node:
        names = [str(n) for n in node.get("group_by") or []]
        group_by = None if "..." in names else tuple(names)
    else:
        group_by = parent.group_by if parent else ()
    receiver = node.get("receiver") or (parent.receiver if parent else None)
    if not receiver:
        raise RoutingError(f"{path}: the root route needs a receiver")
    route = Route(
        receiver=str(receiver),
        matchers=_legacy_matchers(node, "", path) if parent else [],  # the root matches everything
        continue_=bool(node.get("continue", False)),
        group_by=group_by,
        group_wait=_seconds(node["group_wait"], f"{path}.group_wait") if "group_wait" in node
        else (parent.group_wait if parent else 30.0),
        group_interval=_seconds(node["group_interval"], f"{path}.group_interval") if "group_interval" in node
        else (parent.group_interval if parent else 300.0),
        repeat_interval=_seconds(node["repeat_interval"], f"{path}.repeat_interval") if "repeat_interval" in node
        else (parent.repeat_interval if parent else 4 * 3600.0),
        path=path,
        uses_time_intervals=bool(node.get("mute_time_intervals") or node.get("active_time_intervals")),
    )
    children = node.get("routes") or []
    route.routes = [build_route(child, route, f"{path}.routes[{i}]") for i, child in enumerate(children)]
    return route


@dataclass(frozen=True)
class InhibitRule:
    source: tuple[Matcher, ...]
    target: tuple[Matcher, ...]
    equal: tuple[str, ...]
    index: int

    def describe(self) -> str:
        src = ", ".join(map(str, self.source))
        tgt = ", ".join(map(str, self.target))
        return f"inhibit_rules[{self.index}]: {{{src}}} mutes {{{tgt}}} with equal {list(self.equal)}"


@dataclass
class Routing:
    root: Route
    inhibit_rules: list[InhibitRule]
    send_resolved: dict[str, bool]  # receiver -> whether any of its integrations sends resolved
    integrations: dict[str, int]  # receiver -> number of integrations (0: a null receiver)

    def receivers(self, labels: dict[str, str]) -> list[str]:
        return [r.receiver for r in self.root.match(labels)]

    def warnings(self) -> list[str]:
        out = []
        if any(r.uses_time_intervals for r in self.root.walk()):
            out.append("routes with mute_time_intervals/active_time_intervals: the backtest ignores time intervals")
        return out


def parse_alertmanager(config: dict[str, Any]) -> Routing:
    if not isinstance(config, dict) or not isinstance(config.get("route"), dict):
        raise RoutingError("alertmanager config: no `route`")
    root = build_route(config["route"])
    rules = []
    for i, raw in enumerate(config.get("inhibit_rules") or []):
        where = f"inhibit_rules[{i}]"
        rules.append(InhibitRule(tuple(_legacy_matchers(raw, "source_", where)),
                                 tuple(_legacy_matchers(raw, "target_", where)),
                                 tuple(str(n) for n in raw.get("equal") or []), i))
    send_resolved: dict[str, bool] = {}
    integrations: dict[str, int] = {}
    for receiver in config.get("receivers") or []:
        name = str(receiver.get("name"))
        configs = [(kind, c) for kind, value in receiver.items() if kind.endswith("_configs")
                   for c in (value or [])]
        integrations[name] = len(configs)
        send_resolved[name] = any(c.get("send_resolved", _SEND_RESOLVED_DEFAULT.get(kind, True))
                                  for kind, c in configs)
    for route in root.walk():
        if route.receiver not in integrations:
            raise RoutingError(f"{route.path}: receiver {route.receiver!r} is not defined under receivers")
    return Routing(root, rules, send_resolved, integrations)


# -- notifications ---------------------------------------------------------------------------
@dataclass(frozen=True)
class FiringInterval:
    labels: Labels  # the alert's labels (alertname included)
    start: float  # when Prometheus sent it firing
    end: float | None  # when it resolved; None: still firing at the end of the period


@dataclass
class Notification:
    at: float
    receiver: str
    route: str
    group: Labels
    status: str  # firing | resolved
    alertnames: tuple[str, ...]


def _state_at(intervals: list[FiringInterval], t: float) -> tuple[str, FiringInterval] | None:
    """'firing' / 'resolved' for one alert (one label set) at time t; None before it arrived."""
    latest = None
    for interval in intervals:
        if interval.start <= t:
            latest = interval
    if latest is None:
        return None
    return ("firing" if latest.end is None or t < latest.end else "resolved"), latest


def muted_by(routing: Routing, labels: dict[str, str], sources: list[tuple[dict[str, str], list[FiringInterval]]],
             t: float) -> str | None:
    """The alertname inhibiting `labels` at time t, or None."""
    for rule in routing.inhibit_rules:
        if not all(m.matches(labels) for m in rule.target):
            continue
        two_sided = all(m.matches(labels) for m in rule.source)
        for source_labels, intervals in sources:
            if not all(m.matches(source_labels) for m in rule.source):
                continue
            state = _state_at(intervals, t)
            if state is None or state[0] != "firing":
                continue
            if any(source_labels.get(n, "") != labels.get(n, "") for n in rule.equal):
                continue
            if two_sided and all(m.matches(source_labels) for m in rule.target):
                continue
            return source_labels.get("alertname", "?")
    return None


def simulate_notifications(routing: Routing, alerts: list[FiringInterval], period_end: float,
                           inhibit: bool = True) -> list[Notification]:
    by_fp: dict[Labels, list[FiringInterval]] = {}
    for interval in sorted(alerts, key=lambda a: a.start):
        by_fp.setdefault(interval.labels, []).append(interval)
    sources = [(dict(fp), intervals) for fp, intervals in by_fp.items()]
    groups: dict[tuple[str, Labels], tuple[Route, list[Labels]]] = {}
    for fp in by_fp:
        labels = dict(fp)
        for route in routing.root.match(labels):
            key = (route.path, route.group_key(labels))
            groups.setdefault(key, (route, []))[1].append(fp)
    # when an alert that can inhibit others starts or stops, muting may change
    source_events = {t for labels, intervals in sources
                     if any(all(m.matches(labels) for m in rule.source) for rule in routing.inhibit_rules)
                     for iv in intervals for t in (iv.start, *((iv.end,) if iv.end is not None else ()))}
    sent: list[Notification] = []
    for (_, group_key), (route, members) in sorted(groups.items()):
        arrivals = sorted(interval.start for fp in members for interval in by_fp[fp])
        sent += _run_group(routing, route, group_key, members, by_fp, arrivals, sources, source_events,
                           period_end, inhibit)
    return sorted(sent, key=lambda n: (n.at, n.receiver, n.group))


def _run_group(routing: Routing, route: Route, group_key: Labels, members: list[Labels],
               by_fp: dict[Labels, list[FiringInterval]], arrivals: list[float],
               sources: list[tuple[dict[str, str], list[FiringInterval]]], source_events: set[float],
               period_end: float, inhibit: bool) -> list[Notification]:
    send_resolved = routing.send_resolved.get(route.receiver, False)
    if routing.integrations.get(route.receiver, 0) == 0:
        return []
    out: list[Notification] = []
    entry: tuple[frozenset[Labels], frozenset[Labels], float] | None = None  # the notification log
    events = sorted({t for fp in members for iv in by_fp[fp]
                     for t in (iv.start, *((iv.end, iv.end + RESOLVED_RETENTION) if iv.end is not None else ()))}
                    | (source_events if inhibit else set()))
    index = 0
    while index < len(arrivals) and arrivals[index] <= period_end:
        created = arrivals[index]
        since = created  # resolved alerts re-sent after this time are in the group
        flush = created + route.group_wait
        while flush <= period_end:
            firing: set[Labels] = set()
            resolved: set[Labels] = set()
            alive = False
            for fp in members:
                state = _state_at(by_fp[fp], flush)
                if state is None:
                    continue
                status, interval = state
                if status == "resolved":
                    assert interval.end is not None
                    if interval.end + RESOLVED_RETENTION <= since:
                        continue  # flushed as resolved and no longer re-sent: gone from the group
                    alive = alive or interval.end + RESOLVED_RETENTION > flush
                else:
                    alive = True
                if inhibit and muted_by(routing, dict(fp), sources, flush):
                    continue
                (firing if status == "firing" else resolved).add(fp)
            if _needs_update(entry, firing, resolved, send_resolved, flush, route.repeat_interval):
                shown = firing | resolved if send_resolved else firing
                if shown:
                    names = tuple(sorted({dict(fp)["alertname"] for fp in shown}))
                    out.append(Notification(flush, route.receiver, route.path, group_key,
                                            "firing" if firing else "resolved", names))
                entry = (frozenset(firing), frozenset(resolved), flush)
            if not alive:
                break  # the group is empty: Alertmanager drops it; a later alert starts a new one
            # until the next event (an alert starting, resolving or leaving, an inhibiting alert
            # changing, a repeat falling due) every flush sees the same sets: skip to it
            upcoming = events[bisect.bisect_right(events, flush):]
            due = entry[2] + route.repeat_interval if entry is not None and entry[0] else math.inf
            target = min(upcoming[0] if upcoming else math.inf, due)
            if target == math.inf:
                break
            steps = max(1, math.ceil((target - flush) / route.group_interval - 1e-9))
            since = flush + (steps - 1) * route.group_interval
            flush += steps * route.group_interval
        while index < len(arrivals) and arrivals[index] <= flush:
            index += 1
    return out


def _needs_update(entry: tuple[frozenset[Labels], frozenset[Labels], float] | None, firing: set[Labels],
                  resolved: set[Labels], send_resolved: bool, now: float, repeat: float) -> bool:
    """Alertmanager's DedupStage.needsUpdate against the last notification of this group."""
    if entry is None:
        return bool(firing)
    last_firing, last_resolved, last_at = entry
    if not firing <= last_firing:
        return True
    if not firing:
        return bool(last_firing)
    if send_resolved and not resolved <= last_resolved:
        return True
    return last_at < now - repeat
