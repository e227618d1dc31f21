"""One incident pages once, on the real Alertmanager with the generated config.

Alerts are posted straight to Alertmanager's API (no Prometheus needed): in one cluster
the guide's threshold alert fires first and the SLO's fast-burn page second, in another
the other way round. In both, exactly one page reaches the team's pager; the page also
silences its ticket.
"""

from __future__ import annotations

import json
import tempfile
import time
import urllib.parse
import urllib.request
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml

from simulator.stack import ManagedProcess, WebhookSink, binary, free_port, receivers_to_sink
from tests.conftest import ROOT

pytestmark = pytest.mark.e2e

GUIDE, PAGE, TICKET = ("BillingIngestionSuccessRateLow", "BillingIngestionSuccessErrorBudgetFastBurn",
                       "BillingIngestionSuccessErrorBudgetSlowBurn")


def _post(url: str, alerts: list[dict[str, Any]]) -> None:
    request = urllib.request.Request(f"{url}/api/v2/alerts", data=json.dumps(alerts).encode(),
                                     headers={"Content-Type": "application/json"}, method="POST")
    with urllib.request.urlopen(request, timeout=10) as resp:
        assert resp.status == 200


def _alert(name: str, severity: str, cluster: str, **labels: str) -> dict[str, Any]:
    now = datetime.now(UTC)
    return {"labels": {"alertname": name, "severity": severity, "team": "ingestion", "cluster": cluster, **labels},
            "annotations": {"summary": name}, "startsAt": now.isoformat(),
            "endsAt": (now + timedelta(minutes=10)).isoformat()}


def _state(url: str, name: str, cluster: str) -> str:
    query = urllib.parse.urlencode({"filter": [f'alertname="{name}"', f'cluster="{cluster}"']}, doseq=True)
    with urllib.request.urlopen(f"{url}/api/v2/alerts?{query}", timeout=10) as resp:
        alerts = json.loads(resp.read())
    return alerts[0]["status"]["state"] if alerts else "absent"


def _pages(sink: WebhookSink, cluster: str) -> list[str]:
    return [a["labels"]["alertname"] for path, p in sink.payloads if path == "sre-pager" and p["status"] == "firing"
            for a in p["alerts"] if a["labels"].get("cluster") == cluster]


@pytest.fixture(scope="module")
def alertmanager() -> Any:
    sink = WebhookSink()
    import threading

    threading.Thread(target=sink.serve_forever, daemon=True).start()
    with tempfile.TemporaryDirectory(prefix="slo-am-") as tmp:
        root = Path(tmp)
        config = yaml.safe_load((ROOT / "alertmanager" / "alertmanager.yml").read_text())
        config = receivers_to_sink(config, sink.url)
        for route in config["route"]["routes"]:  # deliver at once; the order of firing is the test
            route.update(group_wait="1s", group_interval="1s")
        (root / "am.yml").write_text(yaml.safe_dump(config))
        port = free_port()
        url = f"http://127.0.0.1:{port}"
        process = ManagedProcess("alertmanager", [binary("prometheus-alertmanager"), f"--config.file={root / 'am.yml'}",
                                                  f"--storage.path={root / 'data'}", "--cluster.listen-address=",
                                                  f"--web.listen-address=127.0.0.1:{port}"], f"{url}/-/ready",
                                 root / "am.log")
        try:
            process.wait_ready()
            yield url, sink
        finally:
            process.stop()
            sink.shutdown()


@pytest.mark.parametrize("first,second,cluster", [(GUIDE, PAGE, "c1"), (PAGE, GUIDE, "c2")])
def test_guide_alert_and_fast_burn_page_once(alertmanager: Any, first: str, second: str, cluster: str) -> None:
    url, sink = alertmanager
    labels = {PAGE: {"slo": "ingestion_success"}, GUIDE: {}}
    _post(url, [_alert(first, "critical", cluster, **labels[first])])
    assert sink.wait_for(lambda path, p: path == "sre-pager" and first in json.dumps(p), 20)
    _post(url, [_alert(second, "critical", cluster, **labels[second])])
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and _state(url, second, cluster) != "suppressed":
        time.sleep(0.5)
    assert _state(url, second, cluster) == "suppressed"
    time.sleep(3)  # several group intervals: a page of the second alert would have gone out by now
    assert _pages(sink, cluster) and set(_pages(sink, cluster)) == {first}


def test_page_silences_its_ticket(alertmanager: Any) -> None:
    url, _ = alertmanager
    _post(url, [_alert(PAGE, "critical", "c3", slo="ingestion_success"),
                _alert(TICKET, "warning", "c3", slo="ingestion_success")])
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and _state(url, TICKET, "c3") != "suppressed":
        time.sleep(0.5)
    assert _state(url, TICKET, "c3") == "suppressed"
    assert _state(url, PAGE, "c3") == "active"
