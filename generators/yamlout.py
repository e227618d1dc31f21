"""Deterministic YAML output: insertion order kept, multi-line strings as literal blocks.

libyaml's emitter when PyYAML has it (several times faster; the same bytes, checked by
tests/test_build.py), the pure-Python one otherwise.
"""

from __future__ import annotations

from typing import Any

import yaml

GENERATED_HEADER = "# Generated from thresholds.yaml by `make build`; do not edit.\n"

_Base: type = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


class _Dumper(_Base):  # type: ignore[misc, valid-type]
    pass


class _PureDumper(yaml.SafeDumper):
    pass


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str)
_PureDumper.add_representer(str, _str)


def dump_yaml(data: Any, header: str = GENERATED_HEADER, pure: bool = False) -> str:
    dumper = _PureDumper if pure else _Dumper
    body = yaml.dump(data, Dumper=dumper, sort_keys=False, width=1000, allow_unicode=True)
    return header + body
