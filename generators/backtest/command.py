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
from generators.backtest.deployed import deployed_rules, recorded_since
from generators.backtest.engine import Engine
from generators.backtest.phase import resolve_phases
from generators.backtest.promql_text import Untranslatable
from generators.backtest.report import RunInfo, render_json, render_markdown, render_text
from generators.backtest.routing import RoutingError
from generators.backtest.rulefile import RuleFileError
from generators.backtest.run import (
    PlanError,
    backtest,
    group_intervals,
    prepare,
    ranges_over_recordings,
    recordings_of,
)
from generators.backtest.source import SourceError, rendered_outputs
from generators.backtest.timeutil import TimeInputError, parse_duration, parse_instant


class UsageError(ValueError):
    pass


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
        rendered = [rendered_outputs(args.spec, args.profile)]
        if args.baseline_spec:
            rendered.insert(0, rendered_outputs(args.baseline_spec, args.baseline_profile or args.profile))
        intervals = {name: i for r in rendered for name, i in group_intervals(r).items()}
        deployed = deployed_rules(client)
        phases = resolve_phases(deployed, intervals, args.rule_file)
        ranges = {name: w for r in rendered for name, w in ranges_over_recordings(r).items()}
        # a recording the server began evaluating inside the period (or the windows before it)
        reach = max(ranges.values(), default=0.0) + max(intervals.values(), default=0.0) + 86400
        since = recorded_since(client, deployed, [r for r in recordings_of(rendered) if r.record in ranges],
                               start - reach, end)
        prepared = [prepare(r, step, args.alert, require_known=r is rendered[-1], phases=phases, since=since)
                    for r in rendered]
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

