"""Where an SLO's good and bad events come from, per indicator kind.

Both SLI kinds end in the same two recorded series per SLO, over the 5m base window:
`slo:sli_events:rate5m` (all events/s) and `slo:sli_errors:rate5m` (bad events/s), each
with the SLO's `slo` label and the labels its indicator keeps. Everything longer is derived
from those two (see generators/slo/rules.py). They read the raw counters themselves
(two selective rates per SLO), so the SLO rule file depends on no other rule file.
"""

from __future__ import annotations

import math

from generators.durations import format_duration
from generators.kinds import kind_of
from generators.kinds.base import Recording, Series, base_labels, counter, example_values, series_key
from generators.kinds.quantile import QuantileIndicator
from generators.kinds.ratio import RatioIndicator
from generators.model import Matcher, Spec
from generators.promql import agg, on, quote, selector
from generators.slo.model import SLO
from generators.slo.names import ERRORS, EVENTS

SLI_KINDS = ("ratio", "quantile")


def slo_matcher(slo: SLO) -> str:
    return f"slo={quote(slo.key)}"


def events_series(slo: SLO) -> str:
    return f"{EVENTS}{{{slo_matcher(slo)}}}"


def errors_series(slo: SLO) -> str:
    return f"{ERRORS}{{{slo_matcher(slo)}}}"


def kept_labels(spec: Spec, slo: SLO) -> tuple[str, ...]:
    return kind_of(slo.indicator).kept_labels(spec, slo.indicator)


def le_value(bound: float) -> str:
    """The `le` text of a bucket bound ('1'), as the fixtures and the Go client write it."""
    return "+Inf" if math.isinf(bound) else f"{bound:g}"


def le_matcher(bound: float) -> Matcher:
    """Client libraries write le="1" (Go) or le="1.0" (Python): match both forms."""
    text = le_value(bound)
    forms = [text] if "." in text or "e" in text else [text, f"{text}.0"]
    return Matcher("le", "=~", "|".join(f.replace(".", "\\.").replace("+", "\\+") for f in forms))


def base_recordings(spec: Spec, slo: SLO, base: int) -> list[Recording]:
    """Events/s and bad events/s over the base window, read from the raw series.

    The SLO rule file stands alone (it reads no series another file records): its tests
    load it alone, and a group of another file would be read one interval late."""
    ind = slo.indicator
    kept = kept_labels(spec, slo)
    window = format_duration(base)
    label = (("slo", slo.key),)
    if isinstance(ind, RatioIndicator):
        events = agg("sum", kept, f"rate({selector(spec, ind.metric)}[{window}])")
        bad = agg("sum", kept, f"rate({selector(spec, ind.metric, ind.errors)}[{window}])")
        # a never-seen error series is zero errors, not "no data"
        errors = f"{bad}\n  or {on(kept)}\n{events_series(slo)} * 0"
    else:
        assert isinstance(ind, QuantileIndicator) and slo.latency_threshold is not None
        bucket = lambda m: agg("sum", kept, f"rate({selector(spec, ind.metric, (m,), suffix='_bucket')}[{window}])")  # noqa: E731
        events = bucket(Matcher("le", "=", "+Inf"))
        errors = f"{events_series(slo)}\n  - {on(kept)}\n{bucket(le_matcher(slo.latency_threshold))}"
    return [Recording(EVENTS, events, label), Recording(ERRORS, errors, label)]


def fixture_series(spec: Spec, slo: SLO, events: list[int], errors: list[int]) -> Series:
    """Raw input series whose events and bad events per sample are the given counts.

    Counters start at 0 at the first sample, so Prometheus' rate() never extrapolates
    (a counter born at the first sample) and the oracle's arithmetic is exact."""
    ind = slo.indicator
    good = [e - b for e, b in zip(events, errors, strict=True)]
    if isinstance(ind, RatioIndicator):
        labels = base_labels(spec, ind, ind.metric)
        bad_labels, ok_labels = dict(labels), dict(labels)
        for matcher in ind.errors:
            hit, miss = example_values(spec.metrics[ind.metric], matcher)  # type: ignore[misc]
            bad_labels[matcher.label], ok_labels[matcher.label] = hit, miss
        return {
            series_key(ind.metric, ok_labels): counter([0, *good[1:]]),
            series_key(ind.metric, bad_labels): counter([0, *errors[1:]]),
        }
    assert isinstance(ind, QuantileIndicator) and slo.latency_threshold is not None
    labels = base_labels(spec, ind, ind.metric)
    series: Series = {}
    for bound in [*spec.metrics[ind.metric].buckets, math.inf]:
        # good events sit in the threshold's own bucket, bad ones in the next one up
        counts = good if bound >= slo.latency_threshold else [0] * len(good)
        if bound > slo.latency_threshold:
            counts = events
        series[series_key(f"{ind.metric}_bucket", {**labels, "le": le_value(bound)})] = counter([0, *counts[1:]])
    return series


def fixture_labels(spec: Spec, slo: SLO) -> dict[str, str]:
    """Labels of the SLO's recorded series (and alerts) in the fixtures."""
    ind = slo.indicator
    kept = kept_labels(spec, slo)
    labels = {k: v for k, v in base_labels(spec, ind, ind.metrics()[0]).items() if k in kept}
    return {**labels, "slo": slo.key}
