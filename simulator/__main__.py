"""python -m simulator demo | demo-ha | serve | history."""

from __future__ import annotations

import sys

from simulator.processes import StopRequested, stop_signals

if sys.argv[1:2] in (["demo"], ["demo-ha"]):
    stop_signals()  # first thing: from here on Ctrl-C and SIGTERM stop the demo quietly

import argparse
import time
from pathlib import Path

from generators.loader.build import load_spec
from simulator.exposition import History
from simulator.platform import JOBS, SCENARIOS, PlatformSimulator
from simulator.server import SimulatorCluster
from simulator.stack import target_labels


def main(argv: list[str]) -> int:
    if argv[:1] == ["demo"]:
        from simulator.demo import main as demo_main

        return demo_main(argv[1:])
    if argv[:1] == ["demo-ha"]:
        from simulator.demo_ha import main as demo_ha_main

        return demo_ha_main(argv[1:])
    parser = argparse.ArgumentParser(prog="python -m simulator")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("demo", help="simulator + Prometheus + Alertmanager with a timeline")
    sub.add_parser("demo-ha", help="two clusters, an HA pair and an Alertmanager cluster with a timeline")
    serve = sub.add_parser("serve", help="serve /<job>/metrics live on 127.0.0.1")
    serve.add_argument("--port", type=int, default=9099)
    serve.add_argument("--scenario", choices=sorted(SCENARIOS), default="healthy")
    serve.add_argument("--replicas", type=int, default=1, choices=range(1, 17), metavar="1..16",
                       help="platform replicas, each on its own port (the first is --port)")
    history = sub.add_parser("history", help="write OpenMetrics history for promtool backfill")
    history.add_argument("--hours", type=float, default=3)
    history.add_argument("--step", type=int, default=30)
    history.add_argument("--scenario", choices=sorted(SCENARIOS), default="healthy")
    history.add_argument("--out", type=Path, required=True)
    history.add_argument("--spec", default="thresholds.yaml", help="the job selectors and labels come from it")
    history.add_argument("--instance", default="127.0.0.1:9099", help="instance label (the serve address)")
    args = parser.parse_args(argv)
    if args.command == "serve":
        cluster = SimulatorCluster(PlatformSimulator(time.time(), args.scenario, replicas=args.replicas), args.port)
        urls = [f"{server.url}/platform/metrics" for server in cluster.servers]
        urls += [f"{cluster.url}/{job}/metrics" for job in JOBS if job != "platform"]
        print(f"serving {', '.join(urls)}; discovery {cluster.url}/sd/<job>; Ctrl-C stops")
        cluster.start()
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            cluster.stop()
        return 0
    end = time.time()
    sim = PlatformSimulator(end - args.hours * 3600, args.scenario)
    recorded = History(target_labels(load_spec(args.spec), args.instance, cluster="local"))
    t = sim.t
    while t < end - args.step:
        t += args.step
        sim.advance(t)
        recorded.record(sim.t, sim.samples())
    args.out.write_text(recorded.render_openmetrics())
    print(f"wrote {args.out}; load it with: promtool tsdb create-blocks-from openmetrics {args.out} DATA_DIR")
    return 0


try:
    raise SystemExit(main(sys.argv[1:]))
except (KeyboardInterrupt, StopRequested):  # Ctrl-C of `history`, or a stop before the demo took over
    raise SystemExit(130) from None
