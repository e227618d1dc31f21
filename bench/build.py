"""`make bench`: the build against the bare imports, builds of 1x/10x/100x specs, peak memory.

Every figure comes from one run of this command: the cases are interleaved (one run of
each case per repetition), so load from other processes hits them alike, and each figure
is the median of the repetitions after one warm-up pass (which also fills the bytecode
cache and checks every build exits 0). The generators are driven through their CLI only.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from bench.machine import describe, load_average
from bench.measure import Run, median, run_measured
from bench.specgen import write_scaled_spec

BARE_IMPORTS = "import grafanalib.core, yaml, jinja2, promql_parser"
GOAL_BUILD_VS_BARE = 1.3
GOAL_LARGEST_SECONDS = 5.0


@dataclass
class Case:
    label: str
    spec: Path | None  # None: the bare imports
    sizes: dict[str, int] = field(default_factory=dict)
    times: int | None = None  # Nx spec
    runs: list[Run] = field(default_factory=list)
    timed_out: bool = False

    @property
    def seconds(self) -> list[float]:
        return [r.seconds for r in self.runs]

    @property
    def median(self) -> float:
        return median(self.seconds)

    @property
    def peak_mb(self) -> float:
        return max((r.max_rss_kb for r in self.runs), default=0) / 1024


class BuildFailed(RuntimeError):
    pass


def _command(case: Case, out: Path) -> list[str]:
    if case.spec is None:
        return [sys.executable, "-c", BARE_IMPORTS]
    return [sys.executable, "-m", "generators", "build", "--spec", str(case.spec), "--out", str(out)]


def _run_once(case: Case, scratch: Path, timeout: float, record: bool) -> None:
    out = Path(tempfile.mkdtemp(prefix="out-", dir=scratch))  # fresh: every file is written
    try:
        run = run_measured(_command(case, out), timeout)
    finally:
        shutil.rmtree(out, ignore_errors=True)
    if run.timed_out:
        case.timed_out = True
        case.runs = [run]  # the killed run still tells "longer than the timeout" and its RSS so far
        return
    if run.returncode != 0:
        raise BuildFailed(f"{case.label}: exit {run.returncode}:\n{run.stderr}")
    if record:
        case.runs.append(run)


def run_build_bench(spec: Path, sizes: list[int], repeats: int, timeout: float) -> int:
    started = time.monotonic()
    print(f"make bench: {describe()}")
    print(f"medians of {repeats} interleaved runs after one warm-up pass; timeout {timeout:g} s per run\n")
    with tempfile.TemporaryDirectory(prefix="billing-bench-") as tmp:
        scratch = Path(tmp)
        cases = [Case("bare imports", None), Case(f"build {spec.name}", spec)]
        for times in sizes:
            path = scratch / f"spec-{times}x.yaml"
            cases.append(Case(f"build {times}x spec", path, write_scaled_spec(spec, times, path), times))
        cases[1].sizes = write_scaled_spec(spec, 1, scratch / "committed-counts.yaml")  # counts only
        try:
            for rep in range(repeats + 1):
                for case in cases:
                    if not case.timed_out:
                        _run_once(case, scratch, timeout, record=rep > 0)
        except BuildFailed as exc:
            print(f"FAILED: {exc}", file=sys.stderr)
            return 1
    _print_cases(cases, timeout)
    _print_scaling([c for c in cases if c.times is not None], timeout)
    print(f"\nload average at the end: {load_average()}; the bench took {time.monotonic() - started:.0f} s")
    return 0


def _fmt_seconds(case: Case, timeout: float) -> str:
    return f"> {timeout:g} (timeout)" if case.timed_out else f"{case.median:.3f}"


def _print_cases(cases: list[Case], timeout: float) -> None:
    bare = cases[0].median
    print(f"{'case':<24}{'alerts':>7}{'indic.':>7}{'panels':>7}{'median s':>18}{'min s':>8}{'max s':>8}"
          f"{'peak RSS MB':>13}{'vs bare':>9}")
    for case in cases:
        sizes = [str(case.sizes.get(k, "-")) for k in ("alerts", "indicators", "panels")]
        spread = ("", "") if case.timed_out else (f"{min(case.seconds):.3f}", f"{max(case.seconds):.3f}")
        ratio = "" if case.timed_out else f"{case.median / bare:.2f}x"
        rss = f"{'>= ' if case.timed_out else ''}{case.peak_mb:.1f}"
        print(f"{case.label:<24}{sizes[0]:>7}{sizes[1]:>7}{sizes[2]:>7}{_fmt_seconds(case, timeout):>18}"
              f"{spread[0]:>8}{spread[1]:>8}{rss:>13}{ratio:>9}")
    build = cases[1]
    if not build.timed_out:
        ratio = build.median / bare
        verdict = "met" if ratio <= GOAL_BUILD_VS_BARE else "NOT met"
        print(f"\ngoal: build <= {GOAL_BUILD_VS_BARE}x bare imports: {ratio:.2f}x, {verdict}")


def _print_scaling(sized: list[Case], timeout: float) -> None:
    if not sized:
        return
    print("\nscaling: per-alert cost = median / alerts; marginal = extra seconds per extra alert "
          "since the previous size")
    print(f"{'size':<8}{'alerts':>7}{'median s':>18}{'per alert ms':>14}{'marginal ms':>13}")
    previous: Case | None = None
    slopes: list[tuple[float, bool]] = []  # (marginal seconds per alert, lower bound only)
    for case in sized:
        alerts = case.sizes["alerts"]
        seconds = timeout if case.timed_out else case.median
        bound = "> " if case.timed_out else ""
        per_alert = f"{bound}{seconds / alerts * 1000:.1f}"
        marginal = ""
        if previous is not None and not previous.timed_out and alerts > previous.sizes["alerts"]:
            slope = (seconds - previous.median) / (alerts - previous.sizes["alerts"])
            slopes.append((slope, case.timed_out))
            marginal = f"{bound}{slope * 1000:.2f}"
        print(f"{case.times}x{'':<{7 - len(str(case.times))}}{alerts:>7}{_fmt_seconds(case, timeout):>18}"
              f"{per_alert:>14}{marginal:>13}")
        previous = case
    if len(slopes) >= 2 and slopes[0][0] > 0:
        (first, _), (last, bound) = slopes[0], slopes[-1]
        print(f"linearity ratio (last marginal / first marginal; 1.0 = linear): "
              f"{'> ' if bound else ''}{last / first:.2f}")
    largest = sized[-1]
    verdict = "NOT met" if largest.timed_out or largest.median > GOAL_LARGEST_SECONDS else "met"
    print(f"goal: {largest.times}x build <= {GOAL_LARGEST_SECONDS:g} s: {_fmt_seconds(largest, timeout)} s, {verdict}")
