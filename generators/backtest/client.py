"""A Prometheus-compatible query API (Prometheus, Thanos, Mimir) over HTTP.

Every failure becomes one `QueryError` line: unreachable server, refused credentials,
a refused query (Prometheus' error JSON: errorType and error), a timeout. Secrets (the
bearer token, header values, a password in the URL) are never printed: they are
redacted from anything a server sends back before it is shown.
"""

from __future__ import annotations

import base64
import json
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from typing import Any


class QueryError(Exception):
    pass


def _one_line(text: str, limit: int = 300) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 3] + "..."


def display_url(url: str) -> str:
    """The URL without user info (a password in it must not be printed)."""
    parts = urllib.parse.urlsplit(url)
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"  # IPv6
    if parts.port:
        host += f":{parts.port}"
    return urllib.parse.urlunsplit((parts.scheme, host, parts.path, "", ""))


@dataclass
class PrometheusClient:
    url: str
    token: str | None = None
    headers: dict[str, str] = field(default_factory=dict)
    timeout: float = 120.0
    warnings: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        parts = urllib.parse.urlsplit(self.url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise QueryError(f"--url {self.url!r}: expected http(s)://host[:port][/path]")
        self.base = display_url(self.url).rstrip("/")  # user info moves to a header: urllib cannot send it
        self.shown = self.base
        self._basic = None
        if parts.username is not None:
            if self.token:
                raise QueryError("--url has a user and password and a bearer token is set: use one of them")
            pair = f"{urllib.parse.unquote(parts.username)}:{urllib.parse.unquote(parts.password or '')}"
            self._basic = base64.b64encode(pair.encode()).decode()
        self._secrets = [s for s in (self.token, parts.password, self._basic, *self.headers.values()) if s]

    def redact(self, text: str) -> str:
        for secret in self._secrets:
            text = text.replace(secret, "<redacted>")
        return text

    # -- API calls ------------------------------------------------------------------------
    def query_range(self, expr: str, start: float, end: float, step: float, what: str) -> list[dict[str, Any]]:
        data = self._call("/api/v1/query_range", {"query": expr, "start": _ts(start), "end": _ts(end),
                                                  "step": _ts(step)}, what)
        if not isinstance(data, dict) or data.get("resultType") != "matrix" or not _is_matrix(data.get("result")):
            raise QueryError(f"{self.shown}: {what}: the answer is not a Prometheus matrix result")
        return data["result"]


    def status(self, path: str) -> dict[str, Any] | None:
        """An optional status endpoint (Prometheus only); None when the server has none."""
        try:
            return self._call(path, None, path)
        except QueryError:
            return None

    def _call(self, path: str, form: dict[str, str] | None, what: str) -> Any:
        body = urllib.parse.urlencode(form).encode() if form is not None else None
        request = urllib.request.Request(self.base + path, data=body, method="POST" if body else "GET")
        if body:
            request.add_header("Content-Type", "application/x-www-form-urlencoded")
        if self.token:
            request.add_header("Authorization", f"Bearer {self.token}")
        elif self._basic:
            request.add_header("Authorization", f"Basic {self._basic}")
        for name, value in self.headers.items():
            request.add_header(name, value)
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as resp:
                raw = resp.read()
        except urllib.error.HTTPError as exc:
            raise QueryError(self._http_error(exc, what)) from None
        except urllib.error.URLError as exc:
            reason = exc.reason
            if isinstance(reason, TimeoutError):
                raise QueryError(f"{self.shown}: {what}: no answer within {self.timeout:g}s (--timeout)") from None
            raise QueryError(f"cannot reach {self.shown}: {self.redact(str(reason))}") from None
        except TimeoutError:
            raise QueryError(f"{self.shown}: {what}: no answer within {self.timeout:g}s (--timeout)") from None
        except (ConnectionError, OSError) as exc:
            raise QueryError(f"cannot reach {self.shown}: {self.redact(str(exc))}") from None
        try:
            payload = json.loads(raw)
        except ValueError:
            raise QueryError(f"{self.shown}: {what}: the answer is not JSON; is --url a Prometheus query API "
                             "(e.g. http://prometheus:9090, or Mimir's .../prometheus)?") from None
        if not isinstance(payload, dict) or payload.get("status") != "success":
            raise QueryError(f"{self.shown}: {what}: {self._api_error(payload)}")
        for warning in payload.get("warnings") or []:
            self.warnings.append(f"{what}: server warning: {self.redact(_one_line(str(warning)))}")
        return payload.get("data")

    def _api_error(self, payload: Any) -> str:
        if isinstance(payload, dict) and payload.get("error"):
            kind = payload.get("errorType") or "error"
            return f"{kind}: {self.redact(_one_line(str(payload['error'])))}"
        return "unexpected answer (no status: success)"

    def _http_error(self, exc: urllib.error.HTTPError, what: str) -> str:
        try:
            text = exc.read().decode("utf-8", "replace")
        except OSError:
            text = ""
        if exc.code in (401, 403):
            sent = "a bearer token was sent" if self.token else "no bearer token was sent"
            detail = self.redact(_one_line(text, 200))
            return (f"{self.shown} refused the credentials (HTTP {exc.code}; {sent}; set the token in the "
                    f"environment variable named by --token-env){': ' + detail if detail else ''}")
        try:
            detail = self._api_error(json.loads(text))
        except ValueError:
            detail = self.redact(_one_line(text)) or exc.reason
        return f"{self.shown} refused {what} (HTTP {exc.code}): {detail}"


def _is_matrix(result: Any) -> bool:
    """[{"metric": {name: value}, "values": [[time, "value"], ...]}, ...] with numbers that parse."""
    if not isinstance(result, list):
        return False
    for series in result:
        if not isinstance(series, dict) or not isinstance(series.get("metric"), dict):
            return False
        values = series.get("values")
        if not isinstance(values, list) or not all(
                isinstance(p, list) and len(p) == 2 and isinstance(p[0], (int, float)) and isinstance(p[1], str)
                for p in values):
            return False
        if not all(isinstance(k, str) and isinstance(v, str) for k, v in series["metric"].items()):
            return False
        try:
            for _, raw in values:
                float(raw)
        except ValueError:
            return False
    return True


def _ts(value: float) -> str:
    return f"{value:.3f}".rstrip("0").rstrip(".")
