"""What an indicator kind is, and the helpers kinds share.

A kind owns everything about itself, in one module of this package: its spec fields and
their validation, its unit, the threshold operators it allows, its recording rules and
alert expression, the description of its alerts, the synthetic series and oracle its
generated tests use, its dashboard reference lines and its generic runbook steps. The
loader, the renderers and the test generator ask the kind; none of them branches on a
kind's name. Adding a kind is one new module plus its registration in kinds/__init__.py.
"""

from __future__ import annotations

import math
import re
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass
from itertools import accumulate
from typing import Any, ClassVar

import promql_parser

from generators import naming
from generators.durations import format_duration
from generators.loader.checker import Checker
from generators.loader.source import LineMap
from generators.model import Alert, Indicator, Matcher, Metric, Op, Spec, Threshold, Unit
from generators.promql import quote, selector, series_selector
from generators.templating import Part, Text, Value

Series = dict[tuple[tuple[str, str], ...], list[float | None]]
ValueAt = Callable[[int], float | None]

# A staleness marker in a fixture series (rendered `stale`): what Prometheus writes when a
# scrape fails or a series leaves its target. NaN is never a fixture value otherwise.
STALE = math.nan


def is_stale(value: float | None) -> bool:
    return value is not None and math.isnan(value)

# Values a unit can take; a threshold needs a healthy and a breaching value inside it.
UNIT_DOMAINS: dict[str, tuple[float, float]] = {
    "ratio": (0.0, 1.0),
    "percent": (0.0, 100.0),
    "seconds": (0.0, math.inf),
    "per_second": (0.0, math.inf),
    "count": (0.0, math.inf),
    "bytes": (0.0, math.inf),
}
ALL_OPS: tuple[Op, ...] = ("<", "<=", ">", ">=")
MAX_WINDOW = 86400  # rate()/increase() windows: a day is already a trend, not an alert
MAX_FOR = 86400


@dataclass(frozen=True)
class Recording:
    record: str
    expr: str
    labels: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Phases:
    """The three phases of a generated test: healthy, breach, recovery (sample counts)."""

    healthy: int
    breach: int
    recovery: int
    step: int  # seconds per sample and per rule evaluation

    @property
    def breach_start(self) -> int:
        return self.healthy

    @property
    def recovery_start(self) -> int:
        return self.healthy + self.breach

    @property
    def end(self) -> int:
        return self.healthy + self.breach + self.recovery

    def spread(self, values: tuple[float, float, float]) -> list[float]:
        """One value per sample: values[0] while healthy, [1] in the breach, [2] after."""
        return ([values[0]] * self.healthy + [values[1]] * self.breach + [values[2]] * self.recovery)


@dataclass(frozen=True)
class ExtraCase:
    """A generated test case: input series and, per evaluation (sample index), the labels
    of the alerts expected to fire with their value, or None for no alert."""

    name: str
    series: Series
    step: int
    # per check: the labels of the alert expected to fire (a list when several fire), or None
    checks: tuple[tuple[int, dict[str, str] | list[dict[str, str]] | None, float], ...]
    # the alert must be neither pending nor firing at ANY evaluation up to the last check
    # (asserted on promtool's ALERTS history, not only at the checked instants)
    quiet_throughout: bool = False
    quiet_from: int = 0  # first sample index of that assertion (a rate needs two samples)
    pending_ok: bool = False  # only "never firing" (a blip may make the alert pending, never page)
    # with quiet_throughout: only alerts with these labels must stay quiet (one check per
    # label set; others in the same case may fire); empty: the alert as a whole
    quiet_where: tuple[dict[str, str], ...] = ()


UP = "up"  # Prometheus writes it for every target it scrapes


@dataclass(frozen=True)
class Week:
    """The healthy-week test's layout (generators/healthy_week.py): `samples` samples and rule
    evaluations `step` seconds apart, two clusters of two replicas of every scrape job."""

    step: int
    samples: int
    clusters: tuple[str, ...] = ("cluster-a", "cluster-b")
    replicas: tuple[str, ...] = ("replica-0", "replica-1")

    def targets(self, spec: Spec, metric: str, clusters: tuple[str, ...] | None = None) -> list[dict[str, str]]:
        """Labels of every scrape target exporting `metric` (of the first cluster only: `blipped`)."""
        return self.job_targets(spec, spec.selector_labels(metric), clusters)

    def series_labels(self, spec: Spec, metric: str, by: tuple[str, ...],
                      clusters: tuple[str, ...] | None = None) -> list[dict[str, str]]:
        """Labels of every series of `metric`: each target with each combination of the
        catalogue's values of the `by` labels."""
        return [{**target, **combo} for target in self.targets(spec, metric, clusters)
                for combo in label_combinations(spec, metric, by)]

    def job_targets(self, spec: Spec, job: tuple[tuple[str, str], ...],
                    clusters: tuple[str, ...] | None = None) -> list[dict[str, str]]:
        return [{**dict(job), **at_cluster(spec, cluster), "instance": replica}
                for cluster in clusters or self.clusters for replica in self.replicas]

    @property
    def blipped(self) -> tuple[str, ...]:
        """Where blips happen: every replica of the first cluster."""
        return self.clusters[:1]

    def constant(self, value: float | None) -> list[float | None]:
        return [value] * self.samples

    def steady(self, per_step: float, start: float = 0.0) -> list[float | None]:
        """A counter growing by `per_step` every sample."""
        if not per_step:
            return self.constant(start)
        if float(per_step).is_integer() and float(start).is_integer():  # the fast path (weeks of samples)
            first, per = int(start), int(per_step)
            return list(map(float, range(first, first + per * self.samples, per)))
        return [start + per_step * i for i in range(self.samples)]

    def steps(self, seconds: int) -> int:
        return max(1, seconds // self.step)


@dataclass(frozen=True)
class Blip:
    """A blip a kind laid into the healthy week at sample `start`: `evidence` (a PromQL bool
    comparison) returns 1 with `evidence_labels` at sample `seen_at` when it reached the
    indicator; `pending` are the alerts it makes pending (with their labels) by sample
    `pending_by`; `pages` the alerts whose `for` it outlasts (a finding: the week fails)."""

    what: str
    start: int
    evidence: str
    seen_at: int
    evidence_labels: dict[str, str]
    pending: tuple[tuple[Alert, dict[str, str]], ...] = ()
    pending_by: int = 0
    pages: tuple[str, ...] = ()


def label_combinations(spec: Spec, metric: str, labels: tuple[str, ...]) -> list[dict[str, str]]:
    """Every combination of the catalogue's values of `labels` (the `by` labels) on `metric`."""
    combos: list[dict[str, str]] = [{}]
    for label in labels:
        combos = [{**c, label: v} for c in combos for v in spec.metrics[metric].labels.get(label, ())]
    return combos


def bump(values: list[float | None], start: int, increments: list[float]) -> None:
    """Add the cumulated `increments` to a counter from sample `start` on."""
    total = 0.0
    for i in range(start, min(start + len(increments), len(values))):
        total += increments[i - start]
        if values[i] is not None:
            values[i] = values[i] + total  # type: ignore[operator]
    rest = start + len(increments)
    if total and rest < len(values):
        values[rest:] = [None if v is None else v + total for v in values[rest:]]


def judge_blip(alerts: tuple[Alert, ...], active: Callable[[Alert, int], bool], start: int, end: int,
               step: int) -> tuple[list[Alert], list[str]]:
    """Which alerts a blip makes pending and which it would page: `active(alert, i)` says
    whether the alert's expression holds at sample i (inactive outside start..end)."""
    pending, pages = [], []
    for alert in alerts:
        run = [i for i in range(start, end) if active(alert, i)]
        if not run:
            continue
        if not alert.for_seconds or (run[-1] - run[0]) * step >= alert.for_seconds:
            pages.append(alert.name)
        else:
            pending.append(alert)
    return pending, pages


def spike_blip(kind: Kind, spec: Spec, ind: Indicator, first: Alert, week: Week, at: int, n: int,
               where: dict[str, str]) -> Blip:
    """The Blip of a gauge-like spike laid at samples at..at+n-1: the first alert's breach
    sample value instead of its healthy one (`where`: the recorded series' labels)."""
    healthy, breach = kind.sample_values(spec, first)
    alerts = spec.alerts_of(ind)
    pending, pages = judge_blip(alerts, lambda a, i: a.threshold.breached_by(breach if at <= i < at + n else healthy),
                                at, at + n + 1, week.step)
    t = first.threshold
    return Blip(f"{ind.title}: {breach:g} for {format_duration(n * week.step)} (for "
                f"{format_duration(first.for_seconds)}) in {where.get('cluster', '')}", at,
                kind.crossing(spec, ind, where, t.op, t.value), at, where,
                tuple((a, dict(where)) for a in pending), at + n + 1, tuple(pages))



class InfeasibleThreshold(ValueError):
    """No healthy or no breaching value exists for a threshold: the alert always or never fires."""


class Kind(ABC):
    """One indicator kind. Subclasses set the class attributes and implement the methods."""

    name: ClassVar[str]
    model: ClassVar[type[Indicator]]
    summary: ClassVar[str]  # one line for docs and errors
    required: ClassVar[tuple[str, ...]] = ()  # spec fields beyond kind, title and by
    optional: ClassVar[tuple[str, ...]] = ()
    metric_types: ClassVar[dict[str, str]] = {}  # field -> metric type it must name
    unit: ClassVar[Unit | None] = None  # None: the spec declares it
    ops: ClassVar[tuple[Op, ...]] = ALL_OPS
    alert_options: ClassVar[tuple[str, ...]] = ()  # alert fields only this kind takes
    triage: ClassVar[tuple[str, ...]] = ()

    # -- spec ------------------------------------------------------------------------------
    def parse(self, c: Checker, m: LineMap, path: str, common: dict[str, Any],
              metrics: dict[str, Metric]) -> Indicator | None:
        """Build the kind's indicator from its mapping; `common` holds key/title/by/unit."""
        fields = dict(common)
        for role, mtype in self.metric_types.items():
            name = parse_metric(c, m, path, role, mtype, self.name, metrics)
            if name is None:
                return None
            fields[role] = name
        extra = self.parse_fields(c, m, path, fields, metrics)
        if extra is None:
            return None
        return self.model(**fields, **extra)

    def parse_fields(self, c: Checker, m: LineMap, path: str, fields: dict[str, Any],
                     metrics: dict[str, Metric]) -> dict[str, Any] | None:
        """Kind-specific fields beyond the metrics; None when they are invalid."""
        return {}

    def parse_alert_options(self, c: Checker, m: LineMap, path: str, ind: Indicator,
                            metrics: dict[str, Metric]) -> dict[str, Any] | None:
        """The alert fields named in `alert_options`; None when invalid."""
        return {}

    def windows(self, ind: Indicator) -> dict[str, int]:
        """Range windows the kind's rules use (field -> seconds), checked against scrapes."""
        return {}

    # -- values ----------------------------------------------------------------------------
    def threshold_unit(self, ind: Indicator) -> Unit:
        """Unit of the value alerts on this indicator judge (their $value)."""
        return ind.unit

    def alert_unit(self, alert: Alert) -> Unit:
        return self.threshold_unit(alert.indicator)

    def alert_labels(self, alert: Alert) -> dict[str, str]:
        """Labels the recorded series an alert reads carries beyond the kept ones."""
        return {}

    def check_threshold(self, spec: Spec, alert: Alert) -> str | None:
        """Why the threshold cannot work (always/never fires, untestable), or None."""
        try:
            healthy, breach = self.sample_values(spec, alert)
        except InfeasibleThreshold as exc:
            return str(exc)
        t = alert.threshold
        if t.breached_by(healthy) or not t.breached_by(breach):
            return (f"{t.value:g} is finer than the generated tests can resolve around it "
                    f"(nearest values {healthy:g} and {breach:g}); round it")
        return None

    def sample_values(self, spec: Spec, alert: Alert) -> tuple[float, float]:
        """A healthy value just on the safe side and a breach just across, as the test
        fixture realises them; InfeasibleThreshold when one does not exist."""
        lo, hi = UNIT_DOMAINS[self.alert_unit(alert)]
        d = 0.01 if self.alert_unit(alert) == "ratio" else 1.0
        return near(alert.threshold, d, lo, hi, self.alert_unit(alert))

    # -- rules -----------------------------------------------------------------------------
    def kept_labels(self, spec: Spec, ind: Indicator) -> tuple[str, ...]:
        """The labels the indicator's recorded series keep."""
        return tuple(dict.fromkeys((*spec.settings.aggregation_labels, *ind.by)))

    def kept_only(self, spec: Spec, ind: Indicator, labels: dict[str, str]) -> dict[str, str]:
        """`labels` narrowed to those the indicator's recorded series keep."""
        kept = self.kept_labels(spec, ind)
        return {k: v for k, v in labels.items() if k in kept}

    def crossing(self, spec: Spec, ind: Indicator, where: dict[str, str], op: str, value: float) -> str:
        """PromQL that is 1 where the indicator's recorded series (at `where`) is `op value`:
        the evidence that a healthy-week blip reached the indicator."""
        body = ", ".join(f"{k}={quote(v)}" for k, v in where.items())
        return f"{self.series_name(spec, ind)}{{{body}}} {op} bool {round(value, 6):g}"

    def level(self, spec: Spec, ind: Indicator) -> str:
        return naming.level(self.kept_labels(spec, ind))

    @abstractmethod
    def series_name(self, spec: Spec, ind: Indicator) -> str:
        """The recorded series that carries the indicator's headline value."""

    @abstractmethod
    def recordings(self, spec: Spec, ind: Indicator) -> list[Recording]:
        """Recording rules, in evaluation order."""

    def series_matchers(self, spec: Spec, ind: Indicator) -> tuple[Matcher, ...]:
        """Matchers that select the indicator's own series among same-named recordings."""
        return ()

    def alert_series(self, spec: Spec, alert: Alert) -> str:
        """The selector of the recorded series the alert reads."""
        return series_selector(self.series_name(spec, alert.indicator), self.series_matchers(spec, alert.indicator))

    def alert_expr(self, spec: Spec, alert: Alert) -> str:
        return f"{self.alert_series(spec, alert)} {threshold_text(alert.threshold)}"

    def describe(self, spec: Spec, alert: Alert) -> list[Part]:
        """The start of the alert's description (where and threshold follow)."""
        return [Text(f"{alert.indicator.title} is "), Value(self.alert_unit(alert))]

    def inhibits_absence_watch(self, spec: Spec, alert: Alert) -> tuple[str, ...]:
        """Labels on which the alert makes the absence watch's alert (a kind with
        `absence_watch`) redundant, so Alertmanager inhibits it; () when it does not."""
        return ()

    absence_watch: ClassVar[bool] = False  # the kind's alerts watch scrape jobs vanishing
    # the kind reads gauges at an instant (through `held_gauge`): a failed scrape would blank
    # the value for one evaluation, which resets `for` and resolves a firing alert
    reads_gauges: ClassVar[bool] = False

    def worst_replica(self, alert: Alert) -> bool:
        """Whether the alert's value is the worst replica's (a healthy twin beside a breaching
        replica changes nothing), so the generated gauge fault case may add such a twin."""
        return False

    def recovery_window(self, alert: Alert) -> int:
        """Seconds the alert's expression keeps reading data from before now (its longest
        smoothing window): after a cause recovers, the alert may hold the outage this long
        (generators/inhibition.py). 0: it judges the present only. Baseline offsets and
        "seen within a day" lookbacks are memories, not smoothing: they never keep a
        recovered outage breaching."""
        return max((*self.windows(alert.indicator).values(), alert.window), default=0)

    # -- runbook -----------------------------------------------------------------------------
    def detection(self, spec: Spec, alert: Alert) -> str:
        """How soon a clear breach pages, for the runbook."""
        return f"{for_text(alert)} after the value crosses the line (plus up to one evaluation)."

    def ignores(self, spec: Spec, alert: Alert) -> tuple[str, ...]:
        """What the alert deliberately does not see, for the runbook."""
        window = max(self.windows(alert.indicator).values(), default=0)
        short = f"anything shorter than `for` ({format_duration(alert.for_seconds)})" if alert.for_seconds else ""
        if window:
            short = (f"spikes that do not keep the {format_duration(window)} window over the line "
                     f"for {format_duration(alert.for_seconds)}")
        vanish = (f"its input series vanishing: with no {', '.join(alert.indicator.metrics())} series the "
                  "alert cannot fire (ScrapeTargetsMissing sees a whole job vanish, not one series)")
        gaps = (f"failed scrapes for up to {format_duration(gauge_hold(spec))}: the gauge's last sample stands in "
                "(a series gone for longer reads as gone)") if self.reads_gauges else ""
        return tuple(x for x in (short, gaps, vanish) if x)

    # -- generated tests -------------------------------------------------------------------
    def fixture_step(self, ind: Indicator) -> int:
        return fixture_step(tuple(self.windows(ind).values()))

    def settle_steps(self, alert: Alert, step: int) -> int:
        """Samples a phase needs before the indicator shows it (its longest window: the
        indicator's or the alert's own averaging window)."""
        return max(self.recovery_window(alert) // step, 1)

    def history_steps(self, alert: Alert, step: int) -> int:
        """Samples before the healthy phase (baselines)."""
        return 0

    @abstractmethod
    def fixture(self, spec: Spec, alert: Alert, phases: Phases) -> tuple[Series, ValueAt]:
        """Input series for the three phases and the oracle of the indicator's value."""

    def extra_cases(self, spec: Spec, alert: Alert) -> list[ExtraCase]:
        """Test cases beyond healthy -> breach -> recovery."""
        return []

    # -- the healthy week (generators/healthy_week.py) ---------------------------------------
    @abstractmethod
    def week_series(self, spec: Spec, ind: Indicator, week: Week) -> Series:
        """The indicator's input series, healthy for the whole week, on every target."""

    def week_blip(self, spec: Spec, ind: Indicator, week: Week, series: Series, at: int) -> Blip | None:
        """Lay the kind's realistic blip into `series` (from week_series) at sample `at`;
        None when no blip applies (e.g. any failure is meant to page)."""
        return None

    # -- dashboards ------------------------------------------------------------------------
    def draws_threshold(self, alert: Alert) -> bool:
        """Whether the alert's threshold is a fixed line on the indicator's panel."""
        return True

    def reference_lines(self, spec: Spec, alert: Alert,
                        filtered: Callable[[str], str]) -> list[tuple[str, str]]:
        """Extra (expr, legend) panel targets that draw a moving threshold;
        `filtered(name)` is a recorded series of the indicator with the dashboard filters."""
        return []

    def dashboard_matchers(self, spec: Spec, ind: Indicator) -> tuple[Matcher, ...]:
        return self.series_matchers(spec, ind)


# -- spec helpers ------------------------------------------------------------------------------
def parse_metric(c: Checker, m: LineMap, path: str, role: str, mtype: str, kind: str,
                 metrics: dict[str, Metric]) -> str | None:
    name = c.value(m, role, path, str, "")
    if not name:
        return None
    if not c.reference(m.key_lines[role], f"{path}.{role}", "metrics", "metric", name, metrics,
                       "add it to the metrics catalogue first"):
        return None
    if metrics[name].type != mtype:
        c.error(m.key_lines[role], f"{path}.{role}",
                f"{name} is a {metrics[name].type}; a {kind} indicator needs a {mtype}")
        return None
    return name


def parse_window(c: Checker, m: LineMap, path: str, key: str = "window", maximum: int = MAX_WINDOW) -> int | None:
    seconds = c.duration(m, key, path, maximum=maximum)
    if key in m and seconds <= 0:
        if not any(e.field == f"{path}.{key}" for e in c.errors):
            c.error(m.key_lines[key], f"{path}.{key}", "must be longer than 0s")
        return None
    return seconds


def parse_matchers(text: str) -> tuple[Matcher, ...] | str:
    """A PromQL label-matcher list ('outcome="failure"') or the reason it is not one."""
    if "\n" in text or "\r" in text:
        return "write the matchers on one line"
    try:
        expr = promql_parser.parse(f"m{{{text}}}")
    except Exception as exc:  # the parser raises plain exceptions with its message
        return f"not a valid label matcher list ({str(exc)[:120]}); write e.g. outcome=\"failure\""
    ops = {"MatchOp.Equal": "=", "MatchOp.NotEqual": "!=", "MatchOp.Re": "=~", "MatchOp.NotRe": "!~"}
    matchers = []
    for m in expr.matchers.matchers:
        op = ops.get(str(m.op))
        if op is None or m.name == "__name__":
            return "write plain label matchers (label=\"value\", !=, =~, !~), not a metric name"
        if op in ("=~", "!~") and (problem := regex_problem(m.value)):
            return problem
        matchers.append(Matcher(m.name, op, m.value))  # type: ignore[arg-type]
    if not matchers:
        return "give at least one matcher, e.g. outcome=\"failure\""
    return tuple(matchers)


# RE2 (what Prometheus uses) has no backreferences or lookaround; Python's re lacks \p{..}.
_RE2_UNSUPPORTED = re.compile(r"\\[1-9]|\(\?[=!<]|\(\?P=")


def regex_problem(pattern: str) -> str | None:
    if _RE2_UNSUPPORTED.search(pattern):
        return "Prometheus regexes (RE2) have no backreferences or lookaround"
    if "\\p" in pattern or "\\P" in pattern:
        return "write Unicode classes out (e.g. [0-9]) instead of \\p{...}; the fixtures evaluate the regex"
    try:
        re.compile(pattern)
    except re.error as exc:
        return f"not a valid regex: {exc}"
    return None


def matcher_matches(matcher: Matcher, value: str) -> bool:
    if matcher.op in ("=", "!="):
        equal = value == matcher.value
        return equal if matcher.op == "=" else not equal
    full = re.fullmatch(matcher.value, value) is not None
    return full if matcher.op == "=~" else not full


def example_values(metric: Metric, matcher: Matcher) -> tuple[str, str] | None:
    """A catalogue value the matcher selects and one it does not (fixtures need both)."""
    values = metric.labels.get(matcher.label, ())
    hits = [v for v in values if matcher_matches(matcher, v)]
    misses = [v for v in values if not matcher_matches(matcher, v)]
    return (hits[0], misses[0]) if hits and misses else None


def threshold_text(t: Threshold) -> str:
    return f"{t.op} {t.value:g}"


# -- fixture helpers ----------------------------------------------------------------------------
def fixture_step(windows: tuple[int, ...], long_history: bool = False) -> int:
    """Seconds between samples: the largest that divides every window. When weeks of
    history must be laid out, up to 15m as long as each window still spans two steps
    (three samples; rate() needs its two ends): promtool evaluates the whole rule file at
    every step, so a 2-week history at 5m costs about a minute, at 15m a third of it."""
    if long_history:
        for step in (900, 600, 300):
            if all(w % step == 0 and w >= 2 * step for w in windows):
                return step
    for step in (60, 30, 15, 10, 5, 1):
        if all(w % step == 0 for w in windows):
            return step
    return 1


def near(t: Threshold, d: float, lo: float, hi: float, unit: str = "") -> tuple[float, float]:
    """A healthy value just on the safe side of the threshold and a breach just across,
    inside [lo, hi] (falling back to the domain's edge or the threshold itself)."""
    if t.op in ("<", "<="):
        healthy_first, breach_first = t.value + d, t.value - d
    else:
        healthy_first, breach_first = t.value - d, t.value + d

    def pick(first: float, breach: bool) -> float | None:
        for candidate in (first, min(max(first, lo), hi), t.value):
            candidate = round(candidate, 6)
            if lo <= candidate <= hi and t.breached_by(candidate) == breach:
                return candidate
        return None

    healthy, breach = pick(healthy_first, False), pick(breach_first, True)
    what = f"a {unit} " if unit else ""
    if breach is None:
        raise InfeasibleThreshold(f"{what}value is never {t.op} {t.value:g} (range {lo:g} to {hi:g}), "
                                  "so the alert could never fire")
    if healthy is None:
        raise InfeasibleThreshold(f"every {what}value is {t.op} {t.value:g} (range {lo:g} to {hi:g}), "
                                  "so the alert would always fire")
    return healthy, breach


def near_candidates(t: Threshold, candidates: list[float]) -> tuple[float, float]:
    """The healthy and the breaching candidate closest to the threshold."""
    healthy = [c for c in candidates if not t.breached_by(c)]
    breach = [c for c in candidates if t.breached_by(c)]
    if not breach:
        raise InfeasibleThreshold(f"no possible value is {t.op} {t.value:g}, so the alert could never fire")
    if not healthy:
        raise InfeasibleThreshold(f"every possible value is {t.op} {t.value:g}, so the alert would always fire")
    distance = lambda c: abs(c - t.value)  # noqa: E731
    return min(healthy, key=distance), min(breach, key=distance)


GAUGE_HOLD_SCRAPES = 4


def gauge_hold(spec: Spec) -> int:
    """Seconds a gauge's last sample stands in for failed scrapes: four scrape intervals (the
    shortest range the rules use anywhere), so up to three failed scrapes in a row do not
    blank the value; a series that is really gone reads as gone this much later."""
    return GAUGE_HOLD_SCRAPES * spec.settings.scrape_interval


def held_gauge(spec: Spec, metric: str) -> str:
    """`last_over_time(metric{selector}[hold])`: the gauge's latest sample, across a failed
    scrape's staleness marker (range selectors skip markers; an instant selector does not)."""
    return f"last_over_time({selector(spec, metric)}[{format_duration(gauge_hold(spec))}])"


def base_labels(spec: Spec, ind: Indicator, metric: str) -> dict[str, str]:
    """Labels of a fixture series: its job selector, one value per aggregation and by label."""
    labels = dict(spec.selector_labels(metric))
    for label in spec.settings.aggregation_labels:
        labels[label] = f"{label}-a"
    for label in ind.by:
        labels[label] = spec.metrics[metric].labels[label][0]
    return labels


def series_key(name: str, labels: dict[str, str]) -> tuple[tuple[str, str], ...]:
    return (("__name__", name), *sorted(labels.items()))


def counter(increments: list[float]) -> list[float | None]:
    """Running totals from 0.0, added left to right (accumulate does the same additions in C)."""
    values: list[float | None] = list(accumulate(increments, initial=0.0))
    del values[0]
    return values


def rate_at(values: list[float | None], i: int, w: int, step: int) -> float | None:
    """rate() over w steps ending at sample i, with samples at both ends of the range."""
    if i - w < 0 or values[i] is None or values[i - w] is None:
        return None
    return (values[i] - values[i - w]) / (w * step)  # type: ignore[operator]


def for_text(alert: Alert) -> str:
    return f"`for` {format_duration(alert.for_seconds)}" if alert.for_seconds else "it fires at once (no `for`)"


def at_cluster(spec: Spec, cluster: str) -> dict[str, str]:
    """Aggregation label values of a fixture placed in "cluster-a" or "cluster-b": each
    label gets its own value (cluster="cluster-b", region="region-b"), as base_labels does."""
    suffix = cluster.removeprefix("cluster")
    return {label: f"{label}{suffix}" for label in spec.settings.aggregation_labels}
