"""render_values (promtool's expanding notation) against the plain one-value-at-a-time reading."""

from __future__ import annotations

import math

from hypothesis import given, settings
from hypothesis import strategies as st

from generators.unittests import _num, render_values


def reference(values: list[float | None]) -> str:
    """The notation, spelled out: stale markers, runs of missing samples, runs of equal steps."""
    parts, i = [], 0
    while i < len(values):
        v = values[i]
        if v is not None and math.isnan(v):
            parts.append("stale")
            i += 1
            continue
        if v is None:
            j = i
            while j + 1 < len(values) and values[j + 1] is None:
                j += 1
            parts.append("_" if j == i else f"_x{j - i + 1}")
            i = j + 1
            continue
        j, d = i, None
        while j + 1 < len(values) and values[j + 1] is not None and not math.isnan(values[j + 1]):  # type: ignore[arg-type]
            step = values[j + 1] - values[j]  # type: ignore[operator]
            if d is None:
                d = step
            elif step != d:
                break
            j += 1
        if j == i:
            parts.append(_num(v))
        else:
            parts.append(f"{_num(v)}{'+' if d >= 0 else '-'}{_num(abs(d))}x{j - i}")  # type: ignore[operator]
        i = j + 1
    return " ".join(parts)


_value = st.none() | st.just(math.nan) | st.sampled_from([0.0, 1.0, 2.0, 3.0, 0.5, -1.0, 1e300, math.inf]) | \
    st.floats(allow_nan=False, allow_infinity=False, width=16)


@settings(max_examples=200, deadline=None)
@given(st.lists(_value, max_size=25))
def test_render_values_reads_like_the_reference(values: list[float | None]) -> None:
    assert render_values(values) == reference(values)


def test_render_values_examples() -> None:
    assert render_values([1, 2, 3, None, None, math.nan, 5, 5, 4]) == "1+1x2 _x2 stale 5+0x1 4"


# no gaps or stale markers (the C path): runs of equal steps, breaks, infinities, -0.0
_runs = st.lists(st.tuples(st.sampled_from([0.0, 1.0, -1.0, 0.5, -0.0, 1e300, math.inf]), st.integers(0, 6)),
                 max_size=6)


@settings(max_examples=300, deadline=None)
@given(st.sampled_from([0.0, 3.0, -2.5, math.inf, -math.inf, 1e300]), _runs,
       st.lists(st.floats(allow_nan=False, width=16), max_size=4))
def test_series_without_gaps_read_like_the_reference(first: float, runs: list[tuple[float, int]],
                                                     tail: list[float]) -> None:
    values = [first]
    for step, count in runs:
        for _ in range(count):
            values.append(values[-1] + step)
    values += tail
    assert render_values(values) == reference(values)
