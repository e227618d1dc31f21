"""The SLO model and the alerting policy it is judged by (pure data).

The policy is the Google SRE workbook's multi-window, multi-burn-rate one ("Alerting on
SLOs", table 5-8): a page when the budget burns fast over an hour or six, a ticket when it
burns slowly over a day or three. Each pair ANDs a long window (is the burn significant?)
with a short one (is it still going on?), which makes the alert resolve within minutes of
recovery instead of when the long window forgets the incident.
"""

from __future__ import annotations

from dataclasses import dataclass

from generators.durations import format_duration
from generators.model import Indicator, Settings, Severity

DAY = 86400


@dataclass(frozen=True)
class BurnWindow:
    """One condition of a burn-rate alert: burn rate over `long` AND over `short` above `factor`."""

    factor: float
    long: int  # seconds
    short: int

    @property
    def budget_share(self) -> float:
        """Share of a 30d budget spent when the alert fires at exactly `factor`."""
        return self.factor * self.long / (30 * DAY)


@dataclass(frozen=True)
class BurnPolicy:
    suffix: str  # alert name suffix
    severity: Severity
    purpose: str  # "page" or "ticket"
    windows: tuple[BurnWindow, ...]


PAGE = BurnPolicy("ErrorBudgetFastBurn", "critical", "page",
                  (BurnWindow(14.4, 3600, 300), BurnWindow(6.0, 6 * 3600, 1800)))
TICKET = BurnPolicy("ErrorBudgetSlowBurn", "warning", "ticket",
                    (BurnWindow(3.0, DAY, 2 * 3600), BurnWindow(1.0, 3 * DAY, 6 * 3600)))
POLICIES = (PAGE, TICKET)

# every window a burn rate is recorded for, shortest first (the SLO window is added per SLO)
ALERT_WINDOWS: tuple[int, ...] = tuple(sorted({w for p in POLICIES for bw in p.windows for w in (bw.long, bw.short)}))
BASE_WINDOW = 300  # the one raw rate every longer window is derived from
# An alert may fire from a long window only when this share of it holds recorded data: after
# a fresh rollout (or a long gap) a 3d window holding minutes of data would otherwise judge
# three days by those minutes.
COVERED = 0.9


@dataclass(frozen=True)
class Timing:
    """Real durations of the nominal windows. Production: the nominal ones (a 5m base rate,
    sampled every 5m). A test profile with `settings.slo_day` shorter than 1d scales every
    window by slo_day/1d, none shorter than the base window, itself at least 4 scrapes; the
    recorded series keep their nominal names (`..._rate3d`), so dashboards and alerts read
    the same series in every profile."""

    scale: float = 1.0
    base: int = BASE_WINDOW  # seconds: the base rate's window and the resolution of every sum

    def of(self, nominal: int) -> int:
        return max(self.base, round(nominal * self.scale))

    @property
    def scaled(self) -> bool:
        return self.scale != 1.0


def timing(settings: Settings) -> Timing:
    if settings.slo_day >= DAY:
        return Timing()
    scale = settings.slo_day / DAY
    return Timing(scale, max(4 * settings.scrape_interval, round(BASE_WINDOW * scale), 1))
TEST_MARGIN = 1.1  # generated tests burn 10% above a factor: at exactly the factor, `>` never holds


def window_text(seconds: int) -> str:
    """'30d' rather than Prometheus' canonical '4w2d': names and texts people read."""
    if seconds % DAY == 0:
        return f"{seconds // DAY}d"
    return format_duration(seconds)


@dataclass(frozen=True)
class SLO:
    key: str  # snake_case; the `slo` label of every SLO series
    name: str  # CamelCase (with the alert prefix): alert names are name + policy suffix
    title: str
    indicator: Indicator
    objective: float  # e.g. 0.999
    window: int  # seconds, e.g. 30d
    team: str
    rationale: str
    latency_threshold: float | None = None  # quantile indicators: good = at or under this bucket bound
    min_errors: int = 10  # errors the long window must hold before an alert may fire

    @property
    def budget(self) -> float:
        """The error budget as a ratio of events (1 - objective)."""
        return round(1 - self.objective, 12)

    def alert_name(self, policy: BurnPolicy) -> str:
        return f"{self.name}{policy.suffix}"
