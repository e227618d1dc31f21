"""Serve a live simulated cluster over HTTP on 127.0.0.1.

A `SimulatorCluster` listens on one address per platform replica (the replica's scrape
target, so each has its own `instance`); the first address also serves the probe, the
exporter and service discovery:

GET  /<job>/metrics          the series of one scrape target (platform: this address' replica;
                             healthcheck, cloudwatch); 503 when the scenario fails the scrape
GET  /sd/<job>               Prometheus HTTP service discovery: the job's targets in this
                             cluster, with the cluster's target labels ([] when it is lost)
GET  /scenario               the current scenario
POST /scenario/<name>        switch scenario (healthy, or one incident)
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.exposition import CONTENT_TYPE_LATEST

from simulator.exposition import JobCollector
from simulator.platform import JOBS, SCENARIOS, PlatformSimulator


class SimulatorServer(ThreadingHTTPServer):
    """One address of a simulated cluster: platform replica `replica` (and, for replica 0,
    the cluster-wide jobs and discovery)."""

    daemon_threads = True

    def __init__(self, simulator: PlatformSimulator, port: int = 0,
                 clock: Callable[[], float] = time.time, replica: int = 0,
                 cluster: SimulatorCluster | None = None) -> None:
        super().__init__(("127.0.0.1", port), _Handler)
        self.simulator, self.clock, self.replica, self.cluster = simulator, clock, replica, cluster
        self.lock = cluster.lock if cluster is not None else threading.Lock()
        self.registries = {}
        for job in JOBS:
            registry = CollectorRegistry(auto_describe=False)
            registry.register(JobCollector(simulator, job, replica if job == "platform" else 0))
            self.registries[job] = registry
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.server_address[1]}"

    def start(self) -> SimulatorServer:
        self._thread = threading.Thread(target=self.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self.shutdown()
        self.server_close()

    def set_scenario(self, name: str) -> None:
        with self.lock:
            self.simulator.advance(self.clock())
            self.simulator.set_scenario(name)

    def discovery(self, job: str) -> list[dict[str, object]]:
        """The job's target groups as Prometheus HTTP service discovery expects them."""
        with self.lock:
            replicas = self.simulator.discovered(job)
        if self.cluster is None:
            return [{"targets": [self.address], "labels": {}}] if replicas else []
        targets = [self.cluster.servers[r].address for r in replicas]
        return [{"targets": targets, "labels": dict(self.cluster.labels.get(job, {}))}] if targets else []


class SimulatorCluster:
    """A simulator served on one address per platform replica, sharing one lock."""

    def __init__(self, simulator: PlatformSimulator, port: int = 0, clock: Callable[[], float] = time.time,
                 labels: dict[str, dict[str, str]] | None = None) -> None:
        self.simulator = simulator
        self.labels = labels or {}  # job -> what discovery attaches to its targets (e.g. the cluster)
        self.lock = threading.Lock()
        self.servers: list[SimulatorServer] = []
        try:
            for replica in range(simulator.replicas):
                self.servers.append(SimulatorServer(simulator, port if replica == 0 else 0, clock, replica, self))
        except BaseException:
            self.server_close()
            raise

    @property
    def url(self) -> str:
        """The first address: replica 0, the probe, the exporter and discovery."""
        return self.servers[0].url

    def addresses(self, job: str) -> list[str]:
        """Every target address of a job (whether discovery lists it right now or not)."""
        servers = self.servers if job == "platform" else self.servers[:1]
        return [server.address for server in servers]

    def start(self) -> SimulatorCluster:
        for server in self.servers:
            server.start()
        return self

    def set_scenario(self, name: str) -> None:
        self.servers[0].set_scenario(name)

    def shutdown(self) -> None:
        for server in self.servers:
            if server._thread is not None:
                server.shutdown()

    def server_close(self) -> None:
        for server in self.servers:
            server.server_close()

    def stop(self) -> None:
        self.shutdown()
        self.server_close()


class _Handler(BaseHTTPRequestHandler):
    server: SimulatorServer

    def log_message(self, *args: object) -> None:
        pass

    def _send(self, status: int, body: bytes, content_type: str = "text/plain; charset=utf-8") -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        parts = self.path.split("?", 1)[0].strip("/").split("/")
        if parts == ["scenario"]:
            self._send(200, self.server.simulator.scenario.encode())
            return
        if len(parts) == 2 and parts[0] == "sd" and parts[1] in JOBS:
            self._send(200, json.dumps(self.server.discovery(parts[1])).encode(), "application/json")
            return
        if len(parts) == 2 and parts[1] == "metrics" and parts[0] in JOBS:
            job = parts[0]
            with self.server.lock:
                self.server.simulator.advance(self.server.clock())
                if self.server.simulator.scrape_fails(job, self.server.replica if job == "platform" else 0):
                    self._send(503, f"{job} scrape failed ({self.server.simulator.scenario})\n".encode())
                    return
                body = generate_latest(self.server.registries[job])
            self._send(200, body, CONTENT_TYPE_LATEST)
            return
        self._send(404, b"not found\n")

    def do_POST(self) -> None:
        parts = self.path.strip("/").split("/")
        if len(parts) == 2 and parts[0] == "scenario":
            if parts[1] not in SCENARIOS:
                self._send(400, f"unknown scenario; known: {', '.join(SCENARIOS)}\n".encode())
                return
            self.server.set_scenario(parts[1])
            self._send(200, f"scenario {parts[1]}\n".encode())
            return
        self._send(404, b"not found\n")
