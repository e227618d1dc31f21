"""Two versions of the spec over the same history: which alerts' episodes changed."""

from __future__ import annotations

from dataclasses import dataclass

from generators.backtest.results import AlertResult, BacktestResult, EpisodeResult


@dataclass
class AlertChange:
    name: str
    status: str  # changed | added | removed
    before: AlertResult | None
    after: AlertResult | None
    rule_changed: bool

    def gone(self) -> list[EpisodeResult]:
        return _only(self.before, self.after)

    def new(self) -> list[EpisodeResult]:
        return _only(self.after, self.before)

    def kept(self) -> list[EpisodeResult]:
        if self.before is None or self.after is None:
            return []
        theirs = {_key(e) for e in self.after.firing + self.after.pending_only}
        return [e for e in self.before.firing + self.before.pending_only if _key(e) in theirs]


def _key(e: EpisodeResult) -> tuple[object, ...]:
    return (e.kind, e.labels, e.start, e.end)


def _only(mine: AlertResult | None, other: AlertResult | None) -> list[EpisodeResult]:
    if mine is None:
        return []
    theirs = set() if other is None else {_key(e) for e in other.firing + other.pending_only}
    return [e for e in mine.firing + mine.pending_only if _key(e) not in theirs]


def _rule(a: AlertResult) -> tuple[object, ...]:
    return (a.rule_expr, a.expr, a.for_seconds, a.keep_firing_for_seconds, sorted(a.rule_labels.items()), a.step)


def compare(before: BacktestResult, after: BacktestResult) -> list[AlertChange]:
    """Alerts whose rule or episodes differ, plus alerts only one version has; by name."""
    changes = []
    for name in sorted({a.name for a in before.alerts} | {a.name for a in after.alerts}):
        old, new = before.alert(name), after.alert(name)
        if old is None or new is None:
            changes.append(AlertChange(name, "added" if old is None else "removed", old, new, True))
        elif _rule(old) != _rule(new) or old.signature() != new.signature() or old.notifications != new.notifications:
            changes.append(AlertChange(name, "changed", old, new, _rule(old) != _rule(new)))
    return changes
