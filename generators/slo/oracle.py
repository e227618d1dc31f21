"""The SLO rules evaluated in Python, sample by sample, with PromQL's arithmetic.

Input: events and bad events per sample (counters born at the first sample, so rate()
never extrapolates: over a range whose first sample is the counter's 0, Prometheus'
extrapolation stops at the zero point). Output: the recorded 5m rates, every window's
error ratio and burn rate, the budget remaining, and each alert's state and value. The
test generator plans its checks from this; promtool then proves every one of them
against the real rule file.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from generators.slo.model import BASE_WINDOW, SLO, BurnPolicy, BurnWindow


@dataclass
class Oracle:
    slo: SLO
    step: int  # seconds between samples and between rule evaluations
    events: list[int]  # events per sample (index 0 is the counters' birth: ignored)
    errors: list[int]
    guard: bool = True  # False: the alert without the low-traffic guard (to show the guard matters)

    @property
    def end(self) -> int:
        return len(self.events)

    def _rate(self, increments: list[int]) -> list[float | None]:
        w = BASE_WINDOW // self.step
        total, cumulative = 0, []
        for i, inc in enumerate(increments):
            total += inc if i else 0
            cumulative.append(total)
        return [None] + [(cumulative[i] - cumulative[max(0, i - w)]) / BASE_WINDOW for i in range(1, self.end)]

    @cached_property
    def events_rate(self) -> list[float | None]:
        return self._rate(self.events)

    @cached_property
    def errors_rate(self) -> list[float | None]:
        return self._rate(self.errors)

    @staticmethod
    def _prefix(series: list[float | None]) -> tuple[list[float], list[int]]:
        sums, counts, s, c = [0.0], [0], 0.0, 0
        for v in series:
            if v is not None:
                s, c = s + v, c + 1
            sums.append(s)
            counts.append(c)
        return sums, counts

    @cached_property
    def _events_prefix(self) -> tuple[list[float], list[int]]:
        return self._prefix(self.events_rate)

    @cached_property
    def _errors_prefix(self) -> tuple[list[float], list[int]]:
        return self._prefix(self.errors_rate)

    def _window(self, prefix: tuple[list[float], list[int]], i: int, window: int) -> tuple[float, int]:
        """Sum and count of a recorded series' samples in [t - window, t] (both ends
        included in Prometheus 2.x). Prefix sums: the oracle stays linear in the test length;
        the sums differ from Prometheus' sample-by-sample ones only in the last bits."""
        lo = max(0, i - window // self.step)
        sums, counts = prefix
        return sums[i + 1] - sums[lo], counts[i + 1] - counts[lo]

    def ratio(self, i: int, window: int) -> float | None:
        if window == BASE_WINDOW:
            e, t = self.errors_rate[i], self.events_rate[i]
            return None if e is None or t is None or t == 0 else e / t
        events, count = self._window(self._events_prefix, i, window)
        if not count or events <= 0:
            return None
        return self._window(self._errors_prefix, i, window)[0] / events

    def burn(self, i: int, window: int) -> float | None:
        return self._series(window)[0][i]

    def _series(self, window: int) -> tuple[list[float | None], list[float]]:
        """Burn rate and bad events of a window at every sample, computed once (inline
        arithmetic: the build plans every generated test with these)."""
        cache: dict[int, tuple[list[float | None], list[float]]] = self.__dict__.setdefault("_cache", {})
        if window in cache:
            return cache[window]
        budget, w = self.slo.budget, window // self.step
        es, ec = self._events_prefix
        rs, rc = self._errors_prefix
        burns: list[float | None] = []
        bad: list[float] = []
        for i in range(self.end):
            lo = i - w if i > w else 0
            if window == BASE_WINDOW:
                e, t = self.errors_rate[i], self.events_rate[i]
                burns.append(None if e is None or t is None or t == 0 else e / t / budget)
            else:
                events = es[i + 1] - es[lo]
                burns.append((rs[i + 1] - rs[lo]) / events / budget if ec[i + 1] - ec[lo] and events > 0 else None)
            count = rc[i + 1] - rc[lo]
            bad.append((rs[i + 1] - rs[lo]) / count * window if count else 0.0)
        cache[window] = (burns, bad)
        return cache[window]

    def budget_remaining(self, i: int) -> float | None:
        r = self.ratio(i, self.slo.window)
        return None if r is None else 1 - r / self.slo.budget

    def bad_events(self, i: int, window: int) -> float:
        return self._series(window)[1][i]

    def _bad_events(self, i: int, window: int) -> float:
        """avg_over_time(errors rate[window]) * window: bad events in the window."""
        total, count = self._window(self._errors_prefix, i, window)
        return total / count * window if count else 0.0

    def _holds(self, i: int, bw: BurnWindow) -> float | None:
        long, short = self.burn(i, bw.long), self.burn(i, bw.short)
        if long is None or short is None or not (long > bw.factor and short > bw.factor):
            return None
        if self.guard and not self.bad_events(i, bw.long) >= self.slo.min_errors:
            return None
        return long

    def value(self, i: int, policy: BurnPolicy) -> float | None:
        """The alert's $value at sample i (the long-window burn of the first pair that
        holds, as PromQL's `or` keeps its left side), or None when it does not fire."""
        for bw in policy.windows:
            v = self._holds(i, bw)
            if v is not None:
                return v
        return None

    def firing(self, i: int, policy: BurnPolicy) -> bool:
        return self.value(i, policy) is not None

    def first_firing(self, policy: BurnPolicy, start: int, stop: int | None = None) -> int | None:
        return next((i for i in range(start, stop or self.end) if self.firing(i, policy)), None)

    def first_quiet(self, policy: BurnPolicy, start: int) -> int | None:
        return next((i for i in range(start, self.end) if not self.firing(i, policy)), None)
