"""What the webhook sink received, as notifications: who sent it, when, to whom, about what."""

from __future__ import annotations

import urllib.parse
from collections import Counter
from dataclasses import dataclass

from simulator.topology import HATopology

Labels = tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Notification:
    at: float  # epoch seconds the sink received it
    receiver: str
    alertmanager: str  # the node that sent it
    status: str
    group_key: str
    alerts: tuple[tuple[Labels, str], ...]  # (labels, firing|resolved), sorted

    def about(self, alertname: str, status: str, **labels: str) -> bool:
        """Whether the notification reports this alert in this status."""
        return any(alert_status == status and dict(alert)["alertname"] == alertname
                   and all(dict(alert).get(k) == v for k, v in labels.items())
                   for alert, alert_status in self.alerts)


def notifications(topology: HATopology) -> list[Notification]:
    by_port = {peer.address.rsplit(":", 1)[1]: peer.name for peer in topology.deployment.alertmanagers}
    payloads = list(topology.sink.payloads)
    out = []
    for at, (receiver, payload) in zip(topology.sink.times, payloads, strict=False):
        port = str(urllib.parse.urlparse(payload["externalURL"]).port)
        alerts = tuple(sorted((tuple(sorted(a["labels"].items())), a["status"]) for a in payload["alerts"]))
        out.append(Notification(at, receiver, by_port.get(port, payload["externalURL"]), payload["status"],
                                payload["groupKey"], alerts))
    return out


def duplicates(notes: list[Notification]) -> list[Notification]:
    """Notifications a receiver had already received: same group, same alerts in the same states.
    (A group that changes, e.g. a second alert joining it, is re-sent on purpose; not counted.)"""
    counts = Counter((n.receiver, n.group_key, n.alerts) for n in notes)
    seen: set[tuple[str, str, tuple[tuple[Labels, str], ...]]] = set()
    dups = []
    for n in notes:
        key = (n.receiver, n.group_key, n.alerts)
        if counts[key] > 1 and key in seen:
            dups.append(n)
        seen.add(key)
    return dups


def duplicate_alerts(notes: list[Notification], ignore: tuple[str, ...] = ("replica",)) -> int:
    """Extra copies of an alert inside notifications once the `ignore` labels are set aside:
    the same incident listed twice in one message (e.g. once per Prometheus replica)."""
    extra = 0
    for note in notes:
        seen = Counter((tuple((k, v) for k, v in labels if k not in ignore), status) for labels, status in note.alerts)
        extra += sum(count - 1 for count in seen.values())
    return extra
