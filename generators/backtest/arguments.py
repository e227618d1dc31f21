"""The `backtest` subcommand's arguments, apart from the command itself: `python -m generators
build` must not pay for importing the backtest (HTTP client, engine, reports) to list it."""

from __future__ import annotations

import argparse
import os

DEFAULT_TOKEN_ENV = "PROMETHEUS_BEARER_TOKEN"


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
    cmd.add_argument("--rule-file", metavar="PATH",
                     help="the rule file path as Prometheus loads it (`file` in /api/v1/rules): evaluate each group "
                          "at the phase Prometheus gives it there (default: the phase of the group deployed on "
                          "--url, else 0)")
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
