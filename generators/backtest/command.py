"""`python -m generators backtest`: arguments, the run, one clear line per error."""

from __future__ import annotations

import argparse
import os
import sys
import time
from typing import TextIO

from generators.backtest.client import PrometheusClient, QueryError
from generators.backtest.compare import compare
from generators.backtest.coverage import CoverageError
from generators.backtest.engine import Engine
from generators.backtest.promql_text import Untranslatable
from generators.backtest.report import RunInfo, render_json, render_markdown, render_text
from generators.backtest.routing import RoutingError
from generators.backtest.rulefile import RuleFileError
from generators.backtest.run import PlanError, backtest, prepare
from generators.backtest.source import SourceError, rendered_outputs
from generators.backtest.timeutil import TimeInputError, parse_duration, parse_instant

DEFAULT_TOKEN_ENV = "PROMETHEUS_BEARER_TOKEN"


class UsageError(ValueError):
    pass


def add_parser(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    cmd = sub.add_parser("backtest", help="how often each alert would have fired over real history",
                         description="Evaluate every alert of the spec over history from a Prometheus-compatible "
                                     "query API, with recordings inlined; report episodes and notifications.")
    cmd.add_argument("--url", default=os.environ.get("PROMETHEUS_URL"),
                     help="query API base: http://prometheus:9090, Thanos query, or Mimir's .../prometheus "
                          "(default: $PROMETHEUS_URL)")
    when = cmd.add_argument_group("period (default: the last 7d)")
    when.add_argument("--since", help="period length ending at --end (e.g. 7d, 36h)")
    when.add_argument("--start", help="RFC 3339 or Unix time")
    when.add_argument("--end", help="RFC 3339 or Unix time (default: now)")
    cmd.add_argument("--step", help="evaluation step for every alert (default: each rule group's interval)")
    cmd.add_argument("--spec", default="thresholds.yaml", help="threshold spec (default: %(default)s)")
    cmd.add_argument("--profile", help="overlay profiles.NAME of the spec")
    cmd.add_argument("--baseline-spec", help="compare with this version of the spec "
                                             "(e.g. `git show main:thresholds.yaml > /tmp/base.yaml`)")
    cmd.add_argument("--baseline-profile", help="profile of the baseline spec (default: --profile)")
    cmd.add_argument("--alert", action="append", metavar="NAME", help="only this alert (repeatable)")
    fmt = cmd.add_mutually_exclusive_group()
    fmt.add_argument("--json", action="store_true", help="versioned JSON (docs/backtest.md)")
    fmt.add_argument("--markdown", action="store_true", help="Markdown, e.g. for a pull-request comment")
    cmd.add_argument("--concurrency", type=int, default=4, help="range queries at a time (default: %(default)s)")
    cmd.add_argument("--timeout", default="2m", help="per query (default: %(default)s)")
    cmd.add_argument("--token-env", default=DEFAULT_TOKEN_ENV,
                     help="environment variable holding a bearer token, sent if set (default: %(default)s)")
    cmd.add_argument("--header", action="append", default=[], metavar="'NAME: VALUE'",
                     help="extra request header, e.g. 'X-Scope-OrgID: billing' for Mimir (never printed)")
    cmd.add_argument("--allow-partial-history", action="store_true",
                     help="warn instead of failing when history begins after the period start")
    cmd.add_argument("--quiet", action="store_true", help="no progress on stderr")


def _period(args: argparse.Namespace, now: float) -> tuple[float, float]:
    end = parse_instant(args.end, "--end") if args.end else now
    if args.start and args.since:
        raise UsageError("--start and --since: give one of them")
    start = parse_instant(args.start, "--start") if args.start else end - parse_duration(args.since or "7d", "--since")
    if start >= end:
        raise UsageError("the period is empty: --start must be before --end")
    if end > now + 60:
        raise UsageError("--end is in the future")
    return start, end


def _headers(raw: list[str]) -> dict[str, str]:
    out = {}
    for item in raw:
        name, sep, val = item.partition(":")
        if not sep or not name.strip() or any(c in item for c in "\r\n"):
            raise UsageError("--header: expected 'NAME: VALUE' on one line")
        out[name.strip()] = val.strip()
    return out


def run(args: argparse.Namespace, out: TextIO | None = None, err: TextIO | None = None) -> int:
    out, err = out or sys.stdout, err or sys.stderr
    started = time.perf_counter()
    try:
        if not args.url:
            raise UsageError("--url is required (or set PROMETHEUS_URL)")
        start, end = _period(args, time.time())
        step = parse_duration(args.step, "--step") if args.step else None
        if step is not None and step <= 0:
            raise UsageError("--step must be positive")
        timeout = parse_duration(args.timeout, "--timeout")
        if args.concurrency < 1:
            raise UsageError("--concurrency must be at least 1")
        token = os.environ.get(args.token_env) or None
        client = PrometheusClient(args.url, token, _headers(args.header), timeout)
        prepared = [prepare(rendered_outputs(args.spec, args.profile), step, args.alert)]
        if args.baseline_spec:
            baseline = rendered_outputs(args.baseline_spec, args.baseline_profile or args.profile)
            prepared.insert(0, prepare(baseline, step, args.alert, require_known=False))
        engine = Engine(client, args.concurrency, None if args.quiet else err)
        results, warnings = backtest(engine, prepared, start, end, args.allow_partial_history)
    except SourceError as exc:
        print("backtest: " + "\n".join(exc.lines), file=err)
        return 1
    except (QueryError, CoverageError, TimeInputError, UsageError, Untranslatable, RuleFileError, RoutingError,
            PlanError) as exc:
        print(f"backtest: {exc}", file=err)
        return 1
    except KeyboardInterrupt:
        print("backtest: interrupted", file=err)
        return 130
    warnings = list(dict.fromkeys(warnings + [w for result in results for w in result.warnings]))
    for warning in warnings:
        print(f"backtest: warning: {warning}", file=err)
    changes = compare(results[0], results[1]) if len(results) == 2 else None
    info = RunInfo(time.perf_counter() - started, engine.queries_run, warnings)
    render = render_json if args.json else render_markdown if args.markdown else render_text
    out.write(render(results, changes, info))
    return 0

