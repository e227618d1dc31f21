"""alerts: a threshold on an indicator, with `for`, severity, owner and texts."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from generators.kinds import KINDS, kind_of
from generators.kinds.base import MAX_FOR
from generators.loader.checker import CAMEL_RE, Checker
from generators.loader.source import LineList, LineMap
from generators.loader.values import sentence_problem, template_problem
from generators.model import SEVERITIES, Alert, Indicator, Spec, Team, Threshold

REQUIRED = ("name", "indicator", "threshold", "for", "severity", "team", "summary", "guide", "rationale")
OPTIONS = tuple(dict.fromkeys(option for kind in KINDS.values() for option in kind.alert_options))
OPTIONAL = (*OPTIONS, "inhibits", "first_steps")
MAX_NAME = 60


@dataclass
class AlertPosition:
    """Where an alert is written, for cross-check messages (kept beside the model)."""

    path: str  # alerts[i] (Name), i counted over the spec's list
    line: int
    key_lines: dict[str, int] = field(default_factory=dict)

    def at(self, key: str) -> tuple[int, str]:
        return self.key_lines.get(key, self.line), f"{self.path}.{key}"


def load_alerts(c: Checker, node: Any, line: int, context: Spec | None,
                teams: dict[str, Team]) -> tuple[list[Alert], dict[str, AlertPosition]]:
    """Alerts that are valid on their own, and the position of every named alert."""
    alerts: list[Alert] = []
    positions: dict[str, AlertPosition] = {}
    prefix = context.settings.alert_prefix if context else ""
    indicators = context.indicators if context else {}
    seen: dict[str, int] = {}
    for i, body, iline, p in c.items(node, line, "alerts", "alerts"):
        name = body.get("name") if isinstance(body, LineMap) else None
        if isinstance(name, str) and len(name) <= MAX_NAME and name.isprintable():
            p = f"alerts[{i}] ({name})"
        m = c.mapping(body, p, iline, required=REQUIRED, optional=OPTIONAL)
        if m is None:
            continue
        name = c.value(m, "name", p, str, "", lambda v: None if CAMEL_RE.match(v) and len(v) <= MAX_NAME else
                       "alert names are CamelCase without the prefix, e.g. PaymentLatencyHigh")
        if name:
            if name in seen:
                c.error(m.key_lines["name"], f"{p}.name", f"duplicate alert name (first on line {seen[name]}); "
                        "rename one")
                name = ""
            else:
                seen[name] = m.key_lines["name"]
                position = AlertPosition(p, iline, dict(m.key_lines))
                threshold = m.get("threshold")
                if isinstance(threshold, LineMap) and "value" in threshold:
                    position.key_lines["threshold.value"] = threshold.key_lines["value"]
                positions[prefix + name] = position
            if prefix and name.startswith(prefix):
                c.error(m.key_lines["name"], f"{p}.name",
                        f"write the name without the {prefix!r} prefix; it is added for you")
        alert = _alert(c, m, p, prefix, name, indicators, teams, context)
        if alert is not None:
            alerts.append(alert)
    return alerts, positions


def _alert(c: Checker, m: LineMap, p: str, prefix: str, name: str, indicators: dict[str, Indicator],
           teams: dict[str, Team], context: Spec | None) -> Alert | None:
    ind_key = c.value(m, "indicator", p, str, "")
    indicator = indicators.get(ind_key)
    if ind_key and context is not None:
        c.reference(m.key_lines["indicator"], f"{p}.indicator", "indicators", "indicator", ind_key, indicators)
    kind = kind_of(indicator) if indicator else None
    threshold = _threshold(c, m, p, kind.ops if kind else None, indicator)
    team = c.value(m, "team", p, str, "")
    if team and not c.reference(m.key_lines["team"], f"{p}.team", "teams", "team", team, teams,
                                "define it under teams"):
        team = ""
    severity = c.value(m, "severity", p, str, "", lambda v: None if v in SEVERITIES
                       else "must be critical, warning or info")
    summary = c.value(m, "summary", p, str, "", sentence_problem)
    guide = c.text(m, "guide", p, check=template_problem)
    rationale = c.prose(m, "rationale", p, template_problem)
    for_seconds = c.duration(m, "for", p, maximum=MAX_FOR)
    inhibits = c.names(m, "inhibits", p, CAMEL_RE, "an alert name (CamelCase, without the prefix)")
    first_steps = _steps(c, m, p)
    options: dict[str, Any] | None = {}
    if kind is not None and indicator is not None:
        for option in OPTIONS:
            if option in m and option not in kind.alert_options:
                takers = [k.name for k in KINDS.values() if option in k.alert_options]
                c.error(m.key_lines[option], f"{p}.{option}", f"only {' and '.join(takers)} alerts take {option}")
        options = kind.parse_alert_options(c, m, p, indicator, context.metrics if context else {})
    if not all((name, indicator, threshold, team, severity, summary)) or options is None:
        return None
    assert indicator is not None and threshold is not None
    return Alert(
        name=prefix + name, short_name=name, indicator=indicator, threshold=threshold,
        for_seconds=for_seconds, severity=severity, team=team, summary=summary, guide=guide,
        rationale=rationale, inhibits=tuple(prefix + n for n in inhibits), first_steps=first_steps,
        **options,
    )


def _threshold(c: Checker, m: LineMap, p: str, ops: tuple[str, ...] | None,
               indicator: Indicator | None) -> Threshold | None:
    tp = f"{p}.threshold"
    t = c.mapping(m.get("threshold"), tp, c.line_of(m, "threshold"), required=("op", "value"))
    if t is None:
        return None
    allowed = ops or ("<", "<=", ">", ">=")
    op = c.value(t, "op", tp, str, None, lambda v: None if v in allowed else (
        f"{_article(indicator.kind)} {indicator.kind} alert takes {', '.join(allowed)}" if ops and indicator
        else "must be one of <, <=, >, >="))
    value = c.number(t, "value", tp)
    if op is None or value is None:
        return None
    if indicator is not None and kind_of(indicator).threshold_unit(indicator) == "ratio" and not 0 <= value <= 1:
        c.error(t.key_lines["value"], f"{tp}.value",
                f"{value:g} is out of range for a ratio (0 to 1); write it as a fraction, e.g. {value / 100:g}")
        return None
    return Threshold(op, value + 0.0)  # type: ignore[arg-type]  # + 0.0: no -0 in rules and texts


def _article(word: str) -> str:
    return "an" if word[:1] in "aeiou" else "a"


def _steps(c: Checker, m: LineMap, p: str) -> tuple[str, ...]:
    steps = c.value(m, "first_steps", p, list, LineList())
    out = []
    for i, step in enumerate(steps):
        if not isinstance(step, str) or not step.strip() or template_problem(step) or not step.isprintable() \
                or len(step) > 500:
            c.error(steps.item_lines[i], f"{p}.first_steps[{i}]", "write each step as one line of plain text "
                    "(at most 500 characters, no {{ }})")
            continue
        out.append(step)
    return tuple(out)


def check_thresholds(c: Checker, spec: Spec, positions: dict[str, AlertPosition]) -> None:
    """The kind must be able to tell healthy from breach around the threshold: an alert
    that always or never fires is a spec error, and so is one its tests cannot exercise."""
    for alert in spec.alerts:
        problem = kind_of(alert).check_threshold(spec, alert)
        if problem:
            c.error(*positions[alert.name].at("threshold.value"), problem)
