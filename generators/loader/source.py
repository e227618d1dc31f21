"""Read the spec file into plain data that remembers where every value came from.

Validation errors must name the file and line of the offending field, so mappings and
lists come back as `LineMap` / `LineList`, which carry the line of each key and item
(1-based). The spec is text a person or a script wrote, so reading it is defensive: a
size cap, regular files only, UTF-8 with the line of a bad byte, duplicate and non-string
keys refused, bounded nesting and alias expansion, integers of sane length. libyaml
parses when PyYAML has it (ten times faster than the pure-Python parser); both keep marks.
"""

from __future__ import annotations

import os
import re
import stat
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

MAX_SPEC_BYTES = 16 * 1024 * 1024  # the 100x benchmark spec is ~4 MB
MAX_DEPTH = 32  # the spec's deepest value sits at depth 7
MAX_EXPANDED_NODES = 2_000_000  # YAML aliases may share nodes, not multiply them


class LineMap(dict):  # type: ignore[type-arg]
    line: int
    key_lines: dict[str, int]


class LineList(list):  # type: ignore[type-arg]
    line: int
    item_lines: list[int]


class SourceProblem(Exception):
    """The file cannot be read as a spec at all; `line` is 1-based (1 when unknown)."""

    def __init__(self, line: int, field: str, message: str) -> None:
        super().__init__(message)
        self.line, self.field, self.message = line, field, message


_Base: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


_resolver = yaml.resolver.Resolver()


@lru_cache(maxsize=8192)
def _resolve(kind: type, value: Any, implicit: Any) -> str:
    return _resolver.resolve(kind, value, implicit)


class _PositionLoader(_Base):  # type: ignore[misc, valid-type]
    # called for every node (by libyaml too); specs repeat their scalars a lot. The cached
    # function itself, not a method calling it: one Python call per node instead of two.
    resolve = staticmethod(_resolve)


def _line(node: yaml.Node) -> int:
    return node.start_mark.line + 1


_STR_TAG = "tag:yaml.org,2002:str"


def _construct(loader: _PositionLoader, node: yaml.Node) -> Any:
    """construct_object, with its most common case (a string) taken directly: what
    construct_yaml_str returns, without a pass through the constructor's bookkeeping."""
    if node.tag == _STR_TAG and type(node) is yaml.ScalarNode:
        return node.value
    return loader.construct_object(node, deep=True)


def _construct_mapping(loader: _PositionLoader, node: yaml.MappingNode) -> LineMap:
    loader.flatten_mapping(node)
    result = LineMap()
    result.line = _line(node)
    result.key_lines = {}
    for key_node, value_node in node.value:
        if not isinstance(key_node, yaml.ScalarNode) or key_node.tag != "tag:yaml.org,2002:str":
            raise SourceProblem(_line(key_node), "(yaml)", "keys must be plain strings (quote it, e.g. \"200\": ...)")
        key = key_node.value
        if key in result:
            raise SourceProblem(_line(key_node), key,
                                f"duplicate key {key!r} (first defined on line {result.key_lines[key]}); "
                                "remove one of them")
        result[key] = _construct(loader, value_node)
        result.key_lines[key] = _line(key_node)
    return result


def _construct_sequence(loader: _PositionLoader, node: yaml.SequenceNode) -> LineList:
    result = LineList([_construct(loader, child) for child in node.value])
    result.line = _line(node)
    result.item_lines = [_line(child) for child in node.value]
    return result


def _construct_int(loader: _PositionLoader, node: yaml.ScalarNode) -> int:
    if len(node.value) > 40:
        raise SourceProblem(_line(node), "(yaml)", f"a number of {len(node.value)} digits; numbers in the "
                            "spec are thresholds and counts, write a plain one")
    return yaml.SafeLoader.construct_yaml_int(loader, node)  # type: ignore[arg-type]


def _construct_timestamp(loader: _PositionLoader, node: yaml.ScalarNode) -> str:
    return str(node.value)  # a date-looking value stays the text it is


_PositionLoader.add_constructor("tag:yaml.org,2002:map", _construct_mapping)
_PositionLoader.add_constructor("tag:yaml.org,2002:seq", _construct_sequence)
_PositionLoader.add_constructor("tag:yaml.org,2002:int", _construct_int)
_PositionLoader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)
_PositionLoader.add_constructor("tag:yaml.org,2002:binary", _construct_timestamp)


def _check_shape(root: yaml.Node) -> None:
    """Depth and alias expansion, computed once per distinct node (aliases share nodes)."""
    expanded: dict[int, int] = {}
    # iterative post-order walk: a deep or cyclic document must not recurse in Python
    stack: list[tuple[yaml.Node, int, bool]] = [(root, 1, False)]
    on_path: set[int] = set()
    while stack:
        node, depth, done = stack.pop()
        key = id(node)
        if done:
            on_path.discard(key)
            children = _children(node)
            expanded[key] = 1 + sum(expanded[id(c)] for c in children)
            if expanded[key] > MAX_EXPANDED_NODES:
                raise SourceProblem(_line(node), "(yaml)", "aliases expand to more than "
                                    f"{MAX_EXPANDED_NODES:,} values; write the spec out plainly")
            continue
        if key in expanded:
            continue
        if key in on_path:
            raise SourceProblem(_line(node), "(yaml)", "a YAML alias refers to its own ancestor")
        if depth > MAX_DEPTH:
            raise SourceProblem(_line(node), "(yaml)", f"nested more than {MAX_DEPTH} levels deep; "
                                "the spec's structure is at most 7 levels")
        on_path.add(key)
        stack.append((node, depth, True))
        stack.extend((child, depth + 1, False) for child in _children(node) if id(child) not in expanded)


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [n for pair in node.value for n in pair]
    return []


def read_spec_text(path: Path) -> str:
    """The file's text; SourceProblem when it is not a readable regular UTF-8 file."""
    try:
        info = os.stat(path)
    except OSError as exc:
        raise SourceProblem(1, "(file)", f"cannot read: {exc.strerror}") from None
    if not stat.S_ISREG(info.st_mode):
        raise SourceProblem(1, "(file)", "not a regular file; give the path of a YAML file")
    if info.st_size > MAX_SPEC_BYTES:
        raise SourceProblem(1, "(file)", f"{info.st_size:,} bytes; a spec is at most {MAX_SPEC_BYTES:,}")
    try:
        with open(path, "rb") as handle:
            data = handle.read(MAX_SPEC_BYTES + 1)
    except OSError as exc:
        raise SourceProblem(1, "(file)", f"cannot read: {exc.strerror}") from None
    if len(data) > MAX_SPEC_BYTES:
        raise SourceProblem(1, "(file)", f"more than {MAX_SPEC_BYTES:,} bytes")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise SourceProblem(line, "(file)", f"byte 0x{data[exc.start]:02x} is not UTF-8; save the file "
                            "as UTF-8") from None


# An alias is `*name` where a value starts; without one, no node is shared, nothing can
# expand, and the (costly) shape walk is skipped: construction catches deep nesting.
_ALIAS_RE = re.compile(r"(?:^|[\s\[{,:-])\*[^\s\[\]{},]")


def _may_have_aliases(text: str) -> bool:
    """False only when no line outside a whole-line comment has an alias (the committed
    spec's comments mention `*_file`; a trailing comment still counts, to be safe)."""
    return "*" in text and any(_ALIAS_RE.search(line) for line in text.splitlines()
                               if "*" in line and not line.lstrip().startswith("#"))


def parse_spec_text(text: str) -> Any:
    """Parse YAML text into LineMap/LineList/scalars; raises SourceProblem."""
    loader = _PositionLoader(text)
    try:
        root = loader.get_single_node()
        if root is None:
            return None
        if _may_have_aliases(text):
            _check_shape(root)
        return loader.construct_document(root)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        problem = exc.problem or str(exc)
        raise SourceProblem(line, "(yaml)", f"not valid YAML: {problem}") from None
    except yaml.YAMLError as exc:
        raise SourceProblem(1, "(yaml)", f"not valid YAML: {exc}") from None
    except RecursionError:
        raise SourceProblem(1, "(yaml)", f"nested too deeply (more than {MAX_DEPTH} levels)") from None
    finally:
        loader.dispose()
