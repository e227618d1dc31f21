"""Command line: python -m generators build|check [--spec PATH] [--out DIR] | import | backtest."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from generators.backtest import command as backtest
from generators.grafana_import import run_import
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
        cmd.add_argument("--profile", help="overlay profiles.NAME of the spec (e.g. e2e)")
    imp = sub.add_parser("import", help="upload dashboards/ to Grafana (GRAFANA_URL, GRAFANA_TOKEN)")
    imp.add_argument("--dashboards", default="dashboards", help="folder of dashboard JSON (default: %(default)s)")
    imp.add_argument("--folder-uid", default="billing", help="Grafana folder uid (default: %(default)s)")
    imp.add_argument("--folder-title", default="Billing", help="title if the folder is created")
    backtest.add_parser(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "import":
        return run_import(Path(args.dashboards), args.folder_uid, args.folder_title)
    if args.command == "backtest":
        return backtest.run(args)
    started = time.perf_counter()
    try:
        spec = load_spec(args.spec, args.profile)
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
