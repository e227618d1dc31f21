"""Typed model of the threshold spec.

The model is what every renderer reads. It knows nothing about YAML (the loader builds it)
and nothing about output formats (renderers turn it into rules, tests, dashboards, ...).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Op = Literal["<", "<=", ">", ">="]
Severity = Literal["critical", "warning", "info"]
Unit = Literal["ratio", "seconds", "percent", "per_second", "count", "bytes"]

INDICATOR_KINDS = (
    "ratio",
    "quantile",
    "rate",
    "increase",
    "gauge_ratio",
    "gauge",
    "availability",
    "run_duration",
    "overdue",
)

# The unit each kind's recorded value has (gauge indicators declare theirs).
KIND_UNITS: dict[str, Unit] = {
    "ratio": "ratio",
    "quantile": "seconds",
    "rate": "per_second",
    "increase": "count",
    "gauge_ratio": "ratio",
    "availability": "ratio",
    "run_duration": "seconds",
    "overdue": "count",
}


@dataclass(frozen=True)
class Metric:
    name: str
    type: Literal["counter", "gauge", "histogram"]
    source: str
    help: str
    labels: dict[str, tuple[str, ...]]
    buckets: tuple[float, ...] = ()


@dataclass(frozen=True)
class Matcher:
    label: str
    op: Literal["=", "!=", "=~", "!~"]
    value: str

    def render(self) -> str:
        escaped = self.value.replace("\\", "\\\\").replace('"', '\\"')
        return f'{self.label}{self.op}"{escaped}"'


@dataclass(frozen=True)
class Indicator:
    """Something measured; rendered as recording rules shared by alerts and dashboards."""

    key: str
    kind: str
    title: str
    unit: Unit
    by: tuple[str, ...] = ()
    # ratio / quantile / rate / increase / gauge / availability
    metric: str = ""
    errors: tuple[Matcher, ...] = ()
    measure: Literal["success_ratio", "error_ratio"] = "success_ratio"
    window: int = 0  # seconds
    quantiles: tuple[float, ...] = ()
    baseline_offset: int = 0  # seconds
    aggregation: Literal["max", "min", "avg", "sum"] = "max"
    # gauge_ratio
    numerator: str = ""
    denominator: str = ""
    # run_duration
    in_progress: str = ""
    started: str = ""
    # overdue
    pending: str = ""
    deadline: str = ""

    def metrics(self) -> tuple[str, ...]:
        """Catalogue metrics the indicator reads."""
        names = (
            self.metric,
            self.numerator,
            self.denominator,
            self.in_progress,
            self.started,
            self.pending,
            self.deadline,
        )
        return tuple(n for n in names if n)


@dataclass(frozen=True)
class Threshold:
    op: Op
    value: float

    def breached_by(self, value: float) -> bool:
        return {
            "<": value < self.value,
            "<=": value <= self.value,
            ">": value > self.value,
            ">=": value >= self.value,
        }[self.op]


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
    quantile: float | None = None
    min_rate: float | None = None
    absent: bool = False
    inhibits: tuple[str, ...] = ()  # full names of alerts this one silences while firing
    line: int = 0  # where the alert is defined in the spec, for error messages

    @property
    def value_unit(self) -> Unit:
        """Unit of the alert's $value: a rate alert judges current/baseline, a ratio."""
        return "ratio" if self.indicator.kind == "rate" else self.indicator.unit


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
    selectors: dict[str, tuple[tuple[str, str], ...]]
    runbook_url: str
    grafana_url: str


@dataclass(frozen=True)
class Spec:
    path: str
    settings: Settings
    metrics: dict[str, Metric]
    indicators: dict[str, Indicator]
    alerts: tuple[Alert, ...]
    teams: dict[str, Team]
    dashboards: tuple[Dashboard, ...] = ()
    receivers: dict[str, Receiver] | None = None
    routing: Routing | None = None

    def receivers_for(self, alert: Alert) -> tuple[str, ...]:
        """Every receiver an alert reaches, in routing order."""
        assert self.routing is not None
        team = self.teams[alert.team]
        pager = (team.pager,) if alert.severity == "critical" and team.pager else ()
        return tuple(dict.fromkeys((*self.routing.all_alerts_to, *pager, *team.chat)))

    def selector_labels(self, metric: str) -> tuple[tuple[str, str], ...]:
        return self.settings.selectors[self.metrics[metric].source]
