"""The generated inhibition rules in a real Alertmanager (issue 9, class 8): the alerts a
lost cluster and a full outage fire are posted, and Alertmanager's own `inhibitedBy` says
which would notify. Only PlatformDown of the failing cluster may be left among the pages,
and nothing of the healthy cluster may be inhibited by it (the `equal` labels)."""

from __future__ import annotations

import json
import time
import urllib.request
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import yaml

from simulator.stack import ManagedProcess, binary, free_port
from tests.conftest import ROOT

CONFIG = ROOT / "alertmanager" / "alertmanager.yml"


def _alert(name: str, cluster: str, job: str, severity: str) -> dict[str, str]:
    labels = {"alertname": f"Billing{name}", "cluster": cluster, "severity": severity}
    return {**labels, "job": job} if job else labels


# c1: the platform job vanished from the cluster (so did its probe's target: the health check
# fails); c2: healthy, with an unrelated API error page of its own
FIRING = [
    _alert("PlatformDown", "c1", "billing-platform", "critical"),
    _alert("ScrapeTargetsMissing", "c1", "billing-platform", "critical"),
    _alert("HealthCheckFailing", "c1", "billing-healthcheck", "critical"),
    _alert("PlatformTargetDown", "c1", "billing-platform", "warning"),
    _alert("IngestionRateDrop", "c1", "", "warning"),
    _alert("APIErrorRateHigh", "c2", "", "critical"),
    _alert("ScrapeTargetsMissing", "c2", "cloudwatch", "critical"),
]


# what notifies: the outage's one page, and the healthy cluster's own alerts
EXPECTED_ACTIVE = [("BillingAPIErrorRateHigh", "c2", ""), ("BillingPlatformDown", "c1", "billing-platform"),
                   ("BillingScrapeTargetsMissing", "c2", "cloudwatch")]


def _request(url: str, body: Any = None) -> Any:
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, method="POST" if data else "GET",
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=5) as response:
        text = response.read()
    return json.loads(text) if text else None


def test_alertmanager_leaves_one_page_per_incident_and_spares_the_healthy_cluster(tmp_path: Path) -> None:
    generated = yaml.safe_load(CONFIG.read_text())
    # the generated inhibit rules as they are; a bare receiver (no secrets, no sends needed)
    config = {"route": {"receiver": "r", "group_wait": "1h"}, "receivers": [{"name": "r"}],
              "inhibit_rules": generated["inhibit_rules"]}
    (tmp_path / "am.yml").write_text(yaml.safe_dump(config))
    port = free_port()
    am = f"http://127.0.0.1:{port}"
    process = ManagedProcess("alertmanager", [
        binary("prometheus-alertmanager"), f"--config.file={tmp_path / 'am.yml'}",
        f"--storage.path={tmp_path / 'data'}", "--cluster.listen-address=", f"--web.listen-address=127.0.0.1:{port}",
    ], f"{am}/-/ready", tmp_path / "am.log")
    try:
        process.wait_ready()
        now = datetime.now(UTC)
        _request(f"{am}/api/v2/alerts", [{"labels": labels, "startsAt": now.isoformat(),
                                          "endsAt": (now + timedelta(hours=1)).isoformat()} for labels in FIRING])
        # The inhibitor marks alerts as it receives them from its own subscription, after the
        # POST has returned (a read right away found all seven alerts and none inhibited yet):
        # wait for the expected state, and fail with the last one read if it never comes.
        deadline = time.monotonic() + 10
        while True:
            state = {(a["labels"]["alertname"], a["labels"]["cluster"], a["labels"].get("job", "")): a["status"]
                     for a in _request(f"{am}/api/v2/alerts")}
            active = sorted(key for key, status in state.items() if not status["inhibitedBy"])
            if (len(state) == len(FIRING) and active == EXPECTED_ACTIVE) or time.monotonic() > deadline:
                break
            time.sleep(0.2)
    finally:
        process.stop()
    assert len(state) == len(FIRING), state
    assert active == EXPECTED_ACTIVE, state
