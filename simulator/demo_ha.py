"""make demo-ha: the multi-cluster HA topology on 127.0.0.1 with a live timeline.

Two clusters (eu, us: simulator + Prometheus agent), two central replicas (a, b), three
gossiping Alertmanagers, one webhook sink: the topology of tests/ha, from the configs
generators.deployment renders. Each line of the timeline is an alert becoming pending,
firing or resolved on a central replica (with its cluster), or a notification reaching a
receiver (with the Alertmanager that sent it).

Commands (type and Enter):
  eu platform_down     switch a cluster's simulator to a scenario (healthy, or an incident)
  kill am-0            SIGKILL an Alertmanager, or a central replica (kill central-a)
  stop us              stop a cluster's agent (its series vanish after the lookback delta)
Unattended: --incident eu:platform_down --after 20 --duration 180. Ctrl-C or SIGTERM, at
any point of the start included, stops everything and removes the temp dir; if the demo is
killed, its servers die with it and the next start removes the temp dir.
"""

from __future__ import annotations

import argparse
import queue
import sys
import threading
import time
from pathlib import Path

from generators.loader.build import SpecInvalid
from simulator.demo import Timeline, _alert_key, _stdin_lines
from simulator.platform import SCENARIOS
from simulator.processes import StopRequested, stop_signals
from simulator.topology import FAST_LOOKBACK, HATopology, Node


def _command(topology: HATopology, line: str) -> str:
    """Run one typed command; the timeline line saying what happened."""
    words = line.split()
    if len(words) == 2 and words[0] in topology.simulators and words[1] in SCENARIOS:
        topology.set_scenario(words[0], words[1])
        return f"{words[0]}: scenario -> {words[1]}"
    nodes: dict[str, Node] = {**topology.alertmanagers, **{f"central-{r}": n for r, n in topology.central.items()}}
    if len(words) == 2 and words[0] == "kill" and words[1] in nodes:
        if not nodes[words[1]].alive:
            return f"{words[1]} is already down"
        topology.kill(nodes[words[1]])
        return f"{words[1]} SIGKILLed"
    if len(words) == 2 and words[0] == "stop" and words[1] in topology.agents:
        topology.stop(topology.agents[words[1]])
        return f"agent-{words[1]} stopped; its series vanish from the central tier after the lookback delta"
    return (f"unknown command {line!r}; try: <{'|'.join(topology.simulators)}> <scenario>, "
            f"kill <{'|'.join(nodes)}>, stop <{'|'.join(topology.agents)}>")


def run_demo(spec: Path, incident: str | None, after: float, duration: float | None, history: bool = True) -> int:
    timeline = Timeline()
    timeline.say("starting 2 simulators, 2 agents, 2 central replicas, 3 Alertmanagers"
                 + (" (with 3h of backfill and its week-ago baseline)" if history else ""))
    try:
        with HATopology(spec, central_flags=FAST_LOOKBACK, history=history) as topology:
            _follow(topology, timeline, incident, after, duration)
    except (KeyboardInterrupt, StopRequested):
        timeline.say("stopped by a signal")
    timeline.say("stopped: every server is down, temp dir removed")
    return 0


def _follow(topology: HATopology, timeline: Timeline, incident: str | None, after: float,
            duration: float | None) -> None:
    for replica, node in topology.central.items():
        timeline.say(f"central-{replica}    {node.url}/alerts")
    for name, node in topology.alertmanagers.items():
        timeline.say(f"{name}         {node.url}/#/alerts")
    for cluster, server in topology.simulators.items():
        timeline.say(f"{cluster} simulator  {server.url}/platform/metrics  (agent {topology.agents[cluster].url})")
    timeline.say(f"configs in {topology.root}. Scenarios: {', '.join(SCENARIOS)}. "
                 "Commands: 'eu platform_down', 'kill am-0', 'kill central-a', 'stop us'. Ctrl-C stops.")
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=_stdin_lines, args=(lines,), daemon=True).start()
    states: dict[tuple[str, str], str] = {}
    seen_payloads = 0
    switched = incident is None
    try:
        while duration is None or time.monotonic() - timeline.started < duration:
            if not switched and time.monotonic() - timeline.started >= after:
                lines.put((incident or "").replace(":", " "))
                switched = True
            while not lines.empty():
                line = lines.get()
                if line:
                    timeline.say(_command(topology, line))
            for replica, node in topology.central.items():
                if not node.alive:
                    continue
                current = {_alert_key(a): a for a in topology.rule_alerts(replica)}
                for key, alert in sorted(current.items()):
                    if states.get((replica, key)) != alert["state"]:
                        timeline.say(f"central-{replica}: {key} {alert['state']} "
                                     f"({alert['labels']['severity']}, value {float(alert['value']):.4g})")
                        states[(replica, key)] = alert["state"]
                for gone in sorted(k for r, k in states if r == replica and k not in current):
                    timeline.say(f"central-{replica}: {gone} resolved")
                    del states[(replica, gone)]
            payloads = topology.sink.payloads[seen_payloads:]
            seen_payloads += len(payloads)
            for receiver, payload in payloads:
                alerts = payload["alerts"]
                names = sorted({a["labels"]["alertname"] for a in alerts})
                clusters = sorted({a["labels"].get("cluster", "-") for a in alerts})
                port = payload["externalURL"].rsplit(":", 1)[-1].rstrip("/")
                sender = next((p.name for p in topology.deployment.alertmanagers
                               if p.address.endswith(f":{port}")), payload["externalURL"])
                timeline.say(f"notified {receiver} via {sender}: {payload['status']} {', '.join(names)} "
                             f"(cluster {', '.join(clusters)})")
            time.sleep(1)
    finally:
        timeline.say("stopping")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m simulator demo-ha", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--spec", default="thresholds.yaml")
    parser.add_argument("--incident", metavar="CLUSTER:SCENARIO", type=_incident,
                        help="switch a cluster to a scenario by itself, e.g. eu:platform_down")
    parser.add_argument("--after", type=float, default=20, help="seconds before --incident (default 20)")
    parser.add_argument("--duration", type=float, help="stop after this many seconds")
    parser.add_argument("--no-history", action="store_true",
                        help="start without backfilled history (faster; the drop alert has no baseline)")
    args = parser.parse_args(argv)
    if threading.current_thread() is threading.main_thread():
        stop_signals()  # `python -m simulator demo-ha` did this already, before its imports
    try:
        return run_demo(Path(args.spec), args.incident, args.after, args.duration, not args.no_history)
    except StopRequested:  # between the topology going down and the last line
        return 0
    except (RuntimeError, OSError, SpecInvalid) as exc:  # the topology is already down and its temp dir gone
        print(f"demo-ha: {exc}", file=sys.stderr)
        return 1


def _incident(text: str) -> str:
    cluster, _, scenario = text.partition(":")
    if cluster not in ("eu", "us") or scenario not in SCENARIOS:
        raise argparse.ArgumentTypeError(f"{text!r}: expected CLUSTER:SCENARIO with CLUSTER eu or us and SCENARIO "
                                         f"one of {', '.join(SCENARIOS)}")
    return text
