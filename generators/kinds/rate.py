"""rate: per-second rate of a counter; with `baseline_offsets`, also the same rate that long
ago, and alerts judge current / baseline (a drop).

With several offsets (e.g. 1w and 2w) the baseline is the LOWEST of them, and exists only
when every offset has data: one odd week (a one-off spike last week) is outvoted by the
other, so this week's normal traffic does not read as a drop. The lower baseline can only
make the alert quieter, never louder. Without every offset's history there is no baseline
and the alert stays quiet (a complete stop is a floor alert's job, which needs no history).

Without a baseline an alert judges the rate itself against an absolute floor (e.g. `<= 0`:
the flow stopped). That works from the first day, when no baseline exists yet. A counter
that vanished while its job's targets are up reads 0 too, so a stop that takes the
series with it is not "no data".
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar

from generators import naming
from generators.durations import format_duration, parse_duration
from generators.kinds.base import (
    STALE,
    UP,
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
    counter,
    fixture_step,
    for_text,
    near,
    parse_window,
    rate_at,
    series_key,
    threshold_text,
)
from generators.kinds.ratio import parse_min_rate
from generators.loader.checker import Checker, describe
from generators.loader.source import LineMap
from generators.model import Alert, Indicator, Metric, Spec, Unit
from generators.promql import agg, on, selector
from generators.templating import Part, Text, Value

MAX_BASELINE_OFFSET = 28 * 86400
MAX_OFFSETS = 4  # each offset is one more rate over the raw counter at every evaluation


@dataclass(frozen=True, kw_only=True)
class RateIndicator(Indicator):
    kind: ClassVar[str] = "rate"
    metric_fields: ClassVar[tuple[str, ...]] = ("metric",)
    metric: str
    window: int
    baseline_offsets: tuple[int, ...] = ()


class Rate(Kind):
    name = "rate"
    model = RateIndicator
    summary = "per-second rate of a counter, optionally against the same rate a while ago"
    required = ("metric", "window")
    optional = ("baseline_offset", "baseline_offsets")
    metric_types: ClassVar[dict[str, str]] = {"metric": "counter"}
    unit = "per_second"
    ops = ("<", "<=")
    alert_options = ("min_rate",)
    triage = (
        "Check whether the platform is up (PlatformDown / HealthCheckFailing) and whether "
        "clients get errors (APIErrorRateHigh).",
        "Compare with the baseline curve on the panel: a holiday or a known customer "
        "change explains a drop; silence from one large customer is worth a call.",
        "Check the ingestion queue and the client-facing endpoint for rejected traffic.",
    )

    def parse_fields(self, c: Checker, m: LineMap, path: str, fields: dict[str, Any],
                     metrics: dict[str, Metric]) -> dict[str, Any] | None:
        window = parse_window(c, m, path)
        offsets = parse_offsets(c, m, path)
        if window is None or offsets is None:
            return None
        return {"window": window, "baseline_offsets": offsets}

    def parse_alert_options(self, c: Checker, m: LineMap, path: str, ind: Indicator,
                            metrics: dict[str, Metric]) -> dict[str, Any] | None:
        assert isinstance(ind, RateIndicator)
        if not ind.baseline_offsets:
            if "min_rate" in m:
                c.error(m.key_lines["min_rate"], f"{path}.min_rate",
                        f"min_rate guards a baseline and indicators.{ind.key} has none (the alert judges "
                        "the rate itself); remove min_rate or give the indicator baseline_offsets")
                return None
            return {}
        return parse_min_rate(c, m, path)

    def windows(self, ind: Indicator) -> dict[str, int]:
        return {"window": ind.window}  # type: ignore[attr-defined]

    def threshold_unit(self, ind: Indicator) -> Unit:
        # current / baseline for a drop alert; the rate itself without a baseline (a floor)
        return "ratio" if ind.baseline_offsets else "per_second"  # type: ignore[attr-defined]

    def sample_values(self, spec: Spec, alert: Alert) -> tuple[float, float]:
        if not _baseline(alert):
            return near(alert.threshold, 1.0, 0.0, math.inf, "per_second")
        if alert.threshold.value > 1:
            raise InfeasibleThreshold("a rate alert detects a drop: the threshold is the share of the "
                                      "baseline, at most 1 (e.g. 0.5 for a 50% drop)")
        return near(alert.threshold, 0.01, 0.0, 1.0, "ratio")

    # -- rules -------------------------------------------------------------------------------
    def series_name(self, spec: Spec, ind: Indicator) -> str:
        assert isinstance(ind, RateIndicator)
        return naming.recorded(self.kept_labels(spec, ind), ind.metric, naming.windowed("rate", ind.window))

    def offset_name(self, spec: Spec, ind: RateIndicator, offset: int) -> str:
        return f"{self.series_name(spec, ind)}_offset{format_duration(offset)}"

    def baseline_name(self, spec: Spec, ind: RateIndicator) -> str:
        """The series the alert divides by: the one offset's rate, or the lowest of several."""
        if len(ind.baseline_offsets) == 1:
            return self.offset_name(spec, ind, ind.baseline_offsets[0])
        return f"{self.series_name(spec, ind)}_min_offset{'_'.join(map(format_duration, ind.baseline_offsets))}"

    def recordings(self, spec: Spec, ind: Indicator) -> list[Recording]:
        assert isinstance(ind, RateIndicator)
        labels = self.kept_labels(spec, ind)
        w = format_duration(ind.window)
        sel = selector(spec, ind.metric)
        out = [Recording(self.series_name(spec, ind), agg("sum", labels, f"rate({sel}[{w}])"))]
        for offset in ind.baseline_offsets:
            out.append(Recording(self.offset_name(spec, ind, offset),
                                 agg("sum", labels, f"rate({sel}[{w}] offset {format_duration(offset)})")))
        if len(ind.baseline_offsets) > 1:
            out.append(Recording(self.baseline_name(spec, ind), self.lowest_expr(spec, ind)))
        return out

    def lowest_expr(self, spec: Spec, ind: RateIndicator) -> str:
        """The lowest offset rate per kept labels, only where every offset has one: the
        offsets are told apart by a label (`or` matches label sets, not names), then each
        must be present, so a missing week is no baseline rather than a baseline of one."""
        labels = self.kept_labels(spec, ind)
        names = [self.offset_name(spec, ind, offset) for offset in ind.baseline_offsets]
        tagged = "\nor\n".join(f'label_replace({name}, "baseline", "{format_duration(offset)}", "", "")'
                                for name, offset in zip(names, ind.baseline_offsets, strict=True))
        present = "".join(f"\nand {on(labels)}\n{name}" for name in names)
        return agg("min", labels, f"\n{tagged}\n") + present

    def alert_expr(self, spec: Spec, alert: Alert) -> str:
        ind = alert.indicator
        assert isinstance(ind, RateIndicator)
        labels = self.kept_labels(spec, ind)
        if not ind.baseline_offsets:
            expr = super().alert_expr(spec, alert)
            if ind.by or not alert.threshold.breached_by(0.0):
                return expr
            # the counter gone while its job is up is a stop too, not "no data"
            up = agg("count", labels, f"{UP}{{{selector(spec, ind.metric).partition('{')[2]} == 1")
            return f"{expr}\nor {on(labels)}\n({up} * 0\nunless {on(labels)}\n{self.series_name(spec, ind)})"
        base = self.baseline_name(spec, ind)
        return (f"({self.series_name(spec, ind)} / {on(labels)} {base}) {threshold_text(alert.threshold)}\n"
                f"and {on(labels)}\n{base} >= {alert.min_rate:g}")

    def detection(self, spec: Spec, alert: Alert) -> str:
        ind = alert.indicator
        w = format_duration(ind.window)  # type: ignore[attr-defined]
        if not _baseline(alert):
            return f"A stop: the {w} rate reaches 0 {w} after the last event, then {for_text(alert)}."
        return (f"A complete stop: the {w} rate falls under {alert.threshold.value:g} of the baseline after about "
                f"half the window, then {for_text(alert)}.")

    def ignores(self, spec: Spec, alert: Alert) -> tuple[str, ...]:
        ind = alert.indicator
        if not _baseline(alert):
            return ("the counter vanishing together with its targets: PlatformDown pages for that",
                    "slow traffic that never reaches zero (the drop alert judges it against last week)")
        offsets = ind.baseline_offsets  # type: ignore[attr-defined]
        longest = format_duration(max(offsets))
        out = [f"no baseline: the first {longest} of a deployment, a relabel, a gap in history at any offset",
               f"a baseline under {alert.min_rate:g} events/s: nothing to compare with"]
        if len(offsets) > 1:
            out.append(f"a drop judged only against the lowest of the rates {_offsets_text(offsets)} earlier: one "
                       "odd week (a spike) is outvoted, and a dip in any of them makes that half hour quieter")
        out.append("a complete stop without a baseline: a floor alert (IngestionStopped) needs no history")
        return tuple(out)

    def describe(self, spec: Spec, alert: Alert) -> list[Part]:
        ind = alert.indicator
        assert isinstance(ind, RateIndicator)
        if not ind.baseline_offsets:
            return [Text(f"{ind.title} is "), Value("per_second"),
                    Text(f" over the last {format_duration(ind.window)}")]
        lowest = "the lower of the rates" if len(ind.baseline_offsets) > 1 else "the rate"
        return [Text(f"{ind.title} is at "), Value("ratio"),
                Text(f" of {lowest} {_offsets_text(ind.baseline_offsets)} earlier "
                     f"(each over {format_duration(ind.window)})")]

    # -- generated tests -----------------------------------------------------------------------
    def fixture_step(self, ind: Indicator) -> int:
        assert isinstance(ind, RateIndicator)
        # a week of 1m samples makes promtool slow; 5m steps when the windows allow
        offsets = ind.baseline_offsets
        return fixture_step((ind.window, *offsets), long_history=max(offsets, default=0) >= 86400)

    def history_steps(self, alert: Alert, step: int) -> int:
        return max(alert.indicator.baseline_offsets, default=0) // step  # type: ignore[attr-defined]

    def _target(self, spec: Spec, ind: RateIndicator, cluster: str, values: list[float | None],
                up: list[float | None]) -> Series:
        labels = base_labels(spec, ind, ind.metric)
        labels.update(at_cluster(spec, cluster))
        labels["instance"] = "replica-0"
        up_labels = {k: v for k, v in labels.items() if k not in ind.by}
        return {series_key(ind.metric, labels): values, series_key(UP, up_labels): up}

    def _floor_fixture(self, spec: Spec, alert: Alert, phases: Phases) -> tuple[Series, ValueAt]:
        ind = alert.indicator
        assert isinstance(ind, RateIndicator)
        step = phases.step
        healthy, breach = self.sample_values(spec, alert)
        values = counter(phases.spread((healthy * step, breach * step, healthy * step)))
        series = self._target(spec, ind, "cluster-a", values, [1.0] * len(values))
        return series, lambda i: rate_at(values, i, ind.window // step, step)

    def extra_cases(self, spec: Spec, alert: Alert) -> list[ExtraCase]:
        ind = alert.indicator
        assert isinstance(ind, RateIndicator)
        if ind.baseline_offsets:
            return self._baseline_cases(spec, alert)
        if ind.by or not alert.threshold.breached_by(0.0):
            return []
        step = self.fixture_step(ind)
        w = ind.window // step
        hold = -(-alert.for_seconds // step)
        healthy, _ = self.sample_values(spec, alert)
        n = 2 * w + hold + 8
        stop = w + 2
        flowing = counter([healthy * step] * n)
        kept = self.kept_labels(spec, ind)
        labels = {**base_labels(spec, ind, ind.metric), **at_cluster(spec, "cluster-b")}
        where = {k: v for k, v in labels.items() if k in kept}
        # 1. cluster-b's counter vanishes (stale, then nothing) while its targets stay up; a
        # failed scrape in cluster-a changes nothing there
        gone: list[float | None] = [*flowing[:stop], STALE, *([None] * (n - stop - 1))]
        gap: list[float | None] = list(flowing)
        gap[stop] = STALE
        gap_up: list[float | None] = [1.0] * n
        gap_up[stop] = 0.0
        series = self._target(spec, ind, "cluster-b", gone, [1.0] * n)
        series.update(self._target(spec, ind, "cluster-a", gap, gap_up))
        checks: list[tuple[int, Any, float]] = [(stop - 1, None, 0.0), (stop + w + hold + 1, where, 0.0)]
        cases = [ExtraCase(f"{alert.name}: cluster-b's counter vanishes while its targets are up, cluster-a "
                           "has a failed scrape -> fires for cluster-b only", series, step, tuple(checks))]
        # 2. the whole target gone (platform down): PlatformDown's page, not a second one here
        series = self._target(spec, ind, "cluster-b", gone, [*([1.0] * stop), STALE, *([None] * (n - stop - 1))])
        # (from the second sample: at the first one no rate exists yet while the target is up,
        # which is one pending evaluation, never a page)
        cases.append(ExtraCase(f"{alert.name}: counter and target vanish together -> silent at every evaluation",
                               series, step, ((n - 1, None, 0.0),), quiet_throughout=True, quiet_from=1))
        return cases

    def _baseline_rate(self, alert: Alert, step: int) -> int:
        """Events per sample of a normal baseline: well over min_rate, in whole thousands."""
        return 1000 * max(1, math.ceil(alert.min_rate * step * 10 / 1000))  # type: ignore[operator]

    def _drop_oracle(self, alert: Alert, values: list[float | None], step: int) -> ValueAt:
        """current / the lowest offset rate, None without every offset or under min_rate."""
        ind = alert.indicator
        assert isinstance(ind, RateIndicator) and alert.min_rate is not None
        w, min_rate = ind.window // step, alert.min_rate
        rates = [rate_at(values, i, w, step) for i in range(len(values))]  # read at every offset: once
        shifts = [o // step for o in ind.baseline_offsets]

        def value_at(i: int) -> float | None:
            current = rates[i] if i >= 0 else None
            bases = [rates[i - shift] if i - shift >= 0 else None for shift in shifts]
            if current is None or None in bases or min(bases) < min_rate:  # type: ignore[type-var]
                return None
            return current / min(bases)  # type: ignore[type-var]

        return value_at

    def fixture(self, spec: Spec, alert: Alert, phases: Phases) -> tuple[Series, ValueAt]:
        ind = alert.indicator
        assert isinstance(ind, RateIndicator)
        if not ind.baseline_offsets:
            return self._floor_fixture(spec, alert, phases)
        step = phases.step
        per_step = self._baseline_rate(alert, step)
        history = self.history_steps(alert, step)
        healthy, breach = self.sample_values(spec, alert)
        # the history phase (the baselines) runs at per_step; the test phases at a fraction of it
        shape = Phases(phases.healthy - history, phases.breach, phases.recovery, step)
        increments = [float(per_step)] * history + shape.spread(
            (per_step * healthy, per_step * breach, per_step * healthy))
        values = counter(increments)
        series: Series = {series_key(ind.metric, base_labels(spec, ind, ind.metric)): values}
        return series, self._drop_oracle(alert, values, step)

    def _baseline_cases(self, spec: Spec, alert: Alert) -> list[ExtraCase]:
        """A one-off spike at one offset does not turn normal traffic into a drop (with
        several offsets) nor hide a real one; a stop without history at every offset stays
        quiet. One test, one cluster per story (promtool evaluates every rule over weeks of
        history, so each test costs seconds); separate tests without aggregation labels."""
        ind = alert.indicator
        assert isinstance(ind, RateIndicator)
        step = self.fixture_step(ind)
        w = ind.window // step
        hold = -(-alert.for_seconds // step)
        per_step = float(self._baseline_rate(alert, step))
        history = self.history_steps(alert, step)
        length = 2 * w + hold + 8  # samples after the history
        end = history + length
        stop = history + w + 2
        shortest = min(ind.baseline_offsets) // step
        offset = format_duration(min(ind.baseline_offsets))
        stories: list[tuple[str, list[float | None], bool]] = []  # (what, values, fires)
        if len(ind.baseline_offsets) > 1:
            # 1. the same half hours one shortest offset ago carried 3x the traffic (a one-off
            # spike: a batch import, a load test); this week is normal. Against that offset
            # alone it is a 67% drop; against the lowest offset it is no drop at all.
            spiked = [per_step] * end
            for i in range(history - shortest - w, history - shortest + length):
                spiked[i] = 3 * per_step
            stories.append((f"{offset} ago a one-off spike (3x), now normal traffic -> silent", counter(spiked), False))
            # 2. the odd week does not hide a real drop: traffic stopping now still fires
            stories.append((f"{offset} ago a one-off spike, now traffic stops -> fires",
                            counter([*spiked[:stop], *([0.0] * (end - stop))]), True))
        # 3. history for less than the longest offset (a deployment, a relabel): no baseline;
        # traffic stopping is a floor alert's page, this alert stays quiet. With several
        # offsets the series is born one shortest offset ago: that offset has data, the
        # longer ones do not (a baseline of one week would be the odd week again).
        born = max(length, history - shortest)
        stories.append((f"history shorter than {format_duration(max(ind.baseline_offsets))}, traffic stops -> "
                        "silent (no baseline)",
                        [None] * born + counter([per_step] * (stop - born) + [0.0] * (end - stop)), False))
        clusters = [f"cluster-{chr(ord('a') + i)}" for i in range(len(stories))]
        if not spec.settings.aggregation_labels:
            clusters = [""] * len(stories)
        cases: list[ExtraCase] = []
        series: Series = {}
        firing: list[dict[str, str]] = []
        quiet: list[dict[str, str]] = []
        names: list[str] = []
        check = stop
        for cluster, (what, values, fires) in zip(clusters, stories, strict=True):
            oracle = self._drop_oracle(alert, values, step)
            first = _first_firing(alert, oracle, end, step, 0)
            if (first is not None) != fires:
                continue  # this spec's threshold or `for` does not make the story (claim only what holds)
            labels = {**base_labels(spec, ind, ind.metric), **(at_cluster(spec, cluster) if cluster else {})}
            where = {k: v for k, v in labels.items() if k in self.kept_labels(spec, ind)}
            if fires:
                firing.append(where)
                check = max(check, first or 0, stop + w + hold)  # type: ignore[arg-type]
            else:
                quiet.append(where)
            story = {series_key(ind.metric, labels): values}
            names.append(f"{cluster}: {what}" if cluster else what)
            if not cluster:
                checks: tuple = ((stop - 1, None, 0.0), (end - 1, where if fires else None, 0.0))
                cases.append(ExtraCase(f"{alert.name}: {what}", story, step, checks,
                                       quiet_throughout=not fires))
            series.update(story)
        if clusters[0] and names:
            checks = ((stop - 1, None, 0.0), (check, firing or None, 0.0))
            cases.append(ExtraCase(f"{alert.name}: " + "; ".join(names), series, step, checks,
                                   quiet_throughout=bool(quiet), quiet_where=tuple(quiet)))
        return cases

    # -- dashboards ------------------------------------------------------------------------
    def draws_threshold(self, alert: Alert) -> bool:
        return not _baseline(alert)  # a baseline's line moves with it: drawn by reference_lines

    def reference_lines(self, spec: Spec, alert: Alert,
                        filtered: Callable[[str], str]) -> list[tuple[str, str]]:
        ind = alert.indicator
        assert isinstance(ind, RateIndicator)
        if not ind.baseline_offsets:
            return []
        v = alert.threshold.value
        lowest = "the lowest of " if len(ind.baseline_offsets) > 1 else ""
        legend = f"{alert.name} line ({v:g} x {lowest}{_offsets_text(ind.baseline_offsets)} ago)"
        return [(f"{filtered(self.baseline_name(spec, ind))} * {v:g}", legend)]

    # -- the healthy week ----------------------------------------------------------------------
    def week_series(self, spec: Spec, ind: Indicator, week: Week) -> Series:
        assert isinstance(ind, RateIndicator)
        return {series_key(ind.metric, labels): week.steady(WEEK_EVENTS)
                for labels in week.series_labels(spec, ind.metric, ind.by)}




def _baseline(alert: Alert) -> bool:
    return bool(alert.indicator.baseline_offsets)  # type: ignore[attr-defined]


def _offsets_text(offsets: tuple[int, ...]) -> str:
    """(604800, 1209600) -> '1w and 2w'."""
    texts = [format_duration(o) for o in offsets]
    return texts[0] if len(texts) == 1 else f"{', '.join(texts[:-1])} and {texts[-1]}"


def _where(spec: Spec, ind: RateIndicator) -> dict[str, str]:
    kept = Rate().kept_labels(spec, ind)
    return {k: v for k, v in base_labels(spec, ind, ind.metric).items() if k in kept}


def _first_firing(alert: Alert, value_at: ValueAt, length: int, step: int, start: int) -> int | None:
    """First evaluation from `start` where the alert fires, as Prometheus computes it."""
    since = None
    for i in range(length):
        value = value_at(i)
        if value is None or not alert.threshold.breached_by(value):
            since = None
            continue
        since = i if since is None else since
        if i >= start and (i - since) * step >= alert.for_seconds:
            return i
    return None


def parse_offsets(c: Checker, m: LineMap, path: str) -> tuple[int, ...] | None:
    """`baseline_offsets: [1w, 2w]` (the lowest is the baseline) or `baseline_offset: 1w`."""
    if "baseline_offset" in m and "baseline_offsets" in m:
        c.error(m.key_lines["baseline_offsets"], f"{path}.baseline_offsets",
                "give baseline_offset or baseline_offsets, not both (baseline_offset: 1w is baseline_offsets: [1w])")
        return None
    if "baseline_offset" in m:
        offset = parse_window(c, m, path, "baseline_offset", MAX_BASELINE_OFFSET)
        return (offset,) if offset else None
    if "baseline_offsets" not in m:
        return ()
    field = f"{path}.baseline_offsets"
    items = c.value(m, "baseline_offsets", path, list, None)
    if items is None:
        return None
    if not 1 <= len(items) <= MAX_OFFSETS:
        c.error(m.key_lines["baseline_offsets"], field, f"give 1 to {MAX_OFFSETS} offsets, e.g. [1w, 2w]")
        return None
    offsets = []
    for i, item in enumerate(items):
        seconds = parse_duration(item) if isinstance(item, str) else None
        if not seconds or seconds > MAX_BASELINE_OFFSET:
            c.error(items.item_lines[i], f"{field}[{i}]", f"{describe(item)} is not a duration from 1s to "
                    f"{format_duration(MAX_BASELINE_OFFSET)}; use Prometheus durations like 1d, 1w")
            return None
        offsets.append(seconds)
    if len(set(offsets)) != len(offsets):
        c.error(m.key_lines["baseline_offsets"], field, "an offset is listed twice; list each once")
        return None
    return tuple(sorted(offsets))


WEEK_EVENTS = 100.0  # per sample and target in the healthy week
