"""Benchmark: backtest a simulated week at 30 s steps; report the run time per alert-day.

    python -m tests.backtest.week [--out DIR] [--data DIR]     (make bench-backtest)

Generates three weeks of history at 30 s (the first two are the baselines the
ingestion-drop alert compares with: the lower of 1w and 2w ago), with incidents and blips
spread over the third week, backfills it into a real Prometheus on 127.0.0.1, backtests
the third week twice (the first run
reads the blocks from disk, the second from the page cache), and writes the Markdown and
JSON reports to --out. --data keeps the generated TSDB to rerun without regenerating.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

from generators.backtest.client import PrometheusClient
from generators.backtest.engine import Engine, chunks
from generators.backtest.report import RunInfo, alert_days, render_json, render_markdown
from generators.backtest.run import backtest, prepare
from generators.backtest.source import rendered_outputs
from tests.backtest.history import Switch, aligned_now, backfill, prometheus, simulate
from tests.conftest import SPEC_PATH

DAY = 86400.0
# the ingestion-drop alert compares with the lower of 1w and 2w ago and is quiet without both:
# two weeks of history before the backtested one
BASELINE_WEEKS = 2
# (hours after the start of the backtested week, scenario, minutes)
WEEK_INCIDENTS = [
    (10, "payment_failures", 40), (26.5, "db_pool_exhaustion", 4), (38, "slow_queries", 30),
    (51, "traffic_drop", 45), (60.25, "rds_cpu", 6), (75, "webhook_failures", 30), (93, "invoice_failures", 20),
    (110, "rds_cpu", 25), (131, "ingestion_slowdown", 15), (150, "platform_down", 10), (160.5, "fatal_logs", 2),
]


def week_switches(week_start: float) -> list[Switch]:
    out = []
    for hours, scenario, minutes in WEEK_INCIDENTS:
        at = week_start + hours * 3600
        out += [Switch(at, scenario), Switch(at + minutes * 60, "healthy")]
    return out


# what inlining costs: the same indicator as a deployed recording would be read (a plain
# selector, one sample per evaluation) against what the backtest computes instead
COST_PROBES = [
    ("a plain selector (what reading a recording costs)", 'up{job="billing-platform"}'),
    ("rate over 5m, summed (an inlined ratio's part)",
     'sum by (cluster) (rate(billing_events_received_total{job="billing-platform"}[5m]))'),
    ("rate over 30m", 'sum by (cluster) (rate(billing_events_received_total{job="billing-platform"}[30m]))'),
    ("rate over 30m, offset 1w (a baseline)",
     'sum by (cluster) (rate(billing_events_received_total{job="billing-platform"}[30m] offset 1w))'),
    ("p99 from histogram buckets over 5m",
     'histogram_quantile(0.99, sum by (cluster, le) (rate(http_request_duration_seconds_bucket[5m])))'),
    ("max_over_time(rec[1d]) of that rate: a 1d subquery at 30s",
     'max_over_time((sum by (cluster) (rate(billing_events_received_total{job="billing-platform"}[5m])))[1d:30s])'),
]


def measure_costs(client: PrometheusClient, start: float, end: float) -> list[str]:
    lines = ["| expression shape | 7d at 30s | 7d at 5m |", "|---|---:|---:|"]  # best of three runs
    for label, expr in COST_PROBES:
        cells = []
        for step in (30.0, 300.0):
            timings = []
            for _ in range(3):  # best of three: the machine is shared
                began = time.perf_counter()
                for a, b in chunks(start, end, step):
                    client.query_range(expr, a, b, step, label)
                timings.append(time.perf_counter() - began)
            cells.append(f"{min(timings):.2f} s")
        lines.append(f"| {label}: `{expr}` | {cells[0]} | {cells[1]} |")
    return lines


def _shown(path: Path) -> Path:
    """The spec path as the report shows it: relative when run from the repository."""
    try:
        return path.relative_to(Path.cwd())
    except ValueError:
        return path


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.backtest.week", description=__doc__)
    parser.add_argument("--out", type=Path, default=Path("build/backtest-week"))
    parser.add_argument("--data", type=Path, help="keep/reuse the generated TSDB here")
    parser.add_argument("--concurrency", type=int, default=4)
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="backtest-week-") as tmp:
        data = args.data or Path(tmp) / "data"
        period_file = data / "period.json"
        if period_file.exists():
            period = json.loads(period_file.read_text())
            start, end = period["start"], period["end"]
            print(f"reusing {data}")
        else:
            end = aligned_now() - 3600
            start = end - 7 * DAY
            began = time.perf_counter()
            chunks = simulate(SPEC_PATH, start - BASELINE_WEEKS * 7 * DAY, end, week_switches(start))
            backfill(chunks, data)
            period_file.write_text(json.dumps({"start": start, "end": end}))
            print(f"generated and backfilled {7 * (BASELINE_WEEKS + 1)} days at 30 s in "
                  f"{time.perf_counter() - began:.0f} s")
        with prometheus(data) as url:
            prepared = [prepare(rendered_outputs(_shown(SPEC_PATH)), None, None)]
            for attempt in ("first", "second"):
                engine = Engine(PrometheusClient(url), args.concurrency, sys.stderr)
                began = time.perf_counter()
                [result], warnings = backtest(engine, prepared, start, end, False)
                elapsed = time.perf_counter() - began
                per = elapsed / alert_days(result)
                print(f"{attempt} run: {len(result.alerts)} alerts x 7 days at 30 s = {alert_days(result):.0f} "
                      f"alert-days in {elapsed:.1f} s ({engine.queries_run} range queries, concurrency "
                      f"{args.concurrency}): {per:.2f} s per alert-day")
            info = RunInfo(elapsed, engine.queries_run, warnings)
            costs = measure_costs(PrometheusClient(url), start, end)
            (args.out / "costs.md").write_text("\n".join(costs) + "\n")
            print("\n".join(costs))
            (args.out / "week.md").write_text(render_markdown([result], None, info))
            (args.out / "week.json").write_text(render_json([result], None, info))
            print(f"reports: {args.out / 'week.md'}, {args.out / 'week.json'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
