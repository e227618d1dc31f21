"""The indicator kinds, registered in one place. See kinds/base.py for what a kind owns."""

from __future__ import annotations

from generators.kinds.availability import Availability
from generators.kinds.base import Kind, Recording
from generators.kinds.gauge import Gauge
from generators.kinds.gauge_ratio import GaugeRatio
from generators.kinds.increase import Increase
from generators.kinds.overdue import Overdue
from generators.kinds.quantile import Quantile
from generators.kinds.rate import Rate
from generators.kinds.ratio import Ratio
from generators.kinds.run_duration import RunDuration
from generators.kinds.scrape_targets import ScrapeTargets
from generators.model import Alert, Indicator

KINDS: dict[str, Kind] = {kind.name: kind for kind in (
    Ratio(), Quantile(), Rate(), Increase(), GaugeRatio(), Gauge(), Availability(), RunDuration(), Overdue(),
    ScrapeTargets(),
)}


def kind_of(item: Indicator | Alert) -> Kind:
    indicator = item.indicator if isinstance(item, Alert) else item
    return KINDS[indicator.kind]


__all__ = ["KINDS", "Kind", "Recording", "kind_of"]
