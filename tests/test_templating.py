"""The Python mirror of Prometheus' template functions, on values whose Go output is known
(Prometheus' own template tests); the promtool tests check the rest against the real thing."""

from __future__ import annotations

import pytest

from generators.templating import humanize, humanize1024, humanize_duration, humanize_percentage


@pytest.mark.parametrize("value,expected", [
    (0, "0"), (0.000001234, "1.234u"), (0.0012, "1.2m"), (1, "1"), (1234567, "1.235M"), (123.4, "123.4"),
])
def test_humanize(value: float, expected: str) -> None:
    assert humanize(value) == expected


@pytest.mark.parametrize("value,expected", [(0, "0s"), (0.1, "100ms"), (1.5, "1.5s"), (60, "1m 0s"),
                                            (3600, "1h 0m 0s"), (90061, "1d 1h 1m 1s")])
def test_humanize_duration(value: float, expected: str) -> None:
    assert humanize_duration(value) == expected


def test_humanize_percentage_and_1024() -> None:
    assert humanize_percentage(0.9499) == "94.99%"
    assert humanize1024(1048576) == "1Mi"
    assert humanize1024(0.5) == "0.5"
