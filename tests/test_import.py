"""`python -m generators import` against a local HTTP server that checks each request the
way Grafana's API does (no Grafana server can be installed on these machines)."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
import yaml

from generators.durations import format_duration
from generators.model import Spec
from tests.conftest import ROOT

TOKEN = "glsa_secretTokenValue_123456"


class FakeGrafana(ThreadingHTTPServer):
    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.requests: list[dict[str, Any]] = []
        self.folders: set[str] = set()
        self.dashboard_status = 200
        self.versions: dict[str, int] = {}

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class _Handler(BaseHTTPRequestHandler):
    server: FakeGrafana

    def log_message(self, *args: Any) -> None:
        pass

    def _reply(self, status: int, body: dict[str, Any]) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _record(self) -> dict[str, Any] | None:
        length = int(self.headers.get("Content-Length") or 0)
        body = json.loads(self.rfile.read(length)) if length else None
        self.server.requests.append({"method": self.command, "path": self.path,
                                     "headers": dict(self.headers), "body": body})
        return body

    def _authorized(self) -> bool:
        if self.headers.get("Authorization") != f"Bearer {TOKEN}":
            self._reply(401, {"message": "Unauthorized"})
            return False
        return True

    def do_GET(self) -> None:
        self._record()
        if not self._authorized():
            return
        uid = self.path.removeprefix("/api/folders/")
        if self.path.startswith("/api/folders/") and uid in self.server.folders:
            self._reply(200, {"uid": uid, "title": "Billing"})
        else:
            self._reply(404, {"message": "folder not found"})

    def do_POST(self) -> None:
        body = self._record()
        if not self._authorized():
            return
        if self.headers.get("Content-Type") != "application/json" or body is None:
            self._reply(400, {"message": "bad request data"})
            return
        if self.path == "/api/folders":
            self.server.folders.add(body["uid"])
            self._reply(200, {"uid": body["uid"], "title": body["title"]})
            return
        if self.path != "/api/dashboards/db":
            self._reply(404, {"message": "not found"})
            return
        dash = body.get("dashboard", {})
        if self.server.dashboard_status != 200:
            messages = {403: "Access denied", 412: "The dashboard has been changed by someone else"}
            self._reply(self.server.dashboard_status, {"status": "version-mismatch",
                                                       "message": messages.get(self.server.dashboard_status, "")})
            return
        # what Grafana validates: a dashboard with uid and title, overwrite, an existing folder
        if not dash.get("uid") or not dash.get("title") or dash.get("id") is not None:
            self._reply(400, {"message": "dashboard must have uid and title and no id"})
            return
        if body.get("folderUid") not in self.server.folders or body.get("overwrite") is not True:
            self._reply(400, {"message": "folder not found or overwrite missing"})
            return
        version = self.server.versions.get(dash["uid"], 0) + 1
        self.server.versions[dash["uid"]] = version
        slug = dash["title"].lower().replace(" ", "-")
        self._reply(200, {"id": version, "uid": dash["uid"], "url": f"/d/{dash['uid']}/{slug}",
                          "status": "success", "version": version, "slug": slug})


@pytest.fixture
def grafana() -> Iterator[FakeGrafana]:
    server = FakeGrafana()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


def _import(url: str, token: str = TOKEN) -> subprocess.CompletedProcess[str]:
    env = {"PATH": "/usr/bin:/bin", "GRAFANA_URL": url, "GRAFANA_TOKEN": token}
    return subprocess.run([sys.executable, "-m", "generators", "import"], capture_output=True,
                          text=True, cwd=ROOT, env=env, timeout=60)


def test_import_uploads_every_dashboard_with_the_request_grafana_expects(grafana: FakeGrafana) -> None:
    result = _import(grafana.url)
    assert result.returncode == 0, result.stdout + result.stderr
    posts = [r for r in grafana.requests if r["path"] == "/api/dashboards/db"]
    assert sorted(p["body"]["dashboard"]["uid"] for p in posts) == [
        "billing-financial", "billing-overview", "billing-performance"]
    for post in posts:
        assert post["method"] == "POST"
        assert post["headers"]["Authorization"] == f"Bearer {TOKEN}"
        assert post["body"]["overwrite"] is True and post["body"]["folderUid"] == "billing"
        local = json.loads((ROOT / "dashboards" / f"{post['body']['dashboard']['uid'].split('-')[1]}.json").read_text())
        assert post["body"]["dashboard"] == local
    assert ("POST", "/api/folders") in [(r["method"], r["path"]) for r in grafana.requests]
    assert result.stdout.count("imported as") == 3
    assert "3 of 3 dashboards imported" in result.stdout
    assert TOKEN not in result.stdout + result.stderr
    # a second run overwrites (new versions), and reuses the folder
    again = _import(grafana.url)
    assert again.returncode == 0 and "version 2" in again.stdout


@pytest.mark.parametrize("status,expected", [(403, "Editor role"), (412, "precondition failed")])
def test_import_explains_permission_and_precondition_errors(grafana: FakeGrafana, status: int,
                                                            expected: str) -> None:
    grafana.dashboard_status = status
    result = _import(grafana.url)
    assert result.returncode == 1
    assert f"HTTP {status}" in result.stdout and expected in result.stdout
    assert "0 of 3 dashboards imported" in result.stdout
    assert TOKEN not in result.stdout + result.stderr


def test_import_with_a_wrong_token_says_so_and_never_prints_it(grafana: FakeGrafana) -> None:
    result = _import(grafana.url, token="wrong-token-value")
    assert result.returncode == 1
    assert "HTTP 401" in result.stdout and "GRAFANA_TOKEN" in result.stdout
    assert "wrong-token-value" not in result.stdout + result.stderr


def test_import_reports_an_unreachable_grafana() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    result = _import(f"http://127.0.0.1:{port}")
    assert result.returncode == 1
    assert "cannot reach Grafana" in result.stdout and "Traceback" not in result.stderr


def test_import_needs_url_and_token() -> None:
    result = _import("", token="")
    assert result.returncode == 2 and "GRAFANA_URL" in result.stdout


def test_provisioning_points_at_dashboards_and_matches_the_scrape_interval(spec: Spec) -> None:
    providers = yaml.safe_load((ROOT / "provisioning/dashboards/billing.yml").read_text())["providers"]
    assert providers[0]["type"] == "file" and providers[0]["options"]["path"]
    datasource = yaml.safe_load((ROOT / "provisioning/datasources/prometheus.yml").read_text())["datasources"][0]
    assert datasource["type"] == "prometheus"
    # $__rate_interval is derived from the data source's scrape interval
    assert datasource["jsonData"]["timeInterval"] == format_duration(spec.settings.scrape_interval)
