"""Alert expressions with their recorded series inlined, for rules that never ran.

History has no samples of a recording that is not deployed yet, so each vector selector
of a recorded name is replaced by the parenthesised recording expression, recursively:

- the recording rules of that name whose static `labels` satisfy the selector's matchers
  are chosen (one per quantile, say), each with its static labels set on its result;
- matchers on other labels filter the inner result exactly: `=` / `!=` with
  `and on(l)` / `unless on(l)` against `label_replace(vector(1), ...)`, `=~` / `!~` by
  marking matching series with a reserved label and keeping or dropping them;
- `rec offset 1w` evaluates the whole inner expression a week earlier: the offset goes
  into every selector and subquery inside, and `time()` becomes `(time() - 604800)`;
- a range over a recorded series (`max_over_time(rec[1d])`) becomes a subquery whose
  step is the recording group's evaluation interval and whose points fall at that group's
  evaluation phase (see phase.py): Prometheus has a sample of `rec` at each evaluation
  `phase + k * interval`, a subquery evaluates at multiples of its step, so the inner
  expression is shifted by `s = (-phase) mod interval` and the subquery's offset reduced
  by `s`. Offsets cannot be negative (Prometheus 2.42), so when that reduction goes below
  zero the whole expression is shifted instead (`InlinedExpr.shift`): the caller queries it
  `shift` seconds later than the instants it stands for;
- an instant read of a recorded series of another group (another phase or interval) reads
  that group's latest evaluation: `last_over_time(inner[interval - 1ms:interval])`, placed
  like the subquery above;
- a recording the server already evaluates with the same expression keeps its first
  sample (deployed.py): subquery points before it are dropped, as the live series has none;
- `absent(rec{job="x"})` keeps the labels absent() takes from the selector's matchers.

What cannot be translated faithfully (a self-referential recording, `@` on a recorded
series, a `__name__` pattern matching recorded names, timestamp() under an offset) is
refused with a message saying why.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import promql_parser as pp

from generators.backtest.promql_text import Printer, Untranslatable, number, offset_text, parse, quote, seconds
from generators.backtest.rulefile import RecordingRule
from generators.backtest.timeutil import format_duration

# a label name reserved by Prometheus (leading __), so it never collides with a real one
MARK = "__backtest_match"
_MARK_ONE = f'label_replace(vector(1), "{MARK}", "1", "", "")'


@dataclass(frozen=True)
class InlinedExpr:
    text: str
    recordings: tuple[str, ...]  # recorded names replaced, sorted
    shift: float = 0.0  # evaluate the text this many seconds after the instants it stands for


def _ms(value: float) -> float:
    return round(value * 1000) / 1000


@dataclass(frozen=True)
class _Context:
    """The group whose evaluation instants the expression being printed stands for."""

    phase: float
    interval: float


def _op(m: pp.Matcher) -> str:
    return str(m.op).removeprefix("MatchOp.")


def matcher_matches(m: pp.Matcher, value: str) -> bool:
    """A label matcher against a known value ('' = label absent), as Prometheus evaluates it."""
    op = _op(m)
    if op == "Equal":
        return value == m.value
    if op == "NotEqual":
        return value != m.value
    matched = re.fullmatch(m.value, value) is not None  # Prometheus anchors regexes
    return matched if op == "Re" else not matched


def filter_by_matchers(text: str, matchers: list[pp.Matcher]) -> str:
    """`text` (an instant vector) keeping only series whose labels satisfy the matchers."""
    equal = [m for m in matchers if _op(m) == "Equal"]
    if equal:
        one = "vector(1)"
        for m in equal:
            if m.value:  # l="" matches series without l, which vector(1) is
                one = f"label_replace({one}, {quote(m.name)}, {quote(m.value)}, \"\", \"\")"
        text = f"({text}) and on({', '.join(m.name for m in equal)}) {one}"
    for m in matchers:
        op = _op(m)
        if op == "NotEqual":
            one = (f"label_replace(vector(1), {quote(m.name)}, {quote(m.value)}, \"\", \"\")"
                   if m.value else "vector(1)")
            text = f"({text}) unless on({m.name}) {one}"
        elif op in ("Re", "NotRe"):
            marked = f"label_replace({text}, \"{MARK}\", \"1\", {quote(m.name)}, {quote(m.value)})"
            if op == "Re":
                text = f"label_replace({marked} and on({MARK}) {_MARK_ONE}, \"{MARK}\", \"\", \"\", \"\")"
            else:  # the kept series never got the mark
                text = f"{marked} unless on({MARK}) {_MARK_ONE}"
    return text


class Inliner(Printer):
    def __init__(self, recordings: Iterable[RecordingRule], phases: dict[str, float] | None = None,
                 since: dict[str, float] | None = None) -> None:
        """`phases`: group name -> evaluation phase in seconds (0 for groups not in it); `since`:
        recorded name -> its first sample on the server (deployed.py), when inside the period."""
        self.by_name: dict[str, list[RecordingRule]] = {}
        for rule in recordings:
            self.by_name.setdefault(rule.record, []).append(rule)
        self.phases = phases or {}
        self.since = since or {}
        self._stack: list[str] = []
        self._used: set[str] = set()
        self._parsed: dict[str, Any] = {}
        self._contexts: list[_Context] = []
        self._deficit = 0.0

    def inline(self, expr: str, where: str, phase: float = 0.0, interval: float | None = None) -> InlinedExpr:
        """`expr` evaluated by a group of that phase and interval, its recorded series inlined."""
        node = parse(expr, where)
        shift = 0.0
        for _ in range(2):  # a second pass only with the shift the first found missing
            self._stack, self._used, self._deficit = [], set(), 0.0
            self._contexts = [_Context(phase, interval)] if interval else []
            try:
                text = self.expr(node, shift)
            except Untranslatable as exc:
                raise Untranslatable(f"{where}: {exc}") from None
            if self._deficit <= 0:
                return InlinedExpr(text, tuple(sorted(self._used)), shift)
            shift = _ms(shift + self._deficit)
        raise AssertionError(f"{where}: inlining needs a shift of {self._deficit}s more after shifting")

    # -- which selectors read recorded series ------------------------------------------
    def recorded_name(self, node: pp.VectorSelector) -> str | None:
        name = node.name
        for m in node.matchers.matchers:
            if m.name != "__name__":
                continue
            if _op(m) == "Equal":
                name = m.value
            elif any(matcher_matches(m, rec) for rec in self.by_name):
                raise Untranslatable(f"{self._show(node)} selects recorded series by a __name__ pattern; "
                                     "name the recording instead")
        return name if name in self.by_name else None

    @staticmethod
    def _show(node: Any) -> str:
        return Printer().expr(node)

    # -- replacements --------------------------------------------------------------------
    def _recording_context(self, name: str) -> _Context:
        rules = self.by_name[name]
        interval = min(rule.interval for rule in rules)
        return _Context(self.phases.get(rules[0].group, 0.0) % interval, interval)

    def _sampled(self, name: str, node: pp.VectorSelector, shift: float, window: float) -> str:
        """The inner expression at its group's evaluations within [t - window, t], t the instant
        read (`shift` and the selector's offset before now), as a subquery."""
        ctx = self._recording_context(name)
        inner_shift = _ms((-ctx.phase) % ctx.interval)
        outer_deficit = self._deficit
        while True:  # a subquery inside needing a larger shift: shift this one by whole intervals
            self._deficit = 0.0
            self._contexts.append(ctx)
            try:
                inner = self._inline(name, node, inner_shift)
            finally:
                self._contexts.pop()
            if self._deficit <= 0:
                break
            inner_shift = _ms(inner_shift + math.ceil(self._deficit / ctx.interval - 1e-9) * ctx.interval)
        self._deficit = outer_deficit
        if name in self.since:  # the server recorded nothing before: neither do the subquery's points
            inner = f"({inner} and on() (vector(time()) >= {number(_ms(self.since[name] + inner_shift) - 0.0005)}))"
        offset = _ms(seconds(node.offset) + shift - inner_shift)
        if offset < 0:
            self._deficit = max(self._deficit, -offset)
            offset = 0.0
        return f"{inner}[{format_duration(window)}:{format_duration(ctx.interval)}]" + offset_text(offset)

    def vector_selector(self, node: pp.VectorSelector, shift: float) -> str:
        name = self.recorded_name(node)
        if name is None:
            return super().vector_selector(node, shift)
        if node.at is not None:
            raise Untranslatable(f"`@` on the recorded series {self._show(node)} is not supported")
        ctx = self._recording_context(name)
        if not self._contexts or self._contexts[-1] == ctx:  # evaluated at the same instants
            return self._inline(name, node, seconds(node.offset) + shift)
        # another group's series: its latest evaluation at or before the instant read
        return f"last_over_time({self._sampled(name, node, shift, ctx.interval - 0.001)})"

    def matrix_selector(self, node: pp.MatrixSelector, shift: float) -> str:
        vs = node.vector_selector
        name = self.recorded_name(vs)
        if name is None:
            return super().matrix_selector(node, shift)
        if vs.at is not None:
            raise Untranslatable(f"`@` on the recorded series {self._show(vs)} is not supported")
        # a recorded series has one sample per evaluation of its group: the subquery
        # re-creates those samples; its offset moves everything inside, time() included
        return self._sampled(name, vs, shift, node.range.total_seconds())

    def call(self, node: pp.Call, shift: float) -> str:
        if node.func.name in ("absent", "absent_over_time") and node.args:
            arg = node.args[0]
            vs = arg.vector_selector if isinstance(arg, pp.MatrixSelector) else arg
            if isinstance(vs, pp.VectorSelector) and self.recorded_name(vs) is not None:
                # absent(selector) labels its output with the selector's equality matchers;
                # absent() of any other expression returns no labels: put them back
                text = super().call(node, shift)
                for m in vs.matchers.matchers:
                    if _op(m) == "Equal" and m.name != "__name__":
                        text = f"label_replace({text}, {quote(m.name)}, {quote(m.value)}, \"\", \"\")"
                return text
        return super().call(node, shift)

    def _inline(self, name: str, node: pp.VectorSelector, shift: float) -> str:
        if name in self._stack:
            chain = " -> ".join([*self._stack[self._stack.index(name):], name])
            raise Untranslatable(f"recording {name} reads itself ({chain}): a self-referential recording "
                                 "depends on its own history and cannot be inlined")
        matchers = [m for m in node.matchers.matchers if m.name != "__name__"]
        parts = []
        for rule in self.by_name[name]:
            static = dict(rule.labels)
            if not all(matcher_matches(m, static[m.name]) for m in matchers if m.name in static):
                continue
            self._stack.append(name)
            try:
                text = self.expr(self._parse(rule), shift)
            finally:
                self._stack.pop()
            for label, value in static.items():  # a recording rule's labels override its result's
                text = f"label_replace({text}, {quote(label)}, {quote(value)}, \"\", \"\")"
            parts.append(filter_by_matchers(text, [m for m in matchers if m.name not in static]))
        if not parts:
            raise Untranslatable(f"{self._show(node)} matches no recording rule of {name} "
                                 f"(static labels: {[dict(r.labels) for r in self.by_name[name]]})")
        self._used.add(name)
        return "(" + " or ".join(f"({p})" if len(parts) > 1 else p for p in parts) + ")"

    def _parse(self, rule: RecordingRule) -> Any:
        if rule.expr not in self._parsed:
            self._parsed[rule.expr] = parse(rule.expr, f"recording {rule.record} (group {rule.group})")
        return self._parsed[rule.expr]
