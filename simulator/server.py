"""Serve a live simulator over HTTP on 127.0.0.1.

GET  /<job>/metrics          the series of one scrape job (platform, healthcheck, cloudwatch);
                             the platform job answers 503 while the platform is down
GET  /scenario               the current scenario
POST /scenario/<name>        switch scenario (healthy, or one incident)
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.exposition import CONTENT_TYPE_LATEST

from simulator.exposition import JobCollector
from simulator.platform import JOBS, SCENARIOS, PlatformSimulator


class SimulatorServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, simulator: PlatformSimulator, port: int = 0,
                 clock: Callable[[], float] = time.time) -> None:
        super().__init__(("127.0.0.1", port), _Handler)
        self.simulator, self.clock, self.lock = simulator, clock, threading.Lock()
        self.registries = {}
        for job in JOBS:
            registry = CollectorRegistry(auto_describe=False)
            registry.register(JobCollector(simulator, job))
            self.registries[job] = registry
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

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
        parts = self.path.strip("/").split("/")
        if parts == ["scenario"]:
            self._send(200, self.server.simulator.scenario.encode())
            return
        if len(parts) == 2 and parts[1] == "metrics" and parts[0] in JOBS:
            with self.server.lock:
                self.server.simulator.advance(self.server.clock())
                if parts[0] == "platform" and not self.server.simulator.params.platform_up:
                    self._send(503, b"platform down\n")
                    return
                body = generate_latest(self.server.registries[parts[0]])
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
