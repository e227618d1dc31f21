"""PromQL text from a promql_parser AST, with an offset pushed into every selector.

`Printer.expr(node, shift)` prints `node` as it would evaluate `shift` seconds earlier:
every selector and subquery gets `shift` added to its offset (unless pinned with `@`),
and `time()` becomes `(time() - shift)`, since an offset does not move `time()`.
Subclasses replace selectors (the inliner replaces recorded series). Strings and
label values are escaped here, never pasted.
"""

from __future__ import annotations

import math
from datetime import UTC, timedelta
from typing import Any

import promql_parser as pp

from generators.backtest.timeutil import format_duration

# promql_parser enums compare by == but do not hash: look operators up by their name
_MATCH_OPS = {"MatchOp.Equal": "=", "MatchOp.NotEqual": "!=", "MatchOp.Re": "=~", "MatchOp.NotRe": "!~"}
# functions whose missing argument defaults to vector(time())
_IMPLICIT_TIME = {"minute", "hour", "day_of_week", "day_of_month", "day_of_year", "days_in_month", "month", "year"}
# functions that read sample timestamps against the evaluation time: an offset cannot be pushed through them
_TIME_SENSITIVE = {"timestamp", "predict_linear"}


class Untranslatable(ValueError):
    """An expression the backtest cannot rewrite faithfully; the message says why."""


def quote(text: str) -> str:
    """A PromQL double-quoted string (Go escapes) for any text."""
    out = ['"']
    for ch in text:
        if ch in '"\\':
            out.append("\\" + ch)
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\t":
            out.append("\\t")
        elif ch == "\r":
            out.append("\\r")
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\x{ord(ch):02x}")
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def seconds(delta: timedelta | None) -> float:
    return 0.0 if delta is None else delta.total_seconds()


def number(value: float) -> str:
    value = float(value)
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "Inf" if value > 0 else "-Inf"
    if value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return repr(value)


def matcher(m: pp.Matcher) -> str:
    return f"{m.name}{_MATCH_OPS[str(m.op)]}{quote(m.value)}"


def offset_text(total: float) -> str:
    return f" offset {format_duration(total)}" if total else ""


def at_text(at: pp.AtModifier | None) -> str:
    if at is None:
        return ""
    if at.type == pp.AtModifierType.Start:
        return " @ start()"
    if at.type == pp.AtModifierType.End:
        return " @ end()"
    assert at.at is not None
    return f" @ {at.at.replace(tzinfo=at.at.tzinfo or UTC).timestamp():.3f}"


def selector_body(name: str | None, matchers: list[pp.Matcher]) -> str:
    shown = [matcher(m) for m in matchers]
    if name and not shown:
        return name
    return f"{name or ''}{{{','.join(shown)}}}"


def _labels(names: list[str]) -> str:
    return "(" + ", ".join(names) + ")"


def is_scalar(node: Any) -> bool:
    """Whether the node evaluates to a scalar (for binary operators' label handling)."""
    if isinstance(node, pp.NumberLiteral):
        return True
    if isinstance(node, (pp.ParenExpr, pp.UnaryExpr)):
        return is_scalar(node.expr)
    if isinstance(node, pp.Call):
        return node.func.return_type == pp.ValueType.Scalar
    if isinstance(node, pp.BinaryExpr):
        return is_scalar(node.lhs) and is_scalar(node.rhs)
    return False


class Printer:
    """PromQL text of an AST, shifted by `shift` seconds (see the module doc)."""

    def expr(self, node: Any, shift: float = 0.0) -> str:
        if isinstance(node, pp.VectorSelector):
            return self.vector_selector(node, shift)
        if isinstance(node, pp.MatrixSelector):
            return self.matrix_selector(node, shift)
        if isinstance(node, pp.SubqueryExpr):
            return self.subquery(node, shift)
        if isinstance(node, pp.Call):
            return self.call(node, shift)
        if isinstance(node, pp.AggregateExpr):
            return self.aggregate(node, shift)
        if isinstance(node, pp.BinaryExpr):
            return self.binary(node, shift)
        if isinstance(node, pp.ParenExpr):
            return f"({self.expr(node.expr, shift)})"
        if isinstance(node, pp.UnaryExpr):
            # the parser only nests a binary operator under `-` when it binds tighter (`^`)
            return f"-{self.expr(node.expr, shift)}"
        if isinstance(node, pp.NumberLiteral):
            return number(node.val)
        if isinstance(node, pp.StringLiteral):
            return quote(node.val)
        raise Untranslatable(f"unsupported PromQL node {type(node).__name__}")

    # -- selectors ---------------------------------------------------------------------
    @staticmethod
    def _matchers(node: pp.VectorSelector) -> list[pp.Matcher]:
        if node.matchers.or_matchers:
            raise Untranslatable(f"`or` inside a selector ({node}) is not supported")
        return list(node.matchers.matchers)

    def _modifiers(self, offset: timedelta | None, at: pp.AtModifier | None, shift: float) -> str:
        # `@` pins the evaluation time: a shift of the surrounding expression does not move it
        total = seconds(offset) + (0.0 if at is not None else shift)
        return at_text(at) + offset_text(total)

    def vector_selector(self, node: pp.VectorSelector, shift: float) -> str:
        return selector_body(node.name, self._matchers(node)) + self._modifiers(node.offset, node.at, shift)

    def matrix_selector(self, node: pp.MatrixSelector, shift: float) -> str:
        vs = node.vector_selector
        body = selector_body(vs.name, self._matchers(vs))
        return f"{body}[{format_duration(node.range.total_seconds())}]" + self._modifiers(vs.offset, vs.at, shift)

    def subquery(self, node: pp.SubqueryExpr, shift: float) -> str:
        # the subquery's own offset moves the evaluation time of everything inside it
        # (time() included), so the shift goes there and the inside is printed unshifted
        inner = self.expr(node.expr, 0.0)
        step = format_duration(seconds(node.step)) if node.step else ""
        return f"{inner}[{format_duration(seconds(node.range))}:{step}]" + self._modifiers(node.offset, node.at, shift)

    # -- functions and operators -------------------------------------------------------
    def call(self, node: pp.Call, shift: float) -> str:
        name = node.func.name
        if shift:
            if name == "time":
                return f"(time() - {number(shift)})"
            if name in _IMPLICIT_TIME and not node.args:
                return f"{name}(vector(time() - {number(shift)}))"
            if name in _TIME_SENSITIVE:
                raise Untranslatable(f"{name}() cannot be shifted by an offset faithfully")
        return f"{name}({', '.join(self.expr(arg, shift) for arg in node.args)})"

    def aggregate(self, node: pp.AggregateExpr, shift: float) -> str:
        grouping = ""
        if node.modifier is not None:
            word = "by" if node.modifier.type == pp.AggModifierType.By else "without"
            grouping = f" {word} {_labels(node.modifier.labels)}"
        param = f"{self.expr(node.param, shift)}, " if node.param is not None else ""
        return f"{node.op}{grouping} ({param}{self.expr(node.expr, shift)})"

    def binary(self, node: pp.BinaryExpr, shift: float) -> str:
        return f"{self.expr(node.lhs, shift)} {self.operator(node)} {self.expr(node.rhs, shift)}"

    @staticmethod
    def operator(node: pp.BinaryExpr) -> str:
        text = str(node.op)
        mod = node.modifier
        if mod is None:
            return text
        fill = mod.fill_values
        if fill is not None and (fill.lhs is not None or fill.rhs is not None):
            raise Untranslatable("fill modifiers on binary operators are not supported")
        if mod.return_bool:
            text += " bool"
        if mod.matching is not None:
            word = "on" if mod.matching.type == pp.LabelModifierType.Include else "ignoring"
            text += f" {word}{_labels(mod.matching.labels)}"
        if mod.card == pp.VectorMatchCardinality.ManyToOne:
            text += f" group_left{_labels(mod.group_labels or [])}"
        elif mod.card == pp.VectorMatchCardinality.OneToMany:
            text += f" group_right{_labels(mod.group_labels or [])}"
        return text


def parse(text: str, where: str) -> Any:
    try:
        return pp.parse(text)
    except ValueError as exc:
        raise Untranslatable(f"{where}: PromQL does not parse: {exc}") from None
