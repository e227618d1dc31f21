"""Measure what the long windows of the SLO rule groups cost a real Prometheus to evaluate.

30 days of the series the SLO windows read (`slo:sli_{events,errors}:rate5m_step5m`, one
sample per 5m as the rules record them, per SLO, per cluster and per `by` label value), the
last hour of the 5m base series (`slo:sli_{events,errors}:rate5m`, one sample per
evaluation interval) and `--other-series` unrelated series are backfilled with `promtool
tsdb create-blocks-from openmetrics`; Prometheus then evaluates the SLO groups of
alerts/slo.rules.yml minus their raw reads (the base rates and their grid copies, which
would overwrite the backfilled series) for a few rounds. The evaluation time of every
group and of its slowest rules is read from /api/v1/rules (Prometheus' own measurement),
and Prometheus' process CPU over the measured rounds from its /metrics. The raw reads (5m
rates over the platform's series) are what `make bench-rules RULES=alerts/slo.rules.yml`
measures on a realistic installation; the README sums the two.

    python -m bench.slo_rules_cost --clusters 3 --other-series 100000

Measured 2026-11-28 on the shared 2-core machine (load average 6-7 by `uptime` a minute
before), 100,084 series, 3 clusters (21 SLO series per grid name, 8,640 samples each in
30d): the five SLO groups took 307.7 ms per 30 s round (medians of 6 rounds; the last,
warm rounds 118-130 ms in all); the 30d sums and coverage are the slowest rules (10-33 ms
each). The cost is linear in the number of SLO series (clusters x `by` values). Backfilling
took 362 s.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path

import yaml

from generators.loader.build import load_spec
from generators.slo.sli import kept_labels
from simulator.stack import free_port

ROOT = Path(__file__).resolve().parent.parent
DAY = 86400
STEP5M = ("slo:sli_events:rate5m_step5m", "slo:sli_errors:rate5m_step5m")


def openmetrics(path: Path, spec_path: Path, clusters: int, other: int, days: int, step: int, end: int) -> int:
    spec = load_spec(spec_path)
    start = end - days * DAY
    count = 0
    with path.open("w") as out:
        for name, value, every, since in (
                ("slo:sli_events:rate5m_step5m", 100.0, 300, start), ("slo:sli_errors:rate5m_step5m", 0.3, 300, start),
                ("slo:sli_events:rate5m", 100.0, step, end - 3600), ("slo:sli_errors:rate5m", 0.3, step, end - 3600)):
            out.write(f"# TYPE {name.replace(':', '_')} gauge\n")
            series = []
            for slo in spec.slos:
                by = [label for label in kept_labels(spec, slo) if label not in spec.settings.aggregation_labels]
                values: list[list[tuple[str, str]]] = [[]]
                metric = spec.metrics[slo.indicator.metrics()[0]]
                for label in by:
                    values = [[*v, (label, x)] for v in values for x in metric.labels[label]]
                for c in range(clusters):
                    for extra in values:
                        labels = [("cluster", f"c{c}"), *extra, ("slo", slo.key)]
                        series.append(",".join(f'{k}="{v}"' for k, v in labels))
            for labels in series:
                count += 1
                for t in range(since // every * every, end, every):
                    out.write(f"{name}{{{labels}}} {value} {t}\n")
        out.write("# EOF\n")
    # a file of their own: promtool reads its input once per 2h block, and these need one block
    with path.with_name("other.om").open("w") as out:
        out.write("# TYPE bench_other_series gauge\n")
        for i in range(other):
            out.write(f'bench_other_series{{id="{i}"}} 1 {end - 600}\n')
        out.write("# EOF\n")
    count += other
    return count


def _cpu(port: int) -> float:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=10) as r:
        text = r.read().decode()
    return float(next(line.split()[1] for line in text.splitlines()
                      if line.startswith("process_cpu_seconds_total ")))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clusters", type=int, default=3)
    parser.add_argument("--other-series", type=int, default=100_000)
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument("--rounds", type=int, default=4)
    args = parser.parse_args()
    spec = load_spec(ROOT / "thresholds.yaml")
    step = spec.settings.evaluation_interval
    work = Path(tempfile.mkdtemp(prefix="slo-bench-"))
    try:
        end = int(time.time()) // step * step - 120
        data = work / "data.om"
        t0 = time.monotonic()
        series = openmetrics(data, ROOT / "thresholds.yaml", args.clusters, args.other_series, args.days, step, end)
        for source in (data, data.with_name("other.om")):
            subprocess.run(["promtool", "tsdb", "create-blocks-from", "openmetrics", str(source), str(work / "tsdb")],
                           check=True, capture_output=True)
            source.unlink()
        print(f"backfilled {series} series ({args.days}d of the 5m-grid series, 1h of the base series at {step}s) "
              f"in {time.monotonic() - t0:.0f}s")
        groups = yaml.safe_load((ROOT / "alerts" / "slo.rules.yml").read_text())["groups"]
        backfilled = {"slo:sli_events:rate5m", "slo:sli_errors:rate5m", *STEP5M}
        slo_groups = [{**g, "rules": [r for r in g["rules"] if r.get("record") not in backfilled]} for g in groups]
        (work / "rules.yml").write_text(yaml.safe_dump({"groups": slo_groups}))
        (work / "prometheus.yml").write_text(yaml.safe_dump({
            "global": {"evaluation_interval": f"{step}s"}, "rule_files": [str(work / "rules.yml")]}))
        port = free_port()
        proc = subprocess.Popen(["prometheus", f"--config.file={work / 'prometheus.yml'}",
                                 f"--storage.tsdb.path={work / 'tsdb'}", "--storage.tsdb.retention.time=45d",
                                 f"--web.listen-address=127.0.0.1:{port}"],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            samples: dict[str, list[float]] = {}
            rules: dict[str, list[float]] = {}
            time.sleep(5)
            cpu_start, wall_start = _cpu(port), time.monotonic()
            for _ in range(args.rounds):
                time.sleep(step)
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/rules", timeout=10) as r:
                    body = json.load(r)
                for g in body["data"]["groups"]:
                    samples.setdefault(g["name"], []).append(g["evaluationTime"])
                    for rule in g["rules"]:
                        key = f'{g["name"]}: {rule["name"]} {rule.get("query", "")[:60]!r}'
                        rules.setdefault(key, []).append(rule["evaluationTime"])
            cpu, wall = _cpu(port) - cpu_start, time.monotonic() - wall_start
        finally:
            proc.terminate()
            proc.wait(timeout=30)
        total = 0.0
        for name, times in sorted(samples.items()):
            median = sorted(times)[len(times) // 2]
            total += median
            print(f"{name}: median {median * 1000:.1f} ms per evaluation (rounds: "
                  f"{', '.join(f'{t * 1000:.1f}' for t in times)})")
        print(f"all SLO groups: {total * 1000:.1f} ms per {step}s interval; Prometheus process CPU "
              f"{cpu / wall * 100:.2f}% of one core over {wall:.0f}s; load average {os.getloadavg()[0]:.1f} "
              f"on {os.cpu_count()} cores")
        slowest = sorted(rules.items(), key=lambda kv: -sorted(kv[1])[len(kv[1]) // 2])[:5]
        for key, times in slowest:
            print(f"  slowest rule: {sorted(times)[len(times) // 2] * 1000:.2f} ms  {key}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
