"""`make bench-rules`: evaluation cost per round of a rule file on a real Prometheus.

For each size: a fresh Prometheus 2.42 on 127.0.0.1 (temp dir, free port) receives, by
remote write, the history of an installation scaled to about that many series (see
history.py), long enough for the longest range and offset of the rules, then one sample
per series every scrape interval while it runs. Metrics the rules read with an offset
longer than that (the drop alert's `offset 1w`) get a slice of history that long ago,
as a persistent block written by `promtool tsdb create-blocks-from openmetrics`. This is
where a running Prometheus keeps its data: the last hours in the in-memory head, older
data in blocks. Only then are the rules loaded (a config reload): a recording written at
"now" would make the head refuse history older than an hour before it. After warm-up rounds,
each group's `evaluationTime` (/api/v1/rules) and `prometheus_rule_group_last_duration_seconds`
are recorded for every round, and their medians printed.
"""

from __future__ import annotations

import contextlib
import math
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from bench.feeder import Feeder
from bench.history import build_installation, openmetrics_lines
from bench.machine import describe, load_average
from bench.prometheus import Prometheus, binary
from bench.ruleset import LOOKBACK, OffsetRead, RuleFile, load_rule_file, seconds, with_interval

GOAL_PERCENT_AT_LARGEST = 3.0
LONG_OFFSET = 6 * 3600  # reads reaching further back than this are served by a backfilled block
_LAST_DURATION = re.compile(r'^prometheus_rule_group_last_duration_seconds\{rule_group="([^"]*)"\} (\S+)$', re.M)
_PROCESS_CPU = re.compile(r"^process_cpu_seconds_total (\S+)$", re.M)


@dataclass
class Options:
    spec: Path
    rules: Path
    sizes: list[int]
    replicas: int
    warmup: int
    rounds: int
    eval_interval: str | None
    history: float | None  # seconds, or None: from the rules
    idle: float | None = None  # seconds of CPU baseline without rules, or None: two scrape intervals


@dataclass
class GroupStats:
    name: str
    rules: int
    interval: float
    api: list[float] = field(default_factory=list)
    metric: list[float] = field(default_factory=list)
    seen: str = ""  # lastEvaluation of the last recorded round
    evaluations: int = 0
    errors: set[str] = field(default_factory=set)


def _spec(path: Path) -> dict[str, Any]:
    document = yaml.safe_load(path.read_text())
    if not isinstance(document, dict):
        raise ValueError(f"{path}: the spec must be a mapping")
    return document


def _scrape_interval(spec: dict[str, Any]) -> float:
    return seconds(str((spec.get("settings") or {}).get("scrape_interval") or "30s"))


def run_rules_bench(options: Options) -> int:
    spec = _spec(options.spec)
    rule_file = load_rule_file(options.rules)
    check = subprocess.run([binary("promtool"), "check", "rules", str(options.rules)], capture_output=True, text=True)
    if check.returncode != 0:  # Prometheus itself would only say that the reload failed
        raise RuntimeError(f"promtool check rules {options.rules}:\n{(check.stdout + check.stderr).strip()}")
    print(f"make bench-rules: {describe()}")
    print(f"rules: {options.rules} ({len(rule_file.groups)} groups); spec: {options.spec}\n")
    results = []
    bench_started = time.monotonic()
    for size in options.sizes:
        started = time.monotonic()
        with _scratch_directory() as tmp:
            results.append((size, _run_size(spec, rule_file, options, size, tmp)))
        print(f"({size} series: {time.monotonic() - started:.0f} s in all; load average now {load_average()})\n")
    largest_size, largest = results[-1]
    verdict = "met" if largest <= GOAL_PERCENT_AT_LARGEST else "NOT met"
    print(f"goal: <= {GOAL_PERCENT_AT_LARGEST:g}% of the interval at the largest size ({largest_size} series): "
          f"{largest:.2f}%, {verdict}")
    print(f"the bench took {time.monotonic() - bench_started:.0f} s")
    return 0


@contextlib.contextmanager
def _scratch_directory() -> Iterator[Path]:
    """A temp dir removed on every exit path. Removal is retried: a Prometheus that was just
    reaped can leave its data dir changing under rmtree for a moment (ENOTEMPTY), and a CI run
    once found the dir left behind after SIGTERM; the path is named if it still cannot go."""
    path = Path(tempfile.mkdtemp(prefix="billing-bench-rules-"))
    try:
        yield path
    finally:
        for attempt in range(20):
            try:
                shutil.rmtree(path)
                break
            except FileNotFoundError:
                break
            except OSError as exc:
                if attempt == 19:
                    print(f"could not remove {path}: {exc}", file=sys.stderr)
                time.sleep(0.25)


def _run_size(spec: dict[str, Any], rule_file: RuleFile, options: Options, size: int, root: Path) -> float:
    step = _scrape_interval(spec)
    interval_text = options.eval_interval or "30s"
    history = options.history or _history_seconds(rule_file, step)
    t0 = time.monotonic()
    installation = build_installation(spec, size, options.replicas)
    print(f"== about {size} series: {installation.series} series = {installation.clusters} clusters x "
          f"{installation.replicas} replicas x {installation.series_per_target} series per target")
    now = time.time()
    longest_interval = max(seconds(interval_text) if options.eval_interval else
                           rule_file.interval(g, seconds(interval_text)) for g in rule_file.groups)
    rounds_budget = (options.warmup + options.rounds + 4) * longest_interval + 600
    backfilled = _backfill_long_offsets(spec, rule_file, options, size, root, now, step, rounds_budget)
    rules_copy = root / "rules.yml"
    if options.eval_interval:
        with_interval(rule_file, options.eval_interval, rules_copy)
    else:
        rules_copy.write_bytes(rule_file.path.read_bytes())
    config = root / "prometheus.yml"
    _write_config(config, interval_text, None)
    prometheus = Prometheus(root, config, ["--web.enable-remote-write-receiver",
                                           "--storage.tsdb.retention.time=30d"])  # keeps the week-old block
    feeder: Feeder | None = None
    try:
        prometheus.wait_ready()
        feeder = Feeder(installation, prometheus.url, now - history, step)
        load_started = time.monotonic()
        feeder.catch_up()
        load_seconds = time.monotonic() - load_started
        print(f"history: {history / 60:.0f} min at {step:g} s, {feeder.samples_written:,} samples written in "
              f"{load_seconds:.1f} s ({feeder.samples_written / load_seconds:,.0f}/s); setup so far "
              f"{time.monotonic() - t0:.0f} s")
        feeder.start_live()
        idle = 2 * step if options.idle is None else options.idle
        poll = _poll_seconds(longest_interval)
        idle_share = _cpu_share(prometheus, feeder, idle, poll) if idle > 0 else None
        _write_config(config, interval_text, rules_copy)  # rules only now: see the module docstring
        prometheus.reload()
        stats, cpu_share = _measure(prometheus, options, feeder, poll)
        return _report(prometheus, stats, (idle_share, cpu_share), options, backfilled)
    finally:
        if feeder is not None:
            feeder.stop()
        prometheus.stop()


def _poll_seconds(interval: float) -> float:
    """Often enough to see every round of every group, rarely enough to cost Prometheus little:
    each poll reads /metrics and /api/v1/rules, and that CPU counts in the figures below."""
    return min(5.0, max(0.5, interval / 6))


def _cpu_share(prometheus: Prometheus, feeder: Feeder, seconds_: float, poll: float) -> float:
    """Prometheus' CPU (cores) over a while without rules: ingesting the live samples and
    answering /metrics as often as during the rounds."""
    started, metrics = time.monotonic(), prometheus.self_metrics()
    cpu = _process_cpu(metrics)
    while time.monotonic() - started < seconds_:
        if feeder.error is not None:
            raise RuntimeError(f"writing live samples failed: {feeder.error}")
        time.sleep(poll)
        metrics = prometheus.self_metrics()
    return (_process_cpu(metrics) - cpu) / (time.monotonic() - started)


def _history_seconds(rule_file: RuleFile, step: float) -> float:
    """The longest range or short offset of the rules plus the lookback, whole steps."""
    reaches = [rule_file.longest_range + step] + [r.reach for r in rule_file.offset_reads if r.reach <= LONG_OFFSET]
    return math.ceil((max(reaches) + 2 * step) / step) * step


def _write_config(path: Path, interval: str, rules: Path | None) -> None:
    config: dict[str, Any] = {"global": {"evaluation_interval": interval, "scrape_interval": interval}}
    if rules is not None:
        config["rule_files"] = [str(rules)]
    path.write_text(yaml.safe_dump(config, sort_keys=False))


def _backfill_long_offsets(spec: dict[str, Any], rule_file: RuleFile, options: Options, size: int, root: Path,
                           now: float, step: float, budget: float) -> list[OffsetRead]:
    """A block of history that long ago for the catalogue metrics read with a long offset."""
    long_reads = [r for r in rule_file.offset_reads if r.reach > LONG_OFFSET]
    if not long_reads:
        return []
    catalogue = set(spec.get("metrics") or {})
    wanted = {_catalogue_name(r.metric, catalogue) for r in long_reads}
    absent = sorted(r.metric for r in long_reads if _catalogue_name(r.metric, catalogue) is None)
    if absent:
        print(f"note: offset data of {', '.join(absent)} (not a catalogue metric, e.g. a recorded series) is "
              f"absent; those reads find nothing, so their (small) cost is missing from the figures")
    wanted.discard(None)
    if not wanted:
        return []
    # an installation of the same shape, reduced to the metrics read that long ago
    units = build_installation(spec, size, options.replicas, seed=3, only=wanted).units
    # one slice per distinct offset (a drop alert may read 1w and 2w ago), oldest first
    times: list[float] = []
    for offset in sorted({r.offset_seconds for r in long_reads}, reverse=True):
        reach = max(r.reach for r in long_reads if r.offset_seconds == offset) - offset
        start = now - offset - reach - 2 * step
        times += [start - start % step + i * step for i in range(int((reach + budget) // step) + 3)]
    source = root / "week-ago.om"
    started = time.monotonic()
    with source.open("w") as out:
        out.writelines(openmetrics_lines(units, times, step, random.Random(3)))
        out.write("# EOF\n")
    result = subprocess.run([binary("promtool"), "tsdb", "create-blocks-from", "openmetrics", str(source),
                             str(root / "data")], capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(f"promtool tsdb create-blocks-from openmetrics failed: {result.stderr[-2000:]}")
    source.unlink()
    series = sum(len(u.encoded) for u in units)
    print(f"offset history: {', '.join(sorted(wanted))}: {series} series x {len(times)} samples "
          f"({times[0] - now:+.0f} s to {times[-1] - now:+.0f} s) as a block via promtool in "
          f"{time.monotonic() - started:.1f} s")
    return [r for r in long_reads if r.metric not in absent]


def _catalogue_name(selector_name: str, catalogue: set[str]) -> str | None:
    for suffix in ("", "_bucket", "_count", "_sum"):
        base = selector_name.removesuffix(suffix) if suffix else selector_name
        if base in catalogue:
            return base
    return None


def _measure(prometheus: Prometheus, options: Options, feeder: Feeder,
             poll: float) -> tuple[dict[str, GroupStats], float | None]:
    """Poll until every group has warm-up + rounds evaluations; keep the measured rounds."""
    stats: dict[str, GroupStats] = {}
    deadline: float | None = None
    cpu_start: tuple[float, float] | None = None
    while True:
        if feeder.error is not None:
            raise RuntimeError(f"writing live samples failed: {feeder.error}")
        if prometheus.process.poll() is not None:
            raise RuntimeError(f"prometheus exited: {prometheus.log_tail()}")
        groups = prometheus.api("/api/v1/rules")["groups"]
        metrics = prometheus.self_metrics()
        durations = {g: float(v) for g, v in _LAST_DURATION.findall(metrics)}
        for group in groups:
            entry = stats.setdefault(group["name"], GroupStats(group["name"], len(group["rules"]),
                                                               float(group["interval"])))
            if group["lastEvaluation"].startswith("0001") or group["lastEvaluation"] == entry.seen:
                continue  # not evaluated yet, or no new round since the last poll
            entry.seen = group["lastEvaluation"]
            entry.evaluations += 1
            entry.errors |= {f"{r.get('name')}: {r['lastError']}" for r in group["rules"] if r.get("lastError")}
            if entry.evaluations > options.warmup and len(entry.api) < options.rounds:
                entry.api.append(float(group["evaluationTime"]))
                entry.metric.append(durations.get(f"{group['file']};{group['name']}", math.nan))
        if not stats:
            raise RuntimeError("Prometheus loaded no rule group from the rule file")
        if deadline is None:
            longest = max(s.interval for s in stats.values())
            deadline = time.monotonic() + (options.warmup + options.rounds + 3) * longest
        if cpu_start is None and all(s.evaluations >= options.warmup for s in stats.values()):
            cpu_start = (time.monotonic(), _process_cpu(metrics))
        if all(len(s.api) >= options.rounds for s in stats.values()):
            break
        if time.monotonic() > deadline:
            raise RuntimeError("the rule groups did not complete their rounds in time")
        time.sleep(poll)
    cpu_share = None
    if cpu_start is not None:
        elapsed = time.monotonic() - cpu_start[0]
        cpu_share = (_process_cpu(prometheus.self_metrics()) - cpu_start[1]) / elapsed
    return stats, cpu_share


def _process_cpu(metrics: str) -> float:
    match = _PROCESS_CPU.search(metrics)
    return float(match.group(1)) if match else math.nan


def _report(prometheus: Prometheus, stats: dict[str, GroupStats], cpu: tuple[float | None, float | None],
            options: Options, backfilled: list[OffsetRead]) -> float:
    metrics = prometheus.self_metrics()
    head_series = re.search(r"^prometheus_tsdb_head_series (\S+)$", metrics, re.M)
    raw = prometheus.query_scalar('count({__name__=~"[^:]+", __name__!~"ALERTS.*"})')
    alerts = prometheus.api("/api/v1/query", query="count by (alertname, alertstate) (ALERTS)")["result"]
    alert_text = ", ".join(sorted(f"{a['metric'].get('alertname')} {a['metric'].get('alertstate')} "
                                  f"x{int(float(a['value'][1]))}" for a in alerts)) or "none"
    print(f"loaded: {raw:,.0f} raw series (prometheus_tsdb_head_series {float(head_series.group(1)):,.0f}, "
          "with the recorded series)" if raw is not None and head_series else "loaded: series count unavailable")
    for read in backfilled:  # proves the long-offset reads of the rules found their history
        window = f"{read.range_seconds or LOOKBACK:.0f}s"
        found = prometheus.query_scalar(f'count(count_over_time({{__name__="{read.metric}"}}[{window}] '
                                        f'offset {read.offset_seconds:.0f}s))')
        print(f"offset read {read.metric}[{window}] offset {read.offset_seconds:.0f}s: "
              f"data for {found or 0:,.0f} series")
    print(f"rounds: {options.rounds} per group after {options.warmup} warm-up; alerts at the end: {alert_text}")
    rows = sorted(stats.values(), key=lambda s: -statistics.median(s.api))
    total_api = [sum(s.api[i] for s in rows) for i in range(options.rounds)]
    total_metric = [sum(s.metric[i] for s in rows) for i in range(options.rounds)]
    total_percent = statistics.median(sum(s.api[i] / s.interval for s in rows) * 100 for i in range(options.rounds))
    grand = statistics.median(total_api)
    print(f"{'group':<34}{'rules':>6}{'ms (API)':>10}{'ms (metric)':>13}{'% interval':>12}{'share':>7}")
    for s in rows:
        median_api = statistics.median(s.api)
        print(f"{s.name:<34}{s.rules:>6}{median_api * 1000:>10.1f}{statistics.median(s.metric) * 1000:>13.1f}"
              f"{median_api / s.interval * 100:>11.2f}%{median_api / grand * 100:>6.0f}%")
    total_metric_ms = statistics.median(total_metric) * 1000
    print(f"{'total per round (median of sums)':<40}{grand * 1000:>10.1f}{total_metric_ms:>13.1f}"
          f"{total_percent:>11.2f}%")
    idle_share, cpu_share = cpu
    if cpu_share is not None and idle_share is not None:
        interval = statistics.median(s.interval for s in rows)
        rules_cpu = cpu_share - idle_share
        print(f"Prometheus CPU: {cpu_share * 100:.1f}% of one core during the rounds, {idle_share * 100:.1f}% before "
              "the rules were loaded (ingesting the same live samples)")
        print(f"  rules' CPU = the difference: {rules_cpu * interval * 1000:.0f} CPU ms per {interval:g} s round "
              f"({rules_cpu * 100:.2f}% of one core); load from other processes inflates it much less than "
              "the wall-clock times above")
    errors = sorted(e for s in rows for e in s.errors)
    print("rule errors: " + ("; ".join(errors) if errors else "none"))
    return total_percent
