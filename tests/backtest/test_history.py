"""The backtest on a real Prometheus serving simulated history with known incidents.

- the incidents come out as firing episodes of exactly the right alerts, the blips as
  pending-only episodes;
- every alert state the backtest reports (pending, firing, inactive) at every episode
  boundary and every 10 minutes equals the ALERTS series promtool's rule engine writes
  when it evaluates the deployed rules (recordings not inlined) on the same samples;
- each inlined expression returns what the recorded series it replaces returns, once
  Prometheus' own rule backfill (promtool tsdb create-blocks-from rules) recorded them;
- a threshold change in --baseline-spec changes exactly the episodes it should;
- chunking does not change a result.
"""

from __future__ import annotations

import math
import re
from pathlib import Path
from typing import Any

import promql_parser as pp
import pytest
import yaml

from generators.backtest.client import PrometheusClient
from generators.backtest.engine import Engine
from generators.backtest.inline import Inliner
from generators.backtest.phase import group_phase
from generators.backtest.rulefile import parse_rule_groups
from generators.backtest.run import backtest, prepare
from generators.backtest.source import rendered_outputs
from simulator.stack import binary
from tests.backtest.conftest import (
    BLIPS,
    HOUR,
    INCIDENTS,
    RECOVERY_ALWAYS_PENDING,
    RECOVERY_TRANSIENT_HOURS,
    HistoryServer,
    backtest_json,
    distinguishing,
    run_tool,
)
from tests.backtest.history import copy_blocks, prometheus
from tests.conftest import ROOT, SPEC_PATH

pytestmark = pytest.mark.backtest
STEP = 30.0
TIMESTAMP_GAUGES = ("billing_invoice_run_started_timestamp_seconds", "billing_invoice_cycle_deadline_timestamp_seconds",
                    "billing_invoice_run_last_success_timestamp_seconds")


def _key(alertname: str, labels: dict[str, str]) -> tuple[str, tuple[tuple[str, str], ...]]:
    return alertname, tuple(sorted(labels.items()))


def test_incidents_are_firing_episodes_of_the_right_alerts_and_blips_pending_only(
        capsys: pytest.CaptureFixture[str], history: HistoryServer) -> None:
    # from half an hour in: at the history's first evaluations no rate window holds two samples
    # yet, and BillingIngestionStopped is pending there as on any freshly started Prometheus
    doc = backtest_json(capsys, history, "--start", str(history.at(0.5)))
    firing = {}
    pending = {}
    for alert in doc["result"]["alerts"]:
        for e in alert["firing_episodes"]:
            firing.setdefault(_key(alert["name"], distinguishing(e["labels"])), []).append(e)
        for e in alert["pending_only_episodes"]:
            pending.setdefault(_key(alert["name"], distinguishing(e["labels"])), []).append(e)
        assert alert["step_seconds"] == STEP
    expected = {_key(name, labels): (history.at(a), history.at(b)) for _, a, b, alerts in INCIDENTS
                for name, labels in alerts}
    assert set(firing) == set(expected)
    rules = {a["name"]: a for a in doc["result"]["alerts"]}
    for key, episodes in firing.items():
        began, ended = expected[key]
        assert len(episodes) == 1, (key, episodes)
        e = episodes[0]
        assert began + rules[key[0]]["for_seconds"] <= e["start"]["unix"] <= ended, (key, e)
        assert ended <= e["end"]["unix"] <= ended + 20 * 60, (key, e)
    blips = {_key(name, labels): (history.at(a), history.at(b)) for _, a, b, alerts in BLIPS for name, labels in alerts}
    # the platform's recovery: transients of refilling rate windows, pending only (see conftest)
    [recovered] = [history.at(b) for scenario, _, b, _ in INCIDENTS if scenario == "platform_down"]
    transient = (recovered, recovered + RECOVERY_TRANSIENT_HOURS * HOUR)
    always = {_key(name, labels) for name, labels in RECOVERY_ALWAYS_PENDING}
    assert always <= set(pending), sorted(pending)
    # Low traffic at night (the history follows the wall clock): the p95 of the few payments a
    # small provider makes in 5m can cross its line for an evaluation or two. Pending only, and
    # real: test_every_state_equals_promtool_evaluating_the_deployed_rules shows Prometheus agrees.
    noise = {key for key, episodes in pending.items()
             if dict(key[1]).get("quantile") and not (transient[0] <= episodes[0]["start"]["unix"] <= transient[1])
             and key not in blips and all(e["end"]["unix"] - e["start"]["unix"] <= 2 * STEP for e in episodes)}
    for key in noise:
        del pending[key]
    for key in set(pending) - set(blips):
        blips[key] = transient
    assert set(pending) == set(blips)
    for key, episodes in pending.items():
        began, ended = blips[key]
        assert [(began <= e["start"]["unix"] <= ended and e["end"]["unix"] <= ended + 2 * 60) for e in episodes] == [
            True], (key, episodes)
    # the platform outage: the warning is inhibited while BillingPlatformDown fires. Its 10m
    # average of `up` stays below 90% for minutes after the recovery; it used to fire on,
    # un-inhibited, and notify platform-chat after the incident. Now it drops PlatformDown's
    # recovery tail and resolves while PlatformDown still fires (its keep_firing_for): every
    # second of it firing is inhibited (generators/inhibition.py)
    target_down = rules["BillingPlatformTargetDown"]
    assert target_down["inhibited_by"].keys() == {"BillingPlatformDown"}
    [down] = rules["BillingPlatformDown"]["firing_episodes"]
    [warning] = target_down["firing_episodes"]
    assert warning["end"]["unix"] < down["end"]["unix"]
    overlap = (min(down["end"]["unix"], warning["end"]["unix"]) - max(down["start"]["unix"], warning["start"]["unix"]))
    assert 0 < target_down["inhibited_seconds"] == overlap == target_down["firing_seconds"]
    # one incident, one page: none of its consequences notifies anyone, during it or after
    for consequence in ("BillingPlatformTargetDown", "BillingHealthCheckFailing"):
        assert rules[consequence]["notifications"] == {}, (consequence, rules[consequence]["notifications"])
    assert "dba-email" in rules["BillingDatabasePoolUsageHigh"]["notifications"]


# -- oracle: promtool evaluating the deployed rules -----------------------------------------------
def _series_text(name: str, labels: tuple[tuple[str, str], ...]) -> str:
    return name + "{" + ", ".join(f'{k}="{v}"' for k, v in labels) + "}"


def _input_series(history: HistoryServer) -> list[dict[str, str]]:
    """The history as promtool input: time 0 is the history start. Gauges holding Unix times
    are shifted by the same amount, so `time() - started` is what it was."""
    out = []
    for chunk in history.chunks:
        assert chunk.times[0] == history.start and len(history.chunks) == 1
        for (name, labels), points in sorted(chunk.history.points.items()):
            shift = history.start if name in TIMESTAMP_GAUGES else 0.0
            at = dict(points)  # a down target's scrapes stored nothing: `_`, as in the backfilled blocks
            out.append({"series": _series_text(name, labels),
                        "values": " ".join(repr(at[t] - shift) if t in at else "_" for t in chunk.times)})
        for job, labels in chunk.history.target_labels.items():
            values = ["0" if down and job == "platform" else "1" for down in chunk.platform_down]
            out.append({"series": _series_text("up", tuple(sorted(labels.items()))), "values": " ".join(values)})
    return out


def _states_at(alert: dict[str, Any], t: float) -> list[dict[str, str]]:
    """ALERTS series the backtest says exist at t: pending or firing, per label set."""
    out = []
    for e in alert["firing_episodes"] + alert["pending_only_episodes"]:
        end = e["end"]["unix"] if e["end"] else math.inf
        if not (e["active_since"]["unix"] <= t < end):
            continue
        fired = e in alert["firing_episodes"] and t >= e["start"]["unix"]
        out.append({**e["labels"], "alertstate": "firing" if fired else "pending"})
    return sorted(out, key=lambda labels: sorted(labels.items()))


def _readers_last(groups: list[dict[str, Any]]) -> list[str]:
    """promtool evaluates the groups of one step in no fixed order unless told. The backtest
    (every group at phase 0 here) inlines a recording of another group as evaluated at the
    same instant, i.e. first: so a group recording what another group reads (the recovery
    tail's `...:condition`) goes before its reader, else in file order."""
    records = {g["name"]: [r["record"] for r in g["rules"] if "record" in r] for g in groups}
    reads = {g["name"]: "\n".join(r["expr"] for r in g["rules"]) for g in groups}
    order: list[str] = []

    def place(name: str, seen: tuple[str, ...]) -> None:
        if name in order or name in seen:
            return
        for other, recorded in records.items():
            if other != name and any(re.search(rf"(?<![\w:]){re.escape(r)}(?![\w:])", reads[name]) for r in recorded):
                place(other, (*seen, name))
        order.append(name)

    for group in groups:
        place(group["name"], ())
    return order


def test_every_state_equals_promtool_evaluating_the_deployed_rules(
        capsys: pytest.CaptureFixture[str], history: HistoryServer, tmp_path: Path,
        rule_groups: list[dict[str, Any]]) -> None:
    doc = backtest_json(capsys, history)
    stripped = [{**g, "rules": [{k: v for k, v in r.items() if k != "annotations"} for r in g["rules"]]}
                for g in rule_groups]
    (tmp_path / "rules.yml").write_text(yaml.safe_dump({"groups": stripped}))
    length = history.end - history.start
    tests = []
    checked_states = 0
    for alert in doc["result"]["alerts"]:
        times = {float(t) for t in range(0, int(length), 600)}
        for e in alert["firing_episodes"] + alert["pending_only_episodes"]:
            for edge in (e["active_since"]["unix"], e["start"]["unix"], *([e["end"]["unix"]] if e["end"] else [])):
                times |= {edge - history.start - STEP, edge - history.start}
        for t in sorted(x for x in times if 0 <= x < length):
            states = _states_at(alert, history.start + t)
            checked_states += len(states)
            tests.append({"expr": f'ALERTS{{alertname="{alert["name"]}"}}', "eval_time": f"{int(t)}s",
                          "exp_samples": [{"labels": _series_text("ALERTS", tuple(sorted(s.items()))), "value": 1}
                                          for s in states]})
    (tmp_path / "oracle.test.yml").write_text(yaml.safe_dump({
        "rule_files": ["rules.yml"], "evaluation_interval": "30s", "group_eval_order": _readers_last(stripped),
        "tests": [{"interval": "30s", "input_series": _input_series(history), "promql_expr_test": tests}],
    }, width=10**9))
    result = run_tool(binary("promtool"), "test", "rules", "oracle.test.yml", cwd=tmp_path)
    assert result.returncode == 0, (result.stdout + result.stderr)[-4000:]
    assert checked_states > 40  # the comparison covered real episodes, not only quiet times


# -- inlining: inlined expression == the recorded series it replaces --------------------------------
PROBES = [
    'cluster_quantile:http_request_duration_seconds:histogram_quantile_rate5m{quantile=~"0.9.*"}',
    'cluster_quantile:http_request_duration_seconds:histogram_quantile_rate5m{quantile!="0.5", cluster!~"nope|x"}',
    'cluster_job:up:avg{job="billing-platform"}',
    'cluster_job:up:avg{job="elsewhere"}',
    'cluster_job:up:avg{job=""} or cluster_job:up:avg{job!="elsewhere"}',
    "cluster:billing_invoice_run_in_progress:running_seconds offset 1h",
    "max_over_time(cluster:billing_invoice_run_in_progress:running_seconds[30m] offset 10m)",
    "rate(cluster:billing_events_received:rate5m[10m])",
    'absent(cluster_job:up:avg{job="elsewhere"})',
]


def _values(client: PrometheusClient, expr: str, start: float, end: float, step: float = STEP,
            shift: float = 0.0) -> dict[Any, list[tuple[float, float]]]:
    """The range query's series; timestamps moved back by `shift` (an inlined text's InlinedExpr.shift)."""
    out = {}
    for series in client.query_range(expr, start + shift, end + shift, step, expr):
        labels = tuple(sorted((k, v) for k, v in series["metric"].items() if k != "__name__"))
        out[labels] = [(round(float(t) - shift, 3), float(v)) for t, v in series["values"]]
    return out


def _same(a: dict[Any, list[tuple[float, float]]], b: dict[Any, list[tuple[float, float]]]) -> bool:
    if a.keys() != b.keys():
        return False
    for labels in a:
        if [t for t, _ in a[labels]] != [t for t, _ in b[labels]]:
            return False
        for (_, x), (_, y) in zip(a[labels], b[labels], strict=True):
            if not (math.isnan(x) and math.isnan(y)) and not math.isclose(x, y, rel_tol=1e-9, abs_tol=1e-12):
                return False
    return True


# Backfilled blocks cannot hold the staleness marker Prometheus writes when a recording stops
# returning a series (the platform outage ends some): with the default 5m lookback the recorded
# side would still show the last sample for 5 minutes where a live Prometheus shows nothing.
# A lookback just under the 30s interval makes the stored samples read as a live server reads
# them: a recorded sample is found at its own evaluation and gone at the next one, and a raw
# series scraped every 30 s is found at any phase. Both sides read raw series the same way.
LOOKBACK = "--query.lookback-delta=29999ms"


def _levels(recordings: list[Any]) -> list[list[Any]]:
    """Recordings in the order their inputs exist: level 0 reads raw series only."""
    names = {r.record for r in recordings}
    level: dict[str, int] = {}
    pending = list(recordings)
    while pending:
        ready = [r for r in pending if all(s.name in level for s in _selectors(r.expr) if s.name in names)]
        assert ready, [r.record for r in pending]
        for r in ready:
            level[r.record] = max([level[s.name] + 1 for s in _selectors(r.expr) if s.name in level] + [0])
        pending = [r for r in pending if r not in ready]
    return [[r for r in recordings if level[r.record] == n] for n in range(max(level.values()) + 1)]


def _record(recordings: list[Any], phases: dict[str, float], start: float, end: float, data: Path) -> int:
    """What Prometheus would have recorded: each recording rule evaluated at its group's
    instants (`phase + k * interval`), its labels added, written as its recorded name into
    the TSDB blocks of `data`; level by level, so a recording reading another reads the
    recorded samples, as in Prometheus (`promtool tsdb create-blocks-from rules` cannot)."""
    samples = 0
    for n, level in enumerate(_levels(recordings)):
        families: dict[str, list[str]] = {}
        with prometheus(data, extra_flags=[LOOKBACK]) as url:
            client = PrometheusClient(url)
            for rule in level:
                phase = phases[rule.group]
                first = math.ceil((start - phase) / rule.interval) * rule.interval + phase
                for series in client.query_range(rule.expr, first, end, rule.interval, rule.record):
                    labels = {k: v for k, v in series["metric"].items() if k != "__name__"} | dict(rule.labels)
                    text = rule.record + "{" + ",".join(f'{k}="{v}"' for k, v in sorted(labels.items())) + "}"
                    lines = families.setdefault(rule.record, [f"# TYPE {rule.record} gauge"])
                    # OpenMetrics timestamps are seconds, cut to the ms by promtool: half a ms more is exact
                    lines += [f"{text} {v} {round(float(t) * 1000) / 1000 + 0.0005:.4f}" for t, v in series["values"]]
                    samples += len(series["values"])
        source = data.parent / f"recorded-{n}.om"
        source.write_text("\n".join(line for lines in families.values() for line in lines) + "\n# EOF\n")
        result = run_tool(binary("promtool"), "tsdb", "create-blocks-from", "openmetrics", "-q", str(source), str(data))
        assert result.returncode == 0, result.stderr[-2000:]
    return samples


def _group_of(expr: str, recordings: list[Any]) -> str:
    """The group a probe stands in: that of the first recorded series it reads."""
    groups = {r.record: r.group for r in recordings}
    return next(groups[s.name] for s in _selectors(expr) if s.name in groups)


# phases Prometheus gives the groups when it loads the rules from this path (phase.py): all
# different, none 0; and every group at phase 0, the grid of a server without the rules
PHASE_SETS = {"hashed": "/etc/prometheus/rules/billing.rules.yml", "zero": None}


@pytest.mark.parametrize("phase_set", sorted(PHASE_SETS))
def test_inlined_expressions_return_what_the_recorded_series_return(history: HistoryServer, tmp_path: Path,
                                                                   phase_set: str) -> None:
    rules = parse_rule_groups(yaml.safe_load((ROOT / "alerts" / "billing.rules.yml").read_text())["groups"])
    recordings = list(rules.recordings)
    intervals = {r.group: r.interval for r in (*rules.alerts, *recordings)}
    rule_file = PHASE_SETS[phase_set]
    phases = {g: group_phase(rule_file, g, i) if rule_file else 0.0 for g, i in intervals.items()}
    if rule_file:
        assert len(set(phases.values())) == len(phases) and 0.0 not in phases.values()
    copy_blocks(history.data_dir, tmp_path / "data")
    recorded_samples = _record(recordings, phases, history.start - 86400, history.end, tmp_path / "data")
    inliner = Inliner(recordings, phases)
    probes = [(a.expr, a.group) for a in rules.alerts] + [(p, _group_of(p, recordings)) for p in PROBES]
    mismatched, compared, shifted = [], 0, 0
    with prometheus(tmp_path / "data", extra_flags=[LOOKBACK]) as url:
        client = PrometheusClient(url)
        for probe, group in probes:
            phase, interval = phases[group], intervals[group]
            # from an hour in (every window and offset of the probes reads recorded samples
            # only), at the instants the group is evaluated
            start = math.ceil((history.start + HOUR - phase) / interval) * interval + phase
            end = history.end - interval
            recorded = _values(client, probe, start, end, interval)
            inlined = inliner.inline(probe, "probe", phase, interval)
            assert not {s.name for s in _selectors(inlined.text)} & {r.record for r in recordings}
            shifted += inlined.shift > 0
            compared += sum(len(v) for v in recorded.values())
            if not _same(recorded, _values(client, inlined.text, start, end, interval, inlined.shift)):
                mismatched.append(probe)
    assert not mismatched
    assert recorded_samples > 50_000 and compared > 5_000  # real data on both sides, not two empty results
    assert shifted >= (3 if rule_file else 0)  # the ranges over recorded series needed the phase shift


def _selectors(text: str) -> list[Any]:
    found: list[Any] = []
    pp.walk(pp.parse(text), pre_visit=lambda n: found.append(n) if isinstance(n, pp.VectorSelector) else None)
    return found


# -- comparison and chunking ----------------------------------------------------------------------
def test_a_threshold_change_changes_exactly_its_episodes(capsys: pytest.CaptureFixture[str], history: HistoryServer,
                                                         tmp_path: Path) -> None:
    candidate = tmp_path / "thresholds.yaml"
    text = SPEC_PATH.read_text()
    old = "indicator: payment_success\n    threshold: {op: \"<\", value: 0.9}"
    assert old in text
    candidate.write_text(text.replace(old, old.replace("0.9", "0.5")))
    doc = backtest_json(capsys, history, "--spec", str(candidate), "--baseline-spec", str(SPEC_PATH))
    assert doc["mode"] == "compare"
    [change] = doc["changes"]
    assert (change["alert"], change["status"], change["rule_changed"]) == ("BillingPaymentSuccessRateLow", "changed",
                                                                            True)
    assert [(e["kind"], e["labels"]["provider"]) for e in change["gone"]] == [("firing", "stripe")]
    assert change["new"] == []
    before = {a["name"]: a for a in doc["baseline"]["alerts"]}
    after = {a["name"]: a for a in doc["result"]["alerts"]}
    assert after["BillingPaymentSuccessRateLow"]["firing_episodes"] == []
    for name in before.keys() - {"BillingPaymentSuccessRateLow"}:
        assert before[name]["firing_episodes"] == after[name]["firing_episodes"]


def test_chunks_of_any_size_give_the_same_result(history: HistoryServer) -> None:
    prepared = [prepare(rendered_outputs(SPEC_PATH), None, None)]
    client = PrometheusClient(history.url)
    whole, _ = backtest(Engine(client), prepared, history.start, history.end, False)
    small = Engine(client, concurrency=3, max_points=97)
    chunked, _ = backtest(small, prepared, history.start, history.end, False)
    assert small.queries_run > 10 * len(prepared[0].plans)
    assert [(a.name, a.firing, a.pending_only) for a in whole[0].alerts] == [
        (a.name, a.firing, a.pending_only) for a in chunked[0].alerts]
