"""bench.detection measures what promtool evaluates: on the current rules a sustained
outage is found at its known time and a blip is not (docs/fault-classes.md quotes it)."""

from __future__ import annotations

from pathlib import Path

from bench.detection import SCENARIOS, first_firing
from tests.conftest import RULES_PATH, require_tool


def _scenario(what: str):  # type: ignore[no-untyped-def]
    return next(s for s in SCENARIOS if s.what.startswith(what))


def test_detection_times_come_from_promtool(tmp_path: Path) -> None:
    require_tool("promtool")
    sustained = first_firing(_scenario("every API request failing at 10 req/s"), RULES_PATH, tmp_path)
    assert sustained == {"APIErrorRateHigh (c1)": 360.0}  # `for` 6m from the first failing evaluation
    assert first_firing(_scenario("a 2-minute blip"), RULES_PATH, tmp_path) == {}
    lost = first_firing(_scenario("cluster c2 vanishes"), RULES_PATH, tmp_path)
    assert lost == {"PlatformDown (c2, billing-platform)": 120.0, "ScrapeTargetsMissing (c2, billing-platform)": 300.0}
