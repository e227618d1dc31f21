"""Hypothesis strategies that mutate thresholds.yaml within its schema.

Each mutation keeps the spec's shape (right keys, right types) and moves values to where
bugs live: thresholds at and beyond the edges of their unit, every operator on every kind,
odd windows and `for`s, other quantiles, labels, intervals, renamed scrape jobs, teams
without a pager or a chat, duplicated panels. Shared by the property test in `make test`
and the longer run in `make fuzz`.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import yaml
from hypothesis import strategies as st

from tests.conftest import SPEC_PATH

BASE: dict[str, Any] = yaml.safe_load(SPEC_PATH.read_text())
Draw = Callable[[st.SearchStrategy[Any]], Any]

EDGE_VALUES = [0, 1, 0.5, 0.95, 0.999, 0.9999, 1e-06, -1, -0.01, 1.01, 2, 3, 4.5, 5, 10, 80, 100, 101, 300, 3600,
               1e9, 0.001]
DURATIONS = ["0s", "30s", "1m", "90s", "2m", "5m", "7m", "10m", "17m", "30m", "1h", "2h"]
WINDOWS = ["2m", "3m", "5m", "10m", "15m", "30m", "1h", "2h"]


def _alert(draw: Draw, spec: dict[str, Any]) -> dict[str, Any]:
    alerts = spec["alerts"]
    return alerts[draw(st.integers(0, len(alerts) - 1))]


def _indicator(draw: Draw, spec: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    key = draw(st.sampled_from(sorted(spec["indicators"])))
    return key, spec["indicators"][key]


def threshold_value(draw: Draw, spec: dict[str, Any]) -> None:
    value = draw(st.one_of(st.sampled_from(EDGE_VALUES),
                           st.floats(-5, 500, allow_nan=False, allow_infinity=False).map(lambda v: round(v, 4))))
    _alert(draw, spec)["threshold"]["value"] = value


def threshold_op(draw: Draw, spec: dict[str, Any]) -> None:
    _alert(draw, spec)["threshold"]["op"] = draw(st.sampled_from(["<", "<=", ">", ">="]))


def alert_for(draw: Draw, spec: dict[str, Any]) -> None:
    _alert(draw, spec)["for"] = draw(st.sampled_from(DURATIONS))


def alert_routing(draw: Draw, spec: dict[str, Any]) -> None:
    alert = _alert(draw, spec)
    alert["severity"] = draw(st.sampled_from(["critical", "warning", "info"]))
    alert["team"] = draw(st.sampled_from(sorted(spec["teams"])))


def alert_quantile(draw: Draw, spec: dict[str, Any]) -> None:
    alert = _alert(draw, spec)
    if "quantile" in alert:
        alert["quantile"] = draw(st.sampled_from([0.5, 0.95, 0.99]))


def alert_guards(draw: Draw, spec: dict[str, Any]) -> None:
    alert = _alert(draw, spec)
    if "min_rate" in alert:
        alert["min_rate"] = draw(st.sampled_from([0, 0.001, 0.01, 0.05, 1, 2.5, 50]))
    if "min_failures" in alert:
        alert["min_failures"] = draw(st.sampled_from([1, 2, 3, 5, 10, 100]))


def indicator_window(draw: Draw, spec: dict[str, Any]) -> None:
    _, ind = _indicator(draw, spec)
    if "window" in ind:
        ind["window"] = draw(st.sampled_from(WINDOWS))


def indicator_by(draw: Draw, spec: dict[str, Any]) -> None:
    _, ind = _indicator(draw, spec)
    metric = spec["metrics"].get(ind.get("metric", ""), {})
    labels = sorted(metric.get("labels", {}))
    if labels:
        ind["by"] = draw(st.lists(st.sampled_from(labels), max_size=2, unique=True))


def indicator_options(draw: Draw, spec: dict[str, Any]) -> None:
    _, ind = _indicator(draw, spec)
    if "measure" in ind:
        ind["measure"] = draw(st.sampled_from(["success_ratio", "error_ratio"]))
    if "aggregation" in ind:
        ind["aggregation"] = draw(st.sampled_from(["max", "min", "avg", "sum"]))
    if ind.get("kind") == "gauge":
        ind["unit"] = draw(st.sampled_from(["ratio", "seconds", "percent", "per_second", "count", "bytes"]))
    if "baseline_offsets" in ind:
        ind["baseline_offsets"] = draw(st.sampled_from([["1d"], ["1w"], ["1d", "1w"], ["1w", "2w"]]))


def intervals(draw: Draw, spec: dict[str, Any]) -> None:
    settings = spec["settings"]
    settings["scrape_interval"] = draw(st.sampled_from(["10s", "15s", "30s", "1m"]))
    settings["evaluation_interval"] = draw(st.sampled_from(["10s", "15s", "30s", "1m"]))


def aggregation_labels(draw: Draw, spec: dict[str, Any]) -> None:
    spec["settings"]["aggregation_labels"] = draw(st.sampled_from([[], ["cluster"], ["cluster", "region"]]))


def rename_source(draw: Draw, spec: dict[str, Any]) -> None:
    """Rename a scrape job's key (consistently, or not: both must be handled)."""
    selectors = spec["settings"]["selectors"]
    old = draw(st.sampled_from(sorted(selectors)))
    new = draw(st.sampled_from(["api", "workers", "blackbox"]))
    if new in selectors:
        return
    selectors[new] = selectors.pop(old)
    if draw(st.booleans()):
        for metric in spec["metrics"].values():
            if metric["source"] == old:
                metric["source"] = new
    selectors[new]["job"] = draw(st.sampled_from(["billing-api", 'weird"job', "job\\x", "ünïcode"]))


def team_channels(draw: Draw, spec: dict[str, Any]) -> None:
    team = spec["teams"][draw(st.sampled_from(sorted(spec["teams"])))]
    choice = draw(st.sampled_from(["no pager", "no chat", "both"]))
    if choice in ("no pager", "both"):
        team.pop("pager", None)
    if choice in ("no chat", "both"):
        team.pop("chat", None)


def duplicate_panel(draw: Draw, spec: dict[str, Any]) -> None:
    dashboard = spec["dashboards"][draw(st.integers(0, len(spec["dashboards"]) - 1))]
    row = dashboard["rows"][draw(st.integers(0, len(dashboard["rows"]) - 1))]
    row["panels"].append(copy.deepcopy(row["panels"][draw(st.integers(0, len(row["panels"]) - 1))]))


def drop_alert(draw: Draw, spec: dict[str, Any]) -> None:
    alerts = spec["alerts"]
    if len(alerts) > 1:
        alerts.pop(draw(st.integers(0, len(alerts) - 1)))


MUTATIONS = [threshold_value, threshold_op, alert_for, alert_routing, alert_quantile, alert_guards,
             indicator_window, indicator_by, indicator_options, intervals, aggregation_labels, rename_source,
             team_channels, duplicate_panel, drop_alert]


@st.composite
def mutated_specs(draw: Draw, max_mutations: int = 3) -> dict[str, Any]:
    spec = copy.deepcopy(BASE)
    for _ in range(draw(st.integers(1, max_mutations))):
        draw(st.sampled_from(MUTATIONS))(draw, spec)
    return spec


# -- hostile mutations: anything anywhere ----------------------------------------------------------
HOSTILE_VALUES = st.one_of(
    st.sampled_from([None, [], {}, "", 0, -1, True, 10**30, float("nan"), float("inf"), 1e308, "{{ 7*7 }}",
                     'x",y="', "line\nbreak", "\x00", "é", [None], {"k": None}, [[[]]], "5m", "1040w", "-1m"]),
    st.text(max_size=20),
    st.integers(min_value=-10**6, max_value=10**6),
    st.floats(allow_nan=True, allow_infinity=True),
)


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix]
    if isinstance(node, dict):
        for key, value in node.items():
            out += _paths(value, (*prefix, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            out += _paths(value, (*prefix, index))
    return out


_ALL_PATHS = _paths(BASE)[1:]


@st.composite
def hostile_specs(draw: Draw, max_mutations: int = 3) -> dict[str, Any]:
    spec = copy.deepcopy(BASE)
    for _ in range(draw(st.integers(1, max_mutations))):
        path = draw(st.sampled_from(_ALL_PATHS))
        parent: Any = spec
        try:
            for part in path[:-1]:
                parent = parent[part]
            if draw(st.booleans()) or not isinstance(parent, dict):
                parent[path[-1]] = draw(HOSTILE_VALUES)
            else:  # a key renamed to something odd
                parent[draw(st.sampled_from(["", "x y", "__name__", "é", "k\nk"]))] = parent.pop(path[-1])
        except (KeyError, IndexError, TypeError):
            continue  # an earlier mutation changed the shape under this path
    return spec
