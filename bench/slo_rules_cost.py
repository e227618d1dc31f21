"""Measure what the SLO rule groups cost a real Prometheus to evaluate.

30 days of the SLO base series (`slo:sli_events:rate5m`, `slo:sli_errors:rate5m`, one
sample per evaluation interval, per SLO, per cluster and per `by` label value) plus
`--other-series` unrelated series are backfilled with `promtool tsdb create-blocks-from
openmetrics`; Prometheus then evaluates the SLO groups of alerts/billing.rules.yml for a
few rounds, and the evaluation time of every group and of its slowest rules is read from
/api/v1/rules (Prometheus' own measurement).

    python -m bench.slo_rules_cost --clusters 1 --other-series 100000

Measured 2026-11-28 on the shared 2-core machine under load (load average ~12), 100,014
series, 30d of base series at 30s: all five SLO groups 612 ms per 30s interval (group
medians 71-218 ms); the 30d ratio is the slowest rule of every group (59-197 ms), the
windows up to 3d cost little. Backfilling 30 days takes promtool ~8 minutes here.
"""

from __future__ import annotations

import argparse
import json
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


def openmetrics(path: Path, spec_path: Path, clusters: int, other: int, days: int, step: int, end: int) -> int:
    spec = load_spec(spec_path)
    start = end - days * DAY
    count = 0
    with path.open("w") as out:
        for name, value in (("slo:sli_events:rate5m", 100.0), ("slo:sli_errors:rate5m", 0.3)):
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
                for t in range(start, end, step):
                    out.write(f"{name}{{{labels}}} {value} {t}\n")
        if other:
            out.write("# TYPE bench_other_series gauge\n")
            for i in range(other):
                out.write(f'bench_other_series{{id="{i}"}} 1 {end - 600}\n')
            count += other
        out.write("# EOF\n")
    return count


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
        subprocess.run(["promtool", "tsdb", "create-blocks-from", "openmetrics", str(data), str(work / "tsdb")],
                       check=True, capture_output=True)
        data.unlink()
        print(f"backfilled {series} series ({args.days}d at {step}s for the SLO base series) "
              f"in {time.monotonic() - t0:.0f}s")
        groups = yaml.safe_load((ROOT / "alerts" / "billing.rules.yml").read_text())["groups"]
        slo_groups = [g for g in groups if ".slo." in g["name"]]
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
            for _ in range(args.rounds):
                time.sleep(step)
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/rules", timeout=10) as r:
                    body = json.load(r)
                for g in body["data"]["groups"]:
                    samples.setdefault(g["name"], []).append(g["evaluationTime"])
                    for rule in g["rules"]:
                        key = f'{g["name"]}: {rule["name"]} {rule.get("query", "")[:60]!r}'
                        rules.setdefault(key, []).append(rule["evaluationTime"])
        finally:
            proc.terminate()
            proc.wait(timeout=30)
        total = 0.0
        for name, times in sorted(samples.items()):
            median = sorted(times)[len(times) // 2]
            total += median
            print(f"{name}: median {median * 1000:.1f} ms per evaluation (rounds: "
                  f"{', '.join(f'{t * 1000:.1f}' for t in times)})")
        print(f"all SLO groups: {total * 1000:.1f} ms per {step}s interval")
        slowest = sorted(rules.items(), key=lambda kv: -sorted(kv[1])[len(kv[1]) // 2])[:5]
        for key, times in slowest:
            print(f"  slowest rule: {sorted(times)[len(times) // 2] * 1000:.2f} ms  {key}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
