from __future__ import annotations

import shutil
import signal
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from generators.loader.build import load_spec
from generators.model import Spec

ROOT = Path(__file__).resolve().parent.parent
SPEC_PATH = ROOT / "thresholds.yaml"
RULES_PATH = ROOT / "alerts" / "billing.rules.yml"


# A shell without job control starts background jobs with SIGINT ignored (POSIX), and an
# ignored signal stays ignored across exec: run that way (`make test-backtest &`, nohup, some
# CI runners), every child the tests interrupt with SIGINT would ignore it, unlike the
# Ctrl-C of a terminal the tests stand for. Python's own handler here is reset to the
# default in children at exec, so they start as a terminal's would.
if signal.getsignal(signal.SIGINT) == signal.SIG_IGN:
    signal.signal(signal.SIGINT, signal.default_int_handler)


def require_tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:  # `make test` installs it; a bare pytest run must say so, not skip
        pytest.fail(f"{name} is not installed; run `make tools` (apt: prometheus prometheus-alertmanager)")
    return path


@pytest.fixture(autouse=True)
def _signal_handlers_restored() -> Iterator[None]:
    """Tests that call the CLI in-process get its SIGTERM handler; later tests (and forks of
    this worker) must not inherit it."""
    saved = {signum: signal.getsignal(signum) for signum in (signal.SIGTERM, signal.SIGINT)}
    yield
    for signum, handler in saved.items():
        if signal.getsignal(signum) is not handler and handler is not None:
            signal.signal(signum, handler)


@pytest.fixture(scope="session")
def spec() -> Spec:
    return load_spec(SPEC_PATH)


@pytest.fixture(scope="session")
def rule_groups() -> list[dict[str, Any]]:
    return yaml.safe_load(RULES_PATH.read_text())["groups"]


@pytest.fixture(scope="session")
def alert_rules(rule_groups: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [r for g in rule_groups for r in g["rules"] if "alert" in r]


@pytest.fixture(scope="session")
def recording_rules(rule_groups: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [r for g in rule_groups for r in g["rules"] if "record" in r]
