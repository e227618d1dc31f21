"""Load thresholds.yaml, validate it and build the typed model.

Every problem becomes one SpecError naming file, line, field and the fix; all problems
are collected before anything is reported, and nothing is written when there are any.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import promql_parser
import yaml

from generators.model import (
    INDICATOR_KINDS,
    KIND_UNITS,
    Alert,
    Dashboard,
    Indicator,
    Matcher,
    Metric,
    Panel,
    Receiver,
    Routing,
    Row,
    Settings,
    Spec,
    Target,
    Team,
    Threshold,
    Timing,
)
from generators.yamlsrc import DuplicateKeyError, LineList, LineMap, load_yaml_with_lines

_DURATION_RE = re.compile(r"^(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$")
_DURATION_UNITS = (604800, 86400, 3600, 60, 1)
_CAMEL_RE = re.compile(r"^[A-Z][A-Za-z0-9]*$")
_LABEL_RE = re.compile(r"^[a-zA-Z_][a-zA-Z0-9_]*$")
_KEY_RE = re.compile(r"^[a-z][a-z0-9_]*$")
UNITS = ("ratio", "seconds", "percent", "per_second", "count", "bytes")
UNIT_RANGES = {"ratio": (0.0, 1.0), "percent": (0.0, 100.0)}


@dataclass(frozen=True)
class SpecError:
    file: str
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.field}: {self.message}"


class SpecInvalid(Exception):
    def __init__(self, errors: list[SpecError]) -> None:
        super().__init__("\n".join(str(e) for e in errors))
        self.errors = errors


def parse_duration(text: str) -> int | None:
    """Prometheus-style duration ('5m', '1h30m', '1w') in seconds; None when malformed."""
    match = _DURATION_RE.match(text)
    if not text or not match:
        return None
    return sum(int(g) * unit for g, unit in zip(match.groups(), _DURATION_UNITS, strict=True) if g)


def format_duration(seconds: int) -> str:
    """The canonical Prometheus duration for a number of seconds ('90' -> '1m30s')."""
    if seconds == 0:
        return "0s"
    parts = []
    for suffix, unit in zip("wdhms", _DURATION_UNITS, strict=True):
        count, seconds = divmod(seconds, unit)
        if count:
            parts.append(f"{count}{suffix}")
    return "".join(parts)


class _Checker:
    """Walks the parsed YAML, collecting errors with their lines."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.errors: list[SpecError] = []

    def error(self, line: int, field: str, message: str) -> None:
        self.errors.append(SpecError(self.file, line, field, message))

    def mapping(
        self,
        node: Any,
        path: str,
        line: int,
        required: tuple[str, ...] = (),
        optional: tuple[str, ...] = (),
    ) -> LineMap | None:
        if not isinstance(node, LineMap):
            self.error(line, path or "(top level)", f"expected a mapping, got {_describe(node)}")
            return None
        allowed = set(required) | set(optional)
        for key in node if allowed else ():  # no lists given: free-form keys
            if key not in allowed:
                close = difflib.get_close_matches(str(key), sorted(allowed), n=1)
                hint = f"did you mean '{close[0]}'? " if close else ""
                self.error(
                    node.key_lines[str(key)],
                    f"{path}.{key}" if path else str(key),
                    f"unknown key; {hint}allowed here: {', '.join(sorted(allowed))}",
                )
        for key in required:
            if key not in node:
                self.error(node.line, path or "(top level)", f"missing required key '{key}'")
        return node

    def entries(self, node: Any, line: int, section: str, what: str) -> list[tuple[str, Any, int, str]]:
        """(name, body, line, field path) of each entry of a `name -> definition` section."""
        if not isinstance(node, LineMap):
            self.error(line, section, f"expected a mapping of {what} -> definition")
            return []
        return [(str(k), v, node.key_lines[str(k)], f"{section}.{k}") for k, v in node.items()]

    def value(
        self,
        node: LineMap,
        key: str,
        path: str,
        expected: type | tuple[type, ...],
        default: Any = None,
        check: Callable[[Any], str | None] | None = None,
    ) -> Any:
        if key not in node:
            return default
        value = node[key]
        line = node.key_lines[key]
        field = f"{path}.{key}" if path else key
        types = expected if isinstance(expected, tuple) else (expected,)
        ok = isinstance(value, types) and not (isinstance(value, bool) and bool not in types)
        if not ok:
            names = " or ".join(t.__name__ for t in types)
            self.error(line, field, f"expected {names}, got {_describe(value)}")
            return default
        if check is not None:
            problem = check(value)
            if problem:
                self.error(line, field, problem)
                return default
        return value

    def duration(self, node: LineMap, key: str, path: str, default: int | None = None) -> int:
        text = self.value(node, key, path, str)
        if text is None:
            if key in node or default is None:
                return 0
            return default
        seconds = parse_duration(text)
        if seconds is None:
            self.error(
                node.key_lines[key],
                f"{path}.{key}",
                f"bad duration {text!r}; use Prometheus durations like 30s, 5m, 1h, 1w",
            )
            return 0
        return seconds

    def line_of(self, node: Any, key: str) -> int:
        if isinstance(node, LineMap):
            return node.key_lines.get(key, node.line)
        return 0


def _describe(value: Any) -> str:
    if value is None:
        return "nothing (null)"
    return f"{type(value).__name__} {value!r}"


def _parse_matchers(text: str) -> tuple[Matcher, ...] | str:
    try:
        expr = promql_parser.parse(f"m{{{text}}}")
    except Exception as exc:  # the parser raises plain exceptions with its message
        return f"not a valid label matcher list ({exc}); write e.g. outcome=\"failure\""
    ops = {"MatchOp.Equal": "=", "MatchOp.NotEqual": "!=", "MatchOp.Re": "=~", "MatchOp.NotRe": "!~"}
    matchers = []
    for m in expr.matchers.matchers:
        op = ops.get(str(m.op))
        if op is None:
            return f"unsupported matcher operator {m.op}"
        matchers.append(Matcher(m.name, op, m.value))  # type: ignore[arg-type]
    return tuple(matchers)


def load_spec(path: str | Path, profile: str | None = None) -> Spec:
    """Read, validate and model the spec (with a profile overlaid); raises SpecInvalid."""
    path = Path(path)
    file = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise SpecInvalid([SpecError(file, 0, "(file)", f"cannot read: {exc.strerror}")]) from None
    try:
        raw = load_yaml_with_lines(text)
    except DuplicateKeyError as exc:
        raise SpecInvalid(
            [SpecError(file, exc.line, exc.key, f"{exc}; remove one of them")]
        ) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else 0
        problem = getattr(exc, "problem", None) or str(exc)
        raise SpecInvalid([SpecError(file, line, "(yaml)", f"not valid YAML: {problem}")]) from None
    if profile is not None:
        raw = apply_profile(raw, profile, file)
    return build_spec(raw, file)


_PROFILE_KEYS = ("settings", "routing", "max_for")


def apply_profile(raw: Any, name: str, file: str) -> Any:
    """Overlay profiles.NAME on the raw spec: merge settings/routing, cap alert `for`."""
    profiles = raw.get("profiles") if isinstance(raw, LineMap) else None
    if not isinstance(profiles, LineMap) or name not in profiles:
        known = ", ".join(sorted(profiles)) if isinstance(profiles, LineMap) else "none"
        raise SpecInvalid([SpecError(file, getattr(profiles, "line", 0), "profiles",
                                     f"no profile {name!r} (known: {known})")])
    c = _Checker(file)
    overlay = c.mapping(profiles[name], f"profiles.{name}", profiles.key_lines[name],
                        optional=_PROFILE_KEYS)
    if c.errors or overlay is None:
        raise SpecInvalid(c.errors)
    for key in ("settings", "routing"):
        if key in overlay and isinstance(raw.get(key), LineMap):
            _merge(raw[key], overlay[key])
    if "max_for" in overlay:
        cap = parse_duration(str(overlay["max_for"]))
        if cap is None:
            raise SpecInvalid([SpecError(file, overlay.key_lines["max_for"], f"profiles.{name}.max_for",
                                         "bad duration; use e.g. 10s")])
        for alert in raw.get("alerts") or []:
            current = parse_duration(str(alert.get("for", ""))) if isinstance(alert, LineMap) else None
            if current is not None and current > cap:
                alert["for"] = format_duration(cap)
    return raw


def _merge(base: LineMap, overlay: Any) -> None:
    for key, value in overlay.items():
        if isinstance(value, LineMap) and isinstance(base.get(key), LineMap):
            _merge(base[key], value)
        else:
            base[key] = value
            base.key_lines[str(key)] = overlay.key_lines[str(key)]


def build_spec(raw: Any, file: str) -> Spec:
    c = _Checker(file)
    top = c.mapping(
        raw, "", 1, required=("settings", "metrics", "indicators", "alerts", "teams"),
        optional=("dashboards", "receivers", "routing", "profiles"),
    )
    if top is None:
        raise SpecInvalid(c.errors)
    settings = _settings(c, top.get("settings"), c.line_of(top, "settings"))
    metrics = _metrics(c, top.get("metrics"), c.line_of(top, "metrics"), settings)
    indicators = _indicators(c, top.get("indicators"), c.line_of(top, "indicators"), metrics)
    receivers = _receivers(c, top.get("receivers", LineMap()), c.line_of(top, "receivers"))
    teams = _teams(c, top.get("teams"), c.line_of(top, "teams"), receivers)
    routing = _routing(c, top.get("routing"), c.line_of(top, "routing"), receivers) if "routing" in top else None
    alerts = _alerts(c, top.get("alerts"), c.line_of(top, "alerts"), settings, indicators, teams)
    if settings is not None:
        _check_windows(c, top.get("indicators"), indicators, settings)
    _check_quantile_thresholds(c, alerts, metrics)
    dashboards = _dashboards(c, top.get("dashboards", LineList()), c.line_of(top, "dashboards"),
                             indicators)
    _check_alerts_shown(c, alerts, dashboards)
    declared = {b["name"] for b in top.get("alerts") or [] if isinstance(b, LineMap)
                and isinstance(b.get("name"), str)}
    _check_alerts_routed(c, alerts, teams, routing, {f"{prefix_of(settings)}{n}" for n in declared})
    if c.errors:
        raise SpecInvalid(c.errors)
    assert settings is not None
    return Spec(file, settings, metrics, indicators, tuple(alerts), teams, tuple(dashboards),
                receivers, routing)


def _settings(c: _Checker, node: Any, line: int) -> Settings | None:
    p = "settings"
    m = c.mapping(
        node, p, line,
        required=("alert_prefix", "scrape_interval", "selectors", "runbook_url", "grafana_url"),
        optional=("evaluation_interval", "aggregation_labels"),
    )
    if m is None:
        return None
    prefix = c.value(
        m, "alert_prefix", p, str, "",
        lambda v: None if _CAMEL_RE.match(v) else "must be CamelCase, e.g. Billing",
    )
    scrape = c.duration(m, "scrape_interval", p)
    evaluation = c.duration(m, "evaluation_interval", p, default=scrape)
    labels = c.value(m, "aggregation_labels", p, list, [])
    for i, label in enumerate(labels):
        if not isinstance(label, str) or not _LABEL_RE.match(label):
            c.error(labels.item_lines[i], f"{p}.aggregation_labels[{i}]", "not a label name")
    selectors: dict[str, tuple[tuple[str, str], ...]] = {}
    sel = c.value(m, "selectors", p, dict, {})
    for source, matchers in sel.items():
        sp = f"{p}.selectors.{source}"
        sm = c.mapping(matchers, sp, sel.key_lines[source])
        if sm is None:
            continue
        pairs = []
        for label, value in sm.items():
            if not _LABEL_RE.match(str(label)) or not isinstance(value, str):
                c.error(sm.key_lines[str(label)], f"{sp}.{label}", 'write label: "value" (strings)')
                continue
            pairs.append((str(label), value))
        if not pairs:
            c.error(sel.key_lines[source], sp, "needs at least one label, e.g. {job: billing-platform}")
        selectors[str(source)] = tuple(sorted(pairs))
    urls = {}
    for key in ("runbook_url", "grafana_url"):
        urls[key] = c.value(
            m, key, p, str, "",
            lambda v: None if re.match(r"^https?://\S+$", v) and not v.endswith("/")
            else "must be an http(s) URL without a trailing slash",
        )
    return Settings(
        alert_prefix=prefix,
        scrape_interval=scrape,
        evaluation_interval=evaluation,
        aggregation_labels=tuple(str(x) for x in labels if isinstance(x, str)),
        selectors=selectors,
        runbook_url=urls["runbook_url"],
        grafana_url=urls["grafana_url"],
    )


def _metrics(c: _Checker, node: Any, line: int, settings: Settings | None) -> dict[str, Metric]:
    result: dict[str, Metric] = {}
    for name, body, kline, p in c.entries(node, line, "metrics", "metric name"):
        m = c.mapping(body, p, kline, required=("type", "source", "help"),
                      optional=("labels", "buckets"))
        if m is None:
            continue
        mtype = c.value(m, "type", p, str, "gauge", lambda v: None if v in (
            "counter", "gauge", "histogram") else "must be counter, gauge or histogram")
        source = c.value(m, "source", p, str, "")
        if settings is not None and source and source not in settings.selectors:
            c.error(m.key_lines["source"], f"{p}.source",
                    f"unknown source {source!r}; define it under settings.selectors "
                    f"(known: {', '.join(sorted(settings.selectors))})")
        if mtype == "counter" and not name.endswith("_total"):
            c.error(m.key_lines["type"], f"{p}.type", "counter names must end in _total")
        labels: dict[str, tuple[str, ...]] = {}
        lm = c.value(m, "labels", p, dict, LineMap())
        for label, values in lm.items():
            if not isinstance(values, list) or not values or not all(
                isinstance(v, str) for v in values
            ):
                c.error(lm.key_lines[str(label)], f"{p}.labels.{label}",
                        "list the label's known or example values as strings, e.g. [\"200\", \"500\"]")
                continue
            labels[str(label)] = tuple(values)
        buckets = c.value(m, "buckets", p, list, [])
        if mtype == "histogram" and not buckets:
            c.error(m.line, p, "a histogram needs its bucket boundaries: buckets: [0.1, 0.5, 1, ...]")
        if buckets and (
            not all(isinstance(b, (int, float)) and not isinstance(b, bool) for b in buckets)
            or list(buckets) != sorted(set(buckets))
        ):
            c.error(m.key_lines["buckets"], f"{p}.buckets", "must be increasing numbers")
            buckets = []
        result[name] = Metric(name, mtype, source, c.value(m, "help", p, str, ""),
                                   labels, tuple(float(b) for b in buckets))
    return result


_KIND_FIELDS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    # kind: (required, optional) beyond kind/title
    "ratio": (("metric", "errors", "window"), ("measure", "by")),
    "quantile": (("metric", "quantiles", "window"), ("by",)),
    "rate": (("metric", "window"), ("baseline_offset", "by")),
    "increase": (("metric", "window"), ("errors", "by")),
    "gauge_ratio": (("numerator", "denominator"), ("by",)),
    "gauge": (("metric", "unit"), ("aggregation", "by")),
    "availability": (("metric",), ("by",)),
    "run_duration": (("in_progress", "started"), ("by",)),
    "overdue": (("pending", "deadline"), ("by",)),
}
_KIND_METRIC_TYPES = {
    "ratio": {"metric": "counter"},
    "quantile": {"metric": "histogram"},
    "rate": {"metric": "counter"},
    "increase": {"metric": "counter"},
    "gauge_ratio": {"numerator": "gauge", "denominator": "gauge"},
    "gauge": {"metric": "gauge"},
    "availability": {"metric": "gauge"},
    "run_duration": {"in_progress": "gauge", "started": "gauge"},
    "overdue": {"pending": "gauge", "deadline": "gauge"},
}


def _indicators(
    c: _Checker, node: Any, line: int, metrics: dict[str, Metric]
) -> dict[str, Indicator]:
    result: dict[str, Indicator] = {}
    for key, body, kline, p in c.entries(node, line, "indicators", "indicator key"):
        if not _KEY_RE.match(key):
            c.error(kline, p, "indicator keys are snake_case, e.g. ingestion_success")
        kind = body.get("kind") if isinstance(body, LineMap) else None
        if kind not in INDICATOR_KINDS:
            c.error(c.line_of(body, "kind"), f"{p}.kind",
                    f"unknown kind {kind!r}; one of: {', '.join(INDICATOR_KINDS)}")
            continue
        required, optional = _KIND_FIELDS[kind]
        m = c.mapping(body, p, kline, required=("kind", "title", *required), optional=optional)
        if m is None:
            continue
        fields: dict[str, Any] = {}
        for role, mtype in _KIND_METRIC_TYPES[kind].items():
            name = c.value(m, role, p, str, "")
            if not name:
                continue
            if name not in metrics:
                c.error(m.key_lines[role], f"{p}.{role}",
                        f"unknown metric {name!r}; add it to the metrics catalogue first")
            elif metrics[name].type != mtype:
                c.error(m.key_lines[role], f"{p}.{role}",
                        f"{name} is a {metrics[name].type}; a {kind} indicator needs a {mtype}")
            fields[role] = name
        read = [metrics[n] for n in fields.values() if n in metrics]
        known_labels = set().union(*(mt.labels for mt in read)) if read else set()
        by = c.value(m, "by", p, list, [])
        for i, label in enumerate(by):
            if not isinstance(label, str) or label not in known_labels:
                c.error(by.item_lines[i], f"{p}.by[{i}]",
                        f"label {label!r} is not a label of {', '.join(fields.values())} "
                        "in the catalogue")
        if "errors" in m:
            errors = c.value(m, "errors", p, str, "")
            parsed = _parse_matchers(errors) if errors else ()
            if isinstance(parsed, str):
                c.error(m.key_lines["errors"], f"{p}.errors", parsed)
            else:
                for matcher in parsed:
                    if read and matcher.label not in known_labels:
                        c.error(m.key_lines["errors"], f"{p}.errors",
                                f"label {matcher.label!r} is not a label of {read[0].name}")
                    elif read and not example_values(read[0], matcher):
                        c.error(m.key_lines["errors"], f"{p}.errors",
                                f"no value of {read[0].name}'s label {matcher.label!r} in the "
                                "catalogue matches and another does not; add example values "
                                f"to metrics.{read[0].name}.labels.{matcher.label}")
                fields["errors"] = parsed
        if "window" in m:
            fields["window"] = c.duration(m, "window", p)
        if "baseline_offset" in m:
            fields["baseline_offset"] = c.duration(m, "baseline_offset", p)
        if "measure" in m:
            fields["measure"] = c.value(m, "measure", p, str, "success_ratio", lambda v: None if v in (
                "success_ratio", "error_ratio") else "must be success_ratio or error_ratio")
        if "aggregation" in m:
            fields["aggregation"] = c.value(m, "aggregation", p, str, "max", lambda v: None if v in (
                "max", "min", "avg", "sum") else "must be max, min, avg or sum")
        if "quantiles" in m:
            qs = c.value(m, "quantiles", p, list, [])
            if not qs or not all(isinstance(q, float) and 0 < q < 1 for q in qs):
                c.error(m.key_lines["quantiles"], f"{p}.quantiles",
                        "list quantiles as fractions between 0 and 1, e.g. [0.5, 0.95, 0.99]")
                qs = []
            fields["quantiles"] = tuple(qs)
        unit = KIND_UNITS.get(kind)
        if kind == "gauge":
            unit = c.value(m, "unit", p, str, "count", lambda v: None if v in UNITS
                           else f"must be one of {', '.join(UNITS)}")
        result[key] = Indicator(
            key=key, kind=kind, title=c.value(m, "title", p, str, ""),
            unit=unit, by=tuple(by), **fields,  # type: ignore[arg-type]
        )
    return result


def example_values(metric: Metric, matcher: Matcher) -> tuple[str, str] | None:
    """A catalogue value the matcher selects and one it does not (test fixtures need both)."""
    values = metric.labels.get(matcher.label, ())
    hits = [v for v in values if matcher_matches(matcher, v)]
    misses = [v for v in values if not matcher_matches(matcher, v)]
    return (hits[0], misses[0]) if hits and misses else None


def matcher_matches(matcher: Matcher, value: str) -> bool:
    if matcher.op in ("=", "!="):
        equal = value == matcher.value
        return equal if matcher.op == "=" else not equal
    full = re.fullmatch(matcher.value, value) is not None
    return full if matcher.op == "=~" else not full


def _teams(c: _Checker, node: Any, line: int, receivers: dict[str, Receiver]) -> dict[str, Team]:
    result: dict[str, Team] = {}
    for name, body, kline, p in c.entries(node, line, "teams", "team name"):
        m = c.mapping(body, p, kline, required=("description",),
                      optional=("chat", "pager"))
        if m is None:
            continue
        chat = c.value(m, "chat", p, list, [])
        for i, receiver in enumerate(chat):
            if not isinstance(receiver, str) or receiver not in receivers:
                c.error(chat.item_lines[i], f"{p}.chat[{i}]", _unknown_receiver(receiver, receivers))
        pager = c.value(m, "pager", p, str, "")
        if pager and pager not in receivers:
            c.error(m.key_lines["pager"], f"{p}.pager", _unknown_receiver(pager, receivers))
        result[name] = Team(name, c.value(m, "description", p, str, ""),
                                 tuple(str(r) for r in chat), pager)
    return result


def _unknown_receiver(name: Any, receivers: dict[str, Receiver]) -> str:
    return f"unknown receiver {name!r}; define it under receivers (known: {', '.join(sorted(receivers)) or 'none'})"


# receiver type -> (required keys, optional keys); secrets only as *_file
_RECEIVER_FIELDS = {
    "webhook": (("url",), ("credentials_file", "send_resolved")),
    "slack": (("channel", "api_url_file"), ("send_resolved",)),
    "pagerduty": (("routing_key_file",), ("send_resolved",)),
    "email": (("to", "from", "smarthost"), ("auth_username", "auth_password_file", "send_resolved")),
}
_SECRET_KEYS = ("api_url", "routing_key", "service_key", "auth_password", "password", "credentials",
                "token", "bearer_token", "auth_secret", "secret", "api_key")


def _receivers(c: _Checker, node: Any, line: int) -> dict[str, Receiver]:
    result: dict[str, Receiver] = {}
    for name, body, kline, p in c.entries(node, line, "receivers", "receiver name"):
        rtype = body.get("type") if isinstance(body, LineMap) else None
        if not isinstance(rtype, str) or rtype not in _RECEIVER_FIELDS:
            c.error(c.line_of(body, "type"), f"{p}.type",
                    f"unknown receiver type {rtype!r}; one of {', '.join(_RECEIVER_FIELDS)}")
            continue
        assert isinstance(body, LineMap)
        for key in body:
            if key in _SECRET_KEYS:
                c.error(body.key_lines[key], f"{p}.{key}",
                        f"secrets must not be written in the spec (it is committed); put the value in a "
                        f"file on the Alertmanager host and write {key}_file: /etc/alertmanager/secrets/...")
        required, optional = _RECEIVER_FIELDS[rtype]
        allowed_extra = tuple(k for k in body if k in _SECRET_KEYS)  # reported above already
        m = c.mapping(body, p, kline, required=("type", *required),
                      optional=(*optional, *allowed_extra))
        if m is None:
            continue
        settings = []
        for key in (*required, *optional):
            if key not in m:
                continue
            value = m[key]
            if key == "send_resolved":
                value = c.value(m, key, p, bool, True)
                settings.append((key, "true" if value else "false"))
                continue
            value = c.value(m, key, p, str, "")
            if key.endswith("_file") and value and not value.startswith("/"):
                c.error(m.key_lines[key], f"{p}.{key}", "must be an absolute path on the Alertmanager host")
            if key == "url" and value and (not re.match(r"^https?://[^/@\s]+(/\S*)?$", value)
                                           or re.search(r"(token|key|secret|password)=", value, re.I)):
                c.error(m.key_lines[key], f"{p}.{key}",
                        "must be an http(s) URL without credentials; authenticate with credentials_file")
            settings.append((key, value))
        result[name] = Receiver(name, rtype, tuple(settings))
    return result


def _routing(c: _Checker, node: Any, line: int, receivers: dict[str, Receiver]) -> Routing | None:
    p = "routing"
    m = c.mapping(node, p, line, required=("default_receiver", "group_by", "timings"),
                  optional=("all_alerts_to",))
    if m is None:
        return None
    default = c.value(m, "default_receiver", p, str, "")
    if default and default not in receivers:
        c.error(m.key_lines["default_receiver"], f"{p}.default_receiver", _unknown_receiver(default, receivers))
    everyone = c.value(m, "all_alerts_to", p, list, [])
    for i, name in enumerate(everyone):
        if not isinstance(name, str) or name not in receivers:
            c.error(everyone.item_lines[i], f"{p}.all_alerts_to[{i}]", _unknown_receiver(name, receivers))
    group_by = c.value(m, "group_by", p, list, [])
    timings: dict[str, Timing] = {}
    tm = c.value(m, "timings", p, dict, LineMap())
    for severity, body in tm.items():
        tp = f"{p}.timings.{severity}"
        if severity not in ("critical", "warning", "info"):
            c.error(tm.key_lines[str(severity)], tp, "severity must be critical, warning or info")
            continue
        t = c.mapping(body, tp, tm.key_lines[str(severity)],
                      required=("group_wait", "group_interval", "repeat_interval"))
        if t is None:
            continue
        timings[str(severity)] = Timing(*(c.duration(t, k, tp) for k in
                                          ("group_wait", "group_interval", "repeat_interval")))
    return Routing(default, tuple(everyone), tuple(str(g) for g in group_by), timings)


def prefix_of(settings: Settings | None) -> str:
    return settings.alert_prefix if settings else ""


def _check_alerts_routed(
    c: _Checker, alerts: list[Alert], teams: dict[str, Team], routing: Routing | None, names: set[str]
) -> None:
    """Every alert must reach its team, on a severity with timings; inhibits name alerts."""
    if routing is None:
        return
    for alert in alerts:
        team = teams.get(alert.team)
        where = f"alerts ({alert.short_name})"
        if team is not None and not team.chat and not (alert.severity == "critical" and team.pager):
            c.error(alert.line, f"{where}.team",
                    f"a {alert.severity} alert of team {alert.team!r} reaches no receiver of the team; "
                    f"give teams.{alert.team} a chat receiver")
        if alert.severity not in routing.timings:
            c.error(alert.line, f"{where}.severity", f"routing.timings has no {alert.severity!r} entry")
        for target in alert.inhibits:
            if target not in names or target == alert.name:
                short = target[len(alert.name) - len(alert.short_name):]
                c.error(alert.line, f"{where}.inhibits", f"{short!r} is not another alert of this "
                        "spec (write names without the prefix)")


def _alerts(
    c: _Checker,
    node: Any,
    line: int,
    settings: Settings | None,
    indicators: dict[str, Indicator],
    teams: dict[str, Team],
) -> list[Alert]:
    result: list[Alert] = []
    if not isinstance(node, LineList):
        c.error(line, "alerts", "expected a list of alerts")
        return result
    seen: dict[str, int] = {}
    prefix = settings.alert_prefix if settings else ""
    for i, body in enumerate(node):
        p = f"alerts[{i}]"
        if isinstance(body, LineMap) and isinstance(body.get("name"), str):
            p = f"alerts[{i}] ({body['name']})"
        m = c.mapping(
            body, p, node.item_lines[i],
            required=("name", "indicator", "threshold", "for", "severity", "team", "summary",
                      "guide", "rationale"),
            optional=("quantile", "min_rate", "absent", "inhibits"),
        )
        if m is None:
            continue
        name = c.value(m, "name", p, str, "", lambda v: None if _CAMEL_RE.match(v) else
                       "alert names are CamelCase without the prefix, e.g. PaymentLatencyHigh")
        if name:
            if name in seen:
                c.error(m.key_lines["name"], f"{p}.name",
                        f"duplicate alert name (first on line {seen[name]}); rename one")
            seen.setdefault(name, m.key_lines["name"])
            if prefix and name.startswith(prefix):
                c.error(m.key_lines["name"], f"{p}.name",
                        f"write the name without the {prefix!r} prefix; it is added for you")
        ind_key = c.value(m, "indicator", p, str, "")
        indicator = indicators.get(ind_key)
        if ind_key and indicator is None:
            c.error(m.key_lines["indicator"], f"{p}.indicator",
                    f"unknown indicator {ind_key!r}; known: {', '.join(sorted(indicators))}")
        threshold = _threshold(c, m, p, indicator)
        team = c.value(m, "team", p, str, "")
        if team and team not in teams:
            c.error(m.key_lines["team"], f"{p}.team",
                    f"unknown team {team!r}; define it under teams (known: {', '.join(sorted(teams))})")
        severity = c.value(m, "severity", p, str, "warning", lambda v: None if v in (
            "critical", "warning", "info") else "must be critical, warning or info")
        summary = c.value(m, "summary", p, str, "", lambda v: None if v.endswith(".") and "{{" not in v
                          else "a static sentence ending with a period (no templates)")
        quantile = c.value(m, "quantile", p, float)
        if indicator is not None and indicator.kind == "quantile":
            if quantile is None:
                c.error(m.line, p, f"say which quantile to alert on: quantile: one of {list(indicator.quantiles)}")
            elif quantile not in indicator.quantiles:
                c.error(m.key_lines["quantile"], f"{p}.quantile",
                        f"{quantile} is not recorded by {ind_key}; one of {list(indicator.quantiles)}")
        elif quantile is not None:
            c.error(m.key_lines["quantile"], f"{p}.quantile", "only quantile indicators take a quantile")
        min_rate = c.value(m, "min_rate", p, (int, float))
        if indicator is not None and indicator.kind in ("ratio", "rate") and min_rate is None:
            c.error(m.line, p, "ratio and rate alerts need min_rate (events/s below which the "
                    "alert does not judge), so tiny traffic cannot page on one failure")
        if min_rate is not None and (indicator is None or indicator.kind not in ("ratio", "rate")):
            c.error(m.key_lines["min_rate"], f"{p}.min_rate", "only ratio and rate alerts take min_rate")
        if indicator is not None and indicator.kind == "rate" and not indicator.baseline_offset:
            c.error(m.key_lines["indicator"], f"{p}.indicator",
                    f"a rate alert compares with a baseline; give indicators.{ind_key} a "
                    "baseline_offset (e.g. 1w)")
        absent = c.value(m, "absent", p, bool, False)
        if absent and indicator is not None and indicator.kind != "availability":
            c.error(m.key_lines["absent"], f"{p}.absent", "only availability alerts take absent")
        inhibits = c.value(m, "inhibits", p, list, [])
        for_seconds = c.duration(m, "for", p)
        if not all((name, indicator, threshold, team, severity, summary)) or team not in teams:
            continue
        assert indicator is not None and threshold is not None
        result.append(Alert(
            name=prefix + name, short_name=name, indicator=indicator, threshold=threshold,
            for_seconds=for_seconds, severity=severity, team=team, summary=summary,
            guide=c.value(m, "guide", p, str, ""), rationale=c.value(m, "rationale", p, str, ""),
            quantile=quantile, min_rate=float(min_rate) if min_rate is not None else None,
            absent=absent, inhibits=tuple(prefix + str(t) for t in inhibits), line=node.item_lines[i],
        ))
    return result


def _threshold(c: _Checker, m: LineMap, p: str, indicator: Indicator | None) -> Threshold | None:
    t = c.mapping(m.get("threshold"), f"{p}.threshold", c.line_of(m, "threshold"),
                  required=("op", "value"))
    if t is None:
        return None
    tp = f"{p}.threshold"
    op = c.value(t, "op", tp, str, None, lambda v: None if v in ("<", "<=", ">", ">=")
                 else "must be one of <, <=, >, >=")
    value = c.value(t, "value", tp, (int, float))
    if op is None or value is None:
        return None
    unit = None
    if indicator is not None:
        unit = "ratio" if indicator.kind == "rate" else indicator.unit
    if unit in UNIT_RANGES:
        low, high = UNIT_RANGES[unit]
        if not low <= value <= high:
            hint = f"; write it as a fraction, e.g. {value / 100:g}" if unit == "ratio" else ""
            c.error(t.key_lines["value"], f"{tp}.value",
                    f"{value} is out of range for a {unit} ({low:g} to {high:g}){hint}")
            return None
    if unit in ("seconds", "count", "per_second", "bytes") and value < 0:
        c.error(t.key_lines["value"], f"{tp}.value", f"a {unit} threshold cannot be negative")
        return None
    return Threshold(op, float(value))


def _check_windows(
    c: _Checker, node: Any, indicators: dict[str, Indicator], settings: Settings
) -> None:
    """rate()/increase() windows must hold at least 4 scrapes to survive a missed one."""
    minimum = 4 * settings.scrape_interval
    for key, ind in indicators.items():
        if ind.window and ind.window < minimum:
            c.error(c.line_of(node[key], "window"), f"indicators.{key}.window",
                    f"{format_duration(ind.window)} is shorter than 4x the scrape interval "
                    f"({format_duration(settings.scrape_interval)}); use at least "
                    f"{format_duration(minimum)}")


def _check_quantile_thresholds(c: _Checker, alerts: list[Alert], metrics: dict[str, Metric]) -> None:
    """A latency threshold between two buckets is a guess by linear interpolation; demand a
    bucket boundary with a finite bucket above it, so the alert is exact."""
    for i, alert in enumerate(alerts):
        ind = alert.indicator
        if ind.kind != "quantile" or ind.metric not in metrics:
            continue
        buckets = metrics[ind.metric].buckets
        if alert.threshold.value not in buckets[:-1]:
            c.error(alert.line, f"alerts[{i}] ({alert.short_name}).threshold.value",
                    f"{alert.threshold.value:g}s is not a bucket boundary of {ind.metric} "
                    f"(buckets: {', '.join(f'{b:g}' for b in buckets)}; the last one cannot be "
                    "used); pick a boundary or add one to the catalogue and the platform")


BUILTIN_TARGETS = ("firing_alerts",)


def _dashboards(
    c: _Checker, node: Any, line: int, indicators: dict[str, Indicator]
) -> list[Dashboard]:
    result: list[Dashboard] = []
    if not isinstance(node, LineList):
        c.error(line, "dashboards", "expected a list of dashboards")
        return result
    keys: set[str] = set()
    for i, body in enumerate(node):
        p = f"dashboards[{i}]"
        m = c.mapping(body, p, node.item_lines[i], required=("key", "title", "description", "rows"))
        if m is None:
            continue
        key = c.value(m, "key", p, str, "", lambda v: None if _KEY_RE.match(v) else "snake_case key")
        if key in keys:
            c.error(m.key_lines["key"], f"{p}.key", f"duplicate dashboard key {key!r}")
        keys.add(key)
        rows = []
        rows_node = c.value(m, "rows", p, list, LineList())
        for j, row_body in enumerate(rows_node):
            rp = f"{p}.rows[{j}]"
            rm = c.mapping(row_body, rp, rows_node.item_lines[j], required=("title", "panels"))
            if rm is None:
                continue
            panels = []
            panels_node = c.value(rm, "panels", rp, list, LineList())
            for k, panel_body in enumerate(panels_node):
                panel = _panel(c, panel_body, f"{rp}.panels[{k}]", panels_node.item_lines[k], indicators)
                if panel is not None:
                    panels.append(panel)
            rows.append(Row(c.value(rm, "title", rp, str, ""), tuple(panels)))
        result.append(Dashboard(key, c.value(m, "title", p, str, ""),
                                c.value(m, "description", p, str, ""), tuple(rows)))
    return result


def _panel(
    c: _Checker, node: Any, p: str, line: int, indicators: dict[str, Indicator]
) -> Panel | None:
    m = c.mapping(node, p, line, required=("title", "targets"), optional=("type", "unit"))
    if m is None:
        return None
    ptype = c.value(m, "type", p, str, "timeseries", lambda v: None if v in ("timeseries", "stat")
                    else "must be timeseries or stat")
    unit = c.value(m, "unit", p, str, None, lambda v: None if v in UNITS
                   else f"must be one of {', '.join(UNITS)}")
    targets = []
    targets_node = c.value(m, "targets", p, list, LineList())
    for i, body in enumerate(targets_node):
        tp = f"{p}.targets[{i}]"
        tm = c.mapping(body, tp, targets_node.item_lines[i], required=("legend",),
                       optional=("indicator", "expr", "builtin"))
        if tm is None:
            continue
        ind = c.value(tm, "indicator", tp, str, "")
        builtin = c.value(tm, "builtin", tp, str, "")
        expr = c.value(tm, "expr", tp, str, "")
        if bool(ind) == bool(builtin):
            c.error(tm.line, tp, "give exactly one of indicator or builtin")
        if ind and ind not in indicators:
            c.error(tm.key_lines["indicator"], f"{tp}.indicator",
                    f"unknown indicator {ind!r}; known: {', '.join(sorted(indicators))}")
        if builtin and builtin not in BUILTIN_TARGETS:
            c.error(tm.key_lines["builtin"], f"{tp}.builtin", f"one of {', '.join(BUILTIN_TARGETS)}")
        if expr and "{series}" not in expr:
            c.error(tm.key_lines["expr"], f"{tp}.expr", "must contain {series}, the recorded series")
        targets.append(Target(legend=c.value(tm, "legend", tp, str, ""), indicator=ind,
                              expr=expr, builtin=builtin))
    if not targets:
        c.error(m.line, p, "a panel needs at least one target")
    return Panel(c.value(m, "title", p, str, ""), ptype, tuple(targets), unit)


def _check_alerts_shown(c: _Checker, alerts: list[Alert], dashboards: list[Dashboard]) -> None:
    """Every alert needs a panel for its dashboard_url: one reading its indicator untransformed."""
    shown = {
        t.indicator
        for d in dashboards for r in d.rows for pn in r.panels for t in pn.targets
        if t.indicator and not t.transformed
    }
    for i, alert in enumerate(alerts):
        if alert.indicator.key not in shown:
            c.error(alert.line, f"alerts[{i}] ({alert.short_name}).indicator",
                    f"no dashboard panel shows indicator {alert.indicator.key!r}; add a panel "
                    "target for it so the alert's dashboard_url has somewhere to point")
