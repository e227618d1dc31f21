"""ratio: the share of failing events of a counter (errors: a matcher of the failing series).

`measure` says whether the success ratio or the error ratio is recorded. A never-seen
error series counts as zero errors, never as "no data". Rules read the raw counter once:
one rate split by the labels the error matcher needs, from which the total and the ratio
are derived.

Alerts judge the ratio only on evidence: `min_failures` failing events (estimated from the
rate) inside the window. A guard on total traffic (the former `min_rate`) hid total
outages at low traffic: 100% failures at 0.5 req/s never paged. Evidence keeps one
failure among ten events quiet and lets a low-volume total outage page.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, ClassVar, Literal

from generators import naming
from generators.durations import format_duration
from generators.kinds.base import (
    STALE,
    Blip,
    ExtraCase,
    InfeasibleThreshold,
    Kind,
    Phases,
    Recording,
    Series,
    ValueAt,
    Week,
    at_cluster,
    base_labels,
    bump,
    counter,
    example_values,
    for_text,
    judge_blip,
    label_combinations,
    near,
    parse_matchers,
    parse_window,
    rate_at,
    series_key,
    threshold_text,
)
from generators.loader.checker import Checker
from generators.loader.source import LineMap
from generators.model import Alert, Indicator, Matcher, Metric, Spec
from generators.promql import agg, on, selector, series_selector
from generators.templating import Part, Text, Value


@dataclass(frozen=True, kw_only=True)
class RatioIndicator(Indicator):
    kind: ClassVar[str] = "ratio"
    metric_fields: ClassVar[tuple[str, ...]] = ("metric",)
    metric: str
    errors: tuple[Matcher, ...]
    window: int
    measure: Literal["success_ratio", "error_ratio"] = "success_ratio"


class Ratio(Kind):
    name = "ratio"
    model = RatioIndicator
    summary = "share of failing (or succeeding) events of a counter"
    required = ("metric", "errors", "window")
    optional = ("measure",)
    metric_types: ClassVar[dict[str, str]] = {"metric": "counter"}
    unit = "ratio"
    alert_options = ("min_failures", "min_rate")
    triage = (
        "Open the dashboard panel: is the drop in success sudden (deploy, dependency) or gradual?",
        "Split the failures by their labels in Prometheus (e.g. `sum by (route, code)` or "
        "`sum by (provider)`) to find the part that fails.",
        "Check the platform's ERROR logs for the same window; roll back a recent deploy if "
        "the failures started with it.",
    )

    def parse_fields(self, c: Checker, m: LineMap, path: str, fields: dict[str, Any],
                     metrics: dict[str, Metric]) -> dict[str, Any] | None:
        errors = parse_errors(c, m, path, metrics[fields["metric"]], required=True)
        window = parse_window(c, m, path)
        measure = c.value(m, "measure", path, str, "success_ratio", lambda v: None if v in (
            "success_ratio", "error_ratio") else "must be success_ratio or error_ratio")
        if errors is None or window is None:
            return None
        split = sorted({m.label for m in errors} & set(fields["by"]))
        if split:
            c.error(m.key_lines["by"], f"{path}.by", f"{', '.join(split)} is read by the errors matcher; a ratio "
                    "split by it would be 0 or 1 per series; drop it from by")
            return None
        return {"errors": errors, "window": window, "measure": measure}

    def parse_alert_options(self, c: Checker, m: LineMap, path: str, ind: Indicator,
                            metrics: dict[str, Metric]) -> dict[str, Any] | None:
        return parse_min_failures(c, m, path)

    def windows(self, ind: Indicator) -> dict[str, int]:
        return {"window": ind.window}  # type: ignore[attr-defined]

    def blip_problem(self, alert: Alert, step: int) -> str | None:
        """Why a blip (BLIP_SECONDS of BLIP_SHARE failures) would page when the rules run
        every `step` seconds, or None: `for` must outlast the time the blip keeps the alert
        active. Checked on the production spec at its evaluation interval by
        tests/test_blips.py (profiles shorten `for` on purpose); the generated blip case
        asks the same model at the fixture's step."""
        held = blip_held(alert, step)
        if held is not None and held >= alert.for_seconds:
            return (f"a {format_duration(BLIP_SECONDS)} blip of {BLIP_SHARE:.0%} failures keeps the "
                    f"{format_duration(alert.indicator.window)} ratio over the line for {format_duration(held)} "  # type: ignore[attr-defined]
                    f"of evaluations {format_duration(step)} apart, not shorter than for "
                    f"{format_duration(alert.for_seconds)}: it would page; make `for` longer than "
                    f"{format_duration(held)} or the threshold looser")
        return None

    def sample_values(self, spec: Spec, alert: Alert) -> tuple[float, float]:
        healthy, breach = near(alert.threshold, 0.01, 0.0, 1.0, "ratio")
        per_step = EVENTS_PER_STEP
        to_error = _to_error(alert.indicator)  # type: ignore[arg-type]
        realised = [to_error(round(per_step * to_error(v)) / per_step) for v in (healthy, breach)]
        # the fixture counts whole events: make sure rounding kept each side of the line
        if alert.threshold.breached_by(realised[0]) or not alert.threshold.breached_by(realised[1]):
            raise InfeasibleThreshold(f"{alert.threshold.value:g} is finer than 1/{per_step}, the resolution "
                                      "of the generated tests; round it")
        return healthy, breach

    # -- rules -------------------------------------------------------------------------------
    def split_labels(self, spec: Spec, ind: RatioIndicator) -> tuple[str, ...]:
        """Labels of the one rate of the raw counter: the kept ones plus those the error
        matcher reads (so errors and total both derive from it)."""
        return tuple(dict.fromkeys((*self.kept_labels(spec, ind), *(m.label for m in ind.errors))))

    def total_rate_name(self, spec: Spec, ind: RatioIndicator) -> str:
        return naming.recorded(self.kept_labels(spec, ind), ind.metric, naming.windowed("rate", ind.window))

    def series_name(self, spec: Spec, ind: Indicator) -> str:
        assert isinstance(ind, RatioIndicator)
        return naming.recorded(self.kept_labels(spec, ind), ind.metric,
                               naming.windowed(f"{ind.measure}_rate", ind.window))

    def errors_expr(self, spec: Spec, ind: RatioIndicator) -> str:
        """Per-second failing events, per kept labels, from the recorded split rate."""
        kept = self.kept_labels(spec, ind)
        split = self.split_labels(spec, ind)
        source = (naming.recorded(split, ind.metric, naming.windowed("rate", ind.window)) if split != kept
                  else self.total_rate_name(spec, ind))
        return agg("sum", kept, series_selector(source, ind.errors))

    def recordings(self, spec: Spec, ind: Indicator) -> list[Recording]:
        assert isinstance(ind, RatioIndicator)
        kept = self.kept_labels(spec, ind)
        split = self.split_labels(spec, ind)
        w = naming.windowed("rate", ind.window)
        raw = f"rate({selector(spec, ind.metric)}[{w.removeprefix('rate')}])"
        total_name = self.total_rate_name(spec, ind)
        out = []
        if split != kept:
            split_name = naming.recorded(split, ind.metric, w)
            out.append(Recording(split_name, agg("sum", split, raw)))
            out.append(Recording(total_name, agg("sum", kept, split_name)))
            errors = agg("sum", kept, series_selector(split_name, ind.errors))
        else:  # the error labels are kept anyway: the total's own series carry them
            out.append(Recording(total_name, agg("sum", kept, raw)))
            errors = agg("sum", kept, series_selector(total_name, ind.errors))
        # A never-seen error series is zero errors, not "no data": `or total * 0`.
        error_ratio = f"({errors}\n  or\n{total_name} * 0\n)\n/\n{total_name}"
        expr = error_ratio if ind.measure == "error_ratio" else f"1 - (\n{error_ratio}\n)"
        out.append(Recording(self.series_name(spec, ind), expr))
        return out

    def alert_expr(self, spec: Spec, alert: Alert) -> str:
        ind = alert.indicator
        assert isinstance(ind, RatioIndicator)
        labels = self.kept_labels(spec, ind)
        # evidence, not volume: enough failing events inside the window (rate x window)
        return (f"{self.alert_series(spec, alert)} {threshold_text(alert.threshold)}\nand {on(labels)}\n"
                f"{self.errors_expr(spec, ind)} * {ind.window} >= {alert.min_failures}")

    def detection(self, spec: Spec, alert: Alert) -> str:
        w = format_duration(alert.indicator.window)  # type: ignore[attr-defined]
        return (f"Every event failing moves the {w} ratio over the line within a minute, then {for_text(alert)}; "
                f"a failure share just over the line needs up to {w} plus {for_text(alert)}.")

    def ignores(self, spec: Spec, alert: Alert) -> tuple[str, ...]:
        w = format_duration(alert.indicator.window)  # type: ignore[attr-defined]
        return (f"fewer than {alert.min_failures} failing events in {w}: one failure among a handful of events",
                "no traffic at all: no events, no ratio (IngestionStopped and PlatformDown see a stop)",
                *super().ignores(spec, alert))

    def describe(self, spec: Spec, alert: Alert) -> list[Part]:
        w = naming.windowed("", alert.indicator.window)  # type: ignore[attr-defined]
        return [Text(f"{alert.indicator.title} is "), Value("ratio"), Text(f" over the last {w}")]

    # -- generated tests -----------------------------------------------------------------------
    def _labels(self, spec: Spec, ind: RatioIndicator, cluster: str, instance: str) -> tuple[dict, dict]:
        """Labels of a failing and of a succeeding series of one replica."""
        labels = base_labels(spec, ind, ind.metric)
        labels.update(at_cluster(spec, cluster))
        labels["instance"] = instance
        error_labels, ok_labels = dict(labels), dict(labels)
        for matcher in ind.errors:
            hit, miss = example_values(spec.metrics[ind.metric], matcher)  # type: ignore[misc]
            error_labels[matcher.label], ok_labels[matcher.label] = hit, miss
        return error_labels, ok_labels

    def _replica(self, spec: Spec, ind: RatioIndicator, cluster: str, instance: str,
                 errors: list[float], oks: list[float]) -> Series:
        error_labels, ok_labels = self._labels(spec, ind, cluster, instance)
        return {series_key(ind.metric, error_labels): counter(errors), series_key(ind.metric, ok_labels): counter(oks)}

    def fixture(self, spec: Spec, alert: Alert, phases: Phases) -> tuple[Series, ValueAt]:
        ind = alert.indicator
        assert isinstance(ind, RatioIndicator) and alert.min_failures is not None
        step = phases.step
        per_step = EVENTS_PER_STEP
        healthy, breach = self.sample_values(spec, alert)
        to_error = _to_error(ind)
        errors = phases.spread(tuple(round(per_step * to_error(v)) for v in (healthy, breach, healthy)))
        series = self._replica(spec, ind, "cluster-a", "replica-0", errors, [per_step - e for e in errors])
        err, ok = counter(errors), counter([per_step - e for e in errors])
        w = ind.window // step
        min_failures = alert.min_failures

        def value_at(i: int) -> float | None:
            e, o = rate_at(err, i, w, step), rate_at(ok, i, w, step)
            if e is None or o is None or e + o == 0 or e * ind.window < min_failures:
                return None
            ratio = e / (e + o)
            return ratio if ind.measure == "error_ratio" else 1 - ratio

        return series, value_at

    def extra_cases(self, spec: Spec, alert: Alert) -> list[ExtraCase]:
        ind = alert.indicator
        assert isinstance(ind, RatioIndicator) and alert.min_failures is not None
        to_error = _to_error(ind)
        total_failure, no_failure = to_error(1.0), to_error(0.0)  # the indicator at 100% / 0% failing
        if not alert.threshold.breached_by(total_failure) or alert.threshold.breached_by(no_failure):
            return []  # the cases below need "more failures" to be the bad side
        step = self.fixture_step(ind)
        w = ind.window // step
        hold = -(-alert.for_seconds // step)
        kept = self.kept_labels(spec, ind)
        where_b = {k: v for k, v in self._labels(spec, ind, "cluster-b", "replica-0")[0].items() if k in kept}
        n = 2 * w + hold + 8
        start = w + 2
        cases = []

        # 1. low traffic, total outage: 30 events a minute (0.5/s), all failing from `start`
        low = 30 * step // 60
        errs = [0.0] * start + [float(low)] * (n - start)
        oks = [float(low)] * start + [0.0] * (n - start)
        checks: list[tuple[int, Any, float]] = [(start - 1, None, 0.0), (start + w + hold, where_b, total_failure)]
        cases.append(ExtraCase(
            f"{alert.name}: every event failing at 0.5 events/s (low traffic) -> fires",
            self._replica(spec, ind, "cluster-b", "replica-0", errs, oks), step, tuple(checks)))

        # 2. one failure in every window among a handful of events: over the ratio threshold,
        # under the evidence guard; quiet at every evaluation
        if alert.min_failures >= 2:
            threshold_error = to_error(alert.threshold.value)
            events = max(2, math.ceil(1 / threshold_error) - 1) if threshold_error > 0 else 2
            errs = [1.0 if i % w == 0 else 0.0 for i in range(n)]
            oks = [float(events - 1) if i % w == 1 else 0.0 for i in range(n)]
            cases.append(ExtraCase(
                f"{alert.name}: one failure among {events} events in every window -> silent at every evaluation",
                self._replica(spec, ind, "cluster-b", "replica-0", errs, oks), step,
                ((n - 1, None, 0.0),), quiet_throughout=True))

        # 3. two clusters with two replicas each: in cluster-b replica-0 fails everything and
        # replica-1 is healthy (50% for the cluster); cluster-a, 10x the traffic and healthy,
        # neither dilutes nor joins it; a failed scrape of cluster-a replica-1 changes nothing
        # cluster-b replica-0's failing series is born with the incident (a never-seen label
        # value, as a new error code appears); cluster-a replica-0 restarts (counter reset)
        per = float(EVENTS_PER_STEP)
        series = self._replica(spec, ind, "cluster-b", "replica-0", [0.0] * start + [per] * (n - start),
                               [per] * start + [0.0] * (n - start))
        born = series_key(ind.metric, self._labels(spec, ind, "cluster-b", "replica-0")[0])
        series[born][:start] = [None] * start
        series.update(self._replica(spec, ind, "cluster-b", "replica-1", [0.0] * n, [per] * n))
        restarted = self._replica(spec, ind, "cluster-a", "replica-0", [0.0] * n, [10 * per] * n)
        for values in restarted.values():
            before = values[start + 2]
            values[start + 3:] = [v - before for v in values[start + 3:]]  # type: ignore[operator]
        series.update(restarted)
        gap = self._replica(spec, ind, "cluster-a", "replica-1", [0.0] * n, [10 * per] * n)
        for values in gap.values():
            values[start + 1] = STALE
        series.update(gap)
        # 4. a blip: two minutes of 30% failures on steady traffic; `for` outlasts it (only
        # claimed where it does: a spec may choose a short `for`, e.g. the e2e profile)
        blip_steps = max(1, BLIP_SECONDS // step)
        blip = [0.0] * start + [per * BLIP_SHARE] * blip_steps + [0.0] * (n - start - blip_steps)
        held = blip_held(alert, step)
        if held is None or held < alert.for_seconds:
            cases.append(ExtraCase(
                f"{alert.name}: a {format_duration(BLIP_SECONDS)} blip of {BLIP_SHARE:.0%} failures -> silent at "
                "every evaluation",
                self._replica(spec, ind, "cluster-b", "replica-0", blip, [per - b for b in blip]), step,
                ((n - 1, None, 0.0),), quiet_throughout=True, pending_ok=True))
        half = to_error(0.5)
        if alert.threshold.breached_by(half):
            checks = [(start - 1, None, 0.0), (start + w + hold, where_b, half)]
            cases.append(ExtraCase(
                f"{alert.name}: one of two replicas failing in cluster-b (its failing series born with the "
                "incident), cluster-a healthy at 10x the traffic with a failed scrape and a restart (counter "
                "reset) -> fires for cluster-b only", series, step, tuple(checks)))
        return cases


    # -- the healthy week ----------------------------------------------------------------------
    def _week_labels(self, spec: Spec, ind: RatioIndicator,
                     labels: dict[str, str]) -> tuple[dict[str, str], dict[str, str]]:
        error_labels, ok_labels = dict(labels), dict(labels)
        for matcher in ind.errors:
            hit, miss = example_values(spec.metrics[ind.metric], matcher)  # type: ignore[misc]
            error_labels[matcher.label], ok_labels[matcher.label] = hit, miss
        return error_labels, ok_labels

    def _week_errors(self, spec: Spec, ind: RatioIndicator) -> int:
        """Failing events per sample of a healthy replica: WEEK_ERRORS of EVENTS_PER_STEP
        (a steady trickle, enough to pass the evidence guard), none if that breaches an alert."""
        share = _to_error(ind)(WEEK_ERRORS / EVENTS_PER_STEP)  # the indicator's value at that share
        return 0 if any(a.threshold.breached_by(share) for a in spec.alerts_of(ind)) else WEEK_ERRORS

    def week_series(self, spec: Spec, ind: Indicator, week: Week) -> Series:
        assert isinstance(ind, RatioIndicator)
        errors = self._week_errors(spec, ind)
        series: Series = {}
        for labels in week.series_labels(spec, ind.metric, ind.by):
            error_labels, ok_labels = self._week_labels(spec, ind, labels)
            series[series_key(ind.metric, error_labels)] = week.steady(errors)
            series[series_key(ind.metric, ok_labels)] = week.steady(EVENTS_PER_STEP - errors)
        return series

    def week_blip(self, spec: Spec, ind: Indicator, week: Week, series: Series, at: int) -> Blip | None:
        """BLIP_SECONDS of BLIP_SHARE failures on every replica of one cluster (of the first
        value of each `by` label: one payment provider)."""
        assert isinstance(ind, RatioIndicator)
        alerts = spec.alerts_of(ind)
        if not alerts:
            return None
        healthy = self._week_errors(spec, ind)
        n = week.steps(BLIP_SECONDS)
        extra = round(EVENTS_PER_STEP * BLIP_SHARE) - healthy
        by = label_combinations(spec, ind.metric, ind.by)[0]
        targets = week.targets(spec, ind.metric, week.blipped)
        for target in targets:
            error_labels, ok_labels = self._week_labels(spec, ind, {**target, **by})
            bump(series[series_key(ind.metric, error_labels)], at, [extra] * n)
            bump(series[series_key(ind.metric, ok_labels)], at, [-extra] * n)
        w = ind.window // week.step
        to_value = _to_error(ind)

        def failing(i: int) -> float:  # failing events in the window ending at sample i, per replica
            return sum(healthy + (extra if at <= j < at + n else 0) for j in range(i - w + 1, i + 1))

        def value(i: int) -> float:
            return to_value(round(failing(i) / (w * EVENTS_PER_STEP), 9))

        def active(alert: Alert, i: int) -> bool:
            assert alert.min_failures is not None
            return alert.threshold.breached_by(value(i)) and failing(i) * len(targets) >= alert.min_failures

        end = at + n + w + 1
        pending, pages = judge_blip(alerts, active, at, end, week.step)
        peak = at + n - 1
        calm = value(at - 1)
        mid = (calm + value(peak)) / 2
        op = ">" if value(peak) > calm else "<"
        where = self.kept_only(spec, ind, {**targets[0], **by})
        return Blip(
            f"{ind.title}: {BLIP_SHARE:.0%} failures for {format_duration(BLIP_SECONDS)} in "
            f"{targets[0].get('cluster', '')}"
            + (f" ({', '.join(by.values())})" if by else ""),
            at, self.crossing(spec, ind, where, op, mid), peak, where,
            tuple((a, {**where, **self.alert_labels(a)}) for a in pending), end, tuple(pages))


EVENTS_PER_STEP = 1000
# a blip: two minutes of 30% failures (a deploy hiccup, a dependency's brief timeout)
BLIP_SECONDS = 120
BLIP_SHARE = 0.3
# the healthy week's steady failures: 1 in 1000 events
WEEK_ERRORS = 1


def blip_held(alert: Alert, step: int) -> int | None:
    """The one model of a blip: BLIP_SECONDS of BLIP_SHARE failures on steady traffic,
    sampled and evaluated every `step` seconds as the rules are (the window's failures over
    its events at each evaluation). Seconds from the first to the last evaluation where the
    alert is active (what `for` must exceed), or None when it never is."""
    ind = alert.indicator
    assert isinstance(ind, RatioIndicator)
    w = ind.window // step
    blip_steps = max(1, BLIP_SECONDS // step)
    per = 1.0  # events per sample; the share does not depend on it
    errors = [per * BLIP_SHARE] * blip_steps + [0.0] * (w + 2)
    active = []
    for i in range(len(errors)):
        share = sum(errors[max(0, i - w + 1):i + 1]) / (w * per)
        value = share if ind.measure == "error_ratio" else 1 - share
        if alert.threshold.breached_by(round(value, 9)):
            active.append(i)
    if not active:
        return None
    # the failure share only rises then falls: the active evaluations are one run
    return (active[-1] - active[0]) * step


def _to_error(ind: RatioIndicator) -> Any:
    return (lambda v: v) if ind.measure == "error_ratio" else (lambda v: round(1 - v, 6))


def parse_errors(c: Checker, m: LineMap, path: str, metric: Metric, required: bool) -> tuple[Matcher, ...] | None:
    """The `errors` matcher list, checked against the catalogue: the fixtures need a label
    value it selects and one it does not."""
    if "errors" not in m:
        return () if not required else None
    text = c.text(m, "errors", path)
    if not text:
        return None
    parsed = parse_matchers(text)
    field = f"{path}.errors"
    if isinstance(parsed, str):
        c.error(m.key_lines["errors"], field, parsed)
        return None
    for matcher in parsed:
        if matcher.label not in metric.labels:
            c.error(m.key_lines["errors"], field, f"label {matcher.label!r} is not a label of {metric.name} "
                    f"in the catalogue (known: {', '.join(sorted(metric.labels)) or 'none'})")
            return None
        if not example_values(metric, matcher):
            c.error(m.key_lines["errors"], field,
                    f"no value of {metric.name}'s label {matcher.label!r} in the catalogue matches and "
                    f"another does not; add example values to metrics.{metric.name}.labels.{matcher.label}")
            return None
    return parsed


def parse_min_failures(c: Checker, m: LineMap, path: str) -> dict[str, Any] | None:
    if "min_rate" in m:
        c.error(m.key_lines["min_rate"], f"{path}.min_rate",
                "ratio alerts no longer take min_rate: a guard on total traffic hid total outages at low "
                "traffic; replace it with min_failures, the failing events the window must hold "
                "(e.g. min_failures: 5)")
        return None
    if "min_failures" not in m:
        c.error(m.line, path, "ratio alerts need min_failures (failing events the window must hold before "
                "the ratio is judged), so one failure among a few events cannot page")
        return None
    value = c.value(m, "min_failures", path, int, None, lambda v: None if 1 <= v <= 1_000_000
                    else "must be a whole number of events from 1 to 1000000")
    return None if value is None else {"min_failures": value}


def parse_min_rate(c: Checker, m: LineMap, path: str) -> dict[str, Any] | None:
    if "min_rate" not in m:
        c.error(m.line, path, "rate alerts need min_rate (baseline events/s below which a drop is not "
                "judged), so a near-empty baseline cannot page")
        return None
    value = c.number(m, "min_rate", path, check=lambda v: None if 0 <= v <= 1e6
                     else "must be between 0 and 1000000 events/s")
    return None if value is None else {"min_rate": value}
