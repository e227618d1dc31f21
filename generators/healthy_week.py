"""Render the healthy-week promtool test (issue 9): every indicator's input series healthy for
the whole period on two clusters of two replicas, with the blips of a real platform laid in
at known times by the kinds themselves (Kind.week_series, Kind.week_blip), and failed
scrapes of one replica of every job. Nothing may fire at ANY evaluation: asserted on the
ALERTS history over the whole period, not at a few instants. Expression checks prove the
blips reached the indicators and made the alerts they should pending, so the test cannot
pass for lack of signal.

`up` is Prometheus' own series, one per target: a failed scrape writes up 0 and a staleness
marker on every other series of that target, which this module enforces for every `up` 0.
Every other metric's series come from the first indicator that reads it (one consistent set
per metric, whatever reads it after).
"""

from __future__ import annotations

from typing import Any

from generators.durations import format_duration
from generators.kinds import kind_of
from generators.kinds.base import STALE, UP, Blip, Series, Week
from generators.model import Spec
from generators.promql import quote
from generators.rules import RULES_FILE
from generators.unittests import render_series
from generators.yamlout import dump_yaml

WEEK_FILE = "tests/promtool/generated/healthy_week.test.yml"  # inside the test's scratch copy
# The periods, at the production evaluation interval (30s). promtool evaluates every rule at
# every step, so the file is rendered by the test (tests/test_healthy_week.py, `make
# test-week`) and not by `make build`: a week of series is about 1.5 s of rendering that
# every build would pay. Measured on 2 CPUs: a day costs 50 s of CPU with billing.rules.yml
# alone and 126 s with slo.rules.yml too (its 30d windows grow with the history, so a week
# with them would cost far more than 7 days); hence a WEEK of the guide's rules and a DAY of
# every rule file (the SLO burn alerts see the same blips).
WEEK = 7 * 86400
DAY = 86400
PERIOD = WEEK
SCRAPE_FAILURES = 2  # consecutive failed scrapes of one replica


def plan_week(spec: Spec, period: int = PERIOD) -> Week:
    step = spec.settings.evaluation_interval
    return Week(step=step, samples=period // step + 1)


def week_series(spec: Spec, week: Week) -> tuple[Series, list[Blip]]:
    """The merged series and the blips, each at its own slot of the period."""
    indicators = list(spec.indicators.values())
    jobs = list(spec.settings.selectors.values())
    slots = len(indicators) + len(jobs)
    spacing = week.samples // (slots + 1)
    series: Series = {}
    owners: set[str] = set()
    blips: list[Blip] = []
    for slot, ind in enumerate(indicators, start=1):
        kind = kind_of(ind)
        own = kind.week_series(spec, ind, week)
        names = {dict(key)["__name__"] for key in own} - {UP}
        if names & owners:  # another indicator's series already stand for this metric
            own = {k: v for k, v in own.items() if dict(k)["__name__"] not in owners}
        else:
            blip = kind.week_blip(spec, ind, week, own, slot * spacing)
            if blip is not None:
                blips.append(blip)
        owners |= names
        for key, values in own.items():
            series.setdefault(key, values)
    for slot, job in enumerate(jobs, start=len(indicators) + 1):
        at = slot * spacing
        target = week.job_targets(spec, job, week.blipped)[-1]  # the second replica
        key = (("__name__", UP), *sorted(target.items()))
        if key in series:
            series[key][at:at + SCRAPE_FAILURES] = [0.0] * SCRAPE_FAILURES
            body = ", ".join(f"{k}={quote(v)}" for k, v in target.items())
            what = (f"{SCRAPE_FAILURES} failed scrapes of {target['instance']} of "
                    f"{', '.join(f'{k} {v}' for k, v in job)} in {target.get('cluster', '')}")
            # while its scrapes fail, only the target's `up` remains: every other series is stale
            blips.append(Blip(what, at, f"count({{{body}}})", at, {}, pending_by=at))
    _stale_on_failed_scrapes(series)
    return series, blips


def _stale_on_failed_scrapes(series: Series) -> None:
    """A failed scrape (up 0) leaves a staleness marker on every other series of its target."""
    failed: dict[tuple[tuple[str, str], ...], list[int]] = {}
    for key, values in series.items():
        if dict(key)["__name__"] == UP:
            down = [i for i, v in enumerate(values) if v == 0.0]
            if down:
                failed[key[1:]] = down
    if not failed:
        return
    names = {name for target in failed for name, _ in target}
    for key, values in series.items():
        labels = dict(key)
        if labels["__name__"] == UP:
            continue
        target = tuple(sorted((k, v) for k, v in labels.items() if k in names))
        for i in failed.get(target, ()):
            values[i] = STALE


def render_healthy_week(spec: Spec, rule_files: list[str] | None = None, period: int = PERIOD) -> dict[str, str]:
    """`rule_files`: the rendered rule files (paths from the output root), all evaluated."""
    week = plan_week(spec, period)
    series, blips = week_series(spec, week)
    step = week.step
    last = week.samples - 1
    at = lambda i: format_duration(i * step)  # noqa: E731
    checks: list[dict[str, Any]] = [{
        "expr": f'count_over_time(ALERTS{{alertstate="firing"}}[{format_duration((last + 1) * step)}])',
        "eval_time": at(last),
        "exp_samples": [],
    }]
    lines = []
    for blip in blips:
        pages = f"  <- PAGES: {', '.join(blip.pages)} (its `for` is shorter than the blip)" if blip.pages else ""
        lines.append(f"#   {at(blip.start):>8}  {blip.what}{pages}")
        if blip.evidence_labels or blip.evidence.startswith("count("):
            labels = ", ".join(f"{k}={quote(v)}" for k, v in blip.evidence_labels.items())
            checks.append({"expr": blip.evidence, "eval_time": at(blip.seen_at),
                           "exp_samples": [{"labels": f"{{{labels}}}", "value": 1}]})
        span = format_duration((blip.pending_by - blip.start + 1) * step)
        for alert, labels in blip.pending:
            full = {"alertname": alert.name, "alertstate": "pending", **labels,
                    "severity": alert.severity, "team": alert.team}
            body = ", ".join(f"{k}={quote(v)}" for k, v in sorted(full.items()))
            checks.append({
                "expr": f'max_over_time(ALERTS{{alertname="{alert.name}", alertstate="pending"}}[{span}])',
                "eval_time": at(blip.pending_by),
                "exp_samples": [{"labels": f"{{{body}}}", "value": 1}],
            })
    doc = {
        "rule_files": [f"../../../{rel}" for rel in sorted(rule_files or [f"alerts/{RULES_FILE}"])],
        "evaluation_interval": format_duration(step),
        "tests": [{
            "name": f"a healthy {format_duration(period)} with blips -> nothing fires at any evaluation",
            "interval": format_duration(step),
            "input_series": render_series(series),
            "promql_expr_test": checks,
        }],
    }
    # alerts comparing with history older than the period (the drop alert's 1w and 2w baselines)
    unbased = [a.name for a in spec.alerts if kind_of(a).history_steps(a, step) * step >= period]
    header = ("# Rendered from thresholds.yaml by tests/test_healthy_week.py (make test-week).\n"
              f"# A healthy {format_duration(period)} at {format_duration(step)}: every indicator's series on "
              f"{len(week.clusters)} clusters of {len(week.replicas)} replicas, with these blips:\n"
              + "\n".join(lines) + "\n"
              "# No alert may fire at any evaluation (the ALERTS history over the whole period); the checks\n"
              "# after it prove each blip reached its indicator and made the alerts it should pending.\n"
              + "".join(f"# {name} has no baseline in so short a history: quiet by design.\n" for name in unbased)
              + "# The period and its cost: generators/healthy_week.py (PERIOD).\n")
    return {WEEK_FILE: dump_yaml(doc, header=header)}
