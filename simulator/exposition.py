"""The simulator's series as Prometheus sees them: OpenMetrics history for
`promtool tsdb create-blocks-from openmetrics`, and a prometheus_client collector for a
live `/metrics` per scrape job."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from prometheus_client.metrics_core import Metric
from prometheus_client.registry import Collector

from simulator.platform import Labels, PlatformSimulator, Sample

# family -> (type, help); counters' samples end in _total, histograms' in _bucket/_count/_sum
FAMILIES: dict[str, tuple[str, str]] = {
    "probe_success": ("gauge", "health check passed"),
    "http_requests": ("counter", "API requests by HTTP status code"),
    "http_request_duration_seconds": ("histogram", "API response time"),
    "billing_log_messages": ("counter", "structured log lines written, by level"),
    "billing_events_received": ("counter", "usage events accepted or rejected"),
    "billing_event_ingestion_duration_seconds": ("histogram", "receive-to-durable-write latency"),
    "billing_invoices_generated": ("counter", "invoices attempted in invoice runs"),
    "billing_invoice_run_in_progress": ("gauge", "1 while an invoice run is running"),
    "billing_invoice_run_started_timestamp_seconds": ("gauge", "start time of the current or last run"),
    "billing_invoice_run_last_duration_seconds": ("gauge", "duration of the last finished run"),
    "billing_invoice_run_last_success_timestamp_seconds": ("gauge", "end time of the last successful run"),
    "billing_invoices_pending": ("gauge", "invoices due in the current cycle and not yet generated"),
    "billing_invoice_cycle_deadline_timestamp_seconds": ("gauge", "when every invoice of the cycle must exist"),
    "billing_payments": ("counter", "payment attempts"),
    "billing_payment_duration_seconds": ("histogram", "payment processing latency"),
    "billing_payment_webhooks": ("counter", "provider webhooks processed"),
    "billing_revenue_collected": ("counter", "money collected, in major units"),
    "billing_db_pool_connections_in_use": ("gauge", "connections checked out"),
    "billing_db_pool_connections_max": ("gauge", "pool size"),
    "billing_db_query_duration_seconds": ("histogram", "query execution time"),
    "billing_db_connection_errors": ("counter", "failed attempts to get or open a connection"),
    "aws_rds_cpuutilization_average": ("gauge", "RDS CPU, percent 0-100"),
    "aws_rds_freeable_memory_average": ("gauge", "RDS free memory, bytes"),
    "billing_queue_depth": ("gauge", "messages waiting"),
    "billing_queue_oldest_message_age_seconds": ("gauge", "age of the oldest waiting message"),
    "billing_queue_messages_processed": ("counter", "messages handled"),
}
_SUFFIX_ORDER = {"_bucket": 0, "_count": 1, "_sum": 2, "_total": 0, "": 0}


def family_of(name: str) -> str:
    for suffix in ("_bucket", "_count", "_sum", "_total"):
        base = name.removesuffix(suffix)
        if base != name and base in FAMILIES:
            return base
    return name


def _fmt_labels(labels: Labels) -> str:
    body = ",".join(f'{k}="{v}"' for k, v in labels)
    return "{" + body + "}" if body else ""


def _fmt(value: float) -> str:
    return repr(float(value)) if value != int(value) else f"{int(value)}.0"


def _le_key(labels: Labels) -> float:
    le = dict(labels).get("le")
    return float("inf") if le == "+Inf" else float(le) if le else 0.0


class History:
    """Samples of a simulator over time, as the scrapes of each job would have stored them."""

    def __init__(self, target_labels: dict[str, dict[str, str]], instances: dict[int, str] | None = None) -> None:
        self.target_labels = target_labels  # simulator job -> labels Prometheus attaches
        self.instances = instances or {}  # platform replica -> its `instance` (its own target)
        self.points: dict[tuple[str, Labels], list[tuple[float, float]]] = defaultdict(list)

    def labels_of(self, job: str, replica: int = 0) -> dict[str, str]:
        """The target labels of one scrape target: a platform replica has its own instance."""
        labels = self.target_labels[job]
        if job == "platform" and replica in self.instances:
            labels = {**labels, "instance": self.instances[replica]}
        return labels

    def record(self, t: float, samples: list[Sample]) -> None:
        for s in samples:
            labels = tuple(sorted({**dict(s.labels), **self.labels_of(s.job, s.replica)}.items()))
            self.points[(s.name, labels)].append((t, s.value))

    def render_openmetrics(self) -> str:
        by_family: dict[str, dict[Labels, list[tuple[str, Labels]]]] = defaultdict(lambda: defaultdict(list))
        for name, labels in self.points:
            series_key = tuple((k, v) for k, v in labels if k != "le")
            by_family[family_of(name)][series_key].append((name, labels))
        lines: list[str] = []
        for family in sorted(by_family):
            kind, help_text = FAMILIES[family]
            lines += [f"# TYPE {family} {kind}", f"# HELP {family} {help_text}"]
            for series_key in sorted(by_family[family]):
                members = sorted(by_family[family][series_key],
                                 key=lambda m: (_SUFFIX_ORDER[m[0][len(family):]], _le_key(m[1])))
                times = [t for t, _ in self.points[members[0]]]
                for index, t in enumerate(times):  # one metric point at a time, in time order
                    for name, labels in members:
                        value = self.points[(name, labels)][index][1]
                        lines.append(f"{name}{_fmt_labels(labels)} {_fmt(value)} {int(t)}")
        lines.append("# EOF")
        return "\n".join(lines) + "\n"


class JobCollector(Collector):
    """prometheus_client collector exposing one scrape target's series of a live simulator:
    a job, and for the platform job one replica."""

    def __init__(self, simulator: PlatformSimulator, job: str, replica: int = 0) -> None:
        self.simulator, self.job, self.replica = simulator, job, replica

    def collect(self) -> Iterator[Metric]:
        families: dict[str, Metric] = {}
        for s in self.simulator.samples():
            if s.job != self.job or s.replica != self.replica:
                continue
            family = family_of(s.name)
            if family not in families:
                kind, help_text = FAMILIES[family]
                families[family] = Metric(family, help_text, kind)
            families[family].add_sample(s.name, dict(s.labels), s.value)
        yield from (families[name] for name in sorted(families))
