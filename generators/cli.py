"""Command line: python -m generators build|check [--spec PATH] [--out DIR] | import | backtest."""

from __future__ import annotations

import argparse
import contextlib
import gc
import signal
import sys
import time
from pathlib import Path

from generators.backtest import arguments as backtest_arguments
from generators.console import emit
from generators.forked import ChildFailed
from generators.loader.build import SpecInvalid, load_spec
from generators.outputs import render_all, render_parts
from generators.writer import OutputRootError, WriteFailed, diff_outputs, write_output_parts

IMPORT_DEADLINE = 30.0  # generators.grafana_import.REQUEST_DEADLINE (tests/test_import.py checks they agree)


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
    imp.add_argument("--timeout", type=_seconds, default=IMPORT_DEADLINE, metavar="SECONDS",
                     help="deadline of each request, connect to last byte (default: %(default)g)")
    backtest_arguments.add_parser(sub)
    return parser


def _stop_on_sigterm(signum: int, frame: object) -> None:
    raise SystemExit(128 + signum)  # unwinds: a build cleans up its staging or rolls back


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.command == "import":
            from generators.grafana_import import run_import  # http.client and ssl: only for this command

            return run_import(Path(args.dashboards), args.folder_uid, args.folder_title,
                              insecure=args.insecure, deadline=args.timeout)
        if args.command == "backtest":
            from generators.backtest import command as backtest  # only this command pays for its imports

            return backtest.run(args)
        signal.signal(signal.SIGTERM, _stop_on_sigterm)
        # A build allocates millions of objects and frees them by reference counting; the
        # cycle collector only rescanned the growing heap (a quarter of a 100x build's CPU,
        # same peak memory without it). Restored afterwards for callers in the same process
        # (the tests call main() in-process).
        collecting = gc.isenabled()
        gc.disable()
        try:
            return _build_or_check(args)
        finally:
            if collecting:
                gc.enable()
    except KeyboardInterrupt:
        emit(f"{args.command}: interrupted; the outputs are unchanged or complete, never mixed", sys.stderr)
        return 130


def _build_or_check(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    try:
        spec = load_spec(args.spec, args.profile)
    except SpecInvalid as exc:
        emit(f"{args.spec}: {len(exc.errors)} problem(s); nothing was written:", sys.stderr)
        for error in exc.errors:
            emit(f"  {error}", sys.stderr)
        return 1
    rendered: list[str] = []
    try:
        if args.command == "check":
            return _check(render_all(spec), args)
        with contextlib.closing(render_parts(spec)) as parts:
            changed = write_output_parts((_counted(part, rendered) for part in parts), args.out)
    except ChildFailed as exc:  # the second process was killed (SIGKILL, the OOM killer)
        emit(f"{args.command}: {exc}; nothing was written", sys.stderr)
        return 1
    except OutputRootError as exc:
        emit(f"{args.command}: {exc}", sys.stderr)
        return 2
    except WriteFailed as exc:
        emit(f"{args.command}: {exc}", sys.stderr)
        return 1
    elapsed = time.perf_counter() - started
    emit(f"build: {len(rendered)} files from {args.spec}, {len(changed)} changed ({elapsed * 1000:.0f} ms)")
    for rel in changed:
        emit(f"  {rel}")
    return 0


def _counted(part: dict[str, str], paths: list[str]) -> dict[str, str]:
    paths += part
    return part


def _check(files: dict[str, str], args: argparse.Namespace) -> int:
    problems = diff_outputs(files, args.out)
    if problems:
        emit("generated files are out of date; run `make build` and commit:", sys.stderr)
        for problem in problems:
            emit(f"  {problem}", sys.stderr)
        return 1
    emit(f"check: {len(files)} generated files match {args.spec}")
    return 0
