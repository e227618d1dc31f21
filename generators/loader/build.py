"""The loader's entry point: read, overlay a profile, validate every section, build the model.

All problems are collected before anything is reported (one SpecError each, with file,
line, field and fix), and the spec is only returned when there are none. The promise: a
spec this accepts renders, and every test generated from it passes.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

from generators.loader.alerts import check_thresholds, load_alerts
from generators.loader.checker import Checker, SpecError, SpecInvalid
from generators.loader.crosschecks import check_alerts_routed, check_alerts_shown, check_recordings, check_windows
from generators.loader.dashboards import load_dashboards
from generators.loader.deployment import load_deployment
from generators.loader.indicators import load_indicators
from generators.loader.metrics import load_metrics
from generators.loader.packaging import check_credential_files, load_packaging
from generators.loader.profiles import apply_profile, check_profiles
from generators.loader.routing import load_receivers, load_routing, load_teams
from generators.loader.settings import load_settings
from generators.loader.slos import check_slos, load_slos
from generators.loader.source import LineMap, SourceProblem, parse_spec_text, read_spec_text
from generators.model import Spec

SECTIONS = ("settings", "metrics", "indicators", "alerts", "teams", "dashboards", "receivers", "routing", "profiles",
            "deployment", "packaging", "slos")
REQUIRED = ("settings", "metrics", "indicators", "alerts", "teams")

__all__ = ["SpecError", "SpecInvalid", "build_spec", "load_spec"]


def load_spec(path: str | Path, profile: str | None = None) -> Spec:
    """Read, validate and model the spec (with a profile overlaid); raises SpecInvalid."""
    file = str(path)
    try:
        raw = parse_spec_text(read_spec_text(Path(path)))
    except SourceProblem as exc:
        raise SpecInvalid([SpecError(file, exc.line, exc.field, exc.message)]) from None
    if profile is not None and isinstance(raw, LineMap):
        errors = apply_profile(raw, profile, file)
        if errors:
            raise SpecInvalid(errors)
    return build_spec(raw, file)


def build_spec(raw: Any, file: str) -> Spec:
    c = Checker(file)
    top = c.mapping(raw, "", 1, required=REQUIRED, optional=tuple(s for s in SECTIONS if s not in REQUIRED))
    if top is None:
        raise SpecInvalid(c.errors)
    line = lambda key: c.line_of(top, key)  # noqa: E731
    for section in ("metrics", "indicators", "teams", "receivers"):
        c.declare(section, top.get(section))
    settings = load_settings(c, top.get("settings"), line("settings"))
    metrics = load_metrics(c, top.get("metrics"), line("metrics"), settings)
    indicators = load_indicators(c, top.get("indicators"), line("indicators"), metrics)
    receivers = load_receivers(c, top.get("receivers", LineMap()), line("receivers"))
    teams = load_teams(c, top.get("teams"), line("teams"), receivers)
    routing = load_routing(c, top.get("routing"), line("routing"), receivers) if "routing" in top else None
    dashboards = load_dashboards(c, top.get("dashboards", []), line("dashboards"), indicators) \
        if "dashboards" in top else []
    prefix = settings.alert_prefix if settings is not None else ""
    packaging = load_packaging(c, top.get("packaging", LineMap()), line("packaging"), prefix)
    check_credential_files(c, receivers, line("receivers"))
    if "profiles" in top:
        check_profiles(c, top.get("profiles"), line("profiles"))
    context = Spec(file, settings, metrics, indicators, (), teams) if settings is not None else None
    alerts, positions = load_alerts(c, top.get("alerts"), line("alerts"), context, teams)
    slos = load_slos(c, top.get("slos"), line("slos"), settings, indicators, metrics, teams) if "slos" in top else []
    if settings is None:  # nothing can be checked across sections without it
        raise SpecInvalid(c.errors)
    # cross-checks also run on the valid part of a spec with errors: all problems at once
    spec = Spec(file, settings, metrics, indicators, tuple(alerts), teams, tuple(dashboards), receivers, routing,
                packaging=packaging, slos=tuple(slos))
    check_windows(c, spec, top.get("indicators"))
    check_recordings(c, spec, top.get("indicators"))
    check_thresholds(c, spec, positions)
    check_alerts_shown(c, spec, positions)
    check_alerts_routed(c, spec, positions)
    check_slos(c, spec, top.get("slos"), set(positions))
    if "deployment" in top:
        deployment = load_deployment(c, top.get("deployment"), line("deployment"), spec)
        spec = dataclasses.replace(spec, deployment=deployment)
    if c.errors:
        raise SpecInvalid(c.errors)
    return spec
