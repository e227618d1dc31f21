"""make demo: the simulator, Prometheus and Alertmanager on 127.0.0.1, with a timeline.

Type a scenario name and Enter to switch (healthy, or an incident); `--incident NAME
--after SECONDS` switches by itself. Each line of the timeline is an alert becoming
pending, firing, resolved, or a notification reaching a receiver. Ctrl-C or SIGTERM, at any
point (the history backfill included), stops everything quietly and removes the temp dir;
if the demo is killed, its servers die with it and the next start removes the temp dir.
"""

from __future__ import annotations

import argparse
import queue
import sys
import threading
import time
from pathlib import Path

from generators.console import emit
from generators.loader.build import SpecInvalid
from simulator.platform import SCENARIOS
from simulator.processes import StopRequested, stop_signals
from simulator.stack import HISTORY_HOURS, Stack


class Timeline:
    def __init__(self) -> None:
        self.started = time.monotonic()

    def say(self, text: str) -> None:
        emit(f"[{time.monotonic() - self.started:6.1f}s] {text}")


def _alert_key(alert: dict) -> str:
    labels = {k: v for k, v in alert["labels"].items() if k not in ("alertname", "severity", "team")}
    where = ",".join(f'{k}="{v}"' for k, v in sorted(labels.items()))
    return f"{alert['labels']['alertname']}{{{where}}}"


def _stdin_lines(lines: queue.Queue[str]) -> None:
    for line in sys.stdin:
        lines.put(line.strip())


def run_demo(spec: Path, incident: str | None, after: float, duration: float | None,
             history_hours: float = HISTORY_HOURS) -> int:
    timeline = Timeline()
    try:
        with Stack(spec, history=history_hours > 0, history_hours=history_hours, progress=timeline.say) as stack:
            _follow(stack, timeline, incident, after, duration)
    except StopRequested:
        timeline.say("stopped by a signal")
    timeline.say("stopped: Prometheus, Alertmanager and the simulator are down, temp dir removed")
    return 0


def _follow(stack: Stack, timeline: Timeline, incident: str | None, after: float, duration: float | None) -> None:
    timeline.say(f"Prometheus   {stack.prometheus_url}/alerts  (graph: {stack.prometheus_url}/graph)")
    timeline.say(f"Alertmanager {stack.alertmanager_url}/#/alerts")
    timeline.say(f"Simulator    {stack.sim_server.url}/platform/metrics  (scenario: {stack.simulator.scenario})")
    timeline.say("Scenarios: " + ", ".join(SCENARIOS) + ". Type one and Enter to switch; Ctrl-C stops.")
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=_stdin_lines, args=(lines,), daemon=True).start()
    states: dict[str, str] = {}
    seen_payloads = 0
    switched = incident is None
    while duration is None or time.monotonic() - timeline.started < duration:
        if not switched and time.monotonic() - timeline.started >= after:
            lines.put(incident or "")
            switched = True
        while not lines.empty():
            name = lines.get()
            if name in SCENARIOS:
                stack.set_scenario(name)
                timeline.say(f"scenario -> {name}")
            elif name:
                timeline.say(f"unknown scenario {name!r}")
        current = {_alert_key(a): a for a in stack.api("/api/v1/alerts")["alerts"]}
        for key, alert in sorted(current.items()):
            if states.get(key) != alert["state"]:
                value = float(alert["value"])
                timeline.say(f"{key} {alert['state']} ({alert['labels']['severity']}, value {value:.4g})")
                states[key] = alert["state"]
        for key in sorted(set(states) - set(current)):
            timeline.say(f"{key} resolved")
            del states[key]
        payloads = stack.sink.payloads[seen_payloads:]
        seen_payloads += len(payloads)
        for receiver, payload in payloads:
            names = sorted({a["labels"]["alertname"] for a in payload["alerts"]})
            timeline.say(f"notified {receiver}: {payload['status']} {', '.join(names)}")
            for alert in payload["alerts"][:1]:
                if payload["status"] == "firing":
                    timeline.say(f"    runbook   {alert['annotations'].get('runbook_url')}")
                    timeline.say(f"    dashboard {alert['annotations'].get('dashboard_url')}")
        time.sleep(1)


def _hours(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0 <= value <= 24:  # also false for nan
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of hours from 0 to 24")
    return value


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m simulator demo", description=__doc__)
    parser.add_argument("--spec", default="thresholds.yaml")
    parser.add_argument("--incident", choices=sorted(SCENARIOS), help="switch to this scenario by itself")
    parser.add_argument("--after", type=float, default=20, help="seconds before --incident (default 20)")
    parser.add_argument("--duration", type=float, help="stop after this many seconds")
    parser.add_argument("--history-hours", type=_hours, default=HISTORY_HOURS,
                        help="hours of backfilled history, 0 for none (default %(default)g; the drop alert "
                             "needs its week-ago baseline)")
    args = parser.parse_args(argv)
    if threading.current_thread() is threading.main_thread():
        stop_signals()  # `python -m simulator demo` did this already, before its imports
    try:
        return run_demo(Path(args.spec), args.incident, args.after, args.duration, args.history_hours)
    except StopRequested:  # between the stack going down and the last line
        return 0
    except (RuntimeError, OSError, SpecInvalid) as exc:  # the stack is already down and its temp dir gone
        print(f"demo: {exc}", file=sys.stderr)
        return 1
