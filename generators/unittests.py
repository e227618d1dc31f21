"""Generate promtool unit tests for every alert from the same spec as the rules.

Per alert, one test file with: a healthy phase just on the safe side of the threshold (no
alert), a breach just across it (pending one evaluation before it may fire, then firing
with its exact labels and rendered annotations), and recovery (resolved). A kind may add
cases of its own (e.g. no series at all for `absent: true`). The times and texts come
from the fixture oracle; promtool proves them against the real rule file.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from generators.backtest.alertstate import run_state_machine
from generators.durations import format_duration
from generators.fixtures import Fixture, build_fixture
from generators.inhibition import condition_record, source_hold, tails_of
from generators.kinds import kind_of
from generators.kinds.base import STALE, ExtraCase, Phases, Series, at_cluster, gauge_hold, series_key
from generators.layout import dashboard_url, runbook_url
from generators.model import Alert, Spec
from generators.promql import quote
from generators.rules import RULES_FILE, description_parts
from generators.templating import format_value, render_expected
from generators.yamlout import dump_yaml


class FixtureError(Exception):
    """The fixture does not behave as the test plan needs (a generator bug)."""


@dataclass(frozen=True)
class AlertTimeline:
    healthy_check: int
    pending_check: int | None
    firing_check: int
    recovery_check: int


def simulate(alert: Alert, fx: Fixture, hold: int = 0) -> list[str]:
    """Alert state ('inactive', 'pending', 'firing') at every evaluation, from the backtest's
    model of Prometheus' state machine (`for`, and `hold` as keep_firing_for), which is tested
    against promtool."""
    step = fx.step
    active = [(float(i * step), v) for i in range(fx.end)
              if (v := fx.value_at(i)) is not None and alert.threshold.breached_by(v)]
    states = ["inactive"] * fx.end
    for ep in run_state_machine(active, step, float((fx.end - 1) * step), alert.for_seconds, hold):
        stop = fx.end if ep.resolved_at is None else round(ep.resolved_at / step)
        for i in range(round(ep.active_at / step), min(stop, fx.end)):
            states[i] = "firing" if ep.fired_at is not None and i * step >= ep.fired_at else "pending"
    return states


def plan_timeline(alert: Alert, fx: Fixture, hold: int = 0) -> AlertTimeline:
    states = simulate(alert, fx, hold)
    a, b = fx.breach_start, fx.recovery_start
    healthy = a - 1
    if states[healthy] != "inactive":
        raise FixtureError(f"{alert.name}: healthy phase does not end healthy")
    if any(s != "inactive" for s in states[:a]):
        raise FixtureError(f"{alert.name}: alert active during the healthy phase")
    first_firing = next((i for i in range(a, b) if states[i] == "firing"), None)
    if first_firing is None:
        raise FixtureError(f"{alert.name}: breach phase never fires")
    pending = None
    if alert.for_seconds:
        pending = first_firing - 1
        if states[pending] != "pending":
            raise FixtureError(f"{alert.name}: not pending right before firing")
    firing = max(first_firing, a + fx.window_steps)
    if firing >= b or states[firing] != "firing":
        raise FixtureError(f"{alert.name}: not firing once the window is all breach")
    resolved = next((i for i in range(b, fx.end) if states[i] == "inactive"), None)
    if resolved is None:
        raise FixtureError(f"{alert.name}: never resolves")
    recovery = max(resolved, b + fx.window_steps)
    if recovery >= fx.end or any(s != "inactive" for s in states[recovery:]):
        raise FixtureError(f"{alert.name}: fires again after recovery")
    return AlertTimeline(healthy, pending, firing, recovery)


def render_values(values: list[float | None]) -> str:
    """promtool's expanding notation: runs of equal steps become 'start+stepxN'."""
    parts, i, n = [], 0, len(values)
    while i < n:
        v = values[i]
        if v is None:
            j = i + 1
            while j < n and values[j] is None:
                j += 1
            parts.append("_" if j == i + 1 else f"_x{j - i}")
            i = j
            continue
        if v != v:  # NaN: a staleness marker (is_stale)
            parts.append("stale")
            i += 1
            continue
        j = i + 1  # end (exclusive) of the run of equal steps starting at v
        if j < n and (w := values[j]) is not None and w == w:
            d = w - v
            j += 1
            while j < n and (w := values[j]) is not None and w == w and w - values[j - 1] == d:  # type: ignore[operator]
                j += 1
            parts.append(f"{_num(v)}{'+' if d >= 0 else '-'}{_num(abs(d))}x{j - 1 - i}")
        else:
            parts.append(_num(v))
        i = j
    return " ".join(parts)


def _num(v: float) -> str:
    return str(int(v)) if float(v).is_integer() else repr(v)


def render_series(series: Series) -> list[dict[str, str]]:
    out = []
    for key in sorted(series):
        labels = dict(key)
        name = labels.pop("__name__")
        body = ", ".join(f"{k}={quote(v)}" for k, v in sorted(labels.items()))
        out.append({"series": f"{name}{{{body}}}", "values": render_values(series[key])})
    return out


def expected_alert(spec: Spec, alert: Alert, labels: dict[str, str], value: float) -> dict[str, Any]:
    return {
        "exp_labels": {**labels, "severity": alert.severity, "team": alert.team},
        "exp_annotations": {
            "summary": alert.summary,
            "description": render_expected(description_parts(spec, alert), value, labels),
            "runbook_url": runbook_url(spec, alert),
            "dashboard_url": dashboard_url(spec, alert),
        },
    }


def _at(index: int, step: int) -> str:
    return format_duration(index * step)


def render_alert_test(spec: Spec, alert: Alert) -> dict[str, Any]:
    fx = build_fixture(spec, alert)
    timeline = plan_timeline(alert, fx, source_hold(spec, alert))
    step = fx.step
    unit = kind_of(alert).alert_unit(alert)
    t = alert.threshold
    healthy_value = fx.value_at(timeline.healthy_check)
    breach_value = fx.value_at(timeline.firing_check)
    assert breach_value is not None
    # no value while healthy: a guard (e.g. not enough failures to judge) keeps it quiet
    healthy_text = "not judged" if healthy_value is None else format_value(unit, healthy_value)
    name = (f"{alert.name}: {healthy_text} (healthy) -> "
            f"{format_value(unit, breach_value)} (breach of {t.op} "
            f"{format_value(unit, t.value)}) -> healthy")
    checks: list[dict[str, Any]] = [
        {"eval_time": _at(timeline.healthy_check, step), "alertname": alert.name, "exp_alerts": []}
    ]
    expr_tests = []
    if timeline.pending_check is not None:
        checks.append({"eval_time": _at(timeline.pending_check, step), "alertname": alert.name,
                       "exp_alerts": []})
        pending_labels = {"alertname": alert.name, "alertstate": "pending", **fx.alert_labels,
                          "severity": alert.severity, "team": alert.team}
        body = ", ".join(f"{k}={quote(v)}" for k, v in pending_labels.items())
        expr_tests.append({
            "expr": f'ALERTS{{alertname="{alert.name}", alertstate="pending"}}',
            "eval_time": _at(timeline.pending_check, step),
            "exp_samples": [{"labels": f"ALERTS{{{body}}}", "value": 1}],
        })
    checks.append({
        "eval_time": _at(timeline.firing_check, step),
        "alertname": alert.name,
        "exp_alerts": [expected_alert(spec, alert, fx.alert_labels, breach_value)],
    })
    checks.append({"eval_time": _at(timeline.recovery_check, step), "alertname": alert.name,
                   "exp_alerts": []})
    test: dict[str, Any] = {
        "name": name,
        "interval": format_duration(step),
        "input_series": render_series(fx.series),
        "alert_rule_test": checks,
    }
    if expr_tests:
        test["promql_expr_test"] = expr_tests
    return test


def render_extra_case(spec: Spec, alert: Alert, case: ExtraCase) -> dict[str, Any]:
    checks = []
    for index, labels, value in case.checks:
        expected = [] if labels is None else labels if isinstance(labels, list) else [labels]
        checks.append({"eval_time": _at(index, case.step), "alertname": alert.name,
                       "exp_alerts": [expected_alert(spec, alert, one, value) for one in expected]})
    test: dict[str, Any] = {
        "name": case.name,
        "interval": format_duration(case.step),
        "input_series": render_series(case.series),
        "alert_rule_test": checks,
    }
    if case.quiet_throughout:
        last = max(i for i, _, _ in case.checks)
        test["promql_expr_test"] = [quiet_check(alert, case.quiet_from, last, case.step, case.pending_ok, where)
                                    for where in case.quiet_where or ({},)]
    return test


def quiet_check(alert: Alert, first: int, last: int, step: int, pending_ok: bool = False,
                where: dict[str, str] | None = None) -> dict[str, Any]:
    """ALERTS holds a sample at every evaluation where the alert was pending or firing:
    none from `first` to `last` proves it stayed quiet at every evaluation, not only at checks
    (the range is closed at both ends). `where` narrows it to one label set."""
    span = (last - first) * step if first else (last + 1) * step
    state = ', alertstate="firing"' if pending_ok else ""
    labels = "".join(f", {k}={quote(v)}" for k, v in sorted((where or {}).items()))
    return {
        "expr": f'count_over_time(ALERTS{{alertname="{alert.name}"{state}{labels}}}[{format_duration(span)}])',
        "eval_time": _at(last, step),
        "exp_samples": [],
    }


def _in_cluster(spec: Spec, series: Series, cluster: str, extra: dict[str, str]) -> Series:
    """The fixture's series moved to `cluster` (its aggregation labels), with `extra` labels."""
    moved = at_cluster(spec, cluster)
    out: Series = {}
    for key, values in series.items():
        labels = {**dict(key), **extra}
        labels.update({k: v for k, v in moved.items() if k in labels})
        out[series_key(labels.pop("__name__"), labels)] = list(values)
    return out


def gauge_fault_case(spec: Spec, alert: Alert) -> ExtraCase | None:
    """For kinds that read gauges at an instant: cluster-b breaches (on its hot replica, beside
    a healthy twin where the alert takes the worst replica) with one failed scrape, staleness
    markers on every series of the breaching target, while pending and one while firing;
    cluster-a stays healthy. The alert fires for cluster-b at the oracle's time, keeps firing
    at the failed scrape (an instant read would blank the value: `for` would restart, a firing
    alert resolve and page again), and cluster-a is never pending. Samples and evaluations are
    the file's step apart; the case needs the gap it leaves (two steps between real samples)
    within the hold, so a scrape interval under half the step (a spec at 10 s) has no case."""
    kind = kind_of(alert)
    ind = alert.indicator
    step = kind.fixture_step(ind)
    if not kind.reads_gauges or not spec.settings.aggregation_labels or 2 * step > gauge_hold(spec):
        return None
    fx = build_fixture(spec, alert)
    states = simulate(alert, fx)
    a, b = fx.breach_start, fx.recovery_start
    pending = [i for i in range(a, b) if states[i] == "pending"]
    firing = next((i for i in range(a, b) if states[i] == "firing"), None)
    if firing is None or firing + 3 >= b:
        return None
    gaps = [firing + 2]
    if len(pending) >= 3:
        gaps.insert(0, pending[len(pending) // 2])
    twin = kind.worst_replica(alert) and "instance" not in kind.kept_labels(spec, ind) and all(
        "instance" not in dict(key) for key in fx.series)
    hot = _in_cluster(spec, fx.series, "cluster-b", {"instance": "replica-0"} if twin else {})
    for values in hot.values():
        for gap in gaps:
            values[gap] = STALE
    healthy, _ = kind.fixture(spec, alert, Phases(fx.end, 0, 0, step))
    series: Series = {**_in_cluster(spec, healthy, "cluster-a", {}), **hot}
    if twin:
        series.update(_in_cluster(spec, healthy, "cluster-b", {"instance": "replica-1"}))
    moved = at_cluster(spec, "cluster-b")
    labels_b = {k: moved.get(k, v) for k, v in fx.alert_labels.items()}
    labels_a = {k: v for k, v in fx.alert_labels.items() if k in moved}
    checks: list[tuple[int, Any, float]] = [(a - 1, None, 0.0)]
    if firing - 1 > a:
        checks.append((firing - 1, None, 0.0))
    for i in (firing, gaps[-1]):
        value = fx.value_at(i)
        assert value is not None
        checks.append((i, labels_b, value))
    where = "its hot replica, beside a healthy twin," if twin else "its target"
    while_pending = " while pending and one" if len(gaps) == 2 else ""
    return ExtraCase(
        f"{alert.name}: cluster-b breaches on {where} with one failed scrape (staleness markers){while_pending} "
        f"while firing, cluster-a healthy -> fires for cluster-b on time and keeps firing through the failed "
        f"scrape (the gauge's last sample holds {format_duration(gauge_hold(spec))}); cluster-a never pending",
        series, step, tuple(checks), quiet_throughout=True, quiet_where=(labels_a,))


def _alerts_sample(alert: Alert, labels: dict[str, str]) -> dict[str, Any]:
    """The ALERTS sample of `alert` firing with `labels`."""
    full = {"alertname": alert.name, "alertstate": "firing", **labels, "severity": alert.severity,
            "team": alert.team}
    return {"labels": "ALERTS{" + ", ".join(f"{k}={quote(v)}" for k, v in full.items()) + "}", "value": 1}


def _over(primary: Series, secondary: Series) -> Series:
    """`primary`'s series, plus those of `secondary` whose metric `primary` does not lay out
    (the fixture that drives a metric owns all of its series: two fixtures' `up` series of
    different instances would average into a value neither planned)."""
    names = {dict(key)["__name__"] for key in primary}
    return {**{k: v for k, v in secondary.items() if dict(k)["__name__"] not in names}, **primary}


def render_tail_tests(spec: Spec, target: Alert) -> list[dict[str, Any]]:
    """Per source X whose recovery tail the target Y ignores (generators/inhibition.py), two
    cases on Y's own fixture with X's series beside it, sampled and evaluated at the rules'
    evaluation interval, as Prometheus evaluates them (X's keep_firing_for is two of those
    evaluations; the cases get a file of their own, since Y's file has its kind's step):

    1. X and Y breach together, long enough for X to fire, and recover together: Y fires
       during the outage (so Alertmanager has something to inhibit, and Prometheus shows
       it), X keeps firing one hold after its condition clears, and Y is quiet (neither
       pending nor firing) from then on, through the rest of its window, where it used to
       fire un-inhibited;
    2. X's series stay healthy (its condition never holds): Y breaches and fires exactly
       as in its own test, the clause costs nothing without an incident of X (not when X
       reads Y's own metric: Y's own test is that case).

    Skipped when Y needs weeks of baseline history (the drop alerts: their own test
    already costs most of a promtool minute), when a window of Y is not a whole number of
    evaluation intervals, or X's fixture cannot be laid out on Y's step and phases (X with
    a baseline, a window that does not fit, a breach phase shorter than X's `for`)."""
    tests: list[dict[str, Any]] = []
    y_kind = kind_of(target)
    step = spec.settings.evaluation_interval
    if (not tails_of(spec, target) or any(w % step for w in y_kind.windows(target.indicator).values())
            or target.window % step or y_kind.history_steps(target, step)):
        return tests
    fx = build_fixture(spec, target, step)
    timeline = plan_timeline(target, fx, source_hold(spec, target))
    a, b, end = fx.breach_start, fx.recovery_start, fx.end
    for pair in tails_of(spec, target):
        source = pair.source
        x_kind = kind_of(source)
        if (any(w % step for w in x_kind.windows(source.indicator).values()) or source.window % step
                or x_kind.history_steps(source, step)):
            continue
        record = condition_record(spec, source)
        outage, x_breach = x_kind.fixture(spec, source, Phases(a, b - a, end - b, step))
        # X's condition: breaching through Y's breach phase, clear from its end (an X whose
        # window needs longer phases than Y's cannot be laid out beside Y: no case)
        if any(v is None or not source.threshold.breached_by(v) for v in map(x_breach, range(a + 1, b))) or any(
                v is not None and source.threshold.breached_by(v) for v in map(x_breach, range(b, end))):
            continue
        if a + 1 + -(-source.for_seconds // step) > b - 1:  # X must fire (its `for` met) before it clears
            continue
        healthy, _ = x_kind.fixture(spec, source, Phases(end, 0, 0, step))
        hold = source_hold(spec, source)
        held_until = b + -(-hold // step) - 1  # last evaluation X still fires through its hold (>= b)
        x_labels = build_fixture(spec, source).alert_labels
        # promtool evaluates the groups of one instant in no fixed order: Y may read X's
        # condition of the previous evaluation, so Y is dropped at b or at b + 1
        quiet_from = b + 1
        # the clause holds while its window still holds X's last breaching sample (b - 1);
        # after that Y is judged on its own inputs again (X's healthy values may still be a
        # breach of Y's line: PlatformDown's healthy "one of two targets up" is PlatformTargetDown's
        # breach, which must then page; found by the fuzzer with a 10s scrape interval)
        quiet_until = min(end - 1, b - 1 + pair.lookback // step)
        if quiet_until <= quiet_from:
            continue
        window = format_duration(pair.lookback)
        tail = f"silent in its recovery tail ({window}) after {source.name} clears"
        if not {dict(k)["__name__"] for k in outage} & set(target.indicator.metrics()):
            # Y's indicator reads its own series: its oracle says whether, without the clause, it would
            # still fire after the recovery (a floor such as "no event in 10m" clears at the
            # first event: nothing to silence, the case then only shows the clause is harmless)
            states = simulate(target, fx)
            if not any(state == "firing" for state in states[quiet_from:]):
                tail = f"quiet after {source.name} clears (this fixture has no recovery tail to silence)"
        tests.append({
            "name": (f"{target.name}: {source.name} fires (breaching longer than its `for`) and recovers with it "
                     "-> fires during the outage "
                     f"(inhibited in Alertmanager), {tail}"),
            "interval": format_duration(step),
            "input_series": render_series(_over(outage, fx.series)),
            "promql_expr_test": [
                {"expr": f"absent({record})", "eval_time": _at(b - 1, step), "exp_samples": []},
                {"expr": f"absent({record})", "eval_time": _at(b, step),
                 "exp_samples": [{"labels": "{}", "value": 1}]},
                {"expr": f'ALERTS{{alertname="{target.name}", alertstate="firing"}}',
                 "eval_time": _at(b - 1, step), "exp_samples": [_alerts_sample(target, fx.alert_labels)]},
                *([{"expr": f'ALERTS{{alertname="{source.name}", alertstate="firing"}}',
                    "eval_time": _at(held_until, step), "exp_samples": [_alerts_sample(source, x_labels)]}]
                  if hold else []),
                quiet_check(target, quiet_from, quiet_until, step),
            ],
        })
        if set(source.indicator.metrics()) & set(target.indicator.metrics()):
            # X's condition is computed from Y's own series (the same indicator's warning):
            # Y's own test above is that case already
            continue
        value = fx.value_at(timeline.firing_check)
        assert value is not None
        span = format_duration(end * step)
        tests.append({
            "name": f"{target.name}: {source.name}'s condition never holds -> fires on its own, as without the clause",
            "interval": format_duration(step),
            "input_series": render_series(_over(fx.series, healthy)),
            "alert_rule_test": [
                {"eval_time": _at(timeline.healthy_check, step), "alertname": target.name, "exp_alerts": []},
                {"eval_time": _at(timeline.firing_check, step), "alertname": target.name,
                 "exp_alerts": [expected_alert(spec, target, fx.alert_labels, value)]},
            ],
            "promql_expr_test": [
                {"expr": f"count_over_time({record}[{span}])", "eval_time": _at(end - 1, step), "exp_samples": []},
            ],
        })
    return tests


def render_unit_tests(spec: Spec) -> dict[str, str]:
    files = {}
    for alert in spec.alerts:
        kind = kind_of(alert)
        tests = [render_alert_test(spec, alert)]
        tests += [render_extra_case(spec, alert, case) for case in kind.extra_cases(spec, alert)]
        if gauge_case := gauge_fault_case(spec, alert):
            tests.append(render_extra_case(spec, alert, gauge_case))
        doc = {
            "rule_files": [f"../{RULES_FILE}"],
            "evaluation_interval": format_duration(kind.fixture_step(alert.indicator)),
            "tests": tests,
        }
        files[f"alerts/tests/{alert.name}.test.yml"] = dump_yaml(doc)
        if tails := render_tail_tests(spec, alert):
            files[f"alerts/tests/{alert.name}.tail.test.yml"] = dump_yaml({
                "rule_files": [f"../{RULES_FILE}"],
                "evaluation_interval": format_duration(spec.settings.evaluation_interval),
                "tests": tails,
            })
    return files
