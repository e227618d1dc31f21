"""scrape_targets: how many targets of every scrape job are up, per cluster and job, and 0
for a (cluster, job) that had targets within `lookback` and has none now.

`absent(up{job=...})` is true only when a job is gone from EVERY cluster: with several
clusters on one ruler, one cluster can vanish (its Prometheus agent, its service
discovery, the cluster itself) and nothing notices. This kind watches every job of
settings.selectors in every cluster, whatever metric catalogue entries name the job. Targets
that are down but still discovered count as gone (a stopped exporter behind a static
target is `up 0`, a series, and as blind as a vanished one). It is cheap: one `sum` over the
`up` series per evaluation, and `max_over_time` over that small recorded series (one per
cluster and job), never over raw `up`. A pair never seen
within the lookback is not watched: `absent: true` on an availability alert covers a job
that never had series (a new Prometheus with no history).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from generators.durations import format_duration
from generators.kinds.base import (
    STALE,
    UP,
    ExtraCase,
    Kind,
    Phases,
    Recording,
    Series,
    ValueAt,
    Week,
    at_cluster,
    for_text,
    near_candidates,
    parse_window,
    series_key,
)
from generators.loader.checker import Checker
from generators.loader.source import LineMap
from generators.model import Alert, Indicator, Metric, Spec
from generators.promql import agg, equal_matchers, on, render_matchers
from generators.templating import Part, Text, Value

DEFAULT_LOOKBACK = 86400
MAX_LOOKBACK = 7 * 86400
INSTANCES = ("replica-0", "replica-1")


@dataclass(frozen=True, kw_only=True)
class ScrapeTargetsIndicator(Indicator):
    kind: ClassVar[str] = "scrape_targets"
    metric_fields: ClassVar[tuple[str, ...]] = ("metric",)
    metric: str
    lookback: int = DEFAULT_LOOKBACK


class ScrapeTargets(Kind):
    name = "scrape_targets"
    absence_watch = True
    model = ScrapeTargetsIndicator
    summary = "targets up per cluster and scrape job; 0 where a recently seen job is down or vanished"
    required = ("metric",)
    optional = ("lookback",)
    metric_types: ClassVar[dict[str, str]] = {"metric": "gauge"}
    unit = "count"
    ops = ("<", "<=")
    triage = (
        "Check whether the cluster itself is up (its API, its nodes) and whether its Prometheus "
        "agent or remote-write still ships samples: a whole cluster missing is either an outage "
        "there or a monitoring outage, and both leave every other alert for that cluster blind.",
        "Check service discovery for the job in that cluster (Status -> Targets, Service "
        "Discovery) and the scrape job's selector (settings.selectors in thresholds.yaml).",
        "A cluster or job retired on purpose: silence the alert; it resolves by itself once the "
        "lookback no longer holds its series.",
    )

    def parse_fields(self, c: Checker, m: LineMap, path: str, fields: dict[str, Any],
                     metrics: dict[str, Metric]) -> dict[str, Any] | None:
        lookback = DEFAULT_LOOKBACK
        if "lookback" in m:
            lookback = parse_window(c, m, path, "lookback", MAX_LOOKBACK) or 0
            if not lookback:
                return None
        return {"lookback": lookback}

    def job_labels(self, spec: Spec) -> tuple[str, ...]:
        """Label names of the scrape-job selectors (usually just `job`)."""
        return tuple(dict.fromkeys(k for pairs in spec.settings.selectors.values() for k, _ in pairs))

    def kept_labels(self, spec: Spec, ind: Indicator) -> tuple[str, ...]:
        return tuple(dict.fromkeys((*spec.settings.aggregation_labels, *ind.by, *self.job_labels(spec))))

    def sample_values(self, spec: Spec, alert: Alert) -> tuple[float, float]:
        return near_candidates(alert.threshold, [float(k) for k in range(len(INSTANCES) + 1)])

    def count_name(self, spec: Spec, ind: Indicator) -> str:
        """The number of targets up: sum of `up`, so a target down but discovered adds 0."""
        return f"{self.level(spec, ind)}:{ind.metric}:sum"  # type: ignore[attr-defined]

    def series_name(self, spec: Spec, ind: Indicator) -> str:
        assert isinstance(ind, ScrapeTargetsIndicator)
        return f"{self.count_name(spec, ind)}_or_lost{format_duration(ind.lookback)}"

    def recordings(self, spec: Spec, ind: Indicator) -> list[Recording]:
        assert isinstance(ind, ScrapeTargetsIndicator)
        labels = self.kept_labels(spec, ind)
        jobs = " or ".join(f"{ind.metric}{{{render_matchers(equal_matchers(pairs))}}}"
                           for _, pairs in sorted(spec.settings.selectors.items()))
        count = self.count_name(spec, ind)
        lookback = format_duration(ind.lookback)
        return [
            Recording(count, agg("sum", labels, jobs)),
            # a (cluster, job) seen within the lookback and absent now reads 0, not "no data"
            Recording(self.series_name(spec, ind),
                      f"{count}\nor {on(labels)}\nmax_over_time({count}[{lookback}]) * 0"),
        ]

    def describe(self, spec: Spec, alert: Alert) -> list[Part]:
        lookback = format_duration(alert.indicator.lookback)  # type: ignore[attr-defined]
        return [Text(f"{alert.indicator.title}: "), Value("count"),
                Text(f" targets up now (the last {lookback} had some)")]

    def detection(self, spec: Spec, alert: Alert) -> str:
        return (f"Staleness markers remove a vanished target's series at once; {for_text(alert)} later it pages "
                "(the generated test shows it at the first evaluation after `for`).")

    def ignores(self, spec: Spec, alert: Alert) -> tuple[str, ...]:
        lookback = format_duration(alert.indicator.lookback)  # type: ignore[attr-defined]
        return ("some targets of a job down while one is up: PlatformTargetDown's job for the platform",
                f"a (cluster, job) without series for longer than {lookback}: retired, or never there "
                "(absent() on PlatformDown and HealthCheckFailing covers a job never seen)",
                "one replica of several vanishing: the job is still present there")

    # -- generated tests -------------------------------------------------------------------
    def fixture_step(self, ind: Indicator) -> int:
        return 60

    def _up(self, spec: Spec, ind: ScrapeTargetsIndicator, source: str, cluster: str,
            instance: str) -> tuple[tuple[str, str], ...]:
        labels = dict(spec.settings.selectors[source])
        labels.update(at_cluster(spec, cluster))
        labels["instance"] = instance
        return series_key(ind.metric, labels)

    def _where(self, spec: Spec, ind: ScrapeTargetsIndicator, source: str, cluster: str) -> dict[str, str]:
        labels = dict(spec.settings.selectors[source])
        labels.update(at_cluster(spec, cluster))
        return {k: v for k, v in labels.items() if k in self.kept_labels(spec, ind)}

    def fixture(self, spec: Spec, alert: Alert, phases: Phases) -> tuple[Series, ValueAt]:
        ind = alert.indicator
        assert isinstance(ind, ScrapeTargetsIndicator)
        source = spec.metrics[ind.metric].source
        # two replicas; the breach removes both (staleness markers, then nothing), recovery
        # brings them back (targets down but discovered: the extra cases)
        present = [True] * phases.healthy + [False] * phases.breach + [True] * phases.recovery
        series: Series = {}
        for instance in INSTANCES:
            series[self._up(spec, ind, source, "cluster-a", instance)] = vanishing(present, 1.0)
        return series, lambda i: float(len(INSTANCES)) if present[i] else 0.0

    def extra_cases(self, spec: Spec, alert: Alert) -> list[ExtraCase]:
        ind = alert.indicator
        assert isinstance(ind, ScrapeTargetsIndicator)
        if not alert.threshold.breached_by(0.0) or alert.threshold.breached_by(1.0):
            return []  # the cases below read "gone" and "one left"
        step = self.fixture_step(ind)
        hold = -(-alert.for_seconds // step)
        lost = 5
        n = lost + hold + 10
        present = [True] * lost + [False] * (n - lost)
        # every job of settings.selectors in three clusters: cluster-b vanishes whole; in
        # cluster-c every target stops but stays discovered (up 0, as a stopped exporter behind
        # a static target); cluster-a loses one replica of each job but keeps the other
        series: Series = {}
        stopped = [1.0] * lost + [0.0] * (n - lost)
        for source in sorted(spec.settings.selectors):
            for instance in INSTANCES:
                series[self._up(spec, ind, source, "cluster-b", instance)] = vanishing(present, 1.0)
                series[self._up(spec, ind, source, "cluster-c", instance)] = list(stopped)
            series[self._up(spec, ind, source, "cluster-a", INSTANCES[0])] = [1.0] * n
            series[self._up(spec, ind, source, "cluster-a", INSTANCES[1])] = vanishing(present, 1.0)
        missing = [self._where(spec, ind, source, cluster) for cluster in ("cluster-b", "cluster-c")
                   for source in sorted(spec.settings.selectors)]
        checks: list[tuple[int, Any, float]] = [(lost - 1, None, 0.0)]
        if hold:
            checks.append((lost + hold - 1, None, 0.0))
        checks.append((lost + hold, missing, 0.0))
        checks.append((n - 1, missing, 0.0))
        return [
            ExtraCase(f"{alert.name}: cluster-b loses every scrape job, cluster-c's targets stop but stay "
                      "discovered, cluster-a loses one replica of each -> fires per job for cluster-b and "
                      "cluster-c only", series, step, tuple(checks)),
            ExtraCase(f"{alert.name}: no up series ever (nothing to have lost) -> silent at every evaluation",
                      {}, step, ((n - 1, None, 0.0),), quiet_throughout=True),
        ]

    # -- the healthy week ----------------------------------------------------------------------
    def week_series(self, spec: Spec, ind: Indicator, week: Week) -> Series:
        """`up` of every target of every scrape job (failed scrapes: generators/healthy_week.py)."""
        return {series_key(UP, t): week.constant(1.0)
                for job in spec.settings.selectors.values() for t in week.job_targets(spec, job)}


def vanishing(present: list[bool], value: float) -> list[float | None]:
    """`value` while present; a staleness marker at each disappearance, then no samples."""
    out: list[float | None] = []
    for i, here in enumerate(present):
        if here:
            out.append(value)
        else:
            out.append(STALE if i > 0 and present[i - 1] else None)
    return out
