"""python -m bench build|spec: the benchmarks of issue 8 (see README, "Benchmarks")."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from bench.build import run_build_bench
from bench.specgen import SpecShapeError, write_scaled_spec


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    build = sub.add_parser("build", help="build time vs bare imports, Nx specs, peak memory (make bench)")
    build.add_argument("--spec", type=Path, default=Path("thresholds.yaml"))
    build.add_argument("--sizes", type=int, nargs="+", default=[1, 10, 100], help="spec multiples (default: 1 10 100)")
    build.add_argument("--repeats", type=int, default=5, help="measured runs per case (default: %(default)s)")
    build.add_argument("--timeout", type=float, default=60, help="seconds per run (default: %(default)s)")
    spec = sub.add_parser("spec", help="write an N-times larger spec")
    spec.add_argument("--spec", type=Path, default=Path("thresholds.yaml"))
    spec.add_argument("--times", type=int, required=True)
    spec.add_argument("--out", type=Path, required=True)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.command == "build":
            if args.repeats < 1 or any(n < 1 for n in args.sizes):
                print("--repeats and every --sizes value must be >= 1", file=sys.stderr)
                return 2
            return run_build_bench(args.spec, sorted(set(args.sizes)), args.repeats, args.timeout)
        if args.command == "spec":
            print(write_scaled_spec(args.spec, args.times, args.out))
            return 0
    except (OSError, SpecShapeError, ValueError) as exc:
        print(f"python -m bench {args.command}: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    return 2


if __name__ == "__main__":
    sys.exit(main())
