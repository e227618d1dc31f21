"""Detection times of the issue-9 fault classes, before and after, measured with promtool.

    python -m bench.detection [--before REV] [--after RULES]

Each scenario is promtool input (the faults of issue 9, one class each) run against two
rule files: the rules at REV (default: the commit before the faults merge) and the
current ones. promtool records ALERTS at every evaluation; a check that expects nothing
from `min by (alertname, cluster, job) (min_over_time(timestamp(ALERTS{alertstate="firing"})[..]))`
makes promtool print what it got: the first firing evaluation of every alert from the
moment the fault starts: the detection time (a false page when the event is harmless). Prints a Markdown table;
docs/fault-classes.md quotes it.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import yaml

from generators.durations import format_duration

BEFORE = "c9cc0ee"  # the first parent of b3353f7, the merge of the issue-9 faults branch
P = 'job="billing-platform"'


@dataclass(frozen=True)
class Scenario:
    key: str  # fault class and case
    what: str
    fault_at: int  # seconds from the start when the fault (or the harmless odd event) begins
    end: int  # seconds; the last evaluation
    step: int  # seconds between samples and evaluations
    alerts: str  # regex of the alert names that count
    series: tuple[tuple[str, str], ...]
    harmless: bool = False  # nothing should fire: any alert is a false page


def _m(n: int) -> int:
    return n * 60


SCENARIOS = (
    Scenario("1", "failed scrape of old failure counters (44 DB errors, 41 FATAL lines)", _m(60), _m(90), 60,
             "BillingDatabaseConnectionErrors|BillingFatalLogMessages|BillingInvoiceGenerationFailures", (
                 (f'up{{{P}, cluster="c1", instance="r0"}}', "1x59 0 1x30"),
                 (f'billing_db_connection_errors_total{{{P}, cluster="c1", instance="r0"}}', "44x59 stale 44x30"),
                 (f'billing_log_messages_total{{{P}, cluster="c1", instance="r0", level="fatal"}}',
                  "41x59 stale 41x30"),
             ), harmless=True),
    Scenario("1", "failure counter born with its first failure (1 failed invoice)", _m(60), _m(90), 60,
             "BillingInvoiceGenerationFailures", (
                 (f'up{{{P}, cluster="c1", instance="r0"}}', "1x90"),
                 (f'billing_invoices_generated_total{{{P}, cluster="c1", instance="r0", outcome="success"}}',
                  "0+10x90"),
                 (f'billing_invoices_generated_total{{{P}, cluster="c1", instance="r0", outcome="failure"}}',
                  "_x60 1x30"),
             )),
    Scenario("2", "cluster c2 vanishes (every target, stale then gone); c1 up", _m(60), _m(90), 60,
             "BillingPlatformDown|BillingScrapeTargetsMissing", (
                 (f'up{{{P}, cluster="c1", instance="r0"}}', "1x90"),
                 (f'up{{{P}, cluster="c2", instance="r0"}}', "1x59 stale"),
                 (f'up{{{P}, cluster="c2", instance="r1"}}', "1x59 stale"),
             )),
    Scenario("3", "every API request failing at 0.5 req/s (night traffic)", _m(60), _m(90), 60,
             "BillingAPIErrorRateHigh", (
                 (f'http_requests_total{{{P}, cluster="c1", instance="r0", code="200"}}', "0+30x59 1770x30"),
                 (f'http_requests_total{{{P}, cluster="c1", instance="r0", code="500"}}', "0x59 30+30x30"),
             )),
    Scenario("4", "usage events stop, platform up, no baseline (first week)", _m(60), _m(120), 60,
             "BillingIngestionRateDrop|BillingIngestionStopped", (
                 (f'up{{{P}, cluster="c1", instance="r0"}}', "1x120"),
                 (f'billing_events_received_total{{{P}, cluster="c1", instance="r0", outcome="success"}}',
                  "0+600x59 35400x60"),
             )),
    Scenario("4/9", "usage events stop after two weeks of steady traffic (baseline exists)",
             _m(14 * 24 * 60 + 60), _m(14 * 24 * 60 + 120), 300,
             "BillingIngestionRateDrop|BillingIngestionStopped", (
                 (f'up{{{P}, cluster="c1", instance="r0"}}', "1x4056"),
                 (f'billing_events_received_total{{{P}, cluster="c1", instance="r0", outcome="success"}}',
                  "0+3000x4043 12129000x12"),
             )),
    Scenario("9", "a one-off 3x spike one week ago, normal traffic now (two weeks of history)", _m(14 * 24 * 60),
             _m(14 * 24 * 60 + 120), 300, "BillingIngestionRateDrop", (
                 (f'up{{{P}, cluster="c1", instance="r0"}}', "1x4056"),
                 # 10/s; 3x from 1w-30m to 1w+2h; 10/s again
                 (f'billing_events_received_total{{{P}, cluster="c1", instance="r0", outcome="success"}}',
                  "0+3000x2010 6039000+9000x29 6303000+3000x2015"),
             ), harmless=True),
    Scenario("5", "health check failing every other probe", _m(60), _m(90), 60, "BillingHealthCheckFailing", (
        ('probe_success{job="billing-healthcheck", cluster="c1", instance="hc"}', "1x59 " + "0 1 " * 15),
    )),
    Scenario("5", "one of two platform replicas crash-looping (down every other scrape)", _m(60), _m(90), 60,
             "BillingPlatformTargetDown", (
                 (f'up{{{P}, cluster="c1", instance="r0"}}', "1x59 " + "0 1 " * 15),
                 (f'up{{{P}, cluster="c1", instance="r1"}}', "1x90"),
             )),
    Scenario("6", "one replica's pool at 95%, its twin idle (fleet 50%)", _m(60), _m(90), 60,
             "BillingDatabasePoolUsageHigh", (
                 (f'billing_db_pool_connections_in_use{{{P}, cluster="c1", instance="r0", pool="primary"}}',
                  "2x59 19x30"),
                 (f'billing_db_pool_connections_in_use{{{P}, cluster="c1", instance="r1", pool="primary"}}', "1x90"),
                 (f'billing_db_pool_connections_max{{{P}, cluster="c1", instance="r0", pool="primary"}}', "20x90"),
                 (f'billing_db_pool_connections_max{{{P}, cluster="c1", instance="r1", pool="primary"}}', "20x90"),
             )),
    Scenario("7", "the CloudWatch exporter of c1 stops (its series go stale), platform up", _m(60), _m(90), 60,
             "BillingScrapeTargetsMissing|BillingRDSCPUHigh", (
                 (f'up{{{P}, cluster="c1", instance="r0"}}', "1x90"),
                 ('up{job="cloudwatch", cluster="c1", instance="yace"}', "1x59 stale"),
                 ('up{job="cloudwatch", cluster="c2", instance="yace"}', "1x90"),
                 ('aws_rds_cpuutilization_average{job="cloudwatch", cluster="c1", '
                  'dimension_DBInstanceIdentifier="billing-db-primary"}', "30x59 stale"),
             )),
    Scenario("8", "full outage of c1: both replicas down, probe failing", _m(60), _m(90), 60,
             "BillingPlatformDown|BillingHealthCheckFailing", (
                 (f'up{{{P}, cluster="c1", instance="r0"}}', "1x59 0x30"),
                 (f'up{{{P}, cluster="c1", instance="r1"}}', "1x59 0x30"),
                 ('probe_success{job="billing-healthcheck", cluster="c1", instance="hc"}', "1x59 0x30"),
             )),
    Scenario("10", "a 2-minute blip of 30% 5xx at 10 req/s", _m(60), _m(90), 60, "BillingAPIErrorRateHigh", (
        (f'http_requests_total{{{P}, cluster="c1", instance="r0", code="200"}}', "0+600x59 35820+420x1 36840+600x29"),
        (f'http_requests_total{{{P}, cluster="c1", instance="r0", code="500"}}', "0x59 180+180x1 360x29"),
    ), harmless=True),
    Scenario("10", "every API request failing at 10 req/s (sustained)", _m(60), _m(90), 60,
             "BillingAPIErrorRateHigh", (
                 (f'http_requests_total{{{P}, cluster="c1", instance="r0", code="200"}}', "0+600x59 35400x30"),
                 (f'http_requests_total{{{P}, cluster="c1", instance="r0", code="500"}}', "0x59 600+600x30"),
             )),
)


def _test_file(scenario: Scenario, rules: Path) -> dict:
    # only from the fault on: at the start of a run every counter looks new to the old
    # `x unless x offset W`, an artifact of the run, not of the fault
    window = format_duration(scenario.end - scenario.fault_at)
    # in minutes after the fault: promtool prints values with few digits, a Unix time would round
    expr = (f'(min by (alertname, cluster, job) (min_over_time(timestamp(ALERTS{{alertstate="firing", '
            f'alertname=~"{scenario.alerts}"}})[{window}:{format_duration(scenario.step)}])) '
            f'- {scenario.fault_at}) / 60')
    return {
        "rule_files": [str(rules)],
        "evaluation_interval": format_duration(scenario.step),
        "tests": [{
            "interval": format_duration(scenario.step),
            "input_series": [{"series": s, "values": v} for s, v in scenario.series],
            "promql_expr_test": [{"expr": expr, "eval_time": format_duration(scenario.end), "exp_samples": []}],
        }],
    }


_GOT = re.compile(r"\{([^}]*)\} ([0-9.eE+-]+)")


def first_firing(scenario: Scenario, rules: Path, tmp: Path) -> dict[str, float]:
    """alert (with cluster/job) -> seconds from the fault to its first firing evaluation."""
    path = tmp / f"{rules.stem}-{SCENARIOS.index(scenario)}.test.yml"
    path.write_text(yaml.safe_dump(_test_file(scenario, rules), sort_keys=False))
    result = subprocess.run(["promtool", "test", "rules", str(path)], capture_output=True, text=True)
    if "SUCCESS" in result.stdout:
        return {}
    got = (result.stdout + result.stderr).split("got:", 1)
    if len(got) < 2:
        raise RuntimeError(f"promtool failed on {scenario.what}:\n{result.stdout}{result.stderr}")
    out = {}
    for labels, value in _GOT.findall(got[1]):
        parts = dict(re.findall(r'(\w+)="([^"]*)"', labels))
        name = parts.pop("alertname").removeprefix("Billing")
        where = ", ".join(f"{v}" for _, v in sorted(parts.items()))
        out[f"{name} ({where})" if where else name] = float(value) * 60
    return out


def _text(found: dict[str, float], harmless: bool) -> str:
    if not found:
        return "nothing fires"
    ordered = sorted(found.items(), key=lambda kv: kv[1])
    if harmless:
        return "; ".join(f"FALSE PAGE: {name} {format_duration(round(s))} after it" for name, s in ordered)
    return "; ".join(f"{name} after {format_duration(round(s))}" for name, s in ordered)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.detection", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--before", default=BEFORE, help="git revision of the 'before' rules (default: %(default)s)")
    parser.add_argument("--after", type=Path, default=Path("alerts/billing.rules.yml"))
    parser.add_argument("--only", default="", help="run only the scenarios of this class (e.g. 9)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="detection-") as name:
        tmp = Path(name)
        before = tmp / "before.rules.yml"
        shown = subprocess.run(["git", "show", f"{args.before}:alerts/billing.rules.yml"], capture_output=True,
                               text=True)
        if shown.returncode:
            print(f"detection: cannot read the rules at {args.before}: {shown.stderr.strip()}", file=sys.stderr)
            return 2
        before.write_text(shown.stdout)
        after = args.after.resolve()
        print("| class | scenario (fault at t0) | before | after |")
        print("|---|---|---|---|")
        for scenario in SCENARIOS:
            if args.only and scenario.key.split("/")[0] != args.only and args.only not in scenario.key:
                continue
            cells = [_text(first_firing(scenario, rules, tmp), scenario.harmless) for rules in (before, after)]
            print(f"| {scenario.key} | {scenario.what} | {cells[0]} | {cells[1]} |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
