"""generators/jsonout.py writes exactly what json.dumps(indent=2, ensure_ascii=False) writes."""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from generators.jsonout import dump_json

ROOT = Path(__file__).resolve().parent.parent

_scalars = st.none() | st.booleans() | st.integers() | st.floats() | st.text()
_values = st.recursive(_scalars, lambda inner: st.lists(inner, max_size=4) | st.tuples(inner, inner)
                       | st.dictionaries(st.text(max_size=8), inner, max_size=4), max_leaves=30)


def test_every_generated_dashboard_is_written_as_json_writes_it() -> None:
    boards = sorted((ROOT / "dashboards").glob("*.json"))
    assert boards
    for path in boards:
        model = json.loads(path.read_text())
        assert dump_json(model) == json.dumps(model, indent=2, ensure_ascii=False)


@settings(max_examples=100, deadline=None)
@given(_values)
def test_any_json_value_is_written_as_json_writes_it(value: object) -> None:
    assert dump_json(value) == json.dumps(value, indent=2, ensure_ascii=False)


def test_shapes_json_converts_go_through_json() -> None:
    value = {1: [True, None], "x": {2.5: float("inf")}, "s": "\u2028\"\\\n"}
    assert dump_json(value) == json.dumps(value, indent=2, ensure_ascii=False)
