"""The notification model against a real Alertmanager: same notifications, same times.

Alerts are posted to Alertmanager's API at known moments (as Prometheus would send them:
firing with a far endsAt, resolved with endsAt = now); a webhook sink records when each
receiver is notified. The model, given the same firing intervals, must send the same
notifications at the same times (to within 0.75 s; both timelines are measured from their
first notification, since Alertmanager starts a group's timer when it has processed the
alert). Timings are short (group_wait 1s, group_interval 3s, repeat_interval 8s) and every
event falls mid-way between two flushes.

repeat_interval is deliberately not a multiple of group_interval: at such a flush
Alertmanager re-notifies or waits one more interval depending on whether the previous
notification took longer than its timer's drift (a local webhook: re-notifies; a remote
PagerDuty or Slack call: waits). The model waits, as with remote receivers.
"""

from __future__ import annotations

import json
import threading
import time
import urllib.request
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
import yaml

from generators.backtest.routing import FiringInterval, parse_alertmanager, simulate_notifications
from simulator.stack import ManagedProcess, binary, free_port

pytestmark = pytest.mark.backtest


class Sink(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _SinkHandler)
        self.received: list[tuple[float, str, str, list[str]]] = []  # time, receiver, status, alert ids

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class _SinkHandler(BaseHTTPRequestHandler):
    server: Sink

    def log_message(self, *args: object) -> None:
        pass

    def do_POST(self) -> None:
        payload = json.loads(self.rfile.read(int(self.headers.get("Content-Length") or 0)))
        ids = sorted(a["labels"]["alertname"] + a["labels"].get("i", "") for a in payload["alerts"])
        self.server.received.append((time.time(), self.path.strip("/"), payload["status"], ids))
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()


def _config(sink: str) -> dict[str, Any]:
    return {
        "route": {"receiver": "r", "group_by": ["alertname"], "group_wait": "1s", "group_interval": "3s",
                  "repeat_interval": "8s", "routes": [{"receiver": "quiet", "matchers": ['alertname="Q"']}]},
        "receivers": [{"name": "r", "webhook_configs": [{"url": f"{sink}/r", "send_resolved": True}]},
                      {"name": "quiet", "webhook_configs": [{"url": f"{sink}/quiet", "send_resolved": False}]}],
    }


def _post(am: str, labels: dict[str, str], resolved: bool) -> float:
    now = datetime.now(UTC)
    ends = now if resolved else now + timedelta(hours=1)
    body = json.dumps([{"labels": labels, "startsAt": now.isoformat(), "endsAt": ends.isoformat()}]).encode()
    request = urllib.request.Request(f"{am}/api/v2/alerts", data=body, method="POST",
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=5):
        pass
    return now.timestamp()


# (seconds after the first alert, alert, resolved?): A1 opens group A (flushes at 1, 4, 7...),
# A2 joins it (notified at 7), A1 resolves (13), nothing changes (repeat at 22, the first
# flush more than 8 s later), A2 resolves (28); Q fires and resolves in its own group, whose
# receiver does not send resolved
EVENTS = [(0, "A", "1", False), (2.5, "Q", "", False), (5.5, "A", "2", False), (8, "Q", "", True),
          (11.5, "A", "1", True), (26.5, "A", "2", True)]
END = 31


def test_the_model_sends_what_alertmanager_sends(tmp_path: Path) -> None:
    sink = Sink()
    threading.Thread(target=sink.serve_forever, daemon=True).start()
    config = _config(sink.url)
    (tmp_path / "am.yml").write_text(yaml.safe_dump(config))
    port = free_port()
    am = f"http://127.0.0.1:{port}"
    process = ManagedProcess("alertmanager", [
        binary("prometheus-alertmanager"), f"--config.file={tmp_path / 'am.yml'}",
        f"--storage.path={tmp_path / 'data'}", "--cluster.listen-address=", f"--web.listen-address=127.0.0.1:{port}",
    ], f"{am}/-/ready", tmp_path / "am.log")
    try:
        process.wait_ready()
        started: dict[tuple[str, str], float] = {}
        ended: dict[tuple[str, str], float] = {}
        origin = time.time()
        for at, name, index, resolved in EVENTS:
            time.sleep(max(0.0, origin + at - time.time()))
            labels = {"alertname": name, **({"i": index} if index else {})}
            sent_at = _post(am, labels, resolved)
            (ended if resolved else started)[(name, index)] = sent_at
        time.sleep(max(0.0, origin + END - time.time()))
    finally:
        process.stop()
        sink.shutdown()
        sink.server_close()
    intervals = [FiringInterval(tuple(sorted({"alertname": n, **({"i": i} if i else {})}.items())), t,
                                ended.get((n, i))) for (n, i), t in started.items()]
    model = simulate_notifications(parse_alertmanager(config), intervals, origin + END)
    expected = [(n.at - model[0].at, n.receiver, n.status) for n in model]
    got = [(t - sink.received[0][0], receiver, status) for t, receiver, status, _ in sink.received]
    assert [(r, s) for _, r, s in expected] == [(r, s) for _, r, s in got], (expected, got)
    assert all(abs(a[0] - b[0]) < 0.75 for a, b in zip(expected, got, strict=True)), (expected, got)
    assert [(round(n.at - origin), n.receiver, n.status) for n in model] == [
        (1, "r", "firing"), (4, "quiet", "firing"), (7, "r", "firing"), (13, "r", "firing"), (22, "r", "firing"),
        (28, "r", "resolved")]
