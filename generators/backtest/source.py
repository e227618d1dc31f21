"""The one place that turns a spec path into the rendered outputs the backtest reads.

Everything else in the backtest works from these two documents (what Prometheus and
Alertmanager would load), never from the spec model, so the spec loader can change
freely: only `rendered_outputs` needs rewiring.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

RULES_PATH = "alerts/billing.rules.yml"
ALERTMANAGER_PATH = "alertmanager/alertmanager.yml"


class SourceError(Exception):
    """The spec cannot be rendered; `lines` say why, one problem a line."""

    def __init__(self, lines: list[str]) -> None:
        super().__init__("\n".join(lines))
        self.lines = lines


@dataclass(frozen=True)
class Rendered:
    rule_groups: list[dict[str, Any]]  # the `groups:` list of the rule file
    alertmanager: dict[str, Any]  # the Alertmanager config
    origin: str  # what was rendered, for reports


def rendered_outputs(spec_path: str | Path, profile: str | None = None) -> Rendered:
    """Render a spec (optionally with a profile) and parse its rule file and Alertmanager config."""
    from generators.loader.build import SpecInvalid, load_spec
    from generators.outputs import render_all

    try:
        spec = load_spec(spec_path, profile)
    except SpecInvalid as exc:
        raise SourceError([f"{spec_path}: {len(exc.errors)} problem(s):", *(f"  {e}" for e in exc.errors)]) from None
    files = render_all(spec)
    origin = f"{spec_path}" + (f" (profile {profile})" if profile else "")
    return Rendered(yaml.safe_load(files[RULES_PATH])["groups"], yaml.safe_load(files[ALERTMANAGER_PATH]), origin)
