"""Deterministic YAML output: insertion order kept, multi-line strings as literal blocks.

The bytes are exactly what PyYAML's safe dumper writes (block style, width 1000, unicode
kept, multi-line strings as `|` blocks): `dump_yaml(..., pure=True)` is that reference and
tests/test_yamlout.py checks the two agree on every generated file. The fast path exists
because PyYAML's representer costs ~70% of a build of promtool tests and rules; it writes
the structure itself and asks PyYAML only for scalars it cannot prove plain (cached).
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from typing import Any

import yaml

GENERATED_HEADER = "# Generated from thresholds.yaml by `make build`; do not edit.\n"

_Base: type = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


class _Dumper(_Base):  # type: ignore[misc, valid-type]
    pass


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str)


def dump_yaml(data: Any, header: str = GENERATED_HEADER, pure: bool = False) -> str:
    if not pure:
        try:
            return header + "".join(_document(data))
        except _Unsupported:
            pass
    return header + yaml.dump(data, Dumper=_Dumper, sort_keys=False, width=1000, allow_unicode=True)


class _Unsupported(Exception):
    """A shape the fast path does not write (the whole document goes through PyYAML)."""


# -- the fast path -----------------------------------------------------------------------------
_RESOLVER = yaml.resolver.Resolver()
_STR_TAG = "tag:yaml.org,2002:str"
# plain in block context for sure: no indicator first, no ": " or " #", printable ASCII
_PLAIN_RE = re.compile(r"^[A-Za-z0-9_(/.$=+^~<;][\x20-\x7e]*$")
_NOT_PLAIN_RE = re.compile(r": | #|:$|\s$|^\.\.\.")  # "..." first: the document end marker
_FIRST_LINE_RE = re.compile(r"^[\x21-\x7e]([\x20-\x7e]*[\x21-\x7e])?$")  # a leading space needs an indicator
_LINE_RE = re.compile(r"^[\x20-\x7e]*[\x21-\x7e]$")
_LINE_START_RE = re.compile(r"^(?=[^\n])", re.M)
_MAX_WIDTH = 900  # PyYAML folds scalars longer than its width (1000): leave those to it


def _document(data: Any) -> list[str]:
    out: list[str] = []
    if isinstance(data, dict) and data:
        _mapping(data, 0, out)
    elif isinstance(data, list) and data:
        _sequence(data, 0, out)
    else:
        raise _Unsupported
    return out


def _mapping(data: dict[Any, Any], indent: int, out: list[str], first_prefix: str | None = None) -> None:
    pad = " " * indent
    start = pad if first_prefix is None else first_prefix
    inline_limit = _MAX_WIDTH - 2 - indent
    for key, value in data.items():
        # exact str only: a str subclass or str Enum equal to a cached key is PyYAML's to refuse
        text = _KEY_TEXTS.get(key) if type(key) is str else None
        if text is None:
            text = _key_text(key)
        head = f"{start}{text}:"
        start = pad
        if type(value) is str and len(value) < inline_limit and "\n" not in value:
            out.append(f"{head} {_scalar(value)}\n")  # the common case, without _value's dispatch
        elif isinstance(value, dict) and value:
            out.append(head + "\n")
            _mapping(value, indent + 2, out)
        elif isinstance(value, list) and value:
            out.append(head + "\n")
            shared = getattr(_local, "shared", None)
            if shared is None:
                _sequence(value, indent, out)  # PyYAML writes sequences in a mapping indentless
            else:
                _shared_sequence(shared, value, indent, out)
        else:
            out.append(f"{head} {_value(value, indent + 2)}\n")


# per thread (builds may run in several threads at once): (id, indent) -> (the list, its lines);
# the list is kept so that its id stays its own
_local = threading.local()


@contextmanager
def shared_sequences() -> Iterator[None]:
    """Within it, a list written again at the same indentation reuses its text: the rule
    groups are written four times per build (rule file, PrometheusRule, Mimir, Thanos).
    Lists must not change while it lasts."""
    outer = getattr(_local, "shared", None)
    _local.shared = {} if outer is None else outer
    try:
        yield
    finally:
        _local.shared = outer


def _shared_sequence(shared: dict[tuple[int, int], tuple[list[Any], list[str]]], data: list[Any], indent: int,
                     out: list[str]) -> None:
    key = (id(data), indent)
    known = shared.get(key)
    if known is None or known[0] is not data:
        lines: list[str] = []
        _sequence(data, indent, lines)
        known = shared[key] = (data, lines)
    out.extend(known[1])


def _sequence(data: list[Any], indent: int, out: list[str]) -> None:
    pad = " " * indent
    for item in data:
        if isinstance(item, dict) and item:
            _mapping(item, indent + 2, out, first_prefix=f"{pad}- ")
        elif isinstance(item, list) and item:
            raise _Unsupported  # nested sequences: not in our outputs
        else:
            if isinstance(item, str) and "\n" in item:
                raise _Unsupported
            out.append(f"{pad}- {_value(item, indent + 2)}\n")


def _value(value: Any, indent: int) -> str:
    if isinstance(value, str):
        if "\n" in value:
            return _literal(value, indent)
        if len(value) + indent > _MAX_WIDTH:
            raise _Unsupported
        return _scalar(value)
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return _float(value)
    if value == {}:
        return "{}"
    if value == []:
        return "[]"
    raise _Unsupported


# mapping keys as written, looked up in C: a few hundred distinct keys make up the
# half million keys a 100x build writes
_KEY_TEXTS: dict[str, str] = {}


def _key_text(key: object) -> str:
    # not printable (line and paragraph separators, \r, \x85, ...): PyYAML's to quote or refuse
    if type(key) is not str or len(key) > 120 or not key.isprintable():
        raise _Unsupported
    text = _scalar(key)
    if len(_KEY_TEXTS) < 1 << 16:  # bounded: keys come from the spec too (label names)
        _KEY_TEXTS[key] = text
    return text


@lru_cache(maxsize=1 << 16)  # label values, units, names repeat across files
def _scalar(text: str) -> str:
    if _PLAIN_RE.match(text):
        if not _NOT_PLAIN_RE.search(text) and _RESOLVER.resolve(yaml.ScalarNode, text, (True, False)) == _STR_TAG:
            return text
        if _LINE_RE.match(text):
            # printable, no space at either end, a plain first character: only ': ', ' #', a
            # final ':' or reading as another type rule out plain, and PyYAML single-quotes
            return "'" + text.replace("'", "''") + "'"
    rendered = yaml.dump({"k": text}, Dumper=_Dumper, width=1000, allow_unicode=True)
    if not rendered.startswith("k: ") or rendered.count("\n") != 1:
        raise _Unsupported
    return rendered[3:-1]


def _literal(text: str, indent: int) -> str:
    """A `|` block, as PyYAML writes one (chomping, blank lines without indentation)."""
    trailing = text.endswith("\n")
    body = text[:-1] if trailing else text
    # every line empty or printable ASCII ending in a non-space (what _LINE_RE says of a line), checked
    # with str methods that run in C: a dashboard in a ConfigMap is a block of a hundred
    # thousand lines at 100x, where a regex pass costs 4x more
    if not body or text.endswith("\n\n") or not _FIRST_LINE_RE.match(body.partition("\n")[0]) or \
            not body.isascii() or not body.replace("\n", "").isprintable() or " \n" in body or body.endswith(" "):
        raise _Unsupported
    # no width limit here: neither PyYAML nor libyaml folds a literal block (the SLO tests'
    # names list every SLO on one line)
    pad = " " * indent
    # blank lines stay without indentation (a regex pass); without any, one C replace
    block = _LINE_START_RE.sub(pad, body) if "\n\n" in body else pad + body.replace("\n", "\n" + pad)
    return ("|\n" if trailing else "|-\n") + block


def _float(value: float) -> str:
    if value != value:
        return ".nan"
    if value in (float("inf"), float("-inf")):
        return ".inf" if value > 0 else "-.inf"
    text = repr(value).lower()
    if "." not in text and "e" in text:
        text = text.replace("e", ".0e", 1)
    return text
