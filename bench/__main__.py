"""python -m bench build|rules|spec: the benchmarks of issue 8 (see README, "Benchmarks")."""

from __future__ import annotations

import argparse
import signal
import sys
from pathlib import Path

from bench.build import run_build_bench
from bench.history import CatalogueError
from bench.rules import Options, run_rules_bench
from bench.ruleset import RuleFileError, seconds
from bench.specgen import SpecShapeError, write_scaled_spec


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    build = sub.add_parser("build", help="build time vs bare imports, Nx specs, peak memory (make bench)")
    build.add_argument("--spec", type=Path, default=Path("thresholds.yaml"))
    build.add_argument("--sizes", type=int, nargs="+", default=[1, 10, 100], help="spec multiples (default: 1 10 100)")
    build.add_argument("--repeats", type=int, default=5, help="measured runs per case (default: %(default)s)")
    build.add_argument("--timeout", type=float, default=60, help="seconds per run (default: %(default)s)")
    rules = sub.add_parser("rules", help="rule evaluation cost on a real Prometheus (make bench-rules)")
    rules.add_argument("--spec", type=Path, default=Path("thresholds.yaml"), help="metric catalogue and selectors")
    rules.add_argument("--rules", type=Path, default=Path("alerts/billing.rules.yml"))
    rules.add_argument("--series", type=int, nargs="+", default=[20_000, 100_000],
                       help="approximate series counts, one run each (default: 20000 100000)")
    rules.add_argument("--replicas", type=int, default=20, help="targets per cluster (default: %(default)s)")
    rules.add_argument("--warmup", type=int, default=2, help="rounds not measured (default: %(default)s)")
    rules.add_argument("--rounds", type=int, default=6, help="measured rounds (default: %(default)s)")
    rules.add_argument("--eval", dest="eval_interval", help="override every group's interval, e.g. 30s")
    rules.add_argument("--history", help="history length, e.g. 2h (default: what the rules reach back)")
    rules.add_argument("--idle", help="CPU baseline without rules, e.g. 60s; 0s skips it (default: 2 scrape "
                       "intervals)")
    spec = sub.add_parser("spec", help="write an N-times larger spec")
    spec.add_argument("--spec", type=Path, default=Path("thresholds.yaml"))
    spec.add_argument("--times", type=int, required=True)
    spec.add_argument("--out", type=Path, required=True)
    return parser


def _interrupt(signum: int, _frame: object) -> None:
    raise KeyboardInterrupt  # SIGTERM stops servers and removes temp dirs like Ctrl-C does


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        if args.command == "build":
            if args.repeats < 1 or any(n < 1 for n in args.sizes):
                print("--repeats and every --sizes value must be >= 1", file=sys.stderr)
                return 2
            return run_build_bench(args.spec, sorted(set(args.sizes)), args.repeats, args.timeout)
        if args.command == "rules":
            if min(args.series) < 1 or min(args.replicas, args.rounds) < 1 or args.warmup < 0:
                print("--series, --replicas and --rounds must be >= 1, --warmup >= 0", file=sys.stderr)
                return 2
            if args.eval_interval:
                seconds(args.eval_interval)  # a clear error now rather than from Prometheus later
            return run_rules_bench(Options(
                args.spec, args.rules, args.series, args.replicas, args.warmup, args.rounds, args.eval_interval,
                seconds(args.history) if args.history else None, seconds(args.idle) if args.idle else None))
        if args.command == "spec":
            print(write_scaled_spec(args.spec, args.times, args.out))
            return 0
    except (OSError, SpecShapeError, CatalogueError, RuleFileError, ValueError, RuntimeError) as exc:
        print(f"python -m bench {args.command}: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    return 2


if __name__ == "__main__":
    sys.exit(main())
