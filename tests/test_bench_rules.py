"""The `make bench-rules` parts: rule-file reading, generated history on a real Prometheus,
and the whole command, including that it leaves no server or temp dir behind."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

from bench.feeder import Feeder
from bench.history import build_installation
from bench.prometheus import Prometheus
from bench.ruleset import OffsetRead, load_rule_file, seconds
from tests.conftest import ROOT, RULES_PATH, SPEC_PATH, require_tool


def test_durations() -> None:
    assert seconds("1h30m") == 5400 and seconds("1w") == 604800 and seconds("250ms") == 0.25
    with pytest.raises(ValueError, match="not a Prometheus duration"):
        seconds("5 minutes")


def test_rule_file_reach(tmp_path: Path) -> None:
    path = tmp_path / "r.yml"
    path.write_text(yaml.safe_dump({"groups": [{"name": "g", "rules": [
        {"record": "a:b", "expr": 'rate(x_total{job="j"}[30m] offset 1w) + max_over_time(y[1h:5m])'},
        {"record": "a:c", "expr": "z offset 5m"},
    ]}]}))
    rule_file = load_rule_file(path)
    assert rule_file.longest_range == 3600
    assert rule_file.offset_reads == [OffsetRead("x_total", 1800, 604800), OffsetRead("z", 0, 300)]
    assert rule_file.offset_reads[1].reach == 600  # an instant selector reaches back the lookback delta


def test_committed_rules_read_a_week_back() -> None:
    reads = load_rule_file(RULES_PATH).offset_reads
    assert any(r.offset_seconds == 604800 and r.metric == "billing_events_received_total" for r in reads)


def test_history_is_realistic_on_a_real_prometheus(tmp_path: Path) -> None:
    """Every catalogue series arrives; counters never reset; histogram buckets are cumulative."""
    require_tool("prometheus")
    spec = yaml.safe_load(SPEC_PATH.read_text())
    installation = build_installation(spec, 1, replicas=1)
    assert installation.series == installation.series_per_target
    config = tmp_path / "prometheus.yml"
    config.write_text("global: {evaluation_interval: 30s}\n")
    prometheus = Prometheus(tmp_path, config, ["--web.enable-remote-write-receiver"])
    try:
        prometheus.wait_ready()
        now = time.time()
        Feeder(installation, prometheus.url, now - 1200, 30).write_until(now)
        assert prometheus.query_scalar('count({__name__=~".+"})') == installation.series
        assert prometheus.query_scalar("count(count_over_time(http_requests_total[20m]) >= 40)") == 20
        growing = {name for unit in installation.units if unit.kind != "gauge" for name, _ in unit.series_names()}
        assert len(growing) > 10
        for name in growing:
            assert prometheus.query_scalar(f"sum(resets({name}[30m]))") == 0, name
        assert prometheus.query_scalar("sum(increase(billing_events_received_total[10m]))") > 0
        assert prometheus.query_scalar("count(billing_db_connection_errors_total)") == 1  # exists, flat
        assert prometheus.query_scalar("sum(increase(billing_db_connection_errors_total[10m]))") == 0
        # no bucket holds more than the next larger one; +Inf equals _count
        inverted = ('count(http_request_duration_seconds_bucket{le="0.5"} > ignoring(le) '
                    'http_request_duration_seconds_bucket{le="1.0"})')
        assert prometheus.query_scalar(inverted) is None
        assert prometheus.query_scalar('count(http_request_duration_seconds_bucket{le="+Inf"} '
                                       '!= ignoring(le) http_request_duration_seconds_count)') is None
        p99 = prometheus.query_scalar(
            "histogram_quantile(0.99, sum by (le) (rate(billing_event_ingestion_duration_seconds_bucket[5m])))")
        assert p99 is not None and 0 < p99 < 1  # a healthy platform: below the alert's 1 s
    finally:
        prometheus.stop()


def _bench_rules(tmp_path: Path, *extra: str) -> subprocess.Popen[str]:
    env = {**os.environ, "TMPDIR": str(tmp_path)}  # its temp dirs land here, so the test can see them go
    return subprocess.Popen([sys.executable, "-m", "bench", "rules", "--series", "300", "--eval", "2s",
                             "--idle", "0s", *extra],
                            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def _prometheus_pids(tmp_path: Path) -> list[int]:
    pids = []
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and str(tmp_path) in (entry / "cmdline").read_bytes().decode(errors="replace"):
                pids.append(int(entry.name))
        except OSError:
            continue
    return pids


def test_whole_command_measures_every_group(tmp_path: Path) -> None:
    require_tool("prometheus")
    process = _bench_rules(tmp_path, "--rounds", "1", "--warmup", "0", "--idle", "1s")
    out, _ = process.communicate(timeout=120)
    assert process.returncode == 0, out
    groups = [g["name"] for g in yaml.safe_load(RULES_PATH.read_text())["groups"]]
    table = [line.split()[0] for line in out.splitlines() if line.split() and line.split()[0] in groups]
    assert sorted(table) == sorted(groups)
    assert "rule errors: none" in out and "total per round" in out and "rules' CPU = the difference" in out
    assert "offset read billing_events_received_total[1800s] offset 604800s: data for 4 series" in out
    assert "loaded: 352 raw series" in out  # 2 replicas x 176: what was generated is what Prometheus holds
    assert list(tmp_path.iterdir()) == [] and _prometheus_pids(tmp_path) == []


@pytest.mark.slow  # make test-heavy
@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM, signal.SIGKILL])
def test_interrupted_command_leaves_no_prometheus_behind(tmp_path: Path, signum: int) -> None:
    require_tool("prometheus")
    process = _bench_rules(tmp_path, "--rounds", "50")
    assert process.stdout is not None
    for line in process.stdout:  # wait until Prometheus runs and history is in
        if line.startswith("history:"):
            break
    assert _prometheus_pids(tmp_path), "prometheus should be running now"
    process.send_signal(signum)  # to the benchmark alone, not its process group
    out, _ = process.communicate(timeout=60)
    deadline = time.monotonic() + 30
    while _prometheus_pids(tmp_path) and time.monotonic() < deadline:
        time.sleep(0.2)
    leftovers = _prometheus_pids(tmp_path)
    for pid in leftovers:  # started by this test: stop them even when it fails
        os.kill(pid, signal.SIGKILL)
    assert leftovers == []
    if signum != signal.SIGKILL:  # a killed process cannot clean up its temp dir
        assert list(tmp_path.iterdir()) == [], out
