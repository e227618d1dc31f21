"""Names of the SLO recorded series (every one also carries the `slo` label)."""

from __future__ import annotations

from generators.slo.model import window_text

OBJECTIVE = "slo:objective:ratio"
BUDGET_REMAINING = "slo:error_budget_remaining:ratio"


def ratio_name(window: int) -> str:
    return f"slo:sli_error:ratio_rate{window_text(window)}"
