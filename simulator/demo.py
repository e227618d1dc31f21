"""make demo: the simulator, Prometheus and Alertmanager on 127.0.0.1, with a timeline.

Type a scenario name and Enter to switch (healthy, or an incident); `--incident NAME
--after SECONDS` switches by itself. Each line of the timeline is an alert becoming
pending, firing, resolved, or a notification reaching a receiver. Ctrl-C stops everything
and removes the temp dir.
"""

from __future__ import annotations

import argparse
import queue
import sys
import threading
import time
from pathlib import Path

from simulator.platform import SCENARIOS
from simulator.stack import Stack


class Timeline:
    def __init__(self) -> None:
        self.started = time.monotonic()

    def say(self, text: str) -> None:
        print(f"[{time.monotonic() - self.started:6.1f}s] {text}", flush=True)


def _alert_key(alert: dict) -> str:
    labels = {k: v for k, v in alert["labels"].items() if k not in ("alertname", "severity", "team")}
    where = ",".join(f'{k}="{v}"' for k, v in sorted(labels.items()))
    return f"{alert['labels']['alertname']}{{{where}}}"


def _stdin_lines(lines: queue.Queue[str]) -> None:
    for line in sys.stdin:
        lines.put(line.strip())


def run_demo(spec: Path, incident: str | None, after: float, duration: float | None) -> int:
    timeline = Timeline()
    with Stack(spec) as stack:
        timeline.say(f"Prometheus   {stack.prometheus_url}/alerts  (graph: {stack.prometheus_url}/graph)")
        timeline.say(f"Alertmanager {stack.alertmanager_url}/#/alerts")
        timeline.say(f"Simulator    {stack.sim_server.url}/platform/metrics  (scenario: {stack.simulator.scenario})")
        timeline.say("Scenarios: " + ", ".join(SCENARIOS) + ". Type one and Enter to switch; Ctrl-C stops.")
        lines: queue.Queue[str] = queue.Queue()
        threading.Thread(target=_stdin_lines, args=(lines,), daemon=True).start()
        states: dict[str, str] = {}
        seen_payloads = 0
        switched = incident is None
        try:
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
        except KeyboardInterrupt:
            timeline.say("stopping")
    timeline.say("stopped: Prometheus, Alertmanager and the simulator are down, temp dir removed")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m simulator demo", description=__doc__)
    parser.add_argument("--spec", default="thresholds.yaml")
    parser.add_argument("--incident", choices=sorted(SCENARIOS), help="switch to this scenario by itself")
    parser.add_argument("--after", type=float, default=20, help="seconds before --incident (default 20)")
    parser.add_argument("--duration", type=float, help="stop after this many seconds")
    args = parser.parse_args(argv)
    return run_demo(Path(args.spec), args.incident, args.after, args.duration)
