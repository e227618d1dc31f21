"""A stand-in for ALERTS of the rules' own alerts, which history lacks for rules not deployed.

The generated rules drop a consequence's recovery tail with `max_over_time(ALERTS{alertname=
"X", alertstate="firing"}[L])` (generators/inhibition.py): X's firing state, as Prometheus
writes it. A backtest evaluates rules that may never have run, so the history has no ALERTS
of X; it reads X's `...:X:fired` recording instead (the condition held at every evaluation of
X's `for`, which the generator records beside X), over L plus X's keep_firing_for (ALERTS keeps
saying firing that long after the last breach). For an outage that ends cleanly this is the
same series of instants; one that ends in a crash loop (single good scrapes that
keep_firing_for bridges) breaks the count, and the backtest then shows a tail the live rules
drop: it errs towards a page. Only that exact form is replaced, and only when the recording
exists; any other read of ALERTS stays as written (it reads what a server that runs those
rules has recorded).
"""

from __future__ import annotations

import dataclasses
import re
from typing import Protocol, TypeVar

from generators.backtest.timeutil import parse_duration

_FIRING_READ = re.compile(r'ALERTS\{alertname="([A-Za-z_][A-Za-z0-9_]*)", alertstate="firing"\}\[([0-9a-z]+)\]')


class _Alert(Protocol):
    name: str
    keep_firing_for_seconds: float


class _Rule(Protocol):
    expr: str


R = TypeVar("R", bound=_Rule)


def fired_recordings(records: list[str]) -> dict[str, str]:
    """Alert name -> the `<level>:<Alert>:fired` recording that stands in for its ALERTS."""
    out = {}
    for record in records:
        parts = record.rsplit(":", 2)
        if len(parts) == 3 and parts[2] == "fired":
            out[parts[1]] = record
    return out


def stand_in(expr: str, alerts: dict[str, _Alert], fired: dict[str, str]) -> str:
    def replace(match: re.Match[str]) -> str:
        name, window = match.group(1), match.group(2)
        if name not in alerts or name not in fired:
            return match.group(0)
        seconds = parse_duration(window) + alerts[name].keep_firing_for_seconds
        return f"{fired[name]}[{round(seconds * 1000)}ms]"

    return _FIRING_READ.sub(replace, expr)


def with_stand_ins(rules: list[R], alerts: dict[str, _Alert], fired: dict[str, str]) -> list[R]:
    return [dataclasses.replace(r, expr=stand_in(r.expr, alerts, fired)) for r in rules]  # type: ignore[type-var]
