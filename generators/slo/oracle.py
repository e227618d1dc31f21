"""The SLO rules evaluated in Python, sample by sample, with PromQL's arithmetic.

Input: events and bad events per sample (counters born at the first sample, so rate()
never extrapolates: over a range whose first sample is the counter's 0, Prometheus'
extrapolation stops at the zero point). Output: the recorded 5m rates, every window's
bad events, error ratio, coverage and burn rate, the budget remaining, and each alert's
state and value. The test generator plans its checks from this; promtool then proves
every one of them against the real rule file.

The windows are subqueries `[W:5m]`: points at every multiple of 5m (since the epoch, i.e.
since the test's start) in [t - W, t], both ends included, each the base rate at that
instant. The generated tests sample every 1m or 5m, so each grid point is a sample.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from itertools import accumulate

from generators.slo.model import BASE_WINDOW, COVERED, SLO, BurnPolicy, BurnWindow

_Series = tuple[list[float | None], list[float], list[float]]  # burn rate, bad events, coverage


@dataclass(frozen=True)
class _Traffic:
    """The base 5m rates at every sample and their prefix sums over the grid points."""

    events_rate: list[float | None]
    errors_rate: list[float | None]
    grid_events: list[float]
    grid_errors: list[float]
    grid_count: list[int]
    # Oracle.value's answers at single samples, shared by the oracles on this traffic (a
    # 100x spec asks a hundred copies of an SLO the same questions): (sample, id(policy),
    # budget, min_errors, guard, coverage gate) -> (policy, value)
    answers: dict[tuple[int, int, float, float, bool, bool], tuple[BurnPolicy, float | None]] = field(
        default_factory=dict, compare=False, repr=False)


def _rate(step: int, increments: tuple[int, ...]) -> list[float | None]:
    """rate() over the base window at every sample; sample 0 is the counters' birth."""
    w, n = BASE_WINDOW // step, len(increments)
    cumulative = list(accumulate(increments[1:], initial=0))  # the counter's value at each sample
    # sample i reads the counter at i and at max(0, i - w)
    earlier = [cumulative[0]] * min(w, n - 1) + cumulative[1:max(1, n - w)]
    return [None, *((c - e) / BASE_WINDOW for c, e in zip(cumulative[1:], earlier, strict=True))]


# The test planning builds about a thousand oracles per 100 SLO scenarios, most of them on
# traffic another one already has (a case padded to the shared length, the unguarded and
# ungated counterparts, SLOs with the same objective): the rates and window series are
# pure functions of (step, traffic[, budget, window]), so they are computed once per build.
# Callers must not modify the lists returned.
@lru_cache(maxsize=512)
def _traffic(step: int, events: tuple[int, ...], errors: tuple[int, ...]) -> _Traffic:
    events_rate, errors_rate = _rate(step, events), _rate(step, errors)
    every = BASE_WINDOW // step
    # prefix sums over the grid points (k * 5m), which are samples k * every
    grid_events, grid_errors, grid_count = [0.0], [0.0], [0]
    for k in range(0, (len(events) - 1) // every + 1):
        ev, er = events_rate[k * every], errors_rate[k * every]
        present = ev is not None and er is not None
        grid_events.append(grid_events[-1] + (ev or 0.0))
        grid_errors.append(grid_errors[-1] + (er or 0.0))
        grid_count.append(grid_count[-1] + present)
    return _Traffic(events_rate, errors_rate, grid_events, grid_errors, grid_count)


@lru_cache(maxsize=256)
def _window_bounds(step: int, n: int, window: int) -> tuple[list[int], list[int]]:
    """For each sample, the prefix-sum indices of the grid points in its window: points
    lo .. hi-1 are at or after now - window and at or before now. The same for every SLO
    and scenario of a length, so computed once per (step, length, window)."""
    his = [i * step // BASE_WINDOW + 1 for i in range(n)]
    los = [max(0, -(-(i * step - window) // BASE_WINDOW)) for i in range(n)]
    return his, los


@lru_cache(maxsize=2048)
def _window_series(step: int, events: tuple[int, ...], errors: tuple[int, ...], budget: float,
                   window: int) -> _Series:
    """Burn rate, bad events and coverage of a window at every sample (plain local arithmetic,
    one comprehension per quantity: the test planning asks for a hundred thousand samples)."""
    traffic, n = _traffic(step, events, errors), len(events)
    if window == BASE_WINDOW:
        burns = [None if e is None or t is None or t == 0 else e / t / budget
                 for e, t in zip(traffic.errors_rate, traffic.events_rate, strict=True)]
        return burns, [0.0] * n, [0.0] * n
    ge, gr, gc, expected = traffic.grid_events, traffic.grid_errors, traffic.grid_count, window // BASE_WINDOW
    his, los = _window_bounds(step, n, window)
    counts = [gc[hi] - gc[lo] for hi, lo in zip(his, los, strict=True)]
    errors_in = [(gr[hi] - gr[lo]) * BASE_WINDOW for hi, lo in zip(his, los, strict=True)]
    events_in = [(ge[hi] - ge[lo]) * BASE_WINDOW for hi, lo in zip(his, los, strict=True)]
    burns = [er / ev / budget if count and ev > 0 else None
             for count, er, ev in zip(counts, errors_in, events_in, strict=True)]
    bad = [er if count else 0.0 for count, er in zip(counts, errors_in, strict=True)]
    coverage = [min(1.0, count / expected) for count in counts]
    return burns, bad, coverage


@dataclass
class Oracle:
    slo: SLO
    step: int  # seconds between samples and between rule evaluations; divides BASE_WINDOW
    events: list[int]  # events per sample (index 0 is the counters' birth: ignored); not modified afterwards
    errors: list[int]
    guard: bool = True  # False: without the low-traffic guard (to show the guard matters)
    coverage_gate: bool = True  # False: without the coverage condition (to show it matters)
    _values: dict[int, tuple[BurnPolicy, list[float | None]]] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        assert BASE_WINDOW % self.step == 0, "grid points must be samples"
        self._traffic_key = (self.step, tuple(self.events), tuple(self.errors))
        traffic = self._traffic = _traffic(*self._traffic_key)  # kept: the key's hash is a pass over it
        self.events_rate = traffic.events_rate
        self.errors_rate = traffic.errors_rate

    @property
    def end(self) -> int:
        return len(self.events)

    def _point(self, i: int, window: int) -> tuple[float | None, float, float]:
        """Burn rate, bad events and coverage of a window at sample i: the arithmetic of
        _window_series at one sample (a test asks a padded scenario about a few samples;
        the whole series of every window would be computed for those few)."""
        traffic = self._traffic
        if window == BASE_WINDOW:
            e, t = traffic.errors_rate[i], traffic.events_rate[i]
            return (None if e is None or t is None or t == 0 else e / t / self.slo.budget), 0.0, 0.0
        now = i * self.step
        hi, lo = now // BASE_WINDOW + 1, max(0, -(-(now - window) // BASE_WINDOW))
        count = traffic.grid_count[hi] - traffic.grid_count[lo]
        errors_in = (traffic.grid_errors[hi] - traffic.grid_errors[lo]) * BASE_WINDOW
        events_in = (traffic.grid_events[hi] - traffic.grid_events[lo]) * BASE_WINDOW
        burn = errors_in / events_in / self.slo.budget if count and events_in > 0 else None
        return burn, (errors_in if count else 0.0), min(1.0, count / (window // BASE_WINDOW))

    def burn(self, i: int, window: int) -> float | None:
        return self._point(i, window)[0]

    def bad_events(self, i: int, window: int) -> float:
        return self._point(i, window)[1]

    def coverage(self, i: int, window: int) -> float:
        return self._point(i, window)[2]

    def ratio(self, i: int, window: int) -> float | None:
        b = self.burn(i, window)
        return None if b is None else b * self.slo.budget

    def budget_remaining(self, i: int) -> float | None:
        r = self.ratio(i, self.slo.window)
        return None if r is None else 1 - r / self.slo.budget

    def _holds(self, i: int, bw: BurnWindow) -> float | None:
        long, bad, coverage = self._point(i, bw.long)
        short = self._point(i, bw.short)[0]
        if long is None or short is None or not (long > bw.factor and short > bw.factor):
            return None
        if self.guard and not bad >= self.slo.min_errors:
            return None
        if self.coverage_gate and not coverage >= COVERED:
            return None
        return long

    def value(self, i: int, policy: BurnPolicy) -> float | None:
        """The alert's $value at sample i (the long-window burn of the first pair that
        holds, as PromQL's `or` keeps its left side), or None when it does not fire. From
        the whole series when it is known, else at this sample alone."""
        known = self._values.get(id(policy))
        if known is not None and known[0] is policy:
            return known[1][i]
        i = range(self.end)[i]  # an index as a list takes it (negative from the end; out of range: IndexError)
        key = (i, id(policy), self.slo.budget, self.slo.min_errors, self.guard, self.coverage_gate)
        answer = self._traffic.answers.get(key)
        if answer is None or answer[0] is not policy:
            value = next((v for bw in policy.windows if (v := self._holds(i, bw)) is not None), None)
            answer = self._traffic.answers[key] = (policy, value)
        return answer[1]

    def values(self, policy: BurnPolicy) -> list[float | None]:
        """value(i, policy) at every sample (callers must not modify the list): the planning
        asks for most samples of every scenario, and oracles on the same traffic share it."""
        # per oracle by identity: hashing the traffic key costs a pass over it, and a policy's
        # hash one over its windows (the policy is kept, so its id stays its own)
        known = self._values.get(id(policy))
        if known is None or known[0] is not policy:
            known = self._values[id(policy)] = (policy, _values(
                self._traffic_key, self.slo.budget, self.slo.min_errors, self.guard, self.coverage_gate, policy))
        return known[1]

    def firing(self, i: int, policy: BurnPolicy) -> bool:
        return self.values(policy)[i] is not None

    def first_firing(self, policy: BurnPolicy, start: int, stop: int | None = None) -> int | None:
        values = self.values(policy)
        return next((i for i in range(start, stop or self.end) if values[i] is not None), None)

    def first_quiet(self, policy: BurnPolicy, start: int) -> int | None:
        values = self.values(policy)
        return next((i for i in range(start, self.end) if values[i] is None), None)


@lru_cache(maxsize=1024)
def _values(traffic: tuple[int, tuple[int, ...], tuple[int, ...]], budget: float, min_errors: float, guard: bool,
            coverage_gate: bool, policy: BurnPolicy) -> list[float | None]:
    """Oracle.values: the conditions of Oracle._holds, pair after pair, at every sample in
    one pass per pair (tests/test_slo.py compares the two)."""
    n = len(traffic[1])
    out: list[float | None] = [None] * n
    for bw in policy.windows:
        longs, bad, coverage = _window_series(*traffic, budget, bw.long)
        shorts = _window_series(*traffic, budget, bw.short)[0]
        factor = bw.factor
        for i in range(n):
            if out[i] is not None:
                continue  # an earlier pair holds: `or` keeps its left side
            long, short = longs[i], shorts[i]
            if long is None or short is None or not (long > factor and short > factor):
                continue
            if guard and not bad[i] >= min_errors:
                continue
            if coverage_gate and not coverage[i] >= COVERED:
                continue
            out[i] = long
    return out
