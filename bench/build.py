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
    def cpu_median(self) -> float:
        return median([r.cpu_seconds for r in self.runs])

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
    bare, bare_cpu = cases[0].median, cases[0].cpu_median
    print("wall = elapsed seconds (what the goals are about); CPU = user + system seconds of the build and "
          "the child\nit forks (two CPUs: the tests half renders there), which load from other processes "
          "inflates far less\nthan wall time; peak RSS = the larger of the two processes\n")
    print(f"{'case':<24}{'alerts':>7}{'indic.':>7}{'panels':>7}{'wall s':>18}{'min':>9}{'max':>9}{'CPU s':>8}"
          f"{'peak RSS MB':>13}{'wall/bare':>11}{'CPU/bare':>10}")
    for case in cases:
        sizes = [str(case.sizes.get(k, "-")) for k in ("alerts", "indicators", "panels")]
        if case.timed_out:  # the killed run's CPU so far
            spread, cpu, ratios = ("", ""), f">= {case.runs[0].cpu_seconds:.1f}", ("", "")
        else:
            spread = (f"{min(case.seconds):.3f}", f"{max(case.seconds):.3f}")
            cpu = f"{case.cpu_median:.3f}"
            ratios = (f"{case.median / bare:.2f}x", f"{case.cpu_median / bare_cpu:.2f}x")
        rss = f"{'>= ' if case.timed_out else ''}{case.peak_mb:.1f}"
        print(f"{case.label:<24}{sizes[0]:>7}{sizes[1]:>7}{sizes[2]:>7}{_fmt_seconds(case, timeout):>18}"
              f"{spread[0]:>9}{spread[1]:>9}{cpu:>8}{rss:>13}{ratios[0]:>11}{ratios[1]:>10}")
    build = cases[1]
    if not build.timed_out:
        ratio = build.median / bare
        verdict = "met" if ratio <= GOAL_BUILD_VS_BARE else "NOT met"
        print(f"\ngoal: build <= {GOAL_BUILD_VS_BARE}x bare imports: {ratio:.2f}x wall "
              f"({build.cpu_median / bare_cpu:.2f}x CPU), {verdict}")


def _print_scaling(sized: list[Case], timeout: float) -> None:
    if not sized:
        return
    print("\nscaling: per alert = wall / alerts; marginal = extra wall (CPU) ms per extra alert since the "
          "previous size")
    print(f"{'size':<8}{'alerts':>7}{'wall s':>18}{'CPU s':>8}{'per alert ms':>14}{'marginal ms':>13}"
          f"{'marginal CPU ms':>17}")
    previous: Case | None = None
    slopes: list[tuple[float, float | None, bool]] = []  # (wall, CPU s per extra alert, lower bound only)
    for case in sized:
        alerts = case.sizes["alerts"]
        seconds = timeout if case.timed_out else case.median
        bound = "> " if case.timed_out else ""
        marginal = marginal_cpu = ""
        if previous is not None and not previous.timed_out and alerts > previous.sizes["alerts"]:
            extra = alerts - previous.sizes["alerts"]
            slope = (seconds - previous.median) / extra
            cpu = case.runs[0].cpu_seconds if case.timed_out else case.cpu_median  # killed: CPU so far
            cpu_slope = (cpu - previous.cpu_median) / extra
            slopes.append((slope, cpu_slope, case.timed_out))
            marginal = f"{bound}{slope * 1000:.2f}"
            marginal_cpu = f"{bound}{cpu_slope * 1000:.2f}"
        cpu = f">= {case.runs[0].cpu_seconds:.1f}" if case.timed_out else f"{case.cpu_median:.3f}"
        print(f"{case.times}x{'':<{7 - len(str(case.times))}}{alerts:>7}{_fmt_seconds(case, timeout):>18}{cpu:>8}"
              f"{bound + format(seconds / alerts * 1000, '.1f'):>14}{marginal:>13}{marginal_cpu:>17}")
        previous = case
    if len(slopes) >= 2 and slopes[0][0] > 0 and slopes[0][1] > 0:
        (first, first_cpu, _), (last, last_cpu, bound) = slopes[0], slopes[-1]
        ratios = [f"{'> ' if bound else ''}{r:.2f} {what}" for r, what in
                  ((last / first, "wall"), (last_cpu / first_cpu, "CPU")) if not (bound and r <= 1)]
        # a lower bound <= 1 (from a timed-out run) says nothing about linearity
        print("linearity ratio (last marginal / first marginal; 1.0 = linear): "
              + (", ".join(ratios) if ratios else "unknown, the largest size timed out (raise TIMEOUT)"))
    largest = sized[-1]
    verdict = "NOT met" if largest.timed_out or largest.median > GOAL_LARGEST_SECONDS else "met"
    print(f"goal: {largest.times}x build <= {GOAL_LARGEST_SECONDS:g} s: {_fmt_seconds(largest, timeout)} s, {verdict}")
