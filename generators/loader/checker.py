"""Generic checks over the parsed spec: shapes, types, numbers, durations, names.

Every problem becomes one SpecError naming file, line, field and the fix. The checker
collects them all; the loader raises SpecInvalid at the end if there are any. Values are
echoed in messages only in a bounded form, and never for secret-like fields.
"""

from __future__ import annotations

import difflib
import math
import re
import reprlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from generators.durations import MAX_DURATION, format_duration, parse_duration
from generators.loader.source import LineList, LineMap

# Prometheus' grammar (model/labels, model/metric): names that PromQL accepts unquoted
LABEL_NAME_RE = re.compile(r"^[a-zA-Z_][a-zA-Z0-9_]*$")
METRIC_NAME_RE = re.compile(r"^[a-zA-Z_:][a-zA-Z0-9_:]*$")
CAMEL_RE = re.compile(r"^[A-Z][A-Za-z0-9]*$")
KEY_RE = re.compile(r"^[a-z][a-z0-9_]{0,62}$")
MAX_NUMBER = 1e15  # thresholds and rates; bytes thresholds stay far below
MAX_TEXT = 2000
_CONTROL_RE = re.compile(r"[\x00-\x1f\x7f]")

_repr = reprlib.Repr()
_repr.maxstring = 60
_repr.maxother = 60
_repr.maxlist = _repr.maxdict = _repr.maxtuple = 4
_repr.maxlevel = 2


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


def describe(value: Any) -> str:
    """A short, bounded description of a wrong value for an error message."""
    if value is None:
        return "nothing (null)"
    if isinstance(value, str):
        return _repr.repr(value)
    kind = {LineMap: "mapping", LineList: "list"}.get(type(value), type(value).__name__)
    return f"{kind} {_repr.repr(value)}"


def unknown(what: str, name: Any, known: Any, fix: str = "") -> str:
    """'unknown team 'x'; did you mean 'y'?' with a bounded list of the known names."""
    names = sorted(str(k) for k in known)
    close = difflib.get_close_matches(name, names, n=1) if isinstance(name, str) else []
    if close:
        hint = f"did you mean {close[0]!r}?"
    elif len(names) > 12:
        hint = f"known: {', '.join(names[:12])}, ... ({len(names)} in all)"
    else:
        hint = f"known: {', '.join(names) or 'none'}"
    return f"unknown {what} {describe(name)}; {fix + ' (' + hint + ')' if fix else hint}"


def clean_field(field: str) -> str:
    """A field path fit for one line of an error message: control characters escaped,
    long keys shortened."""
    field = _CONTROL_RE.sub(lambda m: repr(m.group())[1:-1], field) or "''"
    return field if len(field) <= 160 else field[:100] + "..." + field[-40:]


def join_path(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


class Checker:
    """Walks the parsed YAML, collecting errors with their lines."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.errors: list[SpecError] = []
        # names written in each section, valid or not: a reference to an invalid entry is
        # not reported again (its own error says what is wrong)
        self.declared: dict[str, set[str]] = {}

    def declare(self, section: str, node: Any) -> None:
        self.declared[section] = {k for k in node if isinstance(k, str)} if isinstance(node, LineMap) else set()

    def reference(self, line: int, field: str, section: str, what: str, name: Any, valid: Any,
                  fix: str = "") -> bool:
        """True when `name` is a valid entry of `section`; reports unknown names."""
        if isinstance(name, str) and name in valid:
            return True
        if not (isinstance(name, str) and name in self.declared.get(section, ())):
            self.error(line, field, unknown(what, name, valid, fix))
        return False

    def error(self, line: int, field: str, message: str) -> None:
        self.errors.append(SpecError(self.file, max(line, 1), clean_field(field), message))

    def mapping(
        self,
        node: Any,
        path: str,
        line: int,
        required: tuple[str, ...] = (),
        optional: tuple[str, ...] = (),
    ) -> LineMap | None:
        if not isinstance(node, LineMap):
            self.error(line, path or "(top level)", f"expected a mapping, got {describe(node)}")
            return None
        allowed = set(required) | set(optional)
        for key in node if allowed else ():  # no lists given: free-form keys
            if key not in allowed:
                close = difflib.get_close_matches(key, sorted(allowed), n=1)
                hint = f"did you mean '{close[0]}'? " if close else ""
                self.error(node.key_lines[key], join_path(path, key),
                           f"unknown key; {hint}allowed here: {', '.join(sorted(allowed))}")
        for key in required:
            if key not in node:
                self.error(node.line, path or "(top level)", f"missing required key '{key}'")
        return node

    def entries(self, node: Any, line: int, section: str, what: str) -> list[tuple[str, Any, int, str]]:
        """(name, body, line, field path) of each entry of a `name -> definition` section."""
        if not isinstance(node, LineMap):
            self.error(line, section, f"expected a mapping of {what} -> definition, got {describe(node)}")
            return []
        return [(k, v, node.key_lines[k], f"{section}.{k}") for k, v in node.items()]

    def items(self, node: Any, line: int, section: str, what: str) -> list[tuple[int, Any, int, str]]:
        """(index, body, line, field path) of each item of a list section."""
        if not isinstance(node, LineList):
            self.error(line, section, f"expected a list of {what}, got {describe(node)}")
            return []
        return [(i, v, node.item_lines[i], f"{section}[{i}]") for i, v in enumerate(node)]

    def value(
        self,
        node: LineMap,
        key: str,
        path: str,
        expected: type | tuple[type, ...],
        default: Any = None,
        check: Callable[[Any], str | None] | None = None,
        secret: bool = False,
    ) -> Any:
        if key not in node:
            return default
        value = node[key]
        line = node.key_lines[key]
        field = join_path(path, key)
        types = expected if isinstance(expected, tuple) else (expected,)
        ok = isinstance(value, types) and not (isinstance(value, bool) and bool not in types)
        if not ok:
            names = " or ".join({LineMap: "mapping", LineList: "list", dict: "mapping"}.get(t, t.__name__)
                                for t in types)
            got = type(value).__name__ if secret else describe(value)
            if isinstance(value, str) and not secret:
                got = f"str {got}"
            self.error(line, field, f"expected {names}, got {got}")
            return default
        if isinstance(value, str) and len(value) > MAX_TEXT:
            self.error(line, field, f"{len(value):,} characters; at most {MAX_TEXT:,}")
            return default
        if isinstance(value, float) and not math.isfinite(value):
            self.error(line, field, "must be a finite number")
            return default
        if isinstance(value, (int, float)) and not isinstance(value, bool) and abs(value) > MAX_NUMBER:
            self.error(line, field, f"{value:g} is too large (at most {MAX_NUMBER:g})")
            return default
        if check is not None:
            problem = check(value)
            if problem:
                self.error(line, field, problem)
                return default
        return value

    def number(self, node: LineMap, key: str, path: str, default: float | None = None,
               check: Callable[[Any], str | None] | None = None) -> float | None:
        value = self.value(node, key, path, (int, float), None, check)
        return default if value is None else float(value)

    def text(self, node: LineMap, key: str, path: str, default: str = "",
             check: Callable[[str], str | None] | None = None) -> str:
        """A string of one line (no control characters)."""
        value = self.value(node, key, path, str, None, check)
        if value is None:
            return default
        if _CONTROL_RE.search(value):
            self.error(node.key_lines[key], join_path(path, key),
                       "control characters (newline, tab, ...) are not allowed here; write one line")
            return default
        return value

    def prose(self, node: LineMap, key: str, path: str, check: Callable[[str], str | None] | None = None) -> str:
        """Free text for people (rationales): newlines allowed, other control characters not."""
        value = self.value(node, key, path, str, None, check)
        if value is None:
            return ""
        if _CONTROL_RE.search(value.replace("\n", " ")):
            self.error(node.key_lines[key], join_path(path, key), "control characters (tab, NUL, ...) are not "
                       "allowed; write plain text")
            return ""
        return value

    def duration(self, node: LineMap, key: str, path: str, default: int | None = None,
                 maximum: int = MAX_DURATION) -> int:
        text = self.value(node, key, path, str)
        if text is None:
            if key in node or default is None:
                return 0
            return default
        seconds = parse_duration(text)
        field = join_path(path, key)
        if seconds is None:
            self.error(node.key_lines[key], field,
                       f"bad duration {_repr.repr(text)}; use Prometheus durations like 30s, 5m, 1h, 1w")
            return 0
        if seconds > maximum:
            self.error(node.key_lines[key], field,
                       f"{text} is longer than {format_duration(maximum)}, the most this spec allows")
            return 0
        return seconds

    def names(self, node: LineMap, key: str, path: str, pattern: re.Pattern[str], what: str) -> tuple[str, ...]:
        """A list of names matching `pattern`; bad items are reported and dropped."""
        items = self.value(node, key, path, list, LineList())
        out = []
        for i, item in enumerate(items):
            if isinstance(item, str) and pattern.match(item):
                out.append(item)
            else:
                self.error(items.item_lines[i], f"{join_path(path, key)}[{i}]", f"{describe(item)} is not {what}")
        return tuple(dict.fromkeys(out))

    @staticmethod
    def line_of(node: Any, key: str, fallback: int = 1) -> int:
        if isinstance(node, LineMap):
            return node.key_lines.get(key, node.line)
        return getattr(node, "line", fallback)
