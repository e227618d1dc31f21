"""Generated promtool tests of every SLO alert, planned with the oracle.

Two files, one per alert policy; each test runs one scenario for every SLO at once, laid
out per SLO as events and bad events per sample and turned into raw input series by the
SLI's kind:

page (1m samples):
  - a burn just above 14.4x fires within the workbook's detection time for 14.4x over 1h
    (the name states the measured time), and resolves minutes after recovery;
  - three failed requests at night do not page (while the same alert without the
    low-traffic guard would: the oracle checks that, so the test shows the guard's effect);
  - a total outage at one request a minute pages once min_errors requests have failed.
ticket (5m samples: the long windows need days, not minute steps):
  - a sustainable burn (just under 1x) for a day fires nothing, and the budget
    remaining matches the oracle;
  - a burn just above 3x after clean days fires the ticket within 1d (the
    workbook's detection time for 3x over 1d), not the page, and resolves after recovery.
"""

from __future__ import annotations

import math
from typing import Any

from generators.durations import format_duration
from generators.kinds.base import Series
from generators.model import Spec
from generators.promql import quote
from generators.slo.model import COVERED, DAY, PAGE, SLO, TEST_MARGIN, TICKET, BurnPolicy, timing, window_text
from generators.slo.names import BUDGET_REMAINING
from generators.slo.oracle import Oracle
from generators.slo.rules import SLO_RULES_FILE
from generators.slo.sli import fixture_labels, fixture_series
from generators.slo.texts import alert_annotations, description_parts
from generators.templating import render_expected
from generators.unittests import render_series
from generators.yamlout import dump_yaml

BUSY = 10_000  # events per minute in busy tests (more for tiny budgets: see busy())
PAGE_STEP, TICKET_STEP = 60, 300
BUDGET_TOLERANCE = 1e-9


class PlanError(Exception):
    """The SLO alert does not behave as its test plan promises (a spec or generator bug)."""


def busy(slo: SLO) -> int:
    """Events per minute of a busy test: at least 50 bad events a minute at 1x, so
    a burn rate is realised to within a percent by whole counts."""
    return max(BUSY, round(50 / slo.budget))


def _at(index: int, step: int) -> str:
    return format_duration(index * step)


def _duration(seconds: int) -> str:
    return format_duration(seconds) if seconds else "0s"


def _bad(events: int, burn: float, slo: SLO) -> int:
    return round(events * burn * slo.budget)


def _relabel(labels: dict[str, str], spec: Spec, variant: str) -> dict[str, str]:
    """The scenario's own value of every aggregation label (cluster-a, cluster-b, ...)."""
    return {k: (f"{k}-{variant}" if k in spec.settings.aggregation_labels else v) for k, v in labels.items()}


class Case:
    """One scenario of one SLO: the oracle of its input and the checks planned from it."""

    def __init__(self, spec: Spec, slo: SLO, name: str, step: int, events: list[int], errors: list[int]) -> None:
        self.spec, self.slo, self.name, self.step = spec, slo, name, step
        self.oracle = Oracle(slo, step, events, errors)
        self.checks: set[tuple[int, BurnPolicy]] = set()
        self.budget_checks: list[int] = []
        self.variant = "a"
        # (variant, policy) -> labels, annotations, description parts: the same for every
        # check of the scenario (65,000 expected alerts at 100x)
        self._texts: dict[tuple[str, BurnPolicy], tuple[dict[str, str], dict[str, str], list[Any]]] = {}

    def expect(self, index: int, policy: BurnPolicy) -> None:
        """Check the alert's state at sample index as the oracle computes it."""
        self.checks.add((index, policy))

    def expect_budget(self, index: int) -> None:
        self.budget_checks.append(index)

    def pad(self, length: int) -> None:
        """Continue the last phase to `length` samples (values before stay as planned)."""
        o = self.oracle
        extra = length - o.end
        self.oracle = Oracle(self.slo, self.step, o.events + o.events[-1:] * extra, o.errors + o.errors[-1:] * extra)

    def labels(self) -> dict[str, str]:
        return _relabel(fixture_labels(self.spec, self.slo), self.spec, self.variant)

    def series(self) -> Series:
        raw = fixture_series(self.spec, self.slo, self.oracle.events, self.oracle.errors)
        return {tuple(sorted(_relabel(dict(k), self.spec, self.variant).items())): v for k, v in raw.items()}

    def expected(self, index: int, policy: BurnPolicy) -> dict[str, Any] | None:
        value = self.oracle.value(index, policy)
        if value is None:
            return None
        texts = self._texts.get((self.variant, policy))
        if texts is None:
            texts = self._texts[(self.variant, policy)] = (
                self.labels(), alert_annotations(self.spec, self.slo, policy),
                description_parts(self.spec, self.slo, policy))
        labels, annotations, parts = texts
        return {"exp_labels": {**labels, "severity": policy.severity, "team": self.slo.team},
                "exp_annotations": {**annotations, "description": render_expected(parts, value, labels)}}

    def budget_expr(self, index: int) -> dict[str, Any]:
        remaining = self.oracle.budget_remaining(index)
        assert remaining is not None
        body = ", ".join(f"{k}={quote(v)}" for k, v in sorted(self.labels().items()))
        series = f"{BUDGET_REMAINING}{{{body}}}"
        return {
            "expr": f"abs({series} - ({remaining!r})) < bool {BUDGET_TOLERANCE:g}",
            "eval_time": _at(index, self.step),
            "exp_samples": [{"labels": f"{{{body}}}", "value": 1}],
        }


def render_cases(name: str, cases: list[Case]) -> dict[str, Any]:
    """One promtool test for several scenarios and SLOs at once. promtool evaluates the whole
    rule file at every sample, so the cost of these tests is samples x rules: sharing the run
    makes it one scenario's length instead of the sum of all. The SLOs read different raw
    series; the scenarios of one SLO are told apart by their cluster label (cluster-a,
    cluster-b, ...), which every SLO series keeps. Each check lists the alerts of every
    scenario the oracle expects at that time."""
    length = max(case.oracle.end for case in cases)
    series: Series = {}
    for case in cases:
        case.pad(length)
        series.update(case.series())
    checks = sorted({(index, policy.suffix, policy) for case in cases for index, policy in case.checks},
                    key=lambda c: (c[0], c[1]))
    # the cases of each SLO, once: asking every check about every case of every SLO grew
    # with the square of the SLOs (and hashed every SLO per check)
    slos = list(dict.fromkeys(case.slo for case in cases))
    cases_of = {id(slo): [case for case in cases if case.slo is slo] for slo in slos}
    rule_tests = []
    for index, _, policy in checks:
        for slo in slos:
            alerts = [a for case in cases_of[id(slo)] if (a := case.expected(index, policy))]
            rule_tests.append({"eval_time": _at(index, cases[0].step), "alertname": slo.alert_name(policy),
                               "exp_alerts": alerts})
    test: dict[str, Any] = {
        "name": name,
        "interval": format_duration(cases[0].step),
        "input_series": render_series(series),
        "alert_rule_test": rule_tests,
    }
    exprs = [case.budget_expr(index) for case in cases for index in case.budget_checks]
    if exprs:
        test["promql_expr_test"] = exprs
    return test


def burn_of(events: int, errors: int, slo: SLO) -> float:
    return errors / events / slo.budget


# -- page ---------------------------------------------------------------------------------------
def page_fast_burn(spec: Spec, slo: SLO) -> Case:
    bw = PAGE.windows[0]
    step, per = PAGE_STEP, busy(slo)
    healthy = _bad(per, 0.5, slo)
    burning = _bad(per, bw.factor * TEST_MARGIN, slo)
    a, b = 2 * 3600 // step, 2 * 3600 // step + bw.long // step + 30
    n = b + 60
    errors = [healthy] * a + [burning] * (b - a) + [healthy] * (n - b)
    case = Case(spec, slo, "", step, [per] * n, errors)
    fired = case.oracle.first_firing(PAGE, a, b)
    if fired is None or case.oracle.first_firing(PAGE, 1, a) is not None:
        raise PlanError(f"{slo.key}: the page does not fire at {bw.factor * TEST_MARGIN:g}x, or fires while healthy")
    detection = (fired - a) * step
    if detection > bw.long:
        raise PlanError(f"{slo.key}: the page fires after {format_duration(detection)} at "
                        f"{bw.factor * TEST_MARGIN:g}x, later than the workbook's {window_text(bw.long)}")
    resolved = case.oracle.first_quiet(PAGE, b)
    if resolved is None or case.oracle.first_firing(PAGE, resolved) is not None:
        raise PlanError(f"{slo.key}: the page does not resolve after recovery")
    burn = burn_of(per, burning, slo)
    workbook = bw.factor / burn * bw.long
    case.name = (f"{slo.key} {burn:.4g}x: {_duration(detection)} (workbook {_duration(round(workbook))})/"
                 f"{_duration((resolved - b) * step)}")
    for index in (a - 1, fired - 1, fired, resolved - 1, resolved, n - 1):
        case.expect(index, PAGE)
    return case


def _night(slo: SLO, every: int, failed_at: list[int], n: int) -> tuple[list[int], list[int]]:
    events = [1 if i and i % every == 0 else 0 for i in range(n)]
    errors = [1 if i in failed_at else 0 for i in range(n)]
    return events, errors


def page_three_failures_at_night(spec: Spec, slo: SLO) -> Case:
    """Traffic low enough that three failures are a burn far above 14.4x, yet no page."""
    step = PAGE_STEP
    n = 4 * 3600 // step
    for every in (1, 2, 3, 4, 5, 6, 10, 12, 15, 20, 30, 60):
        start = 2 * 3600 // step // every * every
        failed = [start + k * every for k in range(3)]
        events, errors = _night(slo, every, failed, n)
        unguarded = Oracle(slo, step, events, errors, guard=False)
        if unguarded.first_firing(PAGE, 1) is not None:
            break
    else:
        raise PlanError(f"{slo.key}: no traffic makes three failures a page-worthy burn; the test would prove nothing")
    case = Case(spec, slo, "", step, events, errors)
    quiet = [i for i in range(1, n) if case.oracle.firing(i, PAGE)]
    if quiet:
        raise PlanError(f"{slo.key}: three failed requests page despite min_errors {slo.min_errors}")
    would = unguarded.first_firing(PAGE, 1)
    assert would is not None
    case.name = f"{slo.key} {unguarded.value(would, PAGE):.4g}x/{every}m"
    for index in sorted({failed[0], would, failed[-1], failed[-1] + 5, n - 1}):
        case.expect(index, PAGE)
    return case


def page_total_outage_at_low_traffic(spec: Spec, slo: SLO) -> Case:
    step = PAGE_STEP
    a = 2 * 3600 // step
    n = a + 3600 // step
    events = [1] * n
    errors = [0] * a + [1] * (n - a)
    case = Case(spec, slo, "", step, events, errors)
    fired = case.oracle.first_firing(PAGE, a)
    if fired is None or case.oracle.first_firing(PAGE, 1, a) is not None:
        raise PlanError(f"{slo.key}: a total outage at one request a minute does not page within an hour")
    case.name = f"{slo.key} {_duration((fired - a) * step)}"
    for index in (a - 1, fired - 1, fired):
        case.expect(index, PAGE)
    return case


# -- ticket -------------------------------------------------------------------------------------
def ticket_sustainable_burn(spec: Spec, slo: SLO) -> Case:
    step, per = TICKET_STEP, busy(slo) * TICKET_STEP // 60
    bad = math.floor(per * 0.95 * slo.budget)
    burn = burn_of(per, bad, slo)
    n = DAY // step + 1
    case = Case(spec, slo, "", step, [per] * n, [bad] * n)
    if any(case.oracle.firing(i, p) for p in (PAGE, TICKET) for i in range(1, n)):
        raise PlanError(f"{slo.key}: a sustainable burn of {burn:.4g}x fires an alert")
    case.name = f"{slo.key} {burn:.4g}x"
    for index in (DAY // step // 2, n - 1):
        case.expect(index, TICKET)
        case.expect(index, PAGE)
        case.expect_budget(index)
    return case


def ticket_slow_burn(spec: Spec, slo: SLO) -> Case:
    bw = TICKET.windows[0]
    step, per = TICKET_STEP, busy(slo) * TICKET_STEP // 60
    burning = _bad(per, bw.factor * TEST_MARGIN, slo)
    # a clean day first: the 1d window is covered when the burn starts (the 3d one is not,
    # so its 1x pair stays out of this scenario; ticket_fresh_rollout covers it)
    a = DAY // step + 12
    b = a + bw.long // step + 12
    n = b + 2 * 3600 // step  # the ticket resolves minutes after recovery (its 2h short window)
    errors = [0] * a + [burning] * (b - a) + [0] * (n - b)
    case = Case(spec, slo, "", step, [per] * n, errors)
    fired = case.oracle.first_firing(TICKET, a, b)
    if fired is None or case.oracle.first_firing(TICKET, 1, a) is not None:
        raise PlanError(f"{slo.key}: the ticket does not fire at {bw.factor * TEST_MARGIN:g}x, or fires while healthy")
    detection = (fired - a) * step
    if detection > bw.long:
        raise PlanError(f"{slo.key}: the ticket fires after {format_duration(detection)}, later than "
                        f"{window_text(bw.long)}")
    if case.oracle.first_firing(PAGE, 1) is not None:
        raise PlanError(f"{slo.key}: a {bw.factor * TEST_MARGIN:g}x burn pages")
    resolved = case.oracle.first_quiet(TICKET, b)
    if resolved is None or case.oracle.first_firing(TICKET, resolved) is not None:
        raise PlanError(f"{slo.key}: the ticket does not resolve after recovery")
    burn = burn_of(per, burning, slo)
    case.name = (f"{slo.key} {burn:.4g}x: {_duration(detection)} (workbook "
                 f"{_duration(round(bw.factor / burn * bw.long))})/{_duration((resolved - b) * step)}")
    for index in (a - 1, fired - 1, fired, resolved - 1, resolved):
        case.expect(index, TICKET)
    case.expect(fired, PAGE)
    case.expect_budget(fired)
    case.expect_budget(n - 1)
    return case


def _fresh_rollout(spec: Spec, slo: SLO, policy: BurnPolicy, step: int, per: int, length: int) -> Case:
    """Burning from the first sample on, i.e. right after a rollout: the long window holds
    only what was recorded since. The alert must stay silent until COVERED of the long window
    is recorded (while the same rules without the coverage condition would fire within
    minutes: the oracle checks that, so the test shows the condition's effect), then fire."""
    bw = policy.windows[-1]
    burning = _bad(per, bw.factor * TEST_MARGIN, slo)
    case = Case(spec, slo, "", step, [per] * length, [burning] * length)
    ungated = Oracle(slo, step, case.oracle.events, case.oracle.errors, coverage_gate=False)
    would = ungated.first_firing(policy, 1)
    fired = case.oracle.first_firing(policy, 1)
    covered = -(-round(COVERED * bw.long) // step)  # samples until the long window is covered
    if would is None or would >= covered:
        raise PlanError(f"{slo.key}: without the coverage condition the {policy.purpose} would not fire early; "
                        "the test would prove nothing")
    if fired is None or fired < covered:
        raise PlanError(f"{slo.key}: the {policy.purpose} fires before {COVERED:g} of its "
                        f"{window_text(bw.long)} window is recorded, or never")
    case.name = (f"{slo.key} {burn_of(per, burning, slo):.4g}x: silent {_duration(fired * step)} "
                 f"(ungated: {_duration(would * step)})")
    for index in sorted({would, (would + fired) // 2, fired - 1, fired}):
        case.expect(index, policy)
    return case


def page_fresh_rollout(spec: Spec, slo: SLO) -> Case:
    return _fresh_rollout(spec, slo, PAGE, PAGE_STEP, busy(slo), 7 * 3600 // PAGE_STEP)


def ticket_fresh_rollout(spec: Spec, slo: SLO) -> Case:
    # just past the point where 90% of 3d is recorded: promtool's cost grows with the run's length
    length = (round(COVERED * 3 * DAY) + 3600) // TICKET_STEP
    return _fresh_rollout(spec, slo, TICKET, TICKET_STEP, busy(slo) * TICKET_STEP // 60, length)


PLANS = {
    PAGE: (
        (page_fast_burn, "burn 10% above 14.4x pages within 1h, the workbook's detection time at 14.4x over 1h; "
                         "measured detection (incl. ~2.5m of the 5m base rate)/resolution after recovery"),
        (page_three_failures_at_night, "three failed requests at night never page; burn without the guard/request "
                                       "interval"),
        (page_total_outage_at_low_traffic, "a total outage at one request a minute pages after"),
        (page_fresh_rollout, "burn 10% above 6x from a fresh rollout: no page until 90% of the 6h window is "
                             "recorded, then the page; silent for/without the coverage condition it would fire at"),
    ),
    TICKET: (
        (ticket_sustainable_burn, "burn just under 1x for 1d fires nothing; budget remaining matches the oracle"),
        (ticket_slow_burn, "burn 10% above 3x tickets within 1d, the workbook's detection time at 3x over 1d, "
                           "never pages; budget matches the oracle; measured detection/resolution after recovery"),
        (ticket_fresh_rollout, "burn 10% above 1x from a fresh rollout: no ticket until 90% of the 3d window is "
                               "recorded, then the ticket; silent for/without the coverage condition it would fire "
                               "at"),
    ),
}
STEPS = {PAGE: PAGE_STEP, TICKET: TICKET_STEP}


def test_file(spec: Spec, policy: BurnPolicy) -> str:
    return f"alerts/tests/{spec.settings.alert_prefix}SLO{policy.suffix}.test.yml"


def policy_tests(spec: Spec, policy: BurnPolicy) -> list[dict[str, Any]]:
    """Every scenario of every SLO in one test (scenario k in cluster value k), or, when
    the spec keeps no aggregation label to tell scenarios apart, one test per scenario.
    (One run per scenario measured about 2x slower in promtool than one shared run.)"""
    plans = PLANS[policy]
    if not spec.settings.aggregation_labels:
        return [render_cases(f"{title}: " + "; ".join(c.name for c in cases), cases)
                for plan, title in plans for cases in [[plan(spec, slo) for slo in spec.slos]]]
    scenarios = []
    all_cases = []
    for k, (plan, title) in enumerate(plans):
        variant = chr(ord("a") + k)
        cases = [plan(spec, slo) for slo in spec.slos]
        for case in cases:
            case.variant = variant
        all_cases += cases
        scenarios.append(f"[{variant}] {title}: " + "; ".join(c.name for c in cases))
    return [render_cases("\n".join(scenarios), all_cases)]


def render_slo_tests(spec: Spec) -> dict[str, str]:
    """The tests load only the SLO rule file: promtool evaluates every rule of the files a
    test loads at every step, and these rules read only raw series. A profile that scales
    the SLO windows (settings.slo_day) gets no SLO tests: the tests prove production timing
    (the oracle works on the 5m grid), the end-to-end tests prove the scaled one on a real
    Prometheus."""
    files: dict[str, str] = {}
    if not spec.slos or timing(spec.settings).scaled:
        return files
    for policy in (PAGE, TICKET):
        doc = {
            "rule_files": [f"../{SLO_RULES_FILE}"],
            "evaluation_interval": format_duration(STEPS[policy]),
            "tests": policy_tests(spec, policy),
        }
        files[test_file(spec, policy)] = dump_yaml(doc)
    return files
