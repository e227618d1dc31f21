"""Command line: python -m generators build|check [--spec PATH] [--out DIR] | import."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from generators.grafana_import import REQUEST_DEADLINE, run_import
from generators.outputs import diff_outputs, render_all, write_outputs
from generators.spec import SpecInvalid, load_spec


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = float("nan")
    if not 0 < value <= 3600:  # also false for nan
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds between 0 and 3600")
    return value


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
    imp.add_argument("--insecure", action="store_true",
                     help="allow plain http to a host other than this machine (the token travels in clear text)")
    imp.add_argument("--timeout", type=_seconds, default=REQUEST_DEADLINE, metavar="SECONDS",
                     help="deadline of each request, connect to last byte (default: %(default)g)")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "import":
        return run_import(Path(args.dashboards), args.folder_uid, args.folder_title,
                          insecure=args.insecure, deadline=args.timeout)
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
