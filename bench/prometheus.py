"""A throw-away Prometheus on 127.0.0.1: free port, temp data dir, stopped on every exit path.

The process is started with PR_SET_PDEATHSIG, so even a SIGKILL of the benchmark does not
leave it running; Ctrl-C reaches it with the rest of the foreground process group, and
`stop()` (called from `finally`) terminates and reaps it otherwise.
"""

from __future__ import annotations

import ctypes
import json
import shutil
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

PR_SET_PDEATHSIG = 1


def binary(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise RuntimeError(f"{name} not found; run `make tools` (apt: prometheus)")
    return path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _die_with_parent() -> None:
    ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


class Prometheus:
    def __init__(self, root: Path, config: Path, extra_flags: list[str]) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = root / "prometheus.log"
        self._log = self.log_path.open("wb")
        self.process = subprocess.Popen(
            [binary("prometheus"), f"--config.file={config}", f"--storage.tsdb.path={root / 'data'}",
             f"--web.listen-address=127.0.0.1:{self.port}", "--web.enable-lifecycle", *extra_flags],
            stdout=self._log, stderr=subprocess.STDOUT, preexec_fn=_die_with_parent)

    def wait_ready(self, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"prometheus exited: {self.log_tail()}")
            try:
                with urllib.request.urlopen(f"{self.url}/-/ready", timeout=2) as resp:
                    if resp.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(0.2)
        raise RuntimeError(f"prometheus not ready after {timeout:g} s: {self.log_tail()}")

    def log_tail(self) -> str:
        return self.log_path.read_text(errors="replace")[-3000:]

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._log.close()

    def reload(self) -> None:
        """Apply a changed config file; a config or rule file Prometheus refuses is an error."""
        request = urllib.request.Request(f"{self.url}/-/reload", method="POST")
        try:
            with urllib.request.urlopen(request, timeout=60) as resp:
                resp.read()
        except urllib.error.HTTPError as exc:
            raise RuntimeError(f"prometheus refused the configuration: {exc.read().decode(errors='replace')}") from exc

    def api(self, path: str, **params: str) -> Any:
        url = f"{self.url}{path}" + ("?" + urllib.parse.urlencode(params) if params else "")
        try:
            with urllib.request.urlopen(url, timeout=120) as resp:
                body = json.loads(resp.read())
        except urllib.error.HTTPError as exc:  # Prometheus says why in the body
            raise RuntimeError(f"{path} {params}: {exc.read().decode(errors='replace')}") from exc
        if body.get("status") != "success":
            raise RuntimeError(f"{path}: {body}")
        return body["data"]

    def query_scalar(self, expr: str) -> float | None:
        result = self.api("/api/v1/query", query=expr)["result"]
        return float(result[0]["value"][1]) if result else None

    def self_metrics(self) -> str:
        with urllib.request.urlopen(f"{self.url}/metrics", timeout=30) as resp:
            return resp.read().decode()
