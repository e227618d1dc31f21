"""What a backtest found, per alert and per receiver, independent of how it is shown."""

from __future__ import annotations

import itertools
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from generators.backtest.engine import Evaluated, Labels
from generators.backtest.routing import FiringInterval, Routing, muted_by, simulate_notifications


@dataclass(frozen=True)
class EpisodeResult:
    labels: Labels  # alert labels (alertname and the rule's labels included)
    kind: str  # firing | pending
    start: float  # firing: when it turned firing; pending: when it turned pending
    end: float | None  # evaluation at which it was inactive; None: still active at the end
    active_since: float  # when it turned pending
    peak: float
    peak_at: float
    seconds: float  # firing (or pending) time inside the period


@dataclass
class AlertResult:
    name: str
    group: str
    step: float
    for_seconds: float
    keep_firing_for_seconds: float
    rule_labels: dict[str, str]
    rule_expr: str  # as the rule file has it
    expr: str  # what was queried: recordings inlined
    recordings: tuple[str, ...]
    firing: list[EpisodeResult]
    pending_only: list[EpisodeResult]
    firing_seconds: float
    receivers: list[str]  # where the routing tree sends it
    notifications: dict[str, int]  # receiver -> notifications that included this alert
    inhibited_seconds: float
    inhibited_by: dict[str, float]  # source alertname -> muted firing seconds
    phase: float = 0.0  # evaluated at phase + k * step
    phase_source: str = "phase 0"
    query_shift: float = 0.0  # queried this much later than the evaluations it stands for (inline.py)

    def signature(self) -> tuple[object, ...]:
        """What the comparison of two spec versions looks at."""
        return tuple((e.labels, e.start, e.end) for e in self.firing + self.pending_only)


@dataclass
class BacktestResult:
    origin: str
    url: str
    start: float
    end: float
    alerts: list[AlertResult]
    notifications: dict[str, int]  # receiver -> notifications sent
    suppressed: dict[str, int]  # receiver -> notifications inhibition kept from being sent
    inhibit_rules: list[str]
    warnings: list[str] = field(default_factory=list)

    def alert(self, name: str) -> AlertResult | None:
        return next((a for a in self.alerts if a.name == name), None)


def _clip(start: float, end: float | None, period: tuple[float, float]) -> float:
    a = max(start, period[0])
    b = min(end if end is not None else period[1], period[1])
    return max(0.0, b - a)


def assemble(origin: str, url: str, evaluated: list[Evaluated], routing: Routing, start: float,
             end: float) -> BacktestResult:
    period = (start, end)
    intervals = [FiringInterval(s.labels, e.fired_at, e.resolved_at)
                 for ev in evaluated for s in ev.series for e in s.episodes if e.fired_at is not None]
    sent = [n for n in simulate_notifications(routing, intervals, end) if n.at >= start]
    unmuted = [n for n in simulate_notifications(routing, intervals, end, inhibit=False) if n.at >= start]
    sources = defaultdict(list)
    for interval in intervals:
        sources[interval.labels].append(interval)
    source_list = [(dict(k), v) for k, v in sources.items()]

    alerts = []
    for ev in evaluated:
        rule = ev.plan.rule
        firing, pending = [], []
        inhibited: Counter[str] = Counter()
        for series in ev.series:
            for e in series.episodes:
                if e.fired_at is not None:
                    seconds = _clip(e.fired_at, e.resolved_at, period)
                    firing.append(EpisodeResult(series.labels, "firing", e.fired_at, e.resolved_at, e.active_at,
                                                e.peak, e.peak_at, seconds))
                    for source, muted in _muted_seconds(routing, series.labels, source_list, e.fired_at,
                                                        e.resolved_at, period).items():
                        inhibited[source] += muted
                else:
                    pending.append(EpisodeResult(series.labels, "pending", e.active_at, e.resolved_at, e.active_at,
                                                 e.peak, e.peak_at, _clip(e.active_at, e.resolved_at, period)))
        labels = dict(firing[0].labels) if firing else {**dict(rule.labels), "alertname": rule.name}
        per_receiver = Counter(n.receiver for n in sent if rule.name in n.alertnames)
        alerts.append(AlertResult(
            name=rule.name, group=rule.group, step=ev.plan.step, for_seconds=rule.for_seconds,
            keep_firing_for_seconds=rule.keep_firing_for_seconds, rule_labels=dict(rule.labels),
            rule_expr=rule.expr, expr=ev.plan.expr, recordings=ev.plan.recordings,
            firing=sorted(firing, key=lambda e: (e.start, e.labels)),
            pending_only=sorted(pending, key=lambda e: (e.start, e.labels)),
            firing_seconds=sum(e.seconds for e in firing),
            receivers=routing.receivers(labels),
            notifications=dict(sorted(per_receiver.items())),
            inhibited_seconds=sum(inhibited.values()), inhibited_by=dict(sorted(inhibited.items())),
            phase=ev.plan.phase, phase_source=ev.plan.phase_source, query_shift=ev.plan.shift,
        ))
    receivers = sorted(routing.integrations)
    total = Counter(n.receiver for n in sent)
    without = Counter(n.receiver for n in unmuted)
    return BacktestResult(
        origin=origin, url=url, start=start, end=end, alerts=sorted(alerts, key=lambda a: a.name),
        notifications={r: total[r] for r in receivers},
        suppressed={r: max(0, without[r] - total[r]) for r in receivers},
        inhibit_rules=[rule.describe() for rule in routing.inhibit_rules],
        warnings=[w for ev in evaluated for w in ev.warnings] + routing.warnings(),
    )


def _muted_seconds(routing: Routing, labels: Labels, sources: list[tuple[dict[str, str], list[FiringInterval]]],
                   fired_at: float, resolved_at: float | None, period: tuple[float, float]) -> dict[str, float]:
    """Firing time of one episode inside the period during which an inhibit rule muted it, by source."""
    if not routing.inhibit_rules:
        return {}
    start = max(fired_at, period[0])
    stop = min(resolved_at if resolved_at is not None else period[1], period[1])
    # muting changes only when an alert starts or stops firing: one check per segment between those
    cuts = {start, stop} | {t for _, intervals in sources for iv in intervals
                            for t in (iv.start, iv.end) if t is not None and start < t < stop}
    out: Counter[str] = Counter()
    bounds = sorted(cuts)
    for a, b in itertools.pairwise(bounds):
        source = muted_by(routing, dict(labels), sources, a)
        if source is not None:
            out[source] += b - a
    return dict(out)
