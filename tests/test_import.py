"""`python -m generators import` against a local HTTP server that checks each request the
way Grafana's API does (no Grafana server can be installed on these machines), and that can
misbehave the ways a hostile or misconfigured server does: redirects, HTML or odd JSON with
200, trickling bytes, huge answers, reflecting the Authorization header."""

from __future__ import annotations

import contextlib
import io
import json
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from unittest import mock

import pytest
import yaml

from generators.cli import main
from generators.durations import format_duration
from generators.model import Spec
from tests.conftest import ROOT

N = len(list((ROOT / "dashboards").glob("*.json")))  # dashboards the import uploads

TOKEN = "glsa_secretTokenValue_123456"
# a misbehaviour: takes the handler, answers the request itself
Behaviour = Callable[["_Handler"], None]


class FakeGrafana(ThreadingHTTPServer):
    daemon_threads = True  # a trickling handler must not hold the test at shutdown
    block_on_close = False

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.requests: list[dict[str, Any]] = []
        self.folders: set[str] = set()
        self.dashboard_status = 200
        self.versions: dict[str, int] = {}
        self.on_folder_get: Behaviour | None = None
        self.on_dashboard: Behaviour | None = None
        self.bytes_sent = 0  # by the misbehaviours that stream a body

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # the client hanging up on a trickle or a huge answer is the point of those tests


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
        if self.path.startswith("/api/folders/") and self.server.on_folder_get is not None:
            self.server.on_folder_get(self)
        elif self.path.startswith("/api/folders/") and uid in self.server.folders:
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
        if self.server.on_dashboard is not None:
            self.server.on_dashboard(self)
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


# -- misbehaviours ---------------------------------------------------------------------------

def raw(status: int, body: bytes, content_type: str = "application/json",
        headers: dict[str, str] | None = None) -> Behaviour:
    def answer(handler: _Handler) -> None:
        handler.send_response(status)
        handler.send_header("Content-Type", content_type)
        handler.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            handler.send_header(name, value)
        handler.end_headers()
        handler.wfile.write(body)
    return answer


def redirect(status: int, location: str) -> Behaviour:
    return raw(status, b"", "text/html", {"Location": location})


def trickle(head: bytes, every: float) -> Behaviour:
    """Sends `head` at once, then one byte per `every` seconds until the client hangs up."""
    def answer(handler: _Handler) -> None:
        handler.wfile.write(head)
        while True:
            time.sleep(every)
            handler.wfile.write(b" ")
    return answer


def huge(size: int, chunked: bool) -> Behaviour:
    """A body of `size` bytes, announced by Content-Length or sent chunked; counts what got out."""
    block = b"0" * (1 << 20)

    def answer(handler: _Handler) -> None:
        framing = b"Transfer-Encoding: chunked" if chunked else f"Content-Length: {size}".encode()
        handler.wfile.write(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n" + framing + b"\r\n\r\n")
        for _ in range(size // len(block)):
            handler.wfile.write(b"%x\r\n%s\r\n" % (len(block), block) if chunked else block)
            handler.server.bytes_sent += len(block)
        if chunked:
            handler.wfile.write(b"0\r\n\r\n")
    return answer


def reflect_authorization(status: int, shape: str) -> Behaviour:
    """What some proxies and debug endpoints do: echo the request's Authorization header."""
    def answer(handler: _Handler) -> None:
        header = handler.headers.get("Authorization", "")
        token = header.removeprefix("Bearer ")
        escaped = "".join(f"\\u{ord(c):04x}" for c in token)  # every character in JSON's \\u spelling
        bodies = {
            "json": json.dumps({"message": f"invalid header Authorization: {header}"}),
            "html": f"<html><body><pre>{header}</pre></body></html>",
            # the token where a short snippet would be cut, and in other spellings
            "padded": "x" * 140 + " " + header + " " + token.upper() + " " + token.replace("_", "%5F"),
            "escaped": '{"message": "' + escaped + '"}',
        }
        raw(status, bodies[shape].encode(), "text/html" if shape == "html" else "application/json")(handler)
    return answer


@pytest.fixture
def grafana() -> Iterator[FakeGrafana]:
    server = FakeGrafana()
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


def _import(url: str, token: str = TOKEN, *args: str, timeout: float = 60, env: dict[str, str] | None = None,
            in_process: bool = True) -> subprocess.CompletedProcess[str]:
    """The import command, in this process (fast; an escaping exception fails the test like a
    traceback would) or as `python -m generators import` (the real entry point)."""
    env = {"PATH": "/usr/bin:/bin", "GRAFANA_URL": url, "GRAFANA_TOKEN": token, **(env or {})}
    command = ["import", *args]
    if not in_process:
        return subprocess.run([sys.executable, "-m", "generators", *command], capture_output=True,
                              text=True, cwd=ROOT, env=env, timeout=timeout)
    stdout, stderr = io.StringIO(), io.StringIO()
    with mock.patch.dict(os.environ, env, clear=True), contextlib.chdir(ROOT), \
            contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
        try:
            code = main(command)
        except SystemExit as exc:  # argparse
            code = exc.code if isinstance(exc.code, int) else 2
    return subprocess.CompletedProcess(command, code, stdout.getvalue(), stderr.getvalue())


def _assert_token_never_printed(result: subprocess.CompletedProcess[str], token: str = TOKEN) -> None:
    """Not the token, and no 8-character piece of it either (a cut snippet), in any case."""
    printed = (result.stdout + result.stderr).lower()
    pieces = {token[i:i + 8].lower() for i in range(len(token) - 7)}
    assert not [p for p in pieces if p in printed], printed


def _assert_failed_cleanly(result: subprocess.CompletedProcess[str], code: int = 1) -> None:
    assert result.returncode == code, result.stdout + result.stderr
    assert "Traceback" not in result.stderr and result.stderr == "", result.stderr
    assert f"{N} of {N}" not in result.stdout
    _assert_token_never_printed(result)


def test_import_uploads_every_dashboard_with_the_request_grafana_expects(grafana: FakeGrafana) -> None:
    result = _import(grafana.url, in_process=False)
    assert result.returncode == 0, result.stdout + result.stderr
    posts = [r for r in grafana.requests if r["path"] == "/api/dashboards/db"]
    assert sorted(p["body"]["dashboard"]["uid"] for p in posts) == [
        "billing-financial", "billing-overview", "billing-performance", "billing-slos"]
    for post in posts:
        assert post["method"] == "POST"
        assert post["headers"]["Authorization"] == f"Bearer {TOKEN}"
        assert post["body"]["overwrite"] is True and post["body"]["folderUid"] == "billing"
        local = json.loads((ROOT / "dashboards" / f"{post['body']['dashboard']['uid'].split('-')[1]}.json").read_text())
        assert post["body"]["dashboard"] == local
    assert ("POST", "/api/folders") in [(r["method"], r["path"]) for r in grafana.requests]
    assert result.stdout.count("imported as") == 4
    assert "4 of 4 dashboards imported" in result.stdout
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
    assert "0 of 4 dashboards imported" in result.stdout
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


# -- hostile and misconfigured servers ---------------------------------------------------------

@pytest.fixture
def elsewhere() -> Iterator[FakeGrafana]:
    """Another server, the target of redirects: it must never see a request."""
    server = FakeGrafana()
    threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.parametrize("step,status", [("folder", 307), ("folder", 302), ("dashboard", 302),
                                         ("dashboard", 307), ("dashboard", 308)])
def test_redirects_are_not_followed_and_the_token_stays_home(grafana: FakeGrafana, elsewhere: FakeGrafana,
                                                             step: str, status: int) -> None:
    # `localhost` is another host than 127.0.0.1 as far as a URL is concerned
    location = f"http://localhost:{elsewhere.server_address[1]}/api/{step}"
    if step == "folder":
        grafana.on_folder_get = redirect(status, location)
    else:
        grafana.on_dashboard = redirect(status, location)
    result = _import(grafana.url)
    _assert_failed_cleanly(result)
    assert elsewhere.requests == []
    assert f"HTTP {status} redirect to host localhost, not followed" in result.stdout
    assert result.stdout.splitlines()[-1].startswith(f"import: FAILED: 0 of {N} dashboards imported")


@pytest.mark.parametrize("body,content_type", [
    (b"<!doctype html><html><title>Grafana</title><body>Sign in</body></html>", "text/html"),
    (b"null", "application/json"),
    (b"[]", "application/json"),
    (b"{}", "application/json"),
    (b'"success"', "application/json"),
    (b'{"uid": "billing-overview", "version": "1"}', "application/json"),
    (b'{"uid": "other-dashboard", "version": 1}', "application/json"),
    (b"", "application/json"),
    (b'{"uid": "billing-overview", "vers', "application/json"),
    (b"[" * 100_000, "application/json"),
    (b"\xff\xfe\x00garbage", "application/octet-stream"),
])
def test_an_answer_that_is_not_grafanas_json_fails_that_dashboard(grafana: FakeGrafana, body: bytes,
                                                                    content_type: str) -> None:
    grafana.on_dashboard = raw(200, body, content_type)
    result = _import(grafana.url)
    _assert_failed_cleanly(result)
    assert result.stdout.count("import: FAILED overview.json") == 1
    assert result.stdout.splitlines()[-1] == (
        f"import: FAILED: 0 of {N} dashboards imported into folder 'billing'; {N} failed (see above)")


def test_a_login_page_instead_of_the_folder_api_stops_the_import(grafana: FakeGrafana) -> None:
    grafana.on_folder_get = raw(200, b"<html><body>Please sign in</body></html>", "text/html")
    result = _import(grafana.url)
    _assert_failed_cleanly(result)
    assert "not JSON (text/html: <html><body>Please sign in</body></html>)" in result.stdout
    assert not [r for r in grafana.requests if r["path"] == "/api/dashboards/db"]


def test_one_failed_dashboard_makes_the_run_fail_and_says_so(grafana: FakeGrafana) -> None:
    seen: list[str] = []

    def html_for_the_second(handler: _Handler) -> None:
        seen.append(handler.path)
        if len(seen) == 2:
            raw(200, b"<html>proxy error</html>", "text/html")(handler)
        else:
            uid = grafana.requests[-1]["body"]["dashboard"]["uid"]
            raw(200, json.dumps({"uid": uid, "version": 1, "url": f"/d/{uid}"}).encode())(handler)

    grafana.on_dashboard = html_for_the_second
    result = _import(grafana.url)
    _assert_failed_cleanly(result)
    assert result.stdout.count("imported as") == N - 1
    assert result.stdout.splitlines()[-1] == (
        f"import: FAILED: {N - 1} of {N} dashboards imported into folder 'billing'; 1 failed (see above)")


@pytest.mark.parametrize("step", ["folder-headers", "dashboard-body"])
def test_a_server_trickling_bytes_fails_within_the_deadline(grafana: FakeGrafana, step: str) -> None:
    # a byte every 5 s keeps every per-read timeout happy; only the request deadline ends it
    if step == "folder-headers":
        grafana.on_folder_get = trickle(b"HTTP/1.1 200 OK\r\n", every=5)
        requests = 1
    else:
        grafana.on_dashboard = trickle(b"HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n{", every=5)
        requests = N
    started = time.monotonic()
    result = _import(grafana.url, TOKEN, "--timeout", "1", timeout=30)
    elapsed = time.monotonic() - started
    _assert_failed_cleanly(result)
    assert result.stdout.count("no complete answer from 127.0.0.1") == requests, result.stdout
    assert elapsed < requests * 1 + 10, elapsed  # without the deadline: never (the old code ran for ever)


@pytest.mark.parametrize("chunked", [False, True])
def test_a_400_mb_answer_is_not_read(grafana: FakeGrafana, chunked: bool) -> None:
    grafana.on_dashboard = huge(400 << 20, chunked)
    result = _import(grafana.url)
    _assert_failed_cleanly(result)
    assert result.stdout.count("refused unread" if not chunked else "not read further") == N
    # what the kernel buffers took before the client hung up, not the 3 x 400 MB offered
    assert grafana.bytes_sent < 3 * (32 << 20), grafana.bytes_sent


@pytest.mark.parametrize("status,shape", [(401, "json"), (500, "json"), (400, "html"), (200, "html"),
                                          (502, "padded"), (403, "escaped"), (200, "padded")])
def test_a_server_reflecting_the_authorization_header_never_gets_the_token_printed(
        grafana: FakeGrafana, status: int, shape: str) -> None:
    grafana.on_dashboard = reflect_authorization(status, shape)
    result = _import(grafana.url)
    _assert_failed_cleanly(result)
    assert "[token]" in result.stdout  # the answer was shown, with the token cut out


def test_a_redirect_carrying_the_token_in_its_host_never_gets_it_printed(grafana: FakeGrafana) -> None:
    grafana.on_folder_get = redirect(302, f"https://{TOKEN}.evil.example/login?t={TOKEN}")
    result = _import(grafana.url)
    _assert_failed_cleanly(result)
    assert "redirect to host [token].evil.example" in result.stdout


# -- bad settings: a clear line, exit 2, nothing sent -------------------------------------------

@pytest.mark.parametrize("url,expected", [
    ("grafana.example.com", "GRAFANA_URL has no scheme"),
    ("localhost:3000", "GRAFANA_URL has no scheme"),
    ("http://grafänа.example.com", "non-ASCII character at position 11"),
    ("https://grafana.example.com/dashbörds", "non-ASCII"),
    ("ftp://grafana.example.com", "scheme 'ftp' is not http or https"),
    ("https://admin:hunter2@grafana.example.com", "must not carry user:password@"),
    ("https://grafana.example.com:99999", "not a valid URL"),
    ("https://[::1", "not a valid URL"),
    ("https://grafana.example.com/?orgId=1", "must not have a query"),
    ("https://grafana.example.com\n", "whitespace or a control character"),
    ("https:///api", "has no host"),
])
def test_a_bad_grafana_url_is_a_clear_error(grafana: FakeGrafana, url: str, expected: str) -> None:
    result = _import(url)
    _assert_failed_cleanly(result, code=2)
    assert expected in result.stdout and "hunter2" not in result.stdout
    assert len(result.stdout.splitlines()) == 1


@pytest.mark.parametrize("token", [TOKEN + "\n", TOKEN + "\r\nX-Injected: 1", "glsa_with space_123456",
                                   "glsa_tökén_value_123456", "glsa_\x07bell_value_123456", "glsa_\x1b[31m_123456"])
def test_a_token_with_control_or_non_ascii_characters_is_a_clear_error(grafana: FakeGrafana, token: str) -> None:
    result = _import(grafana.url, token, in_process=False)
    _assert_failed_cleanly(result, code=2)
    assert "GRAFANA_TOKEN contains a newline, space, control or non-ASCII character" in result.stdout
    assert grafana.requests == []
    _assert_token_never_printed(result, token.split()[0][:20])


def test_plain_http_to_another_host_needs_insecure_and_warns(grafana: FakeGrafana) -> None:
    # 0.0.0.0 is not a loopback address, yet on Linux a connection to it reaches 127.0.0.1:
    # the fake server stands in for a remote Grafana
    url = f"http://0.0.0.0:{grafana.server_address[1]}"
    refused = _import(url)
    _assert_failed_cleanly(refused, code=2)
    assert "plain http to 0.0.0.0" in refused.stdout and "--insecure" in refused.stdout
    assert grafana.requests == []
    allowed = _import(url, TOKEN, "--insecure")
    assert allowed.returncode == 0, allowed.stdout
    assert allowed.stdout.startswith("import: WARNING: --insecure: the token goes over plain http to 0.0.0.0:")
    assert f"{N} of {N} dashboards imported" in allowed.stdout
    _assert_token_never_printed(allowed)


def test_https_goes_through_the_proxy_as_a_tunnel_that_never_sees_the_token() -> None:
    seen: list[bytes] = []
    with socket.socket() as proxy:
        proxy.bind(("127.0.0.1", 0))
        proxy.listen()

        def refuse_one() -> None:
            conn, _ = proxy.accept()
            with conn:
                request = b""
                while b"\r\n\r\n" not in request:
                    request += conn.recv(4096)
                seen.append(request)
                conn.sendall(b"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n")

        thread = threading.Thread(target=refuse_one, daemon=True)
        thread.start()
        result = _import("https://grafana.example.com", env={"HTTPS_PROXY": f"http://127.0.0.1:{proxy.getsockname()[1]}"})
        thread.join(timeout=5)
    _assert_failed_cleanly(result)
    assert seen and seen[0].startswith(b"CONNECT grafana.example.com:443 HTTP/1.")
    assert b"authorization" not in seen[0].lower()
    assert "cannot reach Grafana at https://grafana.example.com:443" in result.stdout


def test_the_cli_default_deadline_is_the_import_default() -> None:
    from generators import cli, grafana_import

    assert cli.IMPORT_DEADLINE == grafana_import.REQUEST_DEADLINE
