"""Who inhibits whom (one model for Alertmanager and the rules), and the recovery tail.

Alertmanager inhibition has no memory: it mutes a target alert only while a source alert
fires. A consequence judged over a window (HealthCheckFailing on a 5m average,
PlatformTargetDown on a 10m one, the ratios over their rate windows) still holds the
outage in that window after the cause recovers; the source resolves at once, the target
is no longer muted and pages minutes after the incident is over.

The fix is rule-side, rendered for every pair (source X inhibits target Y on `equal`):

- X's condition (its alert expression, without `for`) is recorded in X's group
  (`condition_record`), a cheap series present while X breaches;
- Y's expression gets `unless on(equal) (max_over_time(ALERTS{alertname="X",
  alertstate="firing"}[lookback]) unless on(equal) X_cond)`: "X was FIRING within Y's
  lookback and does not breach now", the recovery tail only. Keyed on X's firing state,
  which Prometheus writes as ALERTS: not on X's bare condition (a flapping outage whose
  breaches are each shorter than X's `for` never fires X, and Y, judged over its window,
  must then page on its own: tests/promtool/flapping_outage.test.yml; a first version keyed
  on the bare condition silenced exactly that outage and was reverted), and not on a count
  of X's condition over its `for` (an outage ending in a crash loop, single good scrapes
  that keep_firing_for bridges, breaks the count while X keeps firing, and Y leaked after
  X resolved: tests/promtool/recovery_tail_crashloop.test.yml, found by a review).
  While X breaches, Y still fires in Prometheus (firing but inhibited, visible as such);
  once X clears, Y is dropped until its window no longer holds the outage. A Y still broken
  on its own fires again after X's keep_firing_for plus the lookback plus its `for`, counted
  from the recovery (one already firing before X fired resolves and pages again then);
- the backtest evaluates rules that may not be deployed, over history that has no ALERTS of
  them; from X's rule and its condition record it derives a stand-in of its own
  (generators/backtest/standin.py). Nothing in the rules exists for the backtest's sake;
- X keeps firing for two evaluations after its condition clears (`keep_firing_for`,
  `SOURCE_HOLD_EVALUATIONS`): X and Y live in different groups evaluated at different
  phases, and without that hold X could resolve in Alertmanager up to an evaluation before
  Y's group drops Y, a window in which an Alertmanager flush notifies Y. Two evaluations,
  not one, because Y's group may read X's recording just before X's group has written it.

Rejected: `keep_firing_for` of the whole tail on X (X's resolved notification would come
minutes late and X would look broken for the length of the longest consequence window);
a self-referential "still firing" recording (exact too, but the backtest cannot inline a
recording that reads its own past); suppressing Y for the whole incident (Prometheus would
no longer show the consequences firing-but-inhibited).

Known limit (a review attacked the design with promtool, 2026-12-07): a source that fires
again within a consequence's lookback keeps the consequence dropped (PlatformDown for 2m30s
every 15m hides a webhook failure of its own with a 16m lookback): the source pages each
time, the unrelated fault waits until the source has been quiet for a lookback. In
Thanos Ruler, ALERTS is in the ruler's own TSDB: its queries must reach it (the Querier
lists the ruler as a store), or the clause never acts (the tail pages, as before it).
Cost: Y, if really broken on its own right after X's outage, pages after X's
keep_firing_for plus its lookback (window + a scrape + an evaluation) plus its `for`,
instead of its `for`. The clause drops all of Y, also a branch of Y that judges the present
(HealthCheckFailing's "probe series absent"), and does not follow a chain of inhibitions:
X -> Y -> Z, where Z is inhibited only by Y (the absence watch of Y's scrape job), leaves Z
uninhibited once Y is dropped (a review's promtool case: a prober down with the platform and
still down after it recovered notifies as ScrapeTargetsMissing instead of HealthCheckFailing;
one notification either way, and the truer one).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from generators.kinds import kind_of
from generators.model import Alert, Spec
from generators.promql import quote

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
    return list(_plan(spec).pairs)


def tails_of(spec: Spec, target: Alert) -> list[TailPair]:
    return list(_plan(spec).by_target.get(target.name, ()))


def is_tail_source(spec: Spec, alert: Alert) -> bool:
    """Whether the alert's condition is recorded (and held) because a target reads its tail."""
    return alert.name in _plan(spec).sources


@dataclass(frozen=True)
class _TailPlan:
    pairs: tuple[TailPair, ...]
    by_target: dict[str, tuple[TailPair, ...]]
    sources: frozenset[str]


@lru_cache(maxsize=8)  # a Spec hashes by identity, as for layout.layout()
def _plan(spec: Spec) -> _TailPlan:
    """The pairs of one spec, computed once: every alert's rule, test and runbook asks for its
    own, and recomputing them per alert made the build quadratic in the number of alerts."""
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
    pairs = tuple(sorted(seen.values(), key=lambda p: (order[p.target.name], order[p.source.name])))
    by_target: dict[str, tuple[TailPair, ...]] = {}
    for pair in pairs:
        by_target[pair.target.name] = (*by_target.get(pair.target.name, ()), pair)
    return _TailPlan(pairs, by_target, frozenset(p.source.name for p in pairs))


def condition_record(spec: Spec, source: Alert) -> str:
    """`level:AlertName:condition`: the source's alert expression, present while it breaches."""
    kind = kind_of(source)
    return f"{kind.level(spec, source.indicator)}:{source.name}:condition"


def firing_selector(source: Alert) -> str:
    """The series Prometheus writes while the source fires (keep_firing_for included)."""
    return f'ALERTS{{alertname={quote(source.name)}, alertstate="firing"}}'


def source_hold(spec: Spec, alert: Alert) -> int:
    """keep_firing_for of a tail source, in seconds (0: not a source)."""
    if is_tail_source(spec, alert):
        return SOURCE_HOLD_EVALUATIONS * spec.settings.evaluation_interval
    return 0
