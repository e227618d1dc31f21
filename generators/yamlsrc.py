"""YAML loading that remembers where every value came from.

Validation errors must name the file and line of the offending field, so the loader
returns dict/list subclasses that carry the line of each key and item (1-based).
Duplicate keys, which plain YAML silently overwrites, are reported as errors.
"""

from __future__ import annotations

from typing import Any

import yaml


class LineMap(dict):  # type: ignore[type-arg]
    line: int
    key_lines: dict[str, int]


class LineList(list):  # type: ignore[type-arg]
    line: int
    item_lines: list[int]


class DuplicateKeyError(Exception):
    def __init__(self, key: str, line: int, first_line: int) -> None:
        super().__init__(f"duplicate key {key!r} (first defined on line {first_line})")
        self.key = key
        self.line = line


class _LineLoader(yaml.SafeLoader):
    pass


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> LineMap:
    loader.flatten_mapping(node)
    result = LineMap()
    result.line = node.start_mark.line + 1
    result.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        key_line = key_node.start_mark.line + 1
        if key in result:
            raise DuplicateKeyError(str(key), key_line, result.key_lines[str(key)])
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_lines[str(key)] = key_line
    return result


def _construct_sequence(loader: _LineLoader, node: yaml.SequenceNode) -> LineList:
    result = LineList(loader.construct_object(child, deep=True) for child in node.value)
    result.line = node.start_mark.line + 1
    result.item_lines = [child.start_mark.line + 1 for child in node.value]
    return result


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)


def load_yaml_with_lines(text: str) -> Any:
    """Parse YAML text; raises yaml.YAMLError or DuplicateKeyError."""
    return yaml.load(text, Loader=_LineLoader)
