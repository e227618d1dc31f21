"""Deterministic YAML output: insertion order kept, multi-line strings as literal blocks."""

from __future__ import annotations

from typing import Any

import yaml

GENERATED_HEADER = "# Generated from thresholds.yaml by `make build`; do not edit.\n"


class _Dumper(yaml.SafeDumper):
    pass


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str)


def dump_yaml(data: Any, header: str = GENERATED_HEADER) -> str:
    body = yaml.dump(data, Dumper=_Dumper, sort_keys=False, width=1000, allow_unicode=True)
    return header + body
