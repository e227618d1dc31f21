"""Who inhibits whom (one model for Alertmanager and the rules), and the recovery tail.

Alertmanager inhibition has no memory: it mutes a target alert only while a source alert
fires. A consequence judged over a window (HealthCheckFailing on a 5m average,
PlatformTargetDown on a 10m one, the ratios over their rate windows) still holds the
outage in that window after the cause recovers; the source resolves at once, the target
is no longer muted and pages minutes after the incident is over.

The fix is rule-side, rendered for every pair (source X inhibits target Y on `equal`):

- X's condition (its alert expression, without `for`) is recorded in X's group
  (`condition_record`), a cheap series present while X breaches; after it, whether X has
  FIRED (`fired_record`): the condition recorded at every evaluation of a `for`-long
  window, `count_over_time(cond[F + interval/2]) >= F/interval + 1` (the half interval
  makes the count the same under Prometheus 2's closed and 3's left-open ranges), which is
  exactly when X's own `for` is met (up to the evaluation that fires it);
- Y's expression gets `unless on(equal) (max_over_time(X_fired[lookback]) unless on(equal)
  X_cond)`: "X fired within Y's lookback and does not breach now", the recovery tail only.
  Keyed on X having fired, not on X's bare condition: a flapping outage whose breaches are
  each shorter than X's `for` never fires X, and Y, judged over its window, must then page
  on its own (tests/promtool/flapping_outage.test.yml; a first version keyed on the bare
  condition silenced exactly that outage and was reverted).
  While X breaches, Y still fires in Prometheus (firing but inhibited, visible as such);
  once X clears, Y is dropped until its window no longer holds the outage. A Y still broken
  on its own fires again after the lookback plus its `for`;
- X keeps firing for two evaluations after its condition clears (`keep_firing_for`,
  `SOURCE_HOLD_EVALUATIONS`): X and Y live in different groups evaluated at different
  phases, and without that hold X could resolve in Alertmanager up to an evaluation before
  Y's group drops Y, a window in which an Alertmanager flush notifies Y. Two evaluations,
  not one, because Y's group may read X's recording just before X's group has written it.

Rejected: `keep_firing_for` of the whole tail on X (X's resolved notification would come
minutes late and X would look broken for the length of the longest consequence window);
`ALERTS{alertname="X"}` instead of a recording (the backtest evaluates alert expressions
over history where ALERTS of rules never deployed does not exist, while a recording is
inlined by generators/backtest/inline.py like any other); suppressing Y for the whole
incident (Prometheus would no longer show the consequences firing-but-inhibited).

Known limits (a review attacked the design with promtool, 2026-12-07):
- the fired record counts X's condition, not X's firing state: an outage that ends in a
  crash loop (single good scrapes every few evaluations, X kept firing by keep_firing_for)
  breaks the count, the lookback runs from the last full `for` of the condition, and Y can
  still fire, un-inhibited, minutes after X resolved. Exact would be reading X's firing
  state, `ALERTS{alertname="X", alertstate="firing"}`, which the backtest cannot read for
  rules that are not deployed (it would need a stand-in for ALERTS);
- a source that fires again within a consequence's lookback keeps the consequence dropped
  (e.g. PlatformDown for 2m30s every 15m hides a webhook failure of its own with a 16m
  lookback): the source pages each time, the unrelated fault waits until the source is
  quiet for a lookback.
Cost: Y, if really broken on its own right after X's outage, pages after its lookback
(window + a scrape + an evaluation) plus its `for`, instead of its `for`. A missed evaluation of X's group (an overloaded server skips one) leaves
a hole in the recorded condition: X still fired, the fired record does not say so, and Y's
tail pages as it did before this clause (the safe side).
"""

from __future__ import annotations

from dataclasses import dataclass

from generators.durations import format_duration
from generators.kinds import kind_of
from generators.model import Alert, Spec

SOURCE_HOLD_EVALUATIONS = 2


@dataclass(frozen=True)
class Inhibition:
    """One Alertmanager inhibit rule: any of `sources` mutes any of `targets` on `equal`."""

    sources: tuple[str, ...]
    targets: tuple[str, ...]
    equal: tuple[str, ...]
    origin: str  # "inhibits" (the alert's list), "absence" (the watch), "severity" (critical -> lesser)


@dataclass(frozen=True)
class TailPair:
    source: Alert
    target: Alert
    equal: tuple[str, ...]
    lookback: int  # seconds after X clears during which Y's window may still hold the outage


def inhibitions(spec: Spec) -> list[Inhibition]:
    """The inhibit rules of the billing alerts (the SLOs' own come from generators/slo/routing.py)."""
    out = []
    equal = tuple(spec.settings.aggregation_labels)
    for alert in spec.alerts:
        if alert.inhibits:
            out.append(Inhibition((alert.name,), tuple(alert.inhibits), equal, "inhibits"))
    # an alert that already pages "this job has no targets in this cluster" silences the
    # absence watch's alert for the same (cluster, job): one incident, one page
    watches = tuple(a.name for a in spec.alerts if kind_of(a).absence_watch)
    for alert in spec.alerts:
        labels = kind_of(alert).inhibits_absence_watch(spec, alert)
        if labels and watches:
            out.append(Inhibition((alert.name,), watches, tuple(labels), "absence"))
    for ind in spec.indicators.values():
        alerts = spec.alerts_of(ind)
        critical = tuple(a.name for a in alerts if a.severity == "critical")
        lesser = tuple(a.name for a in alerts if a.severity != "critical")
        if critical and lesser:
            out.append(Inhibition(critical, lesser, tuple(kind_of(ind).kept_labels(spec, ind)), "severity"))
    return out


def lookback(spec: Spec, target: Alert) -> int:
    """How long after the data recovers the target's expression may still read the outage:
    its longest window, plus one scrape (the last bad sample) and one evaluation (a
    recording read a group late). 0: the target judges the present only (no tail)."""
    window = kind_of(target).recovery_window(target)
    if not window:
        return 0
    return window + spec.settings.scrape_interval + spec.settings.evaluation_interval


def tail_pairs(spec: Spec) -> list[TailPair]:
    """Every (source, target) pair whose target has a recovery tail, in spec order, once."""
    by_name = {a.name: a for a in spec.alerts}
    seen: dict[tuple[str, str], TailPair] = {}
    for rule in inhibitions(spec):
        for source in rule.sources:
            for target in rule.targets:
                x, y = by_name.get(source), by_name.get(target)
                if x is None or y is None or x is y or (source, target) in seen:
                    continue
                if lookback(spec, y):
                    seen[(source, target)] = TailPair(x, y, rule.equal, lookback(spec, y))
    order = {a.name: i for i, a in enumerate(spec.alerts)}
    return sorted(seen.values(), key=lambda p: (order[p.target.name], order[p.source.name]))


def tails_of(spec: Spec, target: Alert) -> list[TailPair]:
    return [p for p in tail_pairs(spec) if p.target is target]


def tail_sources(spec: Spec) -> list[Alert]:
    """Alerts whose condition is recorded (and held) because a target reads their tail."""
    names = {p.source.name for p in tail_pairs(spec)}
    return [a for a in spec.alerts if a.name in names]


def condition_record(spec: Spec, source: Alert) -> str:
    """`level:AlertName:condition`: the source's alert expression, present while it breaches."""
    kind = kind_of(source)
    return f"{kind.level(spec, source.indicator)}:{source.name}:condition"


def fired_record(spec: Spec, source: Alert) -> str:
    """`level:AlertName:fired`: present at the evaluations where the source's `for` is met."""
    kind = kind_of(source)
    return f"{kind.level(spec, source.indicator)}:{source.name}:fired"


def fired_expr(spec: Spec, source: Alert) -> str:
    """The source's condition recorded at every evaluation of a `for`-long window (a `for`
    that is not a whole number of intervals is met at the next evaluation, as in Prometheus);
    with no `for`, the condition itself."""
    interval = spec.settings.evaluation_interval
    evaluations = -(-source.for_seconds // interval)
    record = condition_record(spec, source)
    if not evaluations:
        return record
    # half an interval past the first evaluation of the window: the same samples whether the
    # range is closed on the left (Prometheus 2) or open (Prometheus 3), where a range of
    # exactly `for` would hold one sample fewer and the clause would never act
    window = evaluations * interval + interval // 2
    return f"count_over_time({record}[{format_duration(window)}]) >= {evaluations + 1}"


def source_hold(spec: Spec, alert: Alert) -> int:
    """keep_firing_for of a tail source, in seconds (0: not a source)."""
    if any(p.source is alert for p in tail_pairs(spec)):
        return SOURCE_HOLD_EVALUATIONS * spec.settings.evaluation_interval
    return 0
