"""Upload the generated dashboards through Grafana's HTTP API.

POST /api/dashboards/db with overwrite into a folder (created if missing). The URL comes
from GRAFANA_URL and a service-account token from GRAFANA_TOKEN. Each dashboard gets one
report line; any failure is explained and makes the command exit non-zero.

The token is the one secret here, and the server is not trusted with more than it must see:
- GRAFANA_URL must be `http(s)://HOST[:PORT][/PATH]`, ASCII, without `user:password@`, query
  or fragment; the token must be printable ASCII (a newline would split the header).
- Plain http is refused for a host that is not loopback unless `--insecure` is given (then a
  warning is printed): the token would cross the network in clear text.
- Redirects are never followed: a 3xx answer fails that request and names the host of its
  Location, so the token never reaches a host GRAFANA_URL does not name.
- Every request has a connect timeout, a per-read timeout and a deadline for the whole
  exchange (a watchdog shuts the socket down), so a server trickling bytes cannot hold the
  command; answers larger than MAX_ANSWER_BYTES are refused without being read into memory.
- An answer that is not the JSON Grafana sends (HTML from a login page, `null`, `[]`) fails
  that step; the last line says how many dashboards failed and the exit status is 1.
- Every printed line goes through a redactor that removes the token (and its URL/JSON
  encodings), so a server reflecting the Authorization header cannot get it printed; server
  text is stripped of control characters and shortened.
HTTPS_PROXY/NO_PROXY are honoured for https (a CONNECT tunnel: the proxy never sees the
token); plain http always goes direct.
"""

from __future__ import annotations

import contextlib
import http.client
import ipaddress
import json
import os
import re
import socket
import ssl
import threading
import time
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generators.console import emit

CONNECT_TIMEOUT = 10.0
READ_TIMEOUT = 15.0
REQUEST_DEADLINE = 30.0
MAX_ANSWER_BYTES = 1 << 20  # Grafana answers these calls with objects of a few hundred bytes
_CHUNK = 64 * 1024
_SNIPPET = 160
_HINTS = {
    401: "the token was rejected; check GRAFANA_TOKEN (a service-account token, not a password)",
    403: "the token may not write dashboards in this folder; give its service account the "
         "Editor role or dashboards:write on the folder",
    404: "not found; is GRAFANA_URL the Grafana root URL (no /api suffix)?",
    412: "precondition failed: a dashboard with the same name or uid exists elsewhere or "
         "changed since; it is overwritten only by uid, so check for a copy in another folder",
}


class ImportFailed(Exception):
    """One step failed; the message is safe to print after redaction."""


class BadSetting(Exception):
    """GRAFANA_URL, GRAFANA_TOKEN or an option is unusable; nothing was sent."""


# -- settings -------------------------------------------------------------------------------

@dataclass(frozen=True)
class GrafanaTarget:
    scheme: str
    host: str
    port: int
    base_path: str

    @property
    def netloc(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{host}:{self.port}"

    @property
    def root(self) -> str:
        return f"{self.scheme}://{self.netloc}{self.base_path}"

    @property
    def loopback(self) -> bool:
        if self.host.lower() == "localhost" or self.host.lower().endswith(".localhost"):
            return True
        try:
            return ipaddress.ip_address(self.host).is_loopback
        except ValueError:
            return False  # a name: DNS may say anything, so only `localhost` counts


def parse_grafana_url(url: str) -> GrafanaTarget:
    """GRAFANA_URL -> target, or BadSetting with the fix."""
    shape = "write it as https://HOST[:PORT][/PATH], e.g. https://grafana.example.com"
    if not url.isascii():
        where = next(i for i, ch in enumerate(url) if not ch.isascii())
        raise BadSetting(f"GRAFANA_URL has a non-ASCII character at position {where}; write the host in "
                         "punycode (xn--...) and percent-encode the path")
    if any(ch.isspace() or not ch.isprintable() for ch in url):
        raise BadSetting("GRAFANA_URL contains whitespace or a control character; " + shape)
    if "://" not in url:
        raise BadSetting(f"GRAFANA_URL has no scheme; {shape}")
    try:
        parts = urllib.parse.urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise BadSetting(f"GRAFANA_URL is not a valid URL ({exc}); {shape}") from None
    if parts.scheme.lower() not in ("http", "https"):
        raise BadSetting(f"GRAFANA_URL scheme {parts.scheme!r} is not http or https; {shape}")
    if "@" in parts.netloc:
        raise BadSetting("GRAFANA_URL must not carry user:password@ (it would be sent and logged); "
                         "the service-account token in GRAFANA_TOKEN authenticates")
    if not parts.hostname:
        raise BadSetting(f"GRAFANA_URL has no host; {shape}")
    if parts.query or parts.fragment or url.endswith(("?", "#")):
        raise BadSetting(f"GRAFANA_URL must not have a query or fragment; {shape}")
    scheme = parts.scheme.lower()
    return GrafanaTarget(scheme, parts.hostname, port or (443 if scheme == "https" else 80),
                         parts.path.rstrip("/"))


def check_token(token: str) -> None:
    # RFC 6750 tokens are printable ASCII; anything else would corrupt or split the header
    if not all("!" <= ch <= "~" for ch in token):
        raise BadSetting("GRAFANA_TOKEN contains a newline, space, control or non-ASCII character; "
                         "set it to the bare service-account token (e.g. GRAFANA_TOKEN=$(cat token-file), "
                         "which drops the trailing newline)")


# -- printing -------------------------------------------------------------------------------

class Redactor:
    """Removes the token from text, in any letter case (a host name comes back lowercased) and
    in the URL and JSON encodings a server might reflect it in."""

    def __init__(self, secret: str) -> None:
        forms = {secret, urllib.parse.quote(secret, safe=""), urllib.parse.quote_plus(secret),
                 json.dumps(secret)[1:-1], repr(secret)[1:-1]}
        alternatives = sorted((re.escape(f) for f in forms if f), key=len, reverse=True)
        self._pattern = re.compile("|".join(alternatives), re.IGNORECASE) if alternatives else None

    def __call__(self, text: str) -> str:
        return self._pattern.sub("[token]", text) if self._pattern else text


def _no_redaction(text: str) -> str:
    return text


def printable(text: str, limit: int = _SNIPPET, redact: Callable[[str], str] = _no_redaction) -> str:
    """Server-controlled text made safe for a terminal: the token removed before anything is cut
    (a cut must not leave half of it), no control characters, one line, short."""
    cleaned = "".join(ch if ch.isprintable() else " " for ch in redact(text))
    cleaned = " ".join(cleaned.split())
    return cleaned if len(cleaned) <= limit else cleaned[:limit] + "..."


# -- HTTP -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Answer:
    status: int
    body: bytes
    content_type: str
    location: str | None
    redact: Callable[[str], str] = _no_redaction

    def text(self, limit: int = _SNIPPET) -> str:
        """The body as printable text: decoded whole, redacted, then cut."""
        return printable(self.body.decode("utf-8", errors="replace"), limit, self.redact)


class _Watchdog:
    """Shuts the connection's socket down when the deadline passes: a blocked connect, send
    or read then returns at once, however slowly the server trickles bytes."""

    def __init__(self, connection: http.client.HTTPConnection, seconds: float) -> None:
        self.expired = False
        self._connection, self._lock, self._done = connection, threading.Lock(), False
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True
        self._timer.start()

    def _expire(self) -> None:
        with self._lock:  # cancel() waits, so the socket is not closed (fd reused) under us
            if self._done:
                return
            self.expired = True
            sock = self._connection.sock
            if sock is not None:  # the plain-socket shutdown, also for an SSL socket (whose own one unwraps)
                with contextlib.suppress(OSError):
                    socket.socket.shutdown(sock, socket.SHUT_RDWR)

    def cancel(self) -> None:
        with self._lock:
            self._done = True
        self._timer.cancel()


class GrafanaClient:
    def __init__(self, target: GrafanaTarget, token: str, deadline: float = REQUEST_DEADLINE,
                 env: dict[str, str] | None = None) -> None:
        self.target, self._token, self.deadline = target, token, deadline
        self.redact = Redactor(token)
        self._env = dict(os.environ) if env is None else env

    def _connection(self) -> http.client.HTTPConnection:
        connect_timeout = min(CONNECT_TIMEOUT, self.deadline)
        if self.target.scheme == "http":
            return http.client.HTTPConnection(self.target.host, self.target.port, timeout=connect_timeout)
        context = ssl.create_default_context()
        proxy = self._https_proxy()
        if proxy is None:
            return http.client.HTTPSConnection(self.target.host, self.target.port, timeout=connect_timeout,
                                               context=context)
        connection = http.client.HTTPSConnection(proxy[0], proxy[1], timeout=connect_timeout, context=context)
        connection.set_tunnel(self.target.host, self.target.port)
        return connection

    def _https_proxy(self) -> tuple[str, int] | None:
        lowered = {k.lower(): v for k, v in self._env.items()}
        proxy = lowered.get("https_proxy") or lowered.get("all_proxy")
        if not proxy:
            return None
        no_proxy = [h.strip().lower().lstrip(".") for h in lowered.get("no_proxy", "").split(",") if h.strip()]
        host = self.target.host.lower()
        if "*" in no_proxy or any(host == h or host.endswith("." + h) for h in no_proxy):
            return None
        parts = urllib.parse.urlsplit(proxy if "://" in proxy else "http://" + proxy)
        if parts.scheme != "http" or not parts.hostname or "@" in parts.netloc:
            raise BadSetting("HTTPS_PROXY must be http://HOST:PORT (no credentials, no https proxy); "
                             "or add the Grafana host to NO_PROXY")
        return parts.hostname, parts.port or 80

    def request(self, method: str, path: str, payload: dict[str, Any] | None = None) -> Answer:
        data = json.dumps(payload).encode() if payload is not None else None
        headers = {"Authorization": f"Bearer {self._token}", "Accept": "application/json",
                   "User-Agent": "billing-monitoring-import"}
        if data is not None:
            headers["Content-Type"] = "application/json"
        connection = self._connection()
        started = time.monotonic()
        watchdog = _Watchdog(connection, self.deadline)
        try:
            connection.connect()
            if watchdog.expired:
                raise TimeoutError("deadline")
            connection.sock.settimeout(min(READ_TIMEOUT, self.deadline))
            connection.request(method, self.target.base_path + path, body=data, headers=headers)
            response = connection.getresponse()
            body = _read_capped(response)
            if watchdog.expired:  # the shutdown may look like a clean end of a short body
                raise TimeoutError("deadline")
            return Answer(response.status, body, response.getheader("Content-Type") or "",
                          response.getheader("Location"), self.redact)
        except (OSError, http.client.HTTPException, ValueError) as exc:
            # a socket timeout equal to the deadline may fire just before the watchdog does
            if watchdog.expired or time.monotonic() - started >= self.deadline:
                raise ImportFailed(f"no complete answer from {self.target.netloc} within {self.deadline:g}s "
                                   "(the deadline of one request; raise it with --timeout if Grafana is "
                                   "just slow)") from None
            raise ImportFailed(f"cannot reach Grafana at {self.target.root}: {_describe(exc)}") from None
        finally:
            watchdog.cancel()
            connection.close()


def _read_capped(response: http.client.HTTPResponse) -> bytes:
    declared = (response.getheader("Content-Length") or "").strip()
    if declared.isdigit() and int(declared) > MAX_ANSWER_BYTES:
        raise ImportFailed(f"HTTP {response.status} with a {int(declared)}-byte answer, refused unread "
                           f"(limit {MAX_ANSWER_BYTES}); GRAFANA_URL must be Grafana's root URL")
    chunks, total = [], 0
    while chunk := response.read(_CHUNK):
        total += len(chunk)
        if total > MAX_ANSWER_BYTES:
            raise ImportFailed(f"HTTP {response.status} with an answer over {MAX_ANSWER_BYTES} bytes, "
                               "not read further; GRAFANA_URL must be Grafana's root URL")
        chunks.append(chunk)
    return b"".join(chunks)


def _describe(exc: BaseException) -> str:
    if isinstance(exc, ssl.SSLCertVerificationError):
        return f"TLS certificate not trusted ({exc.verify_message}); install the CA (SSL_CERT_FILE=...)"
    if isinstance(exc, socket.gaierror):
        return f"host name not resolved ({exc.strerror})"
    if isinstance(exc, TimeoutError | socket.timeout):
        return "timed out"
    reason = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
    return printable(str(reason))


# -- answers --------------------------------------------------------------------------------

def _json(answer: Answer, what: str) -> Any:
    try:
        return json.loads(answer.body)
    except (ValueError, RecursionError):
        kind = printable(answer.content_type, 40, answer.redact) or "no content type"
        text = answer.text() or "empty"
        raise ImportFailed(f"{what}: HTTP {answer.status} with an answer that is not JSON ({kind}: {text}); "
                           "GRAFANA_URL must be Grafana's root URL, not a login page or a proxy") from None


def _refuse_redirect(answer: Answer, what: str, target: GrafanaTarget) -> None:
    if not 300 <= answer.status < 400:
        return
    try:
        host = urllib.parse.urlsplit(answer.location or "").hostname
    except ValueError:
        host = None
    where = f"host {printable(host, 80, answer.redact)}" if host else (
        f"the same host {target.host}" if answer.location else "nowhere (no Location)")
    raise ImportFailed(f"{what}: HTTP {answer.status} redirect to {where}, not followed (the token is never "
                       "sent on a redirect); set GRAFANA_URL to the address Grafana answers on directly")


def _explain(answer: Answer, what: str) -> str:
    try:
        body = json.loads(answer.body)
        message = body["message"] if isinstance(body, dict) and isinstance(body.get("message"), str) else ""
        message = printable(message, _SNIPPET, answer.redact)
    except (ValueError, RecursionError):
        message = answer.text()
    hint = _HINTS.get(answer.status, "unexpected answer")
    return f"{what}: HTTP {answer.status}{': ' + message if message else ''} ({hint})"


def _object(answer: Answer, what: str, required: dict[str, type]) -> dict[str, Any]:
    body = _json(answer, what)
    if not isinstance(body, dict) or any(not isinstance(body.get(k), t) for k, t in required.items()):
        got = type(body).__name__ if not isinstance(body, dict) else "keys " + ",".join(sorted(body)[:8])
        raise ImportFailed(f"{what}: HTTP {answer.status} but not Grafana's answer (expected an object with "
                           f"{', '.join(required)}; got {printable(got, 80, answer.redact)}); GRAFANA_URL must "
                           "be Grafana's root URL")
    return body


def ensure_folder(client: GrafanaClient, uid: str, title: str) -> None:
    what = f"folder {uid!r}"
    answer = client.request("GET", f"/api/folders/{urllib.parse.quote(uid, safe='')}")
    _refuse_redirect(answer, what, client.target)
    if answer.status == 200:
        _object(answer, what, {"uid": str})
        return
    if answer.status != 404:
        raise ImportFailed(_explain(answer, what))
    what = f"creating folder {uid!r}"
    answer = client.request("POST", "/api/folders", {"uid": uid, "title": title})
    _refuse_redirect(answer, what, client.target)
    if answer.status not in (200, 201):
        raise ImportFailed(_explain(answer, what))
    _object(answer, what, {"uid": str})


def import_dashboard(client: GrafanaClient, path: Path, folder_uid: str) -> str:
    try:
        dashboard = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError) as exc:
        raise ImportFailed(f"{path.name}: cannot read it ({printable(str(exc))}); run `make build`") from None
    if not isinstance(dashboard, dict) or not isinstance(dashboard.get("uid"), str):
        raise ImportFailed(f"{path.name}: not a dashboard with a uid; run `make build`")
    dashboard.pop("id", None)  # identity is the uid; Grafana assigns its own numeric id
    payload = {
        "dashboard": dashboard,
        "folderUid": folder_uid,
        "overwrite": True,
        "message": "billing-monitoring: make import",
    }
    answer = client.request("POST", "/api/dashboards/db", payload)
    _refuse_redirect(answer, path.name, client.target)
    if answer.status != 200:
        raise ImportFailed(_explain(answer, path.name))
    body = _object(answer, path.name, {"uid": str, "version": int})
    if body["uid"] != dashboard["uid"]:
        raise ImportFailed(f"{path.name}: Grafana answered for uid {printable(body['uid'], 60, client.redact)!r}, "
                           f"not {dashboard['uid']!r}")
    link = client.target.root + (body["url"] if isinstance(body.get("url"), str) else "")
    return f"{path.name}: imported as {body['uid']} version {body['version']} -> {printable(link, 300, client.redact)}"


def run_import(dashboards_dir: Path, folder_uid: str, folder_title: str, env: dict[str, str] | None = None,
               insecure: bool = False, deadline: float = REQUEST_DEADLINE) -> int:
    env = dict(os.environ) if env is None else env
    url, token = env.get("GRAFANA_URL", ""), env.get("GRAFANA_TOKEN", "")
    say = _printer(Redactor(token))
    if not url or not token:
        say("import: set GRAFANA_URL (e.g. https://grafana.example.com) and GRAFANA_TOKEN "
            "(a service-account token with dashboard write access)")
        return 2
    try:
        return _run(dashboards_dir, folder_uid, folder_title, url, token, env, insecure, deadline, say)
    except BadSetting as exc:
        say(f"import: {exc}")
        return 2
    except KeyboardInterrupt:
        say("import: interrupted; dashboards reported above as imported are in Grafana, the others may not be")
        return 130
    except Exception as exc:  # a bug must not print a traceback that could carry the token
        say(f"import: internal error {type(exc).__name__}: {printable(str(exc), _SNIPPET, Redactor(token))}")
        return 1


def _printer(redact: Callable[[str], str]) -> Callable[[str], None]:
    def say(line: str) -> None:
        emit(redact(line))
    return say


def _run(dashboards_dir: Path, folder_uid: str, folder_title: str, url: str, token: str, env: dict[str, str],
         insecure: bool, deadline: float, say: Callable[[str], None]) -> int:
    target = parse_grafana_url(url)
    check_token(token)
    if target.scheme == "http" and not target.loopback:
        if not insecure:
            raise BadSetting(f"GRAFANA_URL is plain http to {target.host}, which is not this machine: the token "
                             "would cross the network readable by anyone on the path; use https, or pass "
                             "--insecure to send it anyway")
        say(f"import: WARNING: --insecure: the token goes over plain http to {target.netloc}; anyone on the "
            "network path can read it and act as this service account")
    files = sorted(dashboards_dir.glob("*.json"))
    if not files:
        say(f"import: no dashboards in {dashboards_dir}; run `make build` first")
        return 2
    client = GrafanaClient(target, token, deadline, env)
    try:
        ensure_folder(client, folder_uid, folder_title)
    except ImportFailed as exc:
        say(f"import: FAILED {exc}")
        say(f"import: FAILED: 0 of {len(files)} dashboards imported (the folder step failed)")
        return 1
    failures = 0
    for path in files:
        try:
            say(f"import: {import_dashboard(client, path, folder_uid)}")
        except ImportFailed as exc:
            failures += 1
            say(f"import: FAILED {exc}")
    imported = f"{len(files) - failures} of {len(files)} dashboards imported into folder {folder_uid!r}"
    if failures:
        say(f"import: FAILED: {imported}; {failures} failed (see above)")
        return 1
    say(f"import: {imported}")
    return 0
