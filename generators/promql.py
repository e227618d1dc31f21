"""PromQL text: selectors, matchers, aggregations.

Every label value and regex that reaches a rule is escaped here, and every selector takes
its job labels from settings.selectors, so no renderer builds PromQL strings by hand.
"""

from __future__ import annotations

from generators.model import Matcher, Spec


def quote(value: str) -> str:
    """A PromQL double-quoted string literal."""
    escaped = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{escaped}"'


def render_matcher(m: Matcher) -> str:
    return f"{m.label}{m.op}{quote(m.value)}"


def render_matchers(matchers: tuple[Matcher, ...] | list[Matcher]) -> str:
    return ",".join(render_matcher(m) for m in matchers)


def equal_matchers(pairs: tuple[tuple[str, str], ...]) -> tuple[Matcher, ...]:
    return tuple(Matcher(k, "=", v) for k, v in pairs)


def selector(spec: Spec, metric: str, extra: tuple[Matcher, ...] = (), suffix: str = "") -> str:
    """metric{<its job's selector>, <extra>}."""
    body = render_matchers((*equal_matchers(spec.selector_labels(metric)), *extra))
    return f"{metric}{suffix}{{{body}}}"


def series_selector(name: str, matchers: tuple[Matcher, ...]) -> str:
    return f"{name}{{{render_matchers(matchers)}}}" if matchers else name


def agg(fn: str, labels: tuple[str, ...], expr: str) -> str:
    by = f" by ({', '.join(labels)})" if labels else ""
    return f"{fn}{by} ({expr})"


def on(labels: tuple[str, ...]) -> str:
    return f"on ({', '.join(labels)})"
