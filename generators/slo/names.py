"""Names of the SLO recorded series (every one also carries the `slo` label).

Windows in names are nominal ('3d'): a test profile that shortens windows keeps the names.
"""

from __future__ import annotations

from generators.slo.model import window_text

OBJECTIVE = "slo:objective:ratio"
BUDGET_REMAINING = "slo:error_budget_remaining:ratio"
EVENTS = "slo:sli_events:rate5m"  # all events/s over the base window
ERRORS = "slo:sli_errors:rate5m"  # bad events/s over the base window
# the same, one sample per base window (the evaluation in the first interval of each 5m)
EVENTS_GRID = "slo:sli_events:rate5m_step5m"
ERRORS_GRID = "slo:sli_errors:rate5m_step5m"


def ratio_name(window: int) -> str:
    """Bad events / all events over the window."""
    return f"slo:sli_error:ratio_rate{window_text(window)}"


def errors_name(window: int) -> str:
    """Bad events (a count) over the window."""
    return f"slo:sli_errors:increase{window_text(window)}"


def events_name(window: int) -> str:
    """All events (a count) over the window."""
    return f"slo:sli_events:increase{window_text(window)}"


def coverage_name(window: int) -> str:
    """Share of the window's base-rate samples that exist (1: fully recorded)."""
    return f"slo:sli_events:coverage{window_text(window)}"
