"""Command line: python -m generators build|check [--spec PATH] [--out DIR]."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from generators.outputs import diff_outputs, render_all, write_outputs
from generators.spec import SpecInvalid, load_spec


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m generators", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    for name, text in (
        ("build", "render every output from the spec"),
        ("check", "fail when committed outputs differ from a fresh build"),
    ):
        cmd = sub.add_parser(name, help=text)
        cmd.add_argument("--spec", default="thresholds.yaml", help="threshold spec (default: %(default)s)")
        cmd.add_argument("--out", default=".", help="output root (default: %(default)s)")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    started = time.perf_counter()
    try:
        spec = load_spec(args.spec)
    except SpecInvalid as exc:
        print(f"{args.spec}: {len(exc.errors)} problem(s); nothing was written:", file=sys.stderr)
        for error in exc.errors:
            print(f"  {error}", file=sys.stderr)
        return 1
    files = render_all(spec)
    out = Path(args.out)
    if args.command == "check":
        problems = diff_outputs(files, out)
        if problems:
            print("generated files are out of date; run `make build` and commit:", file=sys.stderr)
            for problem in problems:
                print(f"  {problem}", file=sys.stderr)
            return 1
        print(f"check: {len(files)} generated files match {args.spec}")
        return 0
    changed = write_outputs(files, out)
    elapsed = time.perf_counter() - started
    print(f"build: {len(files)} files from {args.spec}, {len(changed)} changed ({elapsed * 1000:.0f} ms)")
    for rel in changed:
        print(f"  {rel}")
    return 0
