"""Render mixin/: a jsonnet monitoring mixin whose default `_config` is exactly our rules and dashboards.

How the `_config` stays the single source in jsonnet: the rule groups and dashboard models
(data, not their dumped text) are rendered a second time from a copy of the spec whose
configurable values are sentinels
(unique numbers for thresholds, unique strings for the alert-name prefix and the job
selector values). Every place a sentinel shows up in that render becomes a jsonnet
expression on `$._config`, in the format the Python renderer used there: `{:g}` in PromQL
and panel texts, Prometheus' humanize functions in descriptions, plain numbers and the whole
step list in Grafana thresholds, PromQL string escapes in selectors. The result is then
evaluated here with the spec's own values and must equal the normal render, so a
threshold that a renderer transforms in a way the mixin does not follow fails the build
instead of shipping a mixin that drifts.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from functools import lru_cache
from itertools import product
from pathlib import Path
from typing import Any

import yaml

from generators.dashboards import threshold_steps
from generators.grafana_json import _number
from generators.jsonout import encode_basestring, scalar
from generators.kinds import kind_of
from generators.model import Alert, Spec, Threshold
from generators.monitoring import Monitoring, monitoring_files
from generators.promql import quote
from generators.templating import format_value

HEADER = "// Generated from thresholds.yaml by `make build`; do not edit.\n"
_LIB_SOURCE = Path(__file__).parent / "templates" / "mixin_lib.libsonnet"
_Loader: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

Render = Callable[[Spec], Monitoring]


class MixinDrift(RuntimeError):
    """The sentinel render cannot be mapped back onto the spec's own render."""


@dataclass(frozen=True)
class Expr:
    """A jsonnet expression in the template tree."""

    source: str


@dataclass(frozen=True)
class Token:
    """A sentinel occurrence: its jsonnet expression and the text or value it stands for."""

    source: str
    real: Any


def is_rule_file(path: str) -> bool:
    return path.startswith("alerts/") and path.count("/") == 1 and path.endswith(".rules.yml")


def is_dashboard(path: str) -> bool:
    return path.startswith("dashboards/") and path.count("/") == 1 and path.endswith(".json")


@lru_cache(maxsize=16)
def rule_groups(content: str) -> list[dict[str, Any]]:
    """The groups of a rendered rule file, parsed once (for PrometheusRule and ruler renderers
    called without the groups themselves; callers must not modify the result)."""
    return (yaml.load(content, Loader=_Loader) or {}).get("groups", [])


def monitoring_parts(data: Monitoring) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """Rule groups of every rule file (in path order) and dashboards by file name."""
    groups: list[dict[str, Any]] = []
    for path in sorted(data.rule_files):
        if not is_rule_file(path):
            raise MixinDrift(f"{path}: not where the mixin expects a rule file (alerts/*.rules.yml)")
        groups += data.rule_files[path]["groups"]
    dashboards: dict[str, Any] = {}
    for path in sorted(data.dashboards):
        if not is_dashboard(path):
            raise MixinDrift(f"{path}: not where the mixin expects a dashboard (dashboards/*.json)")
        dashboards[path.split("/", 1)[1]] = data.dashboards[path]
    names = [g["name"] for g in groups]
    if len(names) != len(set(names)):
        repeated = sorted({n for n in names if names.count(n) > 1})
        raise MixinDrift(f"rule group names repeat across rule files: {repeated}")
    return groups, dashboards


# -- sentinels ---------------------------------------------------------------------------------
_DIGITS = "123456789"


NUMBER_RE = re.compile(r"(?<![0-9.])[0-9]+(?:\.[0-9]+)?(?![0-9])")
WORD_RE = re.compile(r"[Qq]z[0-9]+xpfx|qzsel[0-9]+x")
_ANY_CASE_PREFIX_RE = re.compile(r"(?i)qz[0-9]+xpfx")


def _candidate_numbers() -> Iterator[float]:
    """0.abcd, 0.0abcd, 0.00abcd (a and d not zero): in every unit's domain, with four
    significant digits that `{:g}` and Go's %.4g both print whole (24,300 of them)."""
    for zeros in ("", "0", "00"):
        for a, b, c, d in product("123456789", "0123456789", "0123456789", "123456789"):
            yield float(f"0.{zeros}{a}{b}{c}{d}")


@dataclass(frozen=True)
class Sentinels:
    prefix: str
    thresholds: dict[str, float]  # alert short name -> sentinel value
    selectors: dict[tuple[str, str], str]  # (source, label) -> sentinel value


def number_forms(spec: Spec, alert: Alert, value: float) -> dict[str, str]:
    """The texts a threshold takes: `{:g}` and the description's humanized value."""
    return {"g": f"{value:g}", "human": format_value(kind_of(alert).alert_unit(alert), value)}


def _head(form: str) -> str:
    """The number a form starts with ('413.7ms' -> '413.7'): what NUMBER_RE finds in text."""
    match = NUMBER_RE.match(form)
    assert match is not None, form
    return match.group()


_NUMBER_RUN_RE = re.compile(r"[0-9.]+")
_LEADING_NUMBER_RE = re.compile(r"[0-9]+(?:\.[0-9]+)?")
# Every character NUMBER_RE or WORD_RE (in either case) can match; str.translate turns the
# other ASCII characters into spaces in C, ~5x faster than a regex scan over a large text.
_SENTINEL_CHARS = "0123456789.qQzZxXpPfFsSeElL"
_BLANK_OTHERS = str.maketrans({chr(c): " " for c in range(128) if chr(c) not in _SENTINEL_CHARS})


def text_tokens(text: str) -> set[str]:
    """The distinct whitespace-free runs of `text` once every ASCII character no sentinel
    can contain is blanked. A match of NUMBER_RE or WORD_RE never spans a blanked character
    and sees the same neighbours inside its token as in the text (a token ends where a
    blanked character or whitespace was), so scanning the tokens finds what scanning the
    text finds: a few thousand distinct tokens instead of megabytes."""
    return set(text.translate(_BLANK_OTHERS).split())


def numbers_in(tokens: set[str]) -> set[str]:
    """set(NUMBER_RE.findall(text)) for tokens = text_tokens(text): NUMBER_RE matches only at
    the start of a maximal run of digits and dots (anywhere else a digit or dot precedes),
    and there it matches the run's leading number when the run starts with a digit."""
    runs = {run for token in tokens for run in _NUMBER_RUN_RE.findall(token)}
    return {match.group() for run in runs if (match := _LEADING_NUMBER_RE.match(run))}


def words_in(tokens: set[str]) -> set[str]:
    """For tokens = text_tokens(text): what WORD_RE finds in the text, and sentinel prefixes
    in any case, lowered (a prefix must differ from the text's words in lower case too:
    dashboards lower it)."""
    return {w for token in tokens if "qz" in token.lower()
            for w in (*WORD_RE.findall(token), *(x.lower() for x in _ANY_CASE_PREFIX_RE.findall(token)))}


def choose_sentinels(spec: Spec, real_text: str) -> Sentinels:
    """Sentinels that occur nowhere in the real render and never share a number with
    each other (numbers are compared whole, as Templater finds them: linear in the spec)."""
    tokens = text_tokens(real_text)
    numbers_in_text = numbers_in(tokens)
    words_in_text = words_in(tokens)
    prefix = next(p for p in (f"Qz{n}xpfx" for n in range(len(words_in_text) + 1))
                  if p not in words_in_text and p.lower() not in words_in_text)
    selectors: dict[tuple[str, str], str] = {}
    counter = 0
    for source, pairs in spec.settings.selectors.items():
        for label, _ in pairs:
            while (value := f"qzsel{counter}x") in words_in_text:
                counter += 1
            selectors[(source, label)] = value
            counter += 1
    numbers: dict[str, float] = {}
    taken = set(numbers_in_text)
    candidates = _candidate_numbers()
    for alert in spec.alerts:
        for value in candidates:
            heads = {_head(f) for f in number_forms(spec, alert, value).values()}
            if not heads & taken:
                numbers[alert.short_name] = value
                taken |= heads
                break
        else:
            raise MixinDrift(f"more than {len(numbers)} alerts: out of threshold sentinels")
    return Sentinels(prefix, numbers, selectors)


def sentinel_spec(spec: Spec, s: Sentinels) -> Spec:
    old = spec.settings.alert_prefix
    selectors = {source: tuple((label, s.selectors[(source, label)]) for label, _ in pairs)
                 for source, pairs in spec.settings.selectors.items()}
    settings = replace(spec.settings, alert_prefix=s.prefix, selectors=selectors)
    alerts = tuple(
        replace(a, name=s.prefix + a.short_name,
                threshold=Threshold(a.threshold.op, s.thresholds[a.short_name]),
                inhibits=tuple(s.prefix + n[len(old):] for n in a.inhibits))
        for a in spec.alerts)
    return replace(spec, settings=settings, alerts=alerts)


# -- sentinel render -> jsonnet template ----------------------------------------------------------
class Templater:
    """Turns the sentinel render into a tree of plain values and jsonnet expressions, and
    evaluates the same tree with the spec's values (which must give the real render)."""

    def __init__(self, spec: Spec, s: Sentinels) -> None:
        self.spec = spec
        self.order = {a.short_name: i for i, a in enumerate(spec.alerts)}
        settings = spec.settings
        tokens: dict[str, Token] = {
            s.prefix: Token("c.alertPrefix", settings.alert_prefix),
            s.prefix.lower(): Token("std.asciiLower(c.alertPrefix)", settings.alert_prefix.lower()),
        }
        real_selectors = {(src, label): v for src, pairs in settings.selectors.items() for label, v in pairs}
        self.selector_tokens = set()
        for (source, label), value in s.selectors.items():
            ref = f"c.selectors[{_str(source)}][{_str(label)}]"
            tokens[value] = Token(f"lib.promqlString({ref})", quote(real_selectors[(source, label)])[1:-1])
            self.selector_tokens.add(value)
        for alert in spec.alerts:
            value = s.thresholds[alert.short_name]
            ref = f"c.thresholds[{_str(alert.short_name)}]"
            forms = number_forms(spec, alert, value)
            unit = kind_of(alert).alert_unit(alert)
            tokens[forms["g"]] = Token(f"lib.g({ref})", f"{alert.threshold.value:g}")
            tokens.setdefault(forms["human"], Token(f"lib.value({_str(unit)}, {ref})",
                                                    format_value(unit, alert.threshold.value)))
        self.tokens = tokens
        # suffixes a number can carry in a token ('%', 'ms', 'm/s', ...), longest first
        self.suffixes = sorted({t[len(_head(t)):] for t in tokens if t[0].isdigit()}, key=len, reverse=True)
        self.heads = {_head(t) for t in tokens if t[0].isdigit()}  # numbers that can start a token
        self.pattern = re.compile(f"{NUMBER_RE.pattern}|{WORD_RE.pattern}")
        self.sentinel_values = {s.thresholds[a.short_name]: a for a in spec.alerts}
        self.texts: dict[str, tuple[Any, Any]] = {}

    def template(self, value: Any, real: Any, path: str) -> tuple[Any, Any]:
        """(template, evaluated with the spec's values) of the sentinel render `value` of the
        tree named `path`; `real` is the same tree of the spec's own render."""
        try:
            return self.node(value, real)
        except _Drift as drift:
            raise MixinDrift(f"{path}{''.join(reversed(drift.where))}: {drift}") from None

    def node(self, value: Any, real: Any) -> tuple[Any, Any]:
        # A subtree the sentinels left unchanged holds none of them (they occur nowhere in
        # the real render), so it is its own template: one comparison in C instead of a
        # walk. The path of a problem is collected while _Drift unwinds.
        if value is real or (type(value) is type(real) and value == real):
            return value, value
        if isinstance(value, str):
            done = self.texts.get(value)  # the same texts repeat in every panel and group
            if done is None:
                done = self.texts[value] = self.text(value)
            return done
        if isinstance(value, dict):
            templates, reals = {}, {}
            key = None
            counterpart = real if isinstance(real, dict) else {}
            try:
                for key, item in value.items():
                    templates[key], reals[key] = self.node(item, counterpart.get(key, _MISSING))
            except _Drift as drift:
                drift.where.append(f".{key}")
                raise
            return templates, reals
        if isinstance(value, list):
            steps = self.steps(value)
            if steps is not None:
                return steps
            items = []
            counterparts = real if isinstance(real, list) and len(real) == len(value) else [_MISSING] * len(value)
            try:
                for item, counterpart in zip(value, counterparts, strict=True):
                    items.append(self.node(item, counterpart))
            except _Drift as drift:
                drift.where.append(f"[{len(items)}]")
                raise
            return [t for t, _ in items], [e for _, e in items]
        if isinstance(value, float) and value in self.sentinel_values:
            alert = self.sentinel_values[value]
            return Expr(f"c.thresholds[{_str(alert.short_name)}]"), alert.threshold.value
        return value, value

    def text(self, value: str) -> tuple[Any, Any]:
        pieces: list[str] = []
        real: list[str] = []
        last = 0
        for match in self.pattern.finditer(value):
            start, end = match.span()
            found = match.group()
            if found[0].isdigit():
                if found not in self.heads:
                    continue  # a number of the spec, not a sentinel
                suffix = next((x for x in self.suffixes if value.startswith(x, end) and found + x in self.tokens), None)
                if suffix is None:
                    continue  # a number of the spec, not a sentinel
                found, end = found + suffix, end + len(suffix)
            elif found not in self.tokens:
                continue
            token = self.tokens[found]
            in_matcher = value[max(0, start - 2):start] == '="' and value[end:end + 1] == '"'
            if found in self.selector_tokens and not in_matcher:
                raise _Drift(f"a job selector value appears outside a PromQL label matcher "
                             f"(…{value[max(0, start - 30):end + 30]}…); the mixin cannot escape it there")
            if match.start() > last:
                pieces.append(_str(value[last:match.start()]))
                real.append(value[last:match.start()])
            pieces.append(token.source)
            real.append(token.real)
            last = end
        if not pieces:
            return value, value
        if last < len(value):
            pieces.append(_str(value[last:]))
            real.append(value[last:])
        return Expr(" + ".join(pieces)), "".join(real)

    def steps(self, value: list[Any]) -> tuple[Any, Any] | None:
        """A Grafana threshold step list drawing alert thresholds: one lib.steps() call, so
        an override that reorders thresholds reorders the steps as the Python renderer would."""
        if not value or not all(isinstance(v, dict) and len(v) == 2 and "color" in v and "value" in v
                                for v in value):
            return None
        drawn = {v["value"]: self.sentinel_values[v["value"]] for v in value if v["value"] in self.sentinel_values}
        if not drawn:
            return None
        # in spec order, as the dashboard renderer passes them (ties keep that order)
        alerts = sorted(drawn.values(), key=lambda a: self.order[a.short_name])
        sentinel_of = {a.short_name: v for v, a in drawn.items()}
        sentinel = [{"color": s["color"], "value": _number(s["value"])} for s in threshold_steps(
            [replace(a, threshold=Threshold(a.threshold.op, sentinel_of[a.short_name])) for a in alerts])]
        if sentinel != value:
            raise _Drift("threshold steps are not the ones lib.steps() draws")
        args = ", ".join(
            f"{{op: {_str(a.threshold.op)}, severity: {_str(a.severity)}, value: c.thresholds[{_str(a.short_name)}]}}"
            for a in alerts)
        real = [{"color": s["color"], "value": _number(s["value"])} for s in threshold_steps(alerts)]
        return Expr(f"lib.steps([{args}])"), real


_MISSING = object()  # no counterpart in the real render (its shape differs there)


class _Drift(Exception):
    """MixinDrift below the top of the tree: `where` collects the path while it unwinds."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.where: list[str] = []


def _comment(text: str) -> str:
    """Text for a // comment: nothing that could end the line and start code."""
    return "".join(ch if ch.isprintable() else " " for ch in text)


def _str(text: str) -> str:
    """A jsonnet string literal (JSON's escapes are jsonnet's)."""
    return scalar(text)


def to_jsonnet(node: Any, indent: int = 0) -> str:
    return _jsonnet(node, "\n" + "  " * indent)


def _jsonnet(node: Any, newline: str) -> str:
    """`newline`: a line break and the indentation of this level; every field and element
    ends in a comma, as a person writes jsonnet. (Exact types first: this walks every node.)"""
    kind = type(node)
    if kind is str:
        return encode_basestring(node)
    if kind is dict:
        if not node:
            return "{}"
        inner = newline + "  "
        return "{" + "".join([
            f"{inner}{encode_basestring(k)}: {encode_basestring(v) if type(v) is str else _jsonnet(v, inner)},"
            for k, v in node.items()]) + newline + "}"
    if kind is list:
        if not node:
            return "[]"
        inner = newline + "  "
        return "[" + "".join([f"{inner}{_jsonnet(v, inner)}," for v in node]) + newline + "]"
    if kind is Expr:
        return node.source
    if isinstance(node, (dict, list)):
        return _jsonnet(dict(node) if isinstance(node, dict) else list(node), newline)
    return scalar(node)


# -- files -------------------------------------------------------------------------------------------
def _config_file(spec: Spec) -> str:
    lines = [HEADER, "// Override in your own jsonnet: (import 'mixin.libsonnet') + { _config+:: { thresholds+: "
             "{ X: 0.9 } } }.\n",
             "// Thresholds are in the unit of thresholds.yaml (ratios as fractions, durations in seconds).\n",
             "{\n  _config+:: {\n",
             f"    alertPrefix: {_str(spec.settings.alert_prefix)},\n",
             "    // values of the job selectors; label names and other labels come from thresholds.yaml\n",
             "    selectors: {\n"]
    for source, pairs in spec.settings.selectors.items():
        body = ", ".join(f"{_str(label)}: {_str(value)}" for label, value in pairs)
        lines.append(f"      {_str(source)}: {{ {body} }},\n")
    lines.append("    },\n    thresholds: {\n")
    for alert in spec.alerts:
        unit = kind_of(alert).alert_unit(alert)
        note = _comment(f"{alert.name}: {alert.indicator.title} {alert.threshold.op} this ({unit})")
        lines.append(f"      // {note}\n")
        lines.append(f"      {_str(alert.short_name)}: {scalar(_number(float(alert.threshold.value)))},\n")
    lines.append("    },\n  },\n}\n")
    return "".join(lines)


def _mixin_file(spec: Spec) -> str:
    names = ", ".join(_str(a.short_name) for a in spec.alerts)
    labels = ", ".join(f"{_str(src)}: [{', '.join(_str(label) for label, _ in pairs)}]"
                       for src, pairs in spec.settings.selectors.items())
    return (
        f"{HEADER}// The billing monitoring mixin: prometheusAlerts, prometheusRules, grafanaDashboards, _config.\n"
        "local lib = import 'lib/format.libsonnet';\n\n"
        "(import 'config.libsonnet')\n+ (import 'alerts.libsonnet')\n+ (import 'dashboards.libsonnet')\n+ {\n"
        f"  local problems = lib.configProblems(self._config, [{names}], {{{labels}}}),\n"
        "  assert std.length(problems) == 0 : 'billing mixin: ' + std.join('; ', problems),\n}\n"
    )


def _alerts_file(groups: list[Any]) -> str:
    alerting = [g for g in groups if any("alert" in r for r in g.get("rules", []))]
    recording = [g for g in groups if not any("alert" in r for r in g.get("rules", []))]
    return (
        f"{HEADER}// Groups with alerts keep their recording rules beside them (evaluated first, in\n"
        "// order, so an alert reads the recordings of the same evaluation): they are prometheusAlerts;\n"
        "// groups of recording rules only are prometheusRules.\n"
        "local lib = import 'lib/format.libsonnet';\n\n"
        "{\n  local c = $._config,\n"
        f"  prometheusAlerts+:: {{\n    groups+: {to_jsonnet(alerting, 2)},\n  }},\n"
        f"  prometheusRules+:: {{\n    groups+: {to_jsonnet(recording, 2)},\n  }},\n}}\n"
    )


def _dashboard_file(name: str, template: Any) -> str:
    return (f"{HEADER}// {_comment(name)}: a function of the mixin's _config.\n"
            "local lib = import '../lib/format.libsonnet';\n\n"
            f"function(c) {to_jsonnet(template)}\n")


def _module(name: str) -> str:
    return "dashboards/" + re.sub(r"[^A-Za-z0-9_.-]", "_", name.removesuffix(".json")) + ".libsonnet"


def render_mixin(spec: Spec, render: Render, real: Monitoring | None = None, real_text: str | None = None
                 ) -> dict[str, str]:
    """mixin/ files; `render` renders the rule groups and dashboard models of a spec (`real`:
    its result for `spec` and `real_text` the files dumped from it, when the caller has them)."""
    real = render(spec) if real is None else real
    if real_text is None:
        real_text = "\n".join(monitoring_files(real).values())
    groups, dashboards = monitoring_parts(real)
    sentinels = choose_sentinels(spec, real_text)
    s_groups, s_dashboards = monitoring_parts(render(sentinel_spec(spec, sentinels)))
    templater = Templater(spec, sentinels)
    group_template, group_real = templater.template(s_groups, groups, "groups")
    if group_real != groups:
        raise MixinDrift(f"rule groups: {_first_difference(group_real, groups, 'groups')}")
    out = {
        "mixin/mixin.libsonnet": _mixin_file(spec),
        "mixin/config.libsonnet": _config_file(spec),
        "mixin/alerts.libsonnet": _alerts_file(group_template),
        "mixin/lib/format.libsonnet": HEADER + _LIB_SOURCE.read_text(encoding="utf-8"),
    }
    if set(s_dashboards) != set(dashboards):
        raise MixinDrift(f"dashboards differ with sentinels: {sorted(set(s_dashboards) ^ set(dashboards))}")
    imports = []
    for name, board in s_dashboards.items():
        template, real = templater.template(board, dashboards.get(name, _MISSING), name)
        if real != dashboards[name]:
            raise MixinDrift(f"dashboard {name}: {_first_difference(real, dashboards[name], name)}")
        module = _module(name)
        out[f"mixin/{module}"] = _dashboard_file(name, template)
        imports.append(f"    {_str(name)}: (import {_str(module)})($._config),\n")
    out["mixin/dashboards.libsonnet"] = (
        f"{HEADER}{{\n  grafanaDashboards+:: {{\n{''.join(imports)}  }},\n}}\n")
    return out


def _first_difference(got: Any, want: Any, path: str) -> str:
    """Where the mixin's evaluation with the spec's values departs from the real render."""
    if isinstance(got, dict) and isinstance(want, dict):
        for key in list(dict.fromkeys([*got, *want])):
            if got.get(key) != want.get(key):
                return _first_difference(got.get(key), want.get(key), f"{path}.{key}")
    if isinstance(got, list) and isinstance(want, list) and len(got) == len(want):
        for i, (g, w) in enumerate(zip(got, want, strict=True)):
            if g != w:
                return _first_difference(g, w, f"{path}[{i}]")
    return (f"{path}: the mixin would give {got!r} where the spec renders {want!r} (a renderer "
            "transforms a threshold, prefix or selector in a way generators/mixin.py does not follow)")
