"""availability: the fraction of targets up, from an up/probe_success style 0/1 gauge.

The recorded series keep the job labels, so several availability indicators of `up`
never collide. `absent: true` on an alert makes "no series at all" fire too (the job gone
from service discovery, or a dead exporter), with the value 0.

`window` on an alert judges the availability averaged over that window
(avg_over_time of the recorded series, cheap): `avg < 1` held for `for` resets on every
good sample, so a probe failing every other time or a crash-looping replica never fired.
Averaged, flapping reads 50% and fires, and a single failed probe stays above the line.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar

from generators.durations import format_duration
from generators.kinds.base import (
    STALE,
    Blip,
    ExtraCase,
    Kind,
    Phases,
    Recording,
    Series,
    ValueAt,
    Week,
    at_cluster,
    base_labels,
    for_text,
    judge_blip,
    near_candidates,
    parse_window,
    series_key,
)
from generators.loader.checker import Checker
from generators.loader.source import LineMap
from generators.model import Alert, Indicator, Matcher, Metric, Spec
from generators.promql import agg, equal_matchers, on, selector, series_selector
from generators.templating import Part, Text

DEFAULT_INSTANCES = ("target-0",)
# a (cluster, job) whose targets all vanished counts as "0% up" for this long, then only
# absent() (no cluster) and the scrape-target watch's own lookback remain
LOST_LOOKBACK = 86400


@dataclass(frozen=True, kw_only=True)
class AvailabilityIndicator(Indicator):
    kind: ClassVar[str] = "availability"
    metric_fields: ClassVar[tuple[str, ...]] = ("metric",)
    metric: str


class Availability(Kind):
    name = "availability"
    model = AvailabilityIndicator
    summary = "the fraction of targets up (up, probe_success)"
    required = ("metric",)
    metric_types: ClassVar[dict[str, str]] = {"metric": "gauge"}
    unit = "ratio"
    ops = ("<", "<=")
    alert_options = ("absent", "window")
    triage = (
        "Check the targets in Prometheus (Status -> Targets) and the platform's pods/instances.",
        "If every target is down, check the last deploy and the load balancer/health endpoint.",
        "If the series are absent, check service discovery and the scrape job's selector "
        "(settings.selectors in thresholds.yaml). Right after a Prometheus restart the series "
        "are absent until the first scrape; `for` covers that, so a page means they stayed away.",
    )

    def parse_alert_options(self, c: Checker, m: LineMap, path: str, ind: Indicator,
                            metrics: dict[str, Metric]) -> dict[str, Any] | None:
        window = 0
        if "window" in m:
            window = parse_window(c, m, path) or 0
            if not window:
                return None
        return {"absent": c.value(m, "absent", path, bool, False), "window": window}

    def kept_labels(self, spec: Spec, ind: Indicator) -> tuple[str, ...]:
        assert isinstance(ind, AvailabilityIndicator)
        # keep the job so that several availability indicators of `up` never collide
        job = (k for k, _ in spec.selector_labels(ind.metric))
        return tuple(dict.fromkeys((*spec.settings.aggregation_labels, *ind.by, *job)))

    def sample_values(self, spec: Spec, alert: Alert) -> tuple[float, float]:
        n = len(self.instances(spec, alert.indicator))
        return near_candidates(alert.threshold, [k / n for k in range(n + 1)])

    def instances(self, spec: Spec, ind: Indicator) -> tuple[str, ...]:
        return spec.metrics[ind.metric].labels.get("instance", DEFAULT_INSTANCES)  # type: ignore[attr-defined]

    def series_name(self, spec: Spec, ind: Indicator) -> str:
        return f"{self.level(spec, ind)}:{ind.metric}:avg"  # type: ignore[attr-defined]

    def series_matchers(self, spec: Spec, ind: Indicator) -> tuple[Matcher, ...]:
        return equal_matchers(spec.selector_labels(ind.metric))  # type: ignore[attr-defined]

    def recordings(self, spec: Spec, ind: Indicator) -> list[Recording]:
        assert isinstance(ind, AvailabilityIndicator)
        expr = agg("avg", self.kept_labels(spec, ind), selector(spec, ind.metric))
        out = [Recording(self.series_name(spec, ind), expr)]
        # the averages windowed alerts judge (and their panels draw), over the recording
        instant = series_selector(self.series_name(spec, ind), self.series_matchers(spec, ind))
        for window in sorted({a.window for a in spec.alerts_of(ind) if a.window}):
            out.append(Recording(self.windowed_name(spec, ind, window),
                                 f"avg_over_time({instant}[{format_duration(window)}])"))
        return out

    def windowed_name(self, spec: Spec, ind: Indicator, window: int) -> str:
        return f"{self.series_name(spec, ind)}_over_time{format_duration(window)}"

    def alert_series(self, spec: Spec, alert: Alert) -> str:
        if not alert.window:
            return super().alert_series(spec, alert)
        return series_selector(self.windowed_name(spec, alert.indicator, alert.window),
                               self.series_matchers(spec, alert.indicator))

    def reference_lines(self, spec: Spec, alert: Alert,
                        filtered: Callable[[str], str]) -> list[tuple[str, str]]:
        """A windowed alert judges the average: draw it beside the instant share, so the
        threshold line is compared with what the alert evaluates."""
        if not alert.window:
            return []
        w = format_duration(alert.window)
        return [(filtered(self.windowed_name(spec, alert.indicator, alert.window)),
                 f"{alert.name}: average over {w}")]

    def describe(self, spec: Spec, alert: Alert) -> list[Part]:
        parts = super().describe(spec, alert)
        if alert.window:
            parts.append(Text(f" on average over {format_duration(alert.window)}"))
        return parts

    def detection(self, spec: Spec, alert: Alert) -> str:
        if not alert.window:
            return super().detection(spec, alert)
        fall = max(0.0, 1 - alert.threshold.value) * alert.window
        return (f"Everything down pulls the {format_duration(alert.window)} average under the line after about "
                f"{format_duration(round(fall))}, then {for_text(alert)}; flapping at 50% after about half that.")

    def ignores(self, spec: Spec, alert: Alert) -> tuple[str, ...]:
        out = []
        if alert.window:
            out.append(f"single failed samples while the {format_duration(alert.window)} average stays at or "
                       f"above {alert.threshold.value:g}")
        else:
            out.append("flapping: each good sample resets `for` (a windowed alert on the same indicator sees it)")
        if alert.absent:
            out.append(f"nothing: no series fires too, per cluster when the cluster had the job within "
                       f"{format_duration(LOST_LOOKBACK)}, else once without a cluster (never there, or gone longer)")
        else:
            out.append("the series vanishing (ScrapeTargetsMissing sees a job vanish in a cluster)")
        return tuple(out)

    def alert_expr(self, spec: Spec, alert: Alert) -> str:
        expr = super().alert_expr(spec, alert)
        if not alert.absent:
            return expr
        # Gone per cluster: a (cluster, job) whose targets all vanished reads 0% up (its
        # recorded share was there within LOST_LOOKBACK), so the alert carries the cluster
        # and inhibits that cluster's consequences. absent() alone is true only when the
        # job is gone from every cluster, and carries no cluster; it stays for a job never
        # seen in the lookback (or gone longer), and only then.
        ind = alert.indicator
        kept = on(self.kept_labels(spec, ind))
        instant = series_selector(self.series_name(spec, ind), self.series_matchers(spec, ind))
        seen = f"max_over_time({instant}[{format_duration(LOST_LOOKBACK)}])"
        # absent() is 1; `* 0` makes the value read as "0% of targets up", which is true.
        return (f"{expr}\nor {kept}\n{seen} * 0\nunless {kept}\n{instant}\n"
                f"or\nabsent({selector(spec, ind.metric)}) * 0\nunless on ()\n{seen}")  # type: ignore[attr-defined]

    def inhibits_absence_watch(self, spec: Spec, alert: Alert) -> tuple[str, ...]:
        """With `absent`, the alert already says "no targets of this job in this cluster":
        the scrape-target watch's alert for the same (cluster, job) is the same incident."""
        if not alert.absent:
            return ()
        return self.kept_labels(spec, alert.indicator)

    def fixture(self, spec: Spec, alert: Alert, phases: Phases) -> tuple[Series, ValueAt]:
        ind = alert.indicator
        assert isinstance(ind, AvailabilityIndicator)
        instances = self.instances(spec, ind)
        n = len(instances)
        healthy, breach = self.sample_values(spec, alert)
        up_count = phases.spread((round(healthy * n), round(breach * n), round(healthy * n)))
        labels = base_labels(spec, ind, ind.metric)
        series: Series = {}
        for index, instance in enumerate(instances):
            series[series_key(ind.metric, {**labels, "instance": instance})] = [
                1.0 if index < up else 0.0 for up in up_count
            ]
        return series, self._oracle(alert, [up / n for up in up_count], phases.step)

    def _oracle(self, alert: Alert, instant: list[float], step: int) -> ValueAt:
        """The alert's value: the instant fraction, or its mean over the window's samples
        (promtool evaluates the recording at every step; the range is closed at both ends)."""
        if not alert.window:
            return lambda i: instant[i]
        w = alert.window // step

        def value_at(i: int) -> float | None:
            samples = instant[max(0, i - w):i + 1]
            return sum(samples) / len(samples)

        return value_at

    def fixture_step(self, ind: Indicator) -> int:
        return 60

    def extra_cases(self, spec: Spec, alert: Alert) -> list[ExtraCase]:
        """With `absent`, no series at all must fire rather than go silent; with `window`,
        flapping fires and a single failed probe does not."""
        cases = self._windowed_cases(spec, alert) if alert.window else []
        if not alert.absent:
            return cases
        step = 60
        hold = -(-alert.for_seconds // step)
        labels = dict(spec.selector_labels(alert.indicator.metric))  # type: ignore[attr-defined]
        checks: list[tuple[int, dict[str, str] | None, float]] = []
        if hold:
            checks.append((hold - 1, None, 0.0))
        checks.append((hold + 1, labels, 0.0))
        name = f"{alert.name}: no {alert.indicator.metric} series at all -> fires"  # type: ignore[attr-defined]
        return [*cases, ExtraCase(name, {}, step, tuple(checks)), *self._lost_cluster_cases(spec, alert)]

    def _lost_cluster_cases(self, spec: Spec, alert: Alert) -> list[ExtraCase]:
        """With `absent`: every target of cluster-b vanishes (stale, then nothing) while
        cluster-a stays up; the alert fires for cluster-b with its labels (so Alertmanager
        can inhibit that cluster's consequences), never without a cluster."""
        if not spec.settings.aggregation_labels:
            return []
        ind = alert.indicator
        step = self.fixture_step(ind)
        hold = -(-alert.for_seconds // step)
        n = hold + 12
        gone = 5
        labels = base_labels(spec, ind, ind.metric)  # type: ignore[attr-defined]
        series: Series = {}
        for instance in self.instances(spec, ind):
            a = {**labels, **at_cluster(spec, "cluster-a"), "instance": instance}
            b = {**labels, **at_cluster(spec, "cluster-b"), "instance": instance}
            series[series_key(ind.metric, a)] = [1.0] * n  # type: ignore[attr-defined]
            series[series_key(ind.metric, b)] = [1.0] * gone + [STALE] + [None] * (n - gone - 1)  # type: ignore[attr-defined]
        kept = self.kept_labels(spec, ind)
        where = {k: v for k, v in {**labels, **at_cluster(spec, "cluster-b")}.items() if k in kept}
        checks: list[tuple[int, Any, float]] = [(gone - 1, None, 0.0), (gone + hold + 1, where, 0.0)]
        cases = [ExtraCase(f"{alert.name}: every target of cluster-b vanishes, cluster-a up -> fires for cluster-b "
                           "only (with its cluster, not as a cluster-less absent())", series, step, tuple(checks))]
        # then cluster-a goes too: the job is gone everywhere, each cluster fires on its own
        # and absent() (no cluster) stays out, or it would be a page nothing inhibits
        everywhere = {key: [1.0] * gone + [STALE] + [None] * (n - gone - 1) for key in series}
        both = [{k: v for k, v in {**labels, **at_cluster(spec, c)}.items() if k in kept}
                for c in ("cluster-a", "cluster-b")]
        cases.append(ExtraCase(f"{alert.name}: every target of both clusters vanishes -> fires once per cluster, "
                               "never without a cluster", everywhere, step,
                               ((gone - 1, None, 0.0), (gone + hold + 1, both, 0.0))))
        return cases

    def _windowed_cases(self, spec: Spec, alert: Alert) -> list[ExtraCase]:
        ind = alert.indicator
        step = self.fixture_step(ind)
        w = alert.window // step
        hold = -(-alert.for_seconds // step)
        instances = self.instances(spec, ind)
        n = len(instances)
        length = 3 * w + hold + 6
        start = w + 2
        labels = base_labels(spec, ind, ind.metric)
        kept = self.kept_labels(spec, ind)

        def target(cluster: str, instance: str, values: list[float]) -> tuple[tuple[tuple[str, str], ...], list]:
            clustered = {**labels, **at_cluster(spec, cluster)}
            return series_key(ind.metric, {**clustered, "instance": instance}), list(values)

        # 1. flapping: in cluster-b the first target fails every other sample from `start`,
        # the others stay up; cluster-a stays up. The instant fraction is back at 100% every
        # other sample (so `for` on it never completes); the average is not.
        flap = [1.0] * start + [float((i - start) % 2) for i in range(start, length)]
        series: dict = dict([target("cluster-b", instances[0], flap)])
        for instance in instances[1:]:
            series.update([target("cluster-b", instance, [1.0] * length)])
        for instance in instances:
            series.update([target("cluster-a", instance, [1.0] * length)])
        instant = [(flap[i] + n - 1) / n for i in range(length)]
        oracle = self._oracle(alert, instant, step)
        where = {k: v for k, v in {**labels, **at_cluster(spec, "cluster-b")}.items()
                 if k in kept}
        states = _states(alert, oracle, length, step)
        cases = []
        if "firing" in states:
            first = states.index("firing")
            check = max(first, start + w + hold)
            checks: list[tuple[int, Any, float]] = [(start - 1, None, 0.0), (check, where, oracle(check))]
            cases.append(ExtraCase(f"{alert.name}: one target of cluster-b flapping (down every other "
                                   "sample), cluster-a up -> fires for cluster-b only", series, step, tuple(checks)))
        # 2. blips: one failed sample of one target, twice, further apart than the window
        blips = [1.0] * length
        blips[start] = blips[start + w + 2] = 0.0
        series = dict([target("cluster-b", instances[0], blips)])
        for instance in instances[1:]:
            series.update([target("cluster-b", instance, [1.0] * length)])
        instant = [(blips[i] + n - 1) / n for i in range(length)]
        if "firing" not in _states(alert, self._oracle(alert, instant, step), length, step):
            cases.append(ExtraCase(f"{alert.name}: single failed samples, a window apart -> silent at "
                                   "every evaluation", series, step, ((length - 1, None, 0.0),),
                                   quiet_throughout=True))
        return cases

    # -- the healthy week ----------------------------------------------------------------------
    def week_series(self, spec: Spec, ind: Indicator, week: Week) -> Series:
        assert isinstance(ind, AvailabilityIndicator)
        return {series_key(ind.metric, t): week.constant(1.0) for t in week.targets(spec, ind.metric)}

    def week_blip(self, spec: Spec, ind: Indicator, week: Week, series: Series, at: int) -> Blip | None:
        """One failed check (a failed probe; for `up`, one failed scrape) of one target."""
        assert isinstance(ind, AvailabilityIndicator)
        targets = week.targets(spec, ind.metric, week.blipped)
        series[series_key(ind.metric, targets[0])][at] = 0.0
        share = 1 - 1 / len(targets)

        def active(alert: Alert, i: int) -> bool:
            if alert.window:
                w = alert.window // week.step
                return at <= i <= at + w and alert.threshold.breached_by(1 - (1 - share) / (w + 1))
            return i == at and alert.threshold.breached_by(share)

        alerts = spec.alerts_of(ind)
        end = at + max((a.window // week.step for a in alerts), default=0) + 2
        pending, pages = judge_blip(alerts, active, at, end, week.step)
        where = self.kept_only(spec, ind, targets[0])
        where_text = f"{targets[0]['instance']} in {targets[0].get('cluster', '')}"
        return Blip(f"{ind.title}: one failed {ind.metric} of {where_text}",
                    at, self.crossing(spec, ind, where, "<", 1), at, where,
                    tuple((a, dict(where)) for a in pending), end, tuple(pages))


def _states(alert: Alert, value_at: ValueAt, length: int, step: int) -> list[str]:
    """inactive/pending/firing per evaluation, as Prometheus computes them."""
    states, since = [], None
    for i in range(length):
        value = value_at(i)
        if value is None or not alert.threshold.breached_by(value):
            since = None
            states.append("inactive")
            continue
        since = i if since is None else since
        states.append("firing" if (i - since) * step >= alert.for_seconds else "pending")
    return states
