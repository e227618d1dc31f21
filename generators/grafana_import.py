"""Upload the generated dashboards through Grafana's HTTP API.

POST /api/dashboards/db with overwrite into a folder (created if missing). The URL comes
from GRAFANA_URL and a service-account token from GRAFANA_TOKEN; the token is sent only in
the Authorization header and never printed. Each dashboard gets one report line; any
failure is explained (401, 403, 412, network) and makes the command exit non-zero.
"""

from __future__ import annotations

import json
import os
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

TIMEOUT_SECONDS = 15
_HINTS = {
    401: "the token was rejected; check GRAFANA_TOKEN (a service-account token, not a password)",
    403: "the token may not write dashboards in this folder; give its service account the "
         "Editor role or dashboards:write on the folder",
    404: "not found; is GRAFANA_URL the Grafana root URL (no /api suffix)?",
    412: "precondition failed: a dashboard with the same name or uid exists elsewhere or "
         "changed since; it is overwritten only by uid, so check for a copy in another folder",
}


class ImportFailed(Exception):
    pass


@dataclass(frozen=True)
class GrafanaClient:
    url: str
    token: str

    def request(self, method: str, path: str, body: dict[str, Any] | None = None) -> tuple[int, Any]:
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(self.url.rstrip("/") + path, data=data, method=method)
        req.add_header("Authorization", f"Bearer {self.token}")
        req.add_header("Accept", "application/json")
        if data is not None:
            req.add_header("Content-Type", "application/json")
        try:
            with urllib.request.urlopen(req, timeout=TIMEOUT_SECONDS) as resp:
                return resp.status, _json(resp.read())
        except urllib.error.HTTPError as exc:
            return exc.code, _json(exc.read())
        except (urllib.error.URLError, TimeoutError, ConnectionError) as exc:
            reason = getattr(exc, "reason", exc)
            raise ImportFailed(f"cannot reach Grafana at {self.url}: {reason}") from None


def _json(raw: bytes) -> Any:
    try:
        return json.loads(raw or b"null")
    except ValueError:
        return {"message": raw.decode(errors="replace")[:200]}


def _explain(status: int, body: Any) -> str:
    message = body.get("message", "") if isinstance(body, dict) else ""
    hint = _HINTS.get(status, "unexpected answer")
    return f"HTTP {status}{': ' + message if message else ''} ({hint})"


def ensure_folder(client: GrafanaClient, uid: str, title: str) -> None:
    status, body = client.request("GET", f"/api/folders/{uid}")
    if status == 200:
        return
    if status != 404:
        raise ImportFailed(f"folder {uid!r}: {_explain(status, body)}")
    status, body = client.request("POST", "/api/folders", {"uid": uid, "title": title})
    if status not in (200, 201):
        raise ImportFailed(f"creating folder {uid!r}: {_explain(status, body)}")


def import_dashboard(client: GrafanaClient, path: Path, folder_uid: str) -> str:
    dashboard = json.loads(path.read_text(encoding="utf-8"))
    dashboard.pop("id", None)  # identity is the uid; Grafana assigns its own numeric id
    payload = {
        "dashboard": dashboard,
        "folderUid": folder_uid,
        "overwrite": True,
        "message": "billing-monitoring: make import",
    }
    status, body = client.request("POST", "/api/dashboards/db", payload)
    if status != 200:
        raise ImportFailed(f"{path.name}: {_explain(status, body)}")
    link = client.url.rstrip("/") + str(body.get("url", ""))
    return f"{path.name}: imported as {body.get('uid')} version {body.get('version')} -> {link}"


def run_import(dashboards_dir: Path, folder_uid: str, folder_title: str, env: dict[str, str] | None = None) -> int:
    env = dict(os.environ) if env is None else env
    url, token = env.get("GRAFANA_URL", ""), env.get("GRAFANA_TOKEN", "")
    if not url or not token:
        print("import: set GRAFANA_URL (e.g. https://grafana.example.com) and GRAFANA_TOKEN "
              "(a service-account token with dashboard write access)")
        return 2
    files = sorted(dashboards_dir.glob("*.json"))
    if not files:
        print(f"import: no dashboards in {dashboards_dir}; run `make build` first")
        return 2
    client = GrafanaClient(url, token)
    failures = 0
    try:
        ensure_folder(client, folder_uid, folder_title)
    except ImportFailed as exc:
        print(f"import: {exc}")
        return 1
    for path in files:
        try:
            print(f"import: {import_dashboard(client, path, folder_uid)}")
        except ImportFailed as exc:
            failures += 1
            print(f"import: FAILED {exc}")
    print(f"import: {len(files) - failures} of {len(files)} dashboards imported into folder {folder_uid!r}")
    return 1 if failures else 0
