"""What goes wrong with a real server: one clear line each, exit 1, no traceback, no secret.

The 401/503/timeout cases go through a small proxy in front of the real Prometheus, as
a gateway (Mimir, Thanos, an auth proxy) would answer; the 422 comes from Prometheus
itself, started with a sample limit the backtest's queries exceed.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from tests.backtest.conftest import HistoryServer, run_backtest
from tests.backtest.history import copy_blocks, prometheus
from tests.conftest import ROOT

pytestmark = pytest.mark.backtest
TOKEN = "tok-3f9a-secret"


class Gateway(ThreadingHTTPServer):
    """Forwards to Prometheus when the bearer token is right; else answers like a gateway."""

    daemon_threads = True

    def __init__(self, upstream: str) -> None:
        super().__init__(("127.0.0.1", 0), _GatewayHandler)
        self.upstream = upstream
        self.mode = "auth"  # auth | unavailable | bad_data | html | malformed
        self.delay = 0.0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # a client that timed out closed the connection: nothing to report


class _GatewayHandler(BaseHTTPRequestHandler):
    server: Gateway

    def log_message(self, *args: object) -> None:
        pass

    def _answer(self, status: int, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _handle(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0)) or None
        sent = self.headers.get("Authorization", "")
        if sent != f"Bearer {TOKEN}":
            # a careless gateway echoes what it got: the backtest must not print it
            self._answer(401, f"invalid credentials {sent!r}".encode())
            return
        if self.server.mode == "unavailable":
            self._answer(503, json.dumps({"status": "error", "errorType": "unavailable",
                                          "error": f"too many outstanding requests (auth {sent})"}).encode())
            return
        if self.server.mode == "html":
            body = b"<html><body>Please log in</body></html>"
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        if self.server.mode == "malformed":
            self._answer(200, json.dumps({"status": "success", "data": {
                "resultType": "matrix", "result": [{"metric": {}, "values": [[1, "x"]]}]}}).encode())
            return
        if self.server.mode == "bad_data":
            self._answer(400, json.dumps({"status": "error", "errorType": "bad_data",
                                          "error": "invalid parameter \"query\""}).encode())
            return
        time.sleep(self.server.delay)
        request = urllib.request.Request(self.server.upstream + self.path, data=body, method=self.command)
        if body:
            request.add_header("Content-Type", self.headers.get("Content-Type", ""))
        try:
            with urllib.request.urlopen(request, timeout=60) as resp:
                self._answer(resp.status, resp.read())
        except urllib.error.HTTPError as exc:
            self._answer(exc.code, exc.read())

    do_GET = do_POST = _handle


@pytest.fixture
def gateway(history: HistoryServer) -> Iterator[Gateway]:
    server = Gateway(history.url)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


def _period(history: HistoryServer) -> list[str]:
    return ["--start", str(history.start), "--end", str(history.end)]


def _error_line(code: int, out: str, err: str) -> str:
    assert code == 1 and out == "" and "Traceback" not in err, (code, out, err)
    lines = err.strip().splitlines()
    assert len(lines) == 1, lines
    return lines[0]


def test_no_token_is_refused_credentials(capsys: pytest.CaptureFixture[str], history: HistoryServer,
                                         gateway: Gateway, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PROMETHEUS_BEARER_TOKEN", raising=False)
    line = _error_line(*run_backtest(capsys, "--url", gateway.url, *_period(history)))
    assert line.startswith(f"backtest: {gateway.url} refused the credentials (HTTP 401; no bearer token was sent")


def test_a_wrong_token_is_never_printed(capsys: pytest.CaptureFixture[str], history: HistoryServer,
                                        gateway: Gateway, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BILLING_TOKEN", "tok-wrong-0451")
    line = _error_line(*run_backtest(capsys, "--url", gateway.url, "--token-env", "BILLING_TOKEN", *_period(history)))
    assert "a bearer token was sent" in line and "<redacted>" in line
    assert "tok-wrong-0451" not in line


def test_the_right_token_works_and_stays_secret(capsys: pytest.CaptureFixture[str], history: HistoryServer,
                                                gateway: Gateway, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PROMETHEUS_BEARER_TOKEN", TOKEN)
    code, out, err = run_backtest(capsys, "--url", gateway.url, *_period(history), "--json")
    assert code == 0, err
    assert TOKEN not in out + err
    assert json.loads(out)["result"]["notifications"]["custom-alerting"] > 0


@pytest.mark.parametrize("mode,expected", [
    ("unavailable", "(HTTP 503): unavailable: too many outstanding requests (auth Bearer <redacted>)"),
    ("bad_data", '(HTTP 400): bad_data: invalid parameter "query"'),
])
def test_a_refusing_gateway_is_one_line(capsys: pytest.CaptureFixture[str], history: HistoryServer,
                                        gateway: Gateway, monkeypatch: pytest.MonkeyPatch, mode: str,
                                        expected: str) -> None:
    monkeypatch.setenv("PROMETHEUS_BEARER_TOKEN", TOKEN)
    gateway.mode = mode
    line = _error_line(*run_backtest(capsys, "--url", gateway.url, *_period(history)))
    assert line.startswith(f"backtest: {gateway.url} refused the ") and line.endswith(expected), line


@pytest.mark.parametrize("mode,expected", [
    ("html", "the answer is not JSON; is --url a Prometheus query API"),
    ("malformed", "the answer is not a Prometheus matrix result"),
])
def test_an_answer_that_is_not_prometheus_is_one_line(capsys: pytest.CaptureFixture[str], history: HistoryServer,
                                                      gateway: Gateway, monkeypatch: pytest.MonkeyPatch, mode: str,
                                                      expected: str) -> None:
    monkeypatch.setenv("PROMETHEUS_BEARER_TOKEN", TOKEN)
    gateway.mode = mode
    line = _error_line(*run_backtest(capsys, "--url", gateway.url, *_period(history)))
    assert line.startswith(f"backtest: {gateway.url}: ") and expected in line, line


def test_a_slow_server_times_out(capsys: pytest.CaptureFixture[str], history: HistoryServer, gateway: Gateway,
                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PROMETHEUS_BEARER_TOKEN", TOKEN)
    gateway.delay = 3
    line = _error_line(*run_backtest(capsys, "--url", gateway.url, "--timeout", "1s", *_period(history)))
    assert line.endswith("no answer within 1s (--timeout)"), line


def test_prometheus_refusing_a_query_is_one_line(capsys: pytest.CaptureFixture[str], history: HistoryServer,
                                                 tmp_path: Path) -> None:
    copy_blocks(history.data_dir, tmp_path / "data")
    with prometheus(tmp_path / "data", extra_flags=["--query.max-samples=2000"]) as url:
        line = _error_line(*run_backtest(capsys, "--url", url, *_period(history)))
    assert f"{url} refused the " in line
    assert "(HTTP 422): execution: query processing would load too many samples into memory" in line


def test_a_period_beyond_retention_fails_or_warns(capsys: pytest.CaptureFixture[str], history: HistoryServer) -> None:
    args = ["--url", history.url, "--since", "3d", "--end", str(history.end)]
    line = _error_line(*run_backtest(capsys, *args))
    assert "history begins at" in line and "after the period start" in line
    assert "(the server keeps 60d)" in line and "--allow-partial-history" in line
    code, out, err = run_backtest(capsys, *args, "--allow-partial-history")
    assert code == 0 and "warning: history begins at" in err and "BillingPaymentSuccessRateLow" in out
    before = str(history.start - 10 * 86400)
    line = _error_line(*run_backtest(capsys, "--url", history.url, "--end", before, "--since", "1d"))
    assert "has no samples of the alerts' metrics" in line


def test_ctrl_c_stops_cleanly(history: HistoryServer, gateway: Gateway) -> None:
    gateway.delay = 5
    env = {**os.environ, "PROMETHEUS_BEARER_TOKEN": TOKEN}
    process = subprocess.Popen([sys.executable, "-m", "generators", "backtest", "--url", gateway.url,
                                *_period(history)], cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True)
    time.sleep(3)  # started, waiting on the slow gateway
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=60)
    assert process.returncode == 130 and out == "" and err.strip().splitlines()[-1] == "backtest: interrupted", err
    assert "Traceback" not in err
