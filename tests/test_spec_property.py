"""The validator's promise, checked by property: every spec it accepts renders, and every
generated test of what changed passes in promtool; every spec it refuses is refused with
messages that name a real line and a field (never a traceback).

Hypothesis mutates thresholds.yaml within its schema (tests/specgen.py). `make test-heavy` runs a
fixed, derandomized sample; `make fuzz` runs thousands of random ones.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings

from generators.loader.build import SpecInvalid, load_spec
from generators.outputs import render_all
from tests.conftest import require_tool
from tests.specgen import hostile_specs, mutated_specs

pytestmark = pytest.mark.slow  # make test-heavy (and make fuzz); CI runs both

FUZZ = os.environ.get("BILLING_FUZZ_EXAMPLES")
# `make test` renders a handful (each runs promtool); CI adds `make fuzz EXAMPLES=200`
EXAMPLES = int(FUZZ) if FUZZ else 6
# `make test` and CI draw the same examples every run (a red CI means a real finding, not luck);
# `make fuzz` explores new ones unless DETERMINISTIC=1
DERANDOMIZE = not FUZZ or bool(os.environ.get("BILLING_FUZZ_DERANDOMIZE"))
_BASE: dict[str, str] = {}


def _groups(rules_text: str) -> dict[str, Any]:
    return {g["name"]: g for g in yaml.safe_load(rules_text)["groups"]}


def _alert_groups(rules_text: str) -> dict[str, str]:
    """alert name -> its group, as YAML text (what its promtool test depends on)."""
    out = {}
    for group in yaml.safe_load(rules_text)["groups"]:
        text = yaml.safe_dump(group)
        for rule in group["rules"]:
            if "alert" in rule:
                out[rule["alert"]] = text
    return out


def check_spec(spec_dict: dict[str, Any], workdir: Path, run_promtool: bool = True) -> str:
    """Load, render and (for what changed) promtool-test one spec; returns what happened."""
    if not _BASE:
        _BASE.update(render_all(load_spec(Path(__file__).parent.parent / "thresholds.yaml")))
    path = workdir / "thresholds.yaml"
    path.write_text(yaml.safe_dump(spec_dict, sort_keys=False, allow_unicode=True))
    try:
        spec = load_spec(path)
    except SpecInvalid as exc:
        for error in exc.errors:
            assert error.line >= 1 and error.field and error.message, error
            assert len(str(error)) < 2000, "an error message must stay short"
        return "refused"
    files = render_all(spec)
    if not run_promtool:
        return "rendered"
    rules = files["alerts/billing.rules.yml"]
    base_groups = _alert_groups(_BASE["alerts/billing.rules.yml"])
    groups = _alert_groups(rules)
    slo_rules_changed = files.get("alerts/slo.rules.yml") != _BASE.get("alerts/slo.rules.yml")
    def alert_of(rel: str) -> str:  # Alert.test.yml and its recovery-tail cases, Alert.tail.test.yml
        return Path(rel).name.removesuffix(".test.yml").removesuffix(".tail")

    changed = sorted(rel for rel, content in files.items() if rel.startswith("alerts/tests/") and (
        _BASE.get(rel) != content or groups.get(alert_of(rel)) != base_groups.get(alert_of(rel))
        or (slo_rules_changed and "/BillingSLO" in rel)))
    if not FUZZ:  # the SLO tests run days of steps (~40 s of promtool): rendered here (their plans
        # are checked by the oracle), run by promtool under `make fuzz`
        changed = [rel for rel in changed if "ErrorBudget" not in rel]
    if not changed:
        return "rendered, no test changed"
    for rel in [*(r for r in files if r.startswith("alerts/") and r.endswith(".rules.yml")), *changed]:
        target = workdir / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(files[rel])
    result = subprocess.run([require_tool("promtool"), "test", "rules", *changed], cwd=workdir,
                            capture_output=True, text=True)
    failing = (result.stdout + result.stderr)[-3000:]
    assert result.returncode == 0, f"accepted spec whose generated tests fail:\n{failing}"
    return f"rendered, {len(changed)} tests passed"


@settings(max_examples=EXAMPLES, deadline=None, derandomize=DERANDOMIZE, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(spec_dict=mutated_specs())
def test_accepted_specs_render_and_pass_their_tests(tmp_path: Path, spec_dict: dict[str, Any]) -> None:
    check_spec(spec_dict, tmp_path)


HOSTILE_EXAMPLES = int(FUZZ) if FUZZ else 40


@settings(max_examples=HOSTILE_EXAMPLES, deadline=None, derandomize=DERANDOMIZE, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(spec_dict=hostile_specs())
def test_hostile_specs_never_crash_the_loader_or_the_render(tmp_path: Path, spec_dict: dict[str, Any]) -> None:
    """Any value anywhere: refused with clear messages, or rendered (never a traceback)."""
    check_spec(spec_dict, tmp_path, run_promtool=False)
