"""metrics: the catalogue of the platform's metric contract."""

from __future__ import annotations

import math
from typing import Any

from generators.loader.checker import LABEL_NAME_RE, Checker, describe
from generators.loader.values import RAW_METRIC_RE
from generators.model import Metric, Settings

MAX_LABEL_VALUES = 50


def load_metrics(c: Checker, node: Any, line: int, settings: Settings | None) -> dict[str, Metric]:
    result: dict[str, Metric] = {}
    for name, body, kline, p in c.entries(node, line, "metrics", "metric name"):
        if not RAW_METRIC_RE.match(name):
            c.error(kline, p, "not a metric name (letters, digits and _; colons are for recording rules)")
            continue
        m = c.mapping(body, p, kline, required=("type", "source", "help"), optional=("labels", "buckets"))
        if m is None:
            continue
        mtype = c.value(m, "type", p, str, "", lambda v: None if v in (
            "counter", "gauge", "histogram") else "must be counter, gauge or histogram")
        source = c.value(m, "source", p, str, "")
        if settings is not None and source and source not in settings.selectors:
            c.error(m.key_lines["source"], f"{p}.source",
                    f"unknown source {describe(source)}; define it under settings.selectors "
                    f"(known: {', '.join(sorted(settings.selectors))})")
            source = ""
        if mtype == "counter" and not name.endswith("_total"):
            c.error(m.key_lines["type"], f"{p}.type", "counter names must end in _total")
            mtype = ""
        labels = _labels(c, m.get("labels"), c.line_of(m, "labels"), f"{p}.labels") if "labels" in m else {}
        buckets = _buckets(c, m, p)
        if mtype == "histogram" and not buckets and "buckets" not in m:
            c.error(m.line, p, "a histogram needs its bucket boundaries: buckets: [0.1, 0.5, 1, ...]")
            mtype = ""
        if not mtype or not source or labels is None or buckets is None:
            continue
        result[name] = Metric(name, mtype, source, c.text(m, "help", p), labels, buckets)
    return result


def _labels(c: Checker, node: Any, line: int, p: str) -> dict[str, tuple[str, ...]] | None:
    labels: dict[str, tuple[str, ...]] = {}
    ok = True
    for label, values, kline, lp in c.entries(node, line, p, "label name"):
        if not LABEL_NAME_RE.match(label) or label.startswith("__") or label == "le":
            c.error(kline, lp, "not a label name the platform may expose (le and __* are reserved)")
            ok = False
            continue
        if (not isinstance(values, list) or not values or len(values) > MAX_LABEL_VALUES
                or not all(isinstance(v, str) and v and v.isprintable() for v in values)):
            c.error(kline, lp, f"list the label's known or example values as strings (1 to {MAX_LABEL_VALUES}, "
                    "printable), e.g. [\"200\", \"500\"]")
            ok = False
            continue
        labels[label] = tuple(dict.fromkeys(values))
    return labels if ok else None


def _buckets(c: Checker, m: Any, p: str) -> tuple[float, ...] | None:
    if "buckets" not in m:
        return ()
    buckets = m["buckets"]
    if (not isinstance(buckets, list) or not buckets or len(buckets) > 100
            or not all(isinstance(b, (int, float)) and not isinstance(b, bool) and math.isfinite(b)
                       and 0 < b <= 1e9 for b in buckets)
            or list(buckets) != sorted(set(buckets))):
        c.error(m.key_lines["buckets"], f"{p}.buckets", "must be increasing positive numbers (at most 100)")
        return None
    return tuple(float(b) for b in buckets)
