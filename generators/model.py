"""Typed model of the threshold spec: pure data.

The loader builds it; every renderer reads it. It knows nothing about YAML (no line
numbers: the loader keeps positions beside it) and nothing about output formats. Each
indicator kind adds its own fields in a subclass of `Indicator`, defined beside the rest
of the kind in generators/kinds/.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, ClassVar, Literal

if TYPE_CHECKING:  # the topology's and the SLOs' own data classes live beside their checks
    from generators.deployment import Deployment
    from generators.slo.model import SLO

Op = Literal["<", "<=", ">", ">="]
Severity = Literal["critical", "warning", "info"]
Unit = Literal["ratio", "seconds", "percent", "per_second", "count", "bytes"]
UNITS: tuple[Unit, ...] = ("ratio", "seconds", "percent", "per_second", "count", "bytes")
SEVERITIES: tuple[Severity, ...] = ("critical", "warning", "info")


@dataclass(frozen=True)
class Metric:
    name: str
    type: Literal["counter", "gauge", "histogram"]
    source: str  # key of settings.selectors: the scrape job that exposes it
    help: str
    labels: dict[str, tuple[str, ...]]
    buckets: tuple[float, ...] = ()


@dataclass(frozen=True)
class Matcher:
    label: str
    op: Literal["=", "!=", "=~", "!~"]
    value: str


@dataclass(frozen=True, kw_only=True)
class Indicator:
    """Something measured; rendered as recording rules shared by alerts and dashboards."""

    kind: ClassVar[str] = ""
    metric_fields: ClassVar[tuple[str, ...]] = ()  # fields naming catalogue metrics

    key: str
    title: str
    unit: Unit
    by: tuple[str, ...] = ()

    def metrics(self) -> tuple[str, ...]:
        """Catalogue metrics the indicator reads, in field order."""
        return tuple(getattr(self, name) for name in self.metric_fields)


@dataclass(frozen=True)
class Threshold:
    op: Op
    value: float

    def breached_by(self, value: float) -> bool:
        if self.op == "<":
            return value < self.value
        if self.op == "<=":
            return value <= self.value
        if self.op == ">":
            return value > self.value
        return value >= self.value


@dataclass(frozen=True)
class Alert:
    name: str  # with prefix
    short_name: str  # without prefix, as written in the spec
    indicator: Indicator
    threshold: Threshold
    for_seconds: int
    severity: Severity
    team: str
    summary: str
    guide: str
    rationale: str
    quantile: float | None = None  # quantile indicators: which recorded quantile
    min_rate: float | None = None  # rate indicators: baseline events/s below which it does not judge
    min_failures: int | None = None  # ratio indicators: failing events the window must hold to judge
    absent: bool = False  # availability indicators: no series at all also fires
    window: int = 0  # availability indicators: judge the average over this window (seconds)
    inhibits: tuple[str, ...] = ()  # full names of alerts this one silences while firing
    first_steps: tuple[str, ...] = ()  # runbook steps; empty: the kind's generic ones


@dataclass(frozen=True)
class Target:
    legend: str
    indicator: str = ""  # key of the indicator whose recorded series is read
    expr: str = ""  # optional transform; "{series}" stands for the recorded series
    builtin: str = ""  # a Prometheus built-in query instead of an indicator

    @property
    def transformed(self) -> bool:
        return bool(self.expr) and self.expr != "{series}"


@dataclass(frozen=True)
class Panel:
    title: str
    type: Literal["timeseries", "stat"]
    targets: tuple[Target, ...]
    unit: Unit | None = None


@dataclass(frozen=True)
class Row:
    title: str
    panels: tuple[Panel, ...]


@dataclass(frozen=True)
class Dashboard:
    key: str
    title: str
    description: str
    rows: tuple[Row, ...]


@dataclass(frozen=True)
class Receiver:
    name: str
    type: Literal["webhook", "email", "slack", "pagerduty"]
    # Non-secret settings (url, channel, to) and *_file paths; never a secret itself.
    settings: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Team:
    name: str
    description: str
    chat: tuple[str, ...] = ()  # receivers of every alert of the team
    pager: str = ""  # receiver critical alerts also page through


@dataclass(frozen=True)
class Timing:
    group_wait: int
    group_interval: int
    repeat_interval: int


@dataclass(frozen=True)
class Routing:
    default_receiver: str
    all_alerts_to: tuple[str, ...]
    group_by: tuple[str, ...]
    timings: dict[str, Timing]  # by severity


@dataclass(frozen=True)
class Settings:
    alert_prefix: str
    scrape_interval: int
    evaluation_interval: int
    aggregation_labels: tuple[str, ...]
    selectors: dict[str, tuple[tuple[str, str], ...]]  # source -> sorted (label, value) pairs
    runbook_url: str
    grafana_url: str
    retention: int = 0  # Prometheus' TSDB retention in seconds; 0: not declared
    slo_day: int = 86400  # seconds an SLO day lasts: shorter only in test profiles (generators/slo/model.py)


@dataclass(frozen=True)
class Packaging:
    """Packaging for Kubernetes and rulers (deploy/): never affects what rules compute."""

    namespace: str = "monitoring"
    rule_labels: tuple[tuple[str, str], ...] = (("role", "alert-rules"),)  # what a ruleSelector matches
    credentials_secret: str = ""  # Secret with the receivers' *_file credentials
    source_tenants: tuple[str, ...] = ()  # Mimir/Cortex federated rule groups


# eq=False: a spec is identified by the object (renderers cache derived indexes per spec)
@dataclass(frozen=True, eq=False)
class Spec:
    path: str
    settings: Settings
    metrics: dict[str, Metric]
    indicators: dict[str, Indicator]
    alerts: tuple[Alert, ...]
    teams: dict[str, Team]
    dashboards: tuple[Dashboard, ...] = ()
    receivers: dict[str, Receiver] = field(default_factory=dict)
    routing: Routing | None = None
    deployment: Deployment | None = None  # the multi-cluster topology, when the spec describes one
    packaging: Packaging = field(default_factory=Packaging)
    slos: tuple[SLO, ...] = ()

    def alerts_of(self, indicator: Indicator) -> tuple[Alert, ...]:
        """The alerts on one indicator, in spec order."""
        index: dict[str, tuple[Alert, ...]] | None = self.__dict__.get("_alerts_by_indicator")
        if index is None:
            grouped: dict[str, list[Alert]] = {}
            for alert in self.alerts:
                grouped.setdefault(alert.indicator.key, []).append(alert)
            index = {key: tuple(alerts) for key, alerts in grouped.items()}
            object.__setattr__(self, "_alerts_by_indicator", index)
        return index.get(indicator.key, ())

    def selector_labels(self, metric: str) -> tuple[tuple[str, str], ...]:
        return self.settings.selectors[self.metrics[metric].source]
