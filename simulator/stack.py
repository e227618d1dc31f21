"""A local monitoring stack on 127.0.0.1: simulator, Prometheus, Alertmanager, webhook sink.

Each cluster (`clusters`, one by default) is a simulator with `replicas` platform replicas,
each its own scrape target; one Prometheus scrapes them all, finding the targets through
the simulators' HTTP service discovery, so a lost cluster's targets vanish as they do
when a cluster's discovery loses them. Rules and the Alertmanager config are rendered
from thresholds.yaml with a spec profile (`e2e` shortens `for`, intervals and group
waits). History is backfilled with `promtool tsdb create-blocks-from openmetrics`: the
last 3 hours (`history_hours`; with one process restart in it) and two thirds of that
around the same time one and two weeks ago, the baselines of the drop alert. Every receiver of the
generated Alertmanager config is pointed at the webhook sink under its own path, so the
real routing tree decides who is notified. `Stack` is a context manager: servers are
stopped and the temp dir removed even when a test fails; the servers also die with this
process when it is killed (simulator.processes), and a killed
run's temp dir is removed by the next start.
"""

from __future__ import annotations

import json
import shutil
import threading
import time
import urllib.parse
import urllib.request
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import yaml

from generators.durations import format_duration
from generators.loader.build import load_spec
from generators.model import Spec
from generators.outputs import render_all
from generators.writer import write_outputs
from simulator.exposition import History
from simulator.platform import JOBS, PlatformSimulator
from simulator.processes import (
    ManagedProcess,
    binary,
    free_port,
    make_owned_dir,
    remove_abandoned_dirs,
    run_tool,
    uninterrupted,
)
from simulator.server import SimulatorCluster

# the process helpers moved to simulator.processes; other code imports them from here
__all__ = ["ManagedProcess", "Stack", "WebhookSink", "binary", "free_port", "receivers_to_sink", "target_labels"]
REPLICAS = 2

WEEK = 7 * 86400
BASELINE_WEEKS = (1, 2)  # thresholds.yaml: ingestion_rate.baseline_offsets [1w, 2w]
HISTORY_HOURS = 3.0
HISTORY_STEP = 30
TEMP_PREFIX = "billing-e2e-"


class WebhookSink(ThreadingHTTPServer):
    """Collects Alertmanager webhook payloads, keyed by the receiver path they came to."""

    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _SinkHandler)
        self.payloads: list[tuple[str, dict[str, Any]]] = []
        self.times: list[float] = []  # when payloads[i] arrived (epoch seconds)
        self.received = threading.Condition()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def wait_for(self, predicate: Any, timeout: float) -> list[tuple[str, dict[str, Any]]]:
        deadline = time.monotonic() + timeout
        with self.received:
            while True:
                matched = [(path, p) for path, p in self.payloads if predicate(path, p)]
                if matched or time.monotonic() > deadline:
                    return matched
                self.received.wait(timeout=0.5)


class _SinkHandler(BaseHTTPRequestHandler):
    server: WebhookSink

    def log_message(self, *args: object) -> None:
        pass

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        with self.server.received:
            self.server.times.append(time.time())
            self.server.payloads.append((self.path.strip("/"), json.loads(body)))
            self.server.received.notify_all()
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()


def target_labels(spec: Spec, instance: str, cluster: str = "e2e") -> dict[str, dict[str, str]]:
    """Labels a scrape of each simulator job carries: the spec's selector (job=...), the
    target's instance and the aggregation labels. Backfilled history must carry the same
    ones, or it would not continue the live series."""
    return {
        job: {**dict(spec.settings.selectors[job]), "instance": instance,
              **{label: cluster for label in spec.settings.aggregation_labels}}
        for job in JOBS
    }


def receivers_to_sink(config: dict[str, Any], sink_url: str) -> dict[str, Any]:
    """Same routing tree and inhibition; every receiver delivers to the sink instead."""
    config = json.loads(json.dumps(config))
    config["receivers"] = [
        {"name": r["name"], "webhook_configs": [{"url": f"{sink_url}/{r['name']}", "send_resolved": True}]}
        for r in config["receivers"]
    ]
    return config


class Stack:
    def __init__(self, spec_path: Path, profile: str = "e2e", scenario: str = "healthy",
                 history: bool = True, history_hours: float = HISTORY_HOURS,
                 progress: Callable[[str], None] | None = None, clusters: tuple[str, ...] = ("e2e",),
                 replicas: int = REPLICAS) -> None:
        if not clusters or len(set(clusters)) != len(clusters):
            raise ValueError(f"clusters must be distinct names, at least one: {clusters!r}")
        self.spec_path, self.profile, self.scenario = spec_path, profile, scenario
        self.cluster_names, self.replicas = clusters, replicas
        self.clusters: dict[str, SimulatorCluster] = {}
        self.history_seconds = history_hours * 3600 if history else 0.0
        self.progress = progress or (lambda text: None)
        self.processes: list[ManagedProcess] = []
        self.servers: list[Any] = []
        self.root: Path | None = None

    # -- lifecycle -------------------------------------------------------------------------
    def __enter__(self) -> Stack:
        try:
            self._start()
        except BaseException:
            self.close()
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        with uninterrupted():  # a stop signal now would leave servers or the temp dir behind
            for process in reversed(self.processes):
                process.stop()
            for server in self.servers:
                server.shutdown()
                server.server_close()
            self.processes, self.servers = [], []
            if self.root is not None:
                shutil.rmtree(self.root, ignore_errors=True)
                self.root = None

    def _start(self) -> None:
        remove_abandoned_dirs(TEMP_PREFIX)  # what a killed run left behind
        with uninterrupted():
            self.root = make_owned_dir(TEMP_PREFIX)
        root = self.root
        self.spec: Spec = load_spec(self.spec_path, self.profile)
        write_outputs(render_all(self.spec), root / "render")
        now = time.time()
        for index, name in enumerate(self.cluster_names):
            simulator = PlatformSimulator(now - self.history_seconds, self.scenario, seed=7 + 6 * index,
                                          replicas=self.replicas)
            with uninterrupted():
                cluster = SimulatorCluster(simulator)
                self.servers.append(cluster)
                cluster.start()
            cluster.labels = {job: _discovered_labels(labels)
                              for job, labels in self._target_labels(name, cluster).items()}
            self.clusters[name] = cluster
        # the first cluster, for single-cluster callers (the demo)
        self.sim_server = self.clusters[self.cluster_names[0]]
        self.simulator = self.sim_server.simulator
        self.target_labels = self._target_labels(self.cluster_names[0], self.sim_server)
        if self.history_seconds:
            self.progress(f"backfilling {self.history_seconds / 3600:g} h of history with promtool")
            self._backfill(root, now)
        for cluster in self.clusters.values():
            cluster.simulator.advance(time.time())
        with uninterrupted():
            self.sink = WebhookSink()
            threading.Thread(target=self.sink.serve_forever, daemon=True).start()
            self.servers.append(self.sink)
        self.progress("starting Alertmanager and Prometheus")
        self._start_alertmanager(root)
        self._start_prometheus(root)

    def _target_labels(self, name: str, cluster: SimulatorCluster) -> dict[str, dict[str, str]]:
        return target_labels(self.spec, urllib.parse.urlparse(cluster.url).netloc, cluster=name)

    def _history(self, name: str, cluster: SimulatorCluster) -> History:
        """A history whose series carry the labels the live scrapes of this cluster will."""
        return History(self._target_labels(name, cluster), dict(enumerate(cluster.addresses("platform"))))

    def _backfill(self, root: Path, now: float) -> None:
        promtool = binary("promtool")
        data = root / "data"
        span = self.history_seconds
        # the drop alert's baselines: the same hours one and two weeks ago (the lower of the
        # two is the baseline; a third of the span either side), then the recent hours
        ranges = [(f"{weeks}w-ago", now - weeks * WEEK - span / 3, now - weeks * WEEK + span / 3)
                  for weeks in BASELINE_WEEKS]
        for range_number, (range_name, start, end) in enumerate((*ranges, ("recent", now - span,
                                                                           now - HISTORY_STEP))):
            combined = History({})
            for index, (name, cluster) in enumerate(self.clusters.items()):
                history = self._history(name, cluster)
                if range_name == "recent":
                    sim, restart_at = cluster.simulator, now - span / 2  # with one process restart in it
                else:
                    sim, restart_at = PlatformSimulator(start, "healthy", seed=11 + 6 * index + 50 * range_number,
                                                        replicas=self.replicas), None
                # history is sampled every HISTORY_STEP: simulating finer steps would cost
                # six times as much (most of a start) for the same samples
                live_step, sim.step_seconds = sim.step_seconds, HISTORY_STEP
                t = start
                while t < end:
                    t += HISTORY_STEP
                    if restart_at is not None and t - HISTORY_STEP < restart_at <= t:
                        sim.restart()
                    sim.advance(t)
                    history.record(sim.t, sim.samples())
                sim.step_seconds = live_step
                combined.points.update(history.points)
            source = root / f"{range_name}.om"
            source.write_text(combined.render_openmetrics())
            run_tool([promtool, "tsdb", "create-blocks-from", "openmetrics", str(source), str(data)])
            source.unlink()

    def _start_alertmanager(self, root: Path) -> None:
        config_dir = root / "render" / "alertmanager"
        generated = yaml.safe_load((config_dir / "alertmanager.yml").read_text())
        (config_dir / "e2e.yml").write_text(yaml.safe_dump(receivers_to_sink(generated, self.sink.url)))
        self.alertmanager_url = self._launch(root, "prometheus-alertmanager", [
            f"--config.file={config_dir / 'e2e.yml'}",
            f"--storage.path={root / 'am-data'}",
            "--cluster.listen-address=",  # no HA gossip: a single local instance
        ])

    def _launch(self, root: Path, name: str, flags: list[str]) -> str:
        """Start a server binary on a free port of 127.0.0.1; wait until it is ready."""
        port = free_port()
        url = f"http://127.0.0.1:{port}"
        with uninterrupted():  # registered for close() before a stop can unwind
            process = ManagedProcess(name, [binary(name), *flags, f"--web.listen-address=127.0.0.1:{port}"],
                                     f"{url}/-/ready", root / f"{name}.log")
            self.processes.append(process)
        process.wait_ready()
        return url

    def _start_prometheus(self, root: Path) -> None:
        interval = format_duration(self.spec.settings.scrape_interval)
        scrape_configs = [{
            "job_name": self.target_labels[job]["job"],  # the spec's selectors name the jobs
            "metrics_path": f"/{job}/metrics",
            # each cluster's discovery lists its targets with the cluster's labels
            "http_sd_configs": [{"url": f"{cluster.url}/sd/{job}", "refresh_interval": interval}
                                for cluster in self.clusters.values()],
        } for job in JOBS]
        config = {
            "global": {"scrape_interval": interval,
                       "evaluation_interval": format_duration(self.spec.settings.evaluation_interval)},
            "rule_files": [str(root / "render" / "alerts" / "*.rules.yml")],  # the guide's and the SLOs'
            "alerting": {"alertmanagers": [{"static_configs": [
                {"targets": [urllib.parse.urlparse(self.alertmanager_url).netloc]}]}]},
            "scrape_configs": scrape_configs,
        }
        (root / "prometheus.yml").write_text(yaml.safe_dump(config, sort_keys=False))
        self.prometheus_url = self._launch(root, "prometheus", [
            f"--config.file={root / 'prometheus.yml'}",
            f"--storage.tsdb.path={root / 'data'}",
            "--storage.tsdb.retention.time=15d",  # keeps the week-old baseline blocks
        ])

    # -- API helpers -------------------------------------------------------------------------
    def api(self, path: str, **params: str) -> Any:
        url = f"{self.prometheus_url}{path}"
        if params:
            url += "?" + urllib.parse.urlencode(params)
        with urllib.request.urlopen(url, timeout=10) as resp:
            body = json.loads(resp.read())
        if body.get("status") != "success":
            raise RuntimeError(f"{path}: {body}")
        return body["data"]

    def query(self, expr: str) -> list[dict[str, Any]]:
        return self.api("/api/v1/query", query=expr)["result"]

    def set_scenario(self, name: str, cluster: str | None = None) -> None:
        """Switch one cluster (the first by default) to a scenario."""
        self.clusters[cluster or self.cluster_names[0]].set_scenario(name)


def _discovered_labels(labels: dict[str, str]) -> dict[str, str]:
    """What discovery attaches to a target: its labels but the job (the scrape config's
    name) and the instance (its address)."""
    return {k: v for k, v in labels.items() if k not in ("job", "instance")}
