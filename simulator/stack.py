"""A local monitoring stack on 127.0.0.1: simulator, Prometheus, Alertmanager, webhook sink.

Rules and the Alertmanager config are rendered from thresholds.yaml with a spec profile
(`e2e` shortens `for`, intervals and group waits). History is backfilled with
`promtool tsdb create-blocks-from openmetrics`: the last 3 hours (with one process
restart in it) and two hours around the same time a week ago, the baseline of the drop
alert. Every receiver of the generated Alertmanager config is pointed at the webhook sink
under its own path, so the real routing tree decides who is notified. `Stack` is a
context manager: servers are stopped and the temp dir removed even when a test fails.
"""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import yaml

from generators.model import Spec
from generators.outputs import render_all
from generators.spec import format_duration, load_spec
from generators.writer import write_outputs
from simulator.exposition import History
from simulator.platform import JOBS, PlatformSimulator
from simulator.server import SimulatorServer

WEEK = 7 * 86400
HISTORY_SECONDS = 3 * 3600
HISTORY_STEP = 30


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def binary(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise RuntimeError(f"{name} not found; run `make tools` (apt: prometheus prometheus-alertmanager)")
    return path


class WebhookSink(ThreadingHTTPServer):
    """Collects Alertmanager webhook payloads, keyed by the receiver path they came to."""

    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _SinkHandler)
        self.payloads: list[tuple[str, dict[str, Any]]] = []
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
            self.server.payloads.append((self.path.strip("/"), json.loads(body)))
            self.server.received.notify_all()
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()


class ManagedProcess:
    def __init__(self, name: str, args: list[str], ready_url: str, log: Path) -> None:
        self.name, self.ready_url, self.log = name, ready_url, log
        self.handle = log.open("wb")
        self.process = subprocess.Popen(args, stdout=self.handle, stderr=subprocess.STDOUT)

    def wait_ready(self, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited: {self.log.read_text()[-2000:]}")
            try:
                with urllib.request.urlopen(self.ready_url, timeout=2) as resp:
                    if resp.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(0.2)
        raise RuntimeError(f"{self.name} not ready after {timeout}s: {self.log.read_text()[-2000:]}")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.handle.close()


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
                 history: bool = True) -> None:
        self.spec_path, self.profile, self.scenario, self.history = spec_path, profile, scenario, history
        self.processes: list[ManagedProcess] = []
        self.servers: list[Any] = []
        self.tmp: tempfile.TemporaryDirectory[str] | None = None

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
        for process in reversed(self.processes):
            process.stop()
        for server in self.servers:
            server.shutdown()
            server.server_close()
        self.processes, self.servers = [], []
        if self.tmp is not None:
            self.tmp.cleanup()
            self.tmp = None

    def _start(self) -> None:
        self.tmp = tempfile.TemporaryDirectory(prefix="billing-e2e-")
        root = Path(self.tmp.name)
        self.spec: Spec = load_spec(self.spec_path, self.profile)
        write_outputs(render_all(self.spec), root / "render")
        now = time.time()
        self.simulator = PlatformSimulator(now - HISTORY_SECONDS, self.scenario)
        self.sim_server = SimulatorServer(self.simulator).start()
        self.servers.append(self.sim_server)
        self.target_labels = target_labels(self.spec, urllib.parse.urlparse(self.sim_server.url).netloc)
        if self.history:
            self._backfill(root, now)
        self.simulator.advance(time.time())
        self.sink = WebhookSink()
        threading.Thread(target=self.sink.serve_forever, daemon=True).start()
        self.servers.append(self.sink)
        self._start_alertmanager(root)
        self._start_prometheus(root)

    def _backfill(self, root: Path, now: float) -> None:
        promtool = binary("promtool")
        data = root / "data"
        week_ago = PlatformSimulator(now - WEEK - 3600, "healthy", seed=11)
        recent = self.simulator
        for name, sim, start, end, restart_at in (
            ("week-ago", week_ago, now - WEEK - 3600, now - WEEK + 3600, None),
            ("recent", recent, now - HISTORY_SECONDS, now - HISTORY_STEP, now - 5400),
        ):
            history = History(self.target_labels)
            t = start
            while t < end:
                t += HISTORY_STEP
                if restart_at is not None and t - HISTORY_STEP < restart_at <= t:
                    sim.restart()
                sim.advance(t)
                history.record(sim.t, sim.samples())
            source = root / f"{name}.om"
            source.write_text(history.render_openmetrics())
            subprocess.run([promtool, "tsdb", "create-blocks-from", "openmetrics", str(source), str(data)],
                           check=True, capture_output=True)
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
        process = ManagedProcess(name, [binary(name), *flags, f"--web.listen-address=127.0.0.1:{port}"],
                                 f"{url}/-/ready", root / f"{name}.log")
        self.processes.append(process)
        process.wait_ready()
        return url

    def _start_prometheus(self, root: Path) -> None:
        interval = format_duration(self.spec.settings.scrape_interval)
        instance = urllib.parse.urlparse(self.sim_server.url).netloc
        scrape_configs = [{
            "job_name": self.target_labels[job]["job"],  # the spec's selectors name the jobs
            "metrics_path": f"/{job}/metrics",
            "static_configs": [{"targets": [instance],
                                "labels": {k: v for k, v in self.target_labels[job].items()
                                           if k not in ("job", "instance")}}],
        } for job in JOBS]
        config = {
            "global": {"scrape_interval": interval,
                       "evaluation_interval": format_duration(self.spec.settings.evaluation_interval)},
            "rule_files": [str(root / "render" / "alerts" / "billing.rules.yml")],
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

    def set_scenario(self, name: str) -> None:
        self.sim_server.set_scenario(name)
