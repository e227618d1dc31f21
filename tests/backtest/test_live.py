"""Cross-check: the backtest of a period a real Prometheus evaluated live equals what it recorded.

The end-to-end stack (simulator, Prometheus, Alertmanager, rules of the spec's `e2e`
profile: 5 s intervals, `for` capped at 20 s) runs a few minutes with incidents and a
blip switched in. Then the backtest of that period, from raw metrics with recordings
inlined, must give the same alert episodes as the ALERTS series Prometheus wrote
(pending and firing), and the same notifications per receiver as Alertmanager delivered
to the webhook sink. The backtest takes each group's phase from the server (phase.py) and
knows the recordings began when the stack started (deployed.py), so every state change
is at the same millisecond, or one evaluation later live where a scrape was committed
after the evaluation that should have read it.
"""

from __future__ import annotations

import json
import time
from collections import Counter
from typing import Any

import pytest

from generators.cli import main
from simulator.stack import Stack
from tests.conftest import SPEC_PATH

pytestmark = pytest.mark.backtest
INTERVAL = 5.0
# (seconds after the start, scenario): an RDS CPU incident, an RDS CPU blip shorter than `for`
# (12 s: two or three scrapes, so the live rules cannot miss it by evaluating just before a
# scrape is committed), the platform down (inhibition), back to healthy. Scenarios whose
# values stay far from the thresholds: a noisy one (pool usage at night) flaps around its
# threshold, and a live rule can read a scrape one evaluation later than the history has it.
TIMELINE = [(5, "rds_cpu"), (50, "healthy"), (65, "rds_cpu"), (77, "healthy"),
            (85, "platform_down"), (125, "healthy")]
SETTLE = 40  # after the last switch: alerts resolve, resolved notifications go out


def _wait(condition: Any, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(1)
    return False


def _recorded_episodes(stack: Stack, start: float, end: float) -> list[dict[str, Any]]:
    """Episodes from the raw ALERTS samples: runs of evaluations (pending, then maybe firing)."""
    window = int(end - start) + 1
    samples: dict[tuple[tuple[str, str], ...], list[tuple[float, str]]] = {}
    for series in stack.api("/api/v1/query", query=f"ALERTS[{window}s]", time=str(end))["result"]:
        labels = {k: v for k, v in series["metric"].items() if k not in ("__name__", "alertstate")}
        key = tuple(sorted(labels.items()))
        samples.setdefault(key, []).extend((float(t), series["metric"]["alertstate"]) for t, _ in series["values"])
    episodes = []
    for key, points in samples.items():
        points.sort()
        run: list[tuple[float, str]] = []
        for point in [*points, (float("inf"), "")]:
            if run and point[0] - run[-1][0] > 1.5 * INTERVAL:
                fired = [t for t, state in run if state == "firing"]
                last = run[-1][0]
                episodes.append({"labels": dict(key), "active_since": run[0][0],
                                 "fired_at": fired[0] if fired else None,
                                 "resolved_at": last + INTERVAL if last + INTERVAL <= end else None})
                run = []
            run.append(point)
    return episodes


def _backtested_episodes(doc: dict[str, Any]) -> list[dict[str, Any]]:
    out = []
    for alert in doc["result"]["alerts"]:
        for e in alert["firing_episodes"] + alert["pending_only_episodes"]:
            fired = e in alert["firing_episodes"]
            out.append({"labels": e["labels"], "active_since": e["active_since"]["unix"],
                        "fired_at": e["start"]["unix"] if fired else None,
                        "resolved_at": e["end"]["unix"] if e["end"] else None})
    return out


def _lag(backtested: float | None, live: float | None) -> float | None:
    """How much later the live edge is, when it is the same instant (to the ms) or one
    evaluation later: a scrape committed just after an evaluation read the storage is seen
    by the live rule one evaluation late, while history has every sample. None otherwise."""
    if backtested is None or live is None:
        return 0.0 if backtested is live else None
    lag = live - backtested
    return next((k * INTERVAL for k in (0, 1) if abs(lag - k * INTERVAL) <= 0.0015), None)


def test_backtest_equals_what_prometheus_and_alertmanager_did_live(capsys: pytest.CaptureFixture[str]) -> None:
    with Stack(SPEC_PATH) as stack:
        # ready: 30 s of scrapes (the backtest's warm-up of `for` before the start must not
        # see the `absent(up)` of the seconds before the first scrape) and no alert active
        assert _wait(lambda: stack.query('count_over_time(up{job="billing-platform"}[1m]) >= 6')
                     and not stack.api("/api/v1/alerts")["alerts"], timeout=120)
        start = time.time()
        sent_before = len(stack.sink.payloads)
        for at, scenario in TIMELINE:
            time.sleep(max(0.0, start + at - time.time()))
            stack.set_scenario(scenario)
        time.sleep(max(0.0, start + TIMELINE[-1][0] + SETTLE - time.time()))
        end = time.time()
        delivered = Counter(receiver for receiver, _ in stack.sink.payloads[sent_before:])
        # each delivery, when and what, for the message of a mismatch (a CI run under load once
        # had one more live notification to the platform's three receivers than the backtest)
        arrivals = zip(stack.sink.payloads[sent_before:], stack.sink.times[sent_before:], strict=False)
        live_log = [(round(t - start, 1), receiver, payload.get("status"),
                     sorted({a["labels"]["alertname"] for a in payload.get("alerts", [])}))
                    for (receiver, payload), t in arrivals]
        recorded = _recorded_episodes(stack, start, end)
        code = main(["backtest", "--quiet", "--json", "--url", stack.prometheus_url, "--profile", "e2e",
                     "--spec", str(SPEC_PATH), "--start", str(start), "--end", str(end)])
        captured = capsys.readouterr()
    assert code == 0, captured.err
    doc = json.loads(captured.out)
    backtested = _backtested_episodes(doc)

    def key(e: dict[str, Any]) -> tuple[Any, ...]:
        return (tuple(sorted(e["labels"].items())), e["fired_at"] is not None)

    assert sorted(map(key, backtested)) == sorted(map(key, recorded)), (backtested, recorded)
    by_key = {key(e): e for e in recorded}
    lags = []
    for e in backtested:
        live = by_key[key(e)]
        lags += [_lag(e[f], live[f]) for f in ("active_since", "fired_at", "resolved_at")]
        assert None not in lags, (e, live)
    names = {e["labels"]["alertname"] for e in backtested if e["fired_at"]}
    # the outage's own pages fired; its consequences (judged over windows) fire only if their
    # window reaches the line before the platform is back: they no longer fire in the recovery
    # tail (generators/inhibition.py), so either way is right here, as long as live agreed
    core = {"BillingRDSCPUHigh", "BillingPlatformDown", "BillingScrapeTargetsMissing"}
    assert core <= names <= core | {"BillingPlatformTargetDown", "BillingHealthCheckFailing"}, names
    assert any(e["labels"]["alertname"] == "BillingRDSCPUHigh" and e["fired_at"] is None for e in backtested)
    simulated = {r: n for r, n in doc["result"]["notifications"].items() if n}
    per_alert = {a["name"]: a["notifications"] for a in doc["result"]["alerts"] if a.get("notifications")}
    assert simulated == dict(delivered), (per_alert, live_log)
    print(f"\ncross-check: {len(backtested)} episodes equal ALERTS; of their {len(lags)} edges {lags.count(0.0)} "
          f"at the same ms, {len(lags) - lags.count(0.0)} one evaluation late live; "
          f"notifications {dict(sorted(delivered.items()))}")
