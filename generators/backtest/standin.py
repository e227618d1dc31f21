"""A stand-in for ALERTS of the rules' own alerts, which history lacks for rules not deployed.

The generated rules drop a consequence's recovery tail with `max_over_time(ALERTS{alertname=
"X", alertstate="firing"}[L])` (generators/inhibition.py): X's firing state, as Prometheus
writes it, read beside X's recorded condition `<level>:X:condition`. A backtest evaluates
rules that may never have run, so the history has no ALERTS of X. It adds a recording of its
own to X's group, `backtest:X:fired`: the condition recorded at every evaluation of X's `for`
(`count_over_time(cond[F + interval/2]) >= F/interval + 1`; the half interval gives the same
count under Prometheus 2's closed and 3's left-open ranges), and reads it over L plus X's
keep_firing_for (ALERTS keeps saying firing that long after the last breach). For an outage
that ends cleanly this is the same series of instants; one that ends in a crash loop (single
good scrapes that keep_firing_for bridges) breaks the count, and the backtest then shows a
tail the live rules drop: it errs towards a page. Only that exact form is replaced, and only
for an alert of the file with a recorded condition; any other read of ALERTS stays as
written (it reads what a server that runs those rules has recorded).
"""

from __future__ import annotations

import dataclasses
import math
import re

from generators.backtest.rulefile import AlertRule, RecordingRule, RuleSet
from generators.backtest.timeutil import parse_duration

_FIRING_READ = re.compile(r'ALERTS\{alertname="([A-Za-z_][A-Za-z0-9_]*)", alertstate="firing"\}\[([0-9a-z]+)\]')


def _ms(seconds: float) -> str:
    return f"{round(seconds * 1000)}ms"


def _fired(alert: AlertRule, condition: RecordingRule) -> RecordingRule:
    """`backtest:X:fired`: present at the evaluations of X's group where X's `for` is met."""
    evaluations = math.ceil(alert.for_seconds / condition.interval - 1e-9)
    expr = condition.record
    if evaluations:
        window = evaluations * condition.interval + condition.interval / 2
        expr = f"count_over_time({condition.record}[{_ms(window)}]) >= {evaluations + 1}"
    return RecordingRule(f"backtest:{alert.name}:fired", expr, (), condition.group, condition.interval)


def with_stand_ins(rules: RuleSet) -> RuleSet:
    alerts = {a.name: a for a in rules.alerts}
    conditions = {}
    for rec in rules.recordings:
        parts = rec.record.rsplit(":", 2)
        if len(parts) == 3 and parts[2] == "condition" and parts[1] in alerts:
            conditions[parts[1]] = rec
    added: dict[str, RecordingRule] = {}

    def replace(match: re.Match[str]) -> str:
        name, window = match.group(1), match.group(2)
        if name not in conditions:
            return match.group(0)
        fired = added.setdefault(name, _fired(alerts[name], conditions[name]))
        return f"{fired.record}[{_ms(parse_duration(window) + alerts[name].keep_firing_for_seconds)}]"

    def read(rule: AlertRule | RecordingRule) -> AlertRule | RecordingRule:
        return dataclasses.replace(rule, expr=_FIRING_READ.sub(replace, rule.expr))

    alert_rules = tuple(read(a) for a in rules.alerts)
    recordings = tuple(read(r) for r in rules.recordings)
    return RuleSet(alert_rules, recordings + tuple(added.values()))  # type: ignore[arg-type]
