"""Where the SLO dashboard puts things: its file, uid, rows and panel ids.

Apart from the dashboard itself (generators/slo/dashboard.py, grafanalib), the alert texts
and tests link to its panels; they import these facts from here, without grafanalib.
"""

from __future__ import annotations

from functools import lru_cache

from generators.layout import slug
from generators.model import Spec
from generators.slo.model import SLO

KEY = "slos"
TITLE = "Billing SLOs"
FILE = f"dashboards/{KEY}.json"
PANELS_PER_ROW = 4
WIDTHS = (6, 6, 6, 6)
HEIGHT = 8


def uid(spec: Spec) -> str:
    return f"{spec.settings.alert_prefix.lower()}-{KEY}"


@lru_cache(maxsize=8)  # a Spec hashes by identity; it keeps its SLOs, so their ids stay their own
def _positions(spec: Spec) -> dict[int, int]:
    return {id(s): i for i, s in reversed(list(enumerate(spec.slos)))}


def _position(spec: Spec, slo: SLO) -> int:
    """spec.slos.index(slo) without comparing SLOs field by field (asked for every SLO by
    every test case: it grew with the square of the SLOs). Keys are unique, so the SLO
    identical to `slo` is also the first equal one; anything else asks the tuple."""
    position = _positions(spec).get(id(slo))
    return spec.slos.index(slo) if position is None else position


def row_id(spec: Spec, slo: SLO) -> int:
    return 1 + _position(spec, slo) * (PANELS_PER_ROW + 1)


def burn_panel_id(spec: Spec, slo: SLO) -> int:
    return row_id(spec, slo) + 3


def slo_panel_url(spec: Spec, slo: SLO) -> str:
    """The burn-rate panel of the SLO: what both of its alerts evaluate."""
    return f"{spec.settings.grafana_url}/d/{uid(spec)}/{slug(TITLE)}?viewPanel={burn_panel_id(spec, slo)}"
