"""JSON text exactly as `json.dumps(value, indent=2, ensure_ascii=False)` writes it, faster.

With `indent` set, the standard library encodes in pure Python, one generator per nesting
level (about 60% of the dashboards' render). This writes the same bytes with one recursive
join, using the C string escaper json itself uses. Shapes it does not write (keys that are
not strings, values that are not JSON) go through `json.dumps`, so the output never differs;
tests/test_jsonout.py compares the two on the generated dashboards and on random values.
"""

from __future__ import annotations

import json
from json.encoder import encode_basestring  # C implementation when available, as json.dumps uses
from typing import Any


class _Unsupported(Exception):
    pass


def dump_json(value: Any) -> str:
    """`json.dumps(value, indent=2, ensure_ascii=False)`."""
    try:
        return _encode(value, "\n")
    except _Unsupported:
        return json.dumps(value, indent=2, ensure_ascii=False)


def scalar(value: Any) -> str:
    """A JSON scalar as json.dumps writes it (also jsonnet's spelling of it)."""
    if isinstance(value, str):
        return encode_basestring(value)
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return int.__repr__(value)
    if isinstance(value, float):
        if value != value:
            return "NaN"
        if value == float("inf"):
            return "Infinity"
        if value == -float("inf"):
            return "-Infinity"
        return float.__repr__(value)
    raise _Unsupported


def _encode(value: Any, newline: str) -> str:
    """`newline` is the line break plus the indentation of the current level."""
    kind = type(value)
    if kind is str:  # most values: skip the dispatch below
        return encode_basestring(value)
    if kind is dict:
        if not value:
            return "{}"
        inner = newline + "  "
        parts = []
        for key, item in value.items():
            if type(key) is not str:
                raise _Unsupported  # json converts such keys; not in our outputs
            parts.append(encode_basestring(key) + ": " + (
                encode_basestring(item) if type(item) is str else _encode(item, inner)))
        return "{" + inner + ("," + inner).join(parts) + newline + "}"
    if kind is list or kind is tuple:
        if not value:
            return "[]"
        inner = newline + "  "
        return "[" + inner + ("," + inner).join([_encode(item, inner) for item in value]) + newline + "]"
    if isinstance(value, (dict, list, tuple)):
        raise _Unsupported  # subclasses: leave them to json
    return scalar(value)
