"""SLOs: the spec checks, the burn-rate rules, the generated tests and the inhibition."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
import yaml

from generators.loader.build import SpecInvalid, build_spec
from generators.loader.source import parse_spec_text
from generators.model import Spec
from generators.slo.model import PAGE, TICKET
from generators.slo.oracle import Oracle
from tests.conftest import ROOT, RULES_PATH, SPEC_PATH, require_tool

SLO_RULES_PATH = ROOT / "alerts" / "slo.rules.yml"

GOOD = SPEC_PATH.read_text()


def _errors(text: str) -> str:
    with pytest.raises(SpecInvalid) as info:
        build_spec(parse_spec_text(text), "thresholds.yaml")
    return str(info.value)


def _line(text: str, needle: str) -> int:
    return text[:text.index(needle)].count("\n") + 1


CASES = [
    ("objective as percent", "    objective: 0.995\n    window: 30d\n    team: ingestion\n    rationale: >-\n      A",
     "    objective: 99.5\n    window: 30d\n    team: ingestion\n    rationale: >-\n      A", "objective: 99.5",
     ["slos.ingestion_success.objective", "not a ratio strictly between 0 and 1", "e.g. 0.995"]),
    ("objective 1", "    objective: 0.99\n    window: 30d\n    team: payments",
     "    objective: 1\n    window: 30d\n    team: payments", "objective: 1\n",
     ["slos.webhook_success.objective", "strictly between 0 and 1"]),
    ("objective too low to ever page", "    objective: 0.95\n    window: 30d", "    objective: 0.9\n    window: 30d",
     "objective: 0.9\n", ["slos.payment_success.objective", "even a total outage burns it at only 10x",
                           "at least 0.938"]),
    ("unknown indicator", "    indicator: webhook_success\n    objective",
     "    indicator: webhok_success\n    objective",
     "indicator: webhok_success", ["slos.webhook_success.indicator", "unknown indicator 'webhok_success'",
                                   "did you mean 'webhook_success'"]),
    ("wrong kind", "    indicator: api_errors\n    title: API availability",
     "    indicator: platform_up\n    title: API availability", "indicator: platform_up\n    title: API",
     ["slos.api_availability.indicator", "platform_up is a availability indicator", "ratio or quantile"]),
    ("latency not a bucket boundary", "    latency_threshold: 1\n", "    latency_threshold: 0.75\n",
     "latency_threshold: 0.75", ["slos.ingestion_latency.latency_threshold", "not a bucket boundary",
                                 "billing_event_ingestion_duration_seconds"]),
    ("latency threshold missing", "    latency_threshold: 1\n", "", "  ingestion_latency:\n    indicator",
     ["slos.ingestion_latency", "latency_threshold"]),
    ("window longer than retention", "  retention: 45d\n", "  retention: 15d\n", "    window: 30d\n    team: ingestion",
     ["slos.ingestion_success.window", "longer than settings.retention (2w1d)"]),
    ("window too short", "    objective: 0.95\n    window: 30d", "    objective: 0.95\n    window: 2d",
     "window: 2d", ["slos.payment_success.window", "shorter than 1w"]),
    ("unknown team", "    objective: 0.995\n    window: 30d\n    team: platform",
     "    objective: 0.995\n    window: 30d\n    team: platfrom", "team: platfrom",
     ["slos.api_availability.team", "unknown team 'platfrom'"]),
    ("templated rationale", "      5xx answers are ours;", "      {{ $value }} answers are ours;",
     "    rationale: >-\n      {{", ["slos.api_availability.rationale", "must not contain {{"]),
]


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_bad_slo_is_reported_precisely(case: tuple) -> None:
    _, old, new, needle, fragments = case
    assert GOOD.count(old) == 1, f"test fixture out of date: {old!r}"
    bad = GOOD.replace(old, new)
    message = _errors(bad)
    line = _line(bad, needle)
    assert f"thresholds.yaml:{line}:" in message or needle.startswith("  ingestion_latency"), message
    for fragment in fragments:
        assert fragment in message, message


def test_slo_alert_name_may_not_clash_with_an_alert() -> None:
    bad = GOOD.replace("  - name: PlatformTargetDown\n", "  - name: ApiAvailabilityErrorBudgetFastBurn\n")
    assert "has the name of an alert of the alerts section" in _errors(bad)


def test_every_slo_has_both_alerts_and_cheap_long_windows(spec: Spec) -> None:
    groups = {g["name"]: g for g in yaml.safe_load(SLO_RULES_PATH.read_text())["groups"]}
    assert not [g for g in yaml.safe_load(RULES_PATH.read_text())["groups"] if "slo" in g["name"]]
    for slo in spec.slos:
        rules = groups[f"billing.slo.{slo.key}"]["rules"]
        alerts = {r["alert"]: r for r in rules if "alert" in r}
        assert set(alerts) == {slo.alert_name(PAGE), slo.alert_name(TICKET)}
        assert alerts[slo.alert_name(PAGE)]["labels"]["severity"] == "critical"
        assert alerts[slo.alert_name(TICKET)]["labels"]["severity"] == "warning"
        for rule in rules:
            # no window longer than the 5m base reads a raw series
            # and every long window reads the series recorded once per 5m
            if "[30d]" in rule["expr"] or "[3d]" in rule["expr"] or "[1d]" in rule["expr"]:
                assert "_step5m{" in rule["expr"] and "rate(" not in rule["expr"], rule
        assert [r["alert"] for r in rules if "alert" in r] == [r.get("alert") for r in rules[-2:]]


def test_the_guard_is_what_keeps_three_night_failures_quiet(spec: Spec) -> None:
    """Without min_errors the night scenario pages; with it, it does not."""
    slo = next(s for s in spec.slos if s.key == "ingestion_success")
    events = [1 if i % 2 == 0 and i else 0 for i in range(240)]
    errors = [1 if i in (120, 122, 124) else 0 for i in range(240)]
    assert Oracle(slo, 60, events, errors, guard=False).first_firing(PAGE, 1) is not None
    assert Oracle(slo, 60, events, errors).first_firing(PAGE, 1) is None
    outage = Oracle(slo, 60, [1] * 180, [0] * 120 + [1] * 60)
    fired = outage.first_firing(PAGE, 120)
    assert fired is not None and fired - 120 <= 15


def test_inhibition_pages_once_per_incident(spec: Spec) -> None:
    rules = yaml.safe_load((ROOT / "alertmanager" / "alertmanager.yml").read_text())["inhibit_rules"]
    pairs = {(tuple(r["source_matchers"]), tuple(r["target_matchers"])): r["equal"] for r in rules}
    page, guide = "BillingPaymentSuccessErrorBudgetFastBurn", "BillingPaymentSuccessRateLow"
    assert pairs[((f'alertname="{page}"',), (f'alertname=~"{guide}"',))] == ["cluster", "provider"]
    assert pairs[((f'alertname=~"{guide}"',), (f'alertname="{page}"',))] == ["cluster", "provider"]
    ticket = "BillingPaymentSuccessErrorBudgetSlowBurn"
    assert pairs[((f'alertname="{page}"',), (f'alertname="{ticket}"',))] == ["cluster", "provider", "slo"]


def _run_broken(tmp_path: Path, broken: str, policy_file: str, slo: str, clusters: tuple[str, ...]) -> str:
    """promtool on the generated test, cut to one SLO's group and a few scenarios (cluster
    values) so the failing run costs seconds, with the broken rule file."""
    groups = [g for g in yaml.safe_load(broken)["groups"] if g["name"] == f"billing.slo.{slo}"]
    (tmp_path / "alerts" / "tests").mkdir(parents=True, exist_ok=True)
    (tmp_path / "alerts" / "slo.rules.yml").write_text(yaml.safe_dump({"groups": groups}))
    doc = yaml.safe_load((ROOT / "alerts" / "tests" / policy_file).read_text())
    kept = tuple(f'cluster="{c}"' for c in clusters)
    for test in doc["tests"]:
        test["input_series"] = [s for s in test["input_series"] if any(k in s["series"] for k in kept)]
        test["alert_rule_test"] = [
            {**t, "exp_alerts": [a for a in t["exp_alerts"] if a["exp_labels"].get("cluster") in clusters]}
            for t in test["alert_rule_test"] if slo.replace("_", "") in t["alertname"].lower()]
        test.pop("promql_expr_test", None)
    copy = tmp_path / "alerts" / "tests" / policy_file
    copy.write_text(yaml.safe_dump(doc))
    result = subprocess.run([require_tool("promtool"), "test", "rules", str(copy)], capture_output=True, text=True)
    assert result.returncode != 0
    return result.stdout + result.stderr


def test_generated_slo_tests_fail_when_the_rules_are_wrong(tmp_path: Path) -> None:
    """Lower the page factor, drop the low-traffic guard and the coverage condition in the
    rules only: promtool fails the detection-time check (the page fires early), the
    three-failures-at-night check and the fresh-rollout check."""
    rules = SLO_RULES_PATH.read_text()
    broken = (rules.replace("/ 0.005 > 14.4", "/ 0.005 > 10")
              .replace('slo:sli_errors:increase1h{slo="ingestion_success"} >= 10',
                       'slo:sli_errors:increase1h{slo="ingestion_success"} >= 1')
              .replace('slo:sli_events:coverage6h{slo="ingestion_success"} >= 0.9',
                       'slo:sli_events:coverage6h{slo="ingestion_success"} >= 0'))
    assert broken.count("/ 0.005 > 10") >= 2 and broken.count(">= 0\n") == 1
    out = _run_broken(tmp_path, broken, "BillingSLOErrorBudgetFastBurn.test.yml", "ingestion_success",
                      ("cluster-a", "cluster-b", "cluster-d"))
    assert 'cluster="cluster-a", severity="critical", slo="ingestion_success"' in out  # fast burn: fires too early
    assert 'cluster="cluster-b", severity="critical", slo="ingestion_success"' in out  # night: fires unguarded
    assert 'cluster="cluster-d", severity="critical", slo="ingestion_success"' in out  # young 6h window pages


@pytest.mark.slo_days
def test_generated_ticket_tests_fail_without_the_coverage_condition(tmp_path: Path) -> None:
    """The old bug: a 3d window holding minutes of data judged three days by them."""
    rules = SLO_RULES_PATH.read_text()
    broken = rules.replace('slo:sli_events:coverage3d{slo="api_availability"} >= 0.9',
                           'slo:sli_events:coverage3d{slo="api_availability"} >= 0')
    assert broken != rules
    out = _run_broken(tmp_path, broken, "BillingSLOErrorBudgetSlowBurn.test.yml", "api_availability", ("cluster-c",))
    assert 'cluster="cluster-c", severity="warning", slo="api_availability"' in out


def test_coverage_condition_is_what_keeps_a_young_window_quiet(spec: Spec) -> None:
    """Oracle: burning 1.5x from the first sample, the ungated ticket fires within minutes,
    the real one only once 90% of the 3d window is recorded; a burn below 1x never."""
    slo = next(s for s in spec.slos if s.key == "ingestion_success")
    n = 3 * 288
    errors = [round(6000 * 1.5 * slo.budget)] * n
    ungated = Oracle(slo, 300, [6000] * n, errors, coverage_gate=False).first_firing(TICKET, 1)
    gated = Oracle(slo, 300, [6000] * n, errors).first_firing(TICKET, 1)
    assert ungated is not None and ungated * 300 <= 3600
    assert gated is not None and gated * 300 >= 0.9 * 3 * 86400
    healthy = Oracle(slo, 300, [6000] * n, [round(6000 * 0.8 * slo.budget)] * n)
    assert healthy.first_firing(TICKET, 1) is None and healthy.first_firing(PAGE, 1) is None


def test_simulator_slow_burn_tickets_without_paging(spec: Spec) -> None:
    """The simulator's slow_burn scenario, at its event rate, through the oracle of the
    rules (5m samples): the ingestion SLO's ticket fires within a day, nothing pages, and
    the guide's 95% threshold is never crossed."""
    from simulator.platform import SCENARIOS

    params = SCENARIOS["slow_burn"]
    slo = next(s for s in spec.slos if s.key == "ingestion_success")
    assert 1 - params.event_failure_ratio > 0.95
    per_step = round(params.events_per_second * 300)
    healthy = round(per_step * SCENARIOS["healthy"].event_failure_ratio)
    bad = round(per_step * params.event_failure_ratio)
    start = 3 * 288  # three healthy days
    n = start + 288
    oracle = Oracle(slo, 300, [per_step] * n, [healthy] * start + [bad] * (n - start))
    fired = oracle.first_firing(TICKET, start)
    assert fired is not None and (fired - start) * 300 <= 86400
    assert oracle.first_firing(TICKET, 1, start) is None and oracle.first_firing(PAGE, 1) is None


def test_the_oracles_value_series_reads_like_its_pairs_one_sample_at_a_time(spec: Spec) -> None:
    """Oracle.values (every sample at once, shared by oracles on the same traffic: what the
    build plans with) against the spelled-out reading: the first burn window pair that holds
    (_holds, one sample at a time from the prefix sums) gives the value, else None; and
    Oracle.value at one sample, with and without the whole series known."""
    import random

    rng = random.Random(8)
    for slo in spec.slos:
        for step, n in ((60, 600), (300, 3 * 288 + 50)):
            events = [rng.choice((0, 1, 50, 6000)) for _ in range(n)]
            errors = [min(e, rng.choice((0, 0, 1, round(e * 0.2), e))) for e in events]
            fired = 0
            for guard, gate in ((True, True), (False, True), (True, False)):
                oracle = Oracle(slo, step, events, errors, guard=guard, coverage_gate=gate)
                for policy in (PAGE, TICKET):
                    want = [next((v for bw in policy.windows if (v := oracle._holds(i, bw)) is not None), None)
                            for i in range(n)]
                    assert oracle.values(policy) == want
                    assert [oracle.value(i, policy) for i in range(n)] == want
                    alone = Oracle(slo, step, events, errors, guard=guard, coverage_gate=gate)  # no series yet
                    assert [alone.value(i, policy) for i in range(n)] == want
                    fired += sum(v is not None for v in want)
            assert fired  # the random traffic makes the alerts fire somewhere


def test_the_oracles_base_rate_is_the_counter_difference_over_the_base_window() -> None:
    """_rate (accumulate and slices) against its definition spelled out: the counter is the
    sum of the increments after the birth sample; rate at sample i = (counter at i - counter
    at max(0, i - w)) / 5m, w = 5m / step; sample 0 has none."""
    import random

    from generators.slo.oracle import _rate

    rng = random.Random(5)
    for _ in range(500):
        step = rng.choice((10, 15, 30, 60, 100, 150, 300))
        increments = tuple(rng.choice((0, 1, 7, 10_000)) for _ in range(rng.randint(1, 120)))
        w = 300 // step
        counter = [sum(increments[1:i + 1]) for i in range(len(increments))]
        want = [None] + [(counter[i] - counter[max(0, i - w)]) / 300 for i in range(1, len(increments))]
        assert _rate(step, increments) == want
