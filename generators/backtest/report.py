"""The backtest as text (terminal), Markdown (pull-request comments) and JSON (tools).

Label values come from the server and may contain anything: text output escapes control
and non-printable characters, Markdown escapes its own syntax, JSON is json.dumps.
The JSON shape is versioned (SCHEMA, VERSION) and documented in docs/backtest.md.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from typing import Any

from generators.backtest.compare import AlertChange
from generators.backtest.results import AlertResult, BacktestResult, EpisodeResult
from generators.backtest.timeutil import format_duration, format_instant, human_duration

SCHEMA = "billing-monitoring/backtest"
VERSION = 1
_MD_SPECIAL = set("\\`*_[]<>|~")  # enough inside table cells and mid-line text


@dataclass
class RunInfo:
    elapsed: float
    queries: int
    warnings: list[str] = field(default_factory=list)


# -- shared helpers -------------------------------------------------------------------------
def safe(text: str) -> str:
    """Text for a terminal: control and non-printable characters escaped."""
    return "".join(ch if ch.isprintable() else ch.encode("unicode_escape").decode("ascii") for ch in text)


def md(text: str) -> str:
    """Text for a Markdown table cell or paragraph: syntax escaped, one line."""
    flat = " ".join(safe(text).split())
    return "".join("\\" + ch if ch in _MD_SPECIAL else ch for ch in flat)


def _quote_value(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def series_labels(e: EpisodeResult, alert: AlertResult) -> str:
    """The labels that tell this alert's series apart (not alertname nor the rule's own)."""
    shown = [(k, v) for k, v in e.labels if k != "alertname" and alert.rule_labels.get(k) != v]
    return "{" + ", ".join(f"{k}={_quote_value(v)}" for k, v in shown) + "}"


def value(v: float) -> str:
    if math.isnan(v):
        return "NaN"
    if math.isinf(v):
        return "+Inf" if v > 0 else "-Inf"
    return f"{v:.4g}"


def _end(e: EpisodeResult) -> str:
    return format_instant(e.end) if e.end is not None else "still active"


def _notifications(counts: dict[str, int]) -> str:
    return ", ".join(f"{r} {n}" for r, n in counts.items() if n) or "-"


def _period(r: BacktestResult) -> str:
    return f"{format_instant(r.start)} to {format_instant(r.end)} ({human_duration(r.end - r.start)})"


def _steps(r: BacktestResult) -> str:
    steps = sorted({a.step for a in r.alerts})
    return "/".join(format_duration(s) for s in steps) or "-"


def alert_days(r: BacktestResult) -> float:
    return len(r.alerts) * (r.end - r.start) / 86400


# -- text -------------------------------------------------------------------------------------
def render_text(results: list[BacktestResult], changes: list[AlertChange] | None, run: RunInfo) -> str:
    r = results[-1]
    lines = [f"Backtest of {safe(r.origin)} against {safe(r.url)}",
             f"period {_period(r)}, {len(r.alerts)} alerts, steps {_steps(r)}, "
             f"{run.queries} queries, {run.elapsed:.1f}s ({run.elapsed / max(alert_days(r), 1e-9):.2f}s per alert-day)"]
    if changes is not None:
        lines[0] = f"Backtest of {safe(results[0].origin)} -> {safe(r.origin)} against {safe(r.url)}"
        lines.append("")
        lines += _text_changes(changes)
    else:
        lines.append("")
        lines += _text_summary(r)
        for alert in r.alerts:
            if alert.firing or alert.pending_only:
                lines.append("")
                lines += _text_alert(alert)
        lines.append("")
        lines.append("notifications: " + _notifications(r.notifications))
        suppressed = _notifications(r.suppressed)
        lines.append(f"suppressed by inhibition: {suppressed}" if r.inhibit_rules else "no inhibit_rules")
    return "\n".join(lines) + "\n"  # warnings went to stderr


def _text_summary(r: BacktestResult) -> list[str]:
    rows = [("alert", "firing", "firing time", "pending-only", "notifications")]
    quiet = []
    for a in r.alerts:
        if not (a.firing or a.pending_only):
            quiet.append(a.name)
            continue
        rows.append((a.name, str(len(a.firing)), human_duration(a.firing_seconds) if a.firing else "-",
                     str(len(a.pending_only)), _notifications(a.notifications)))
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    out = [f"{row[0]:<{widths[0]}}  {row[1]:>{widths[1]}}  {row[2]:>{widths[2]}}  {row[3]:>{widths[3]}}  {row[4]}"
           for row in rows] if len(rows) > 1 else []
    if quiet:
        out.append(f"quiet ({len(quiet)}): {', '.join(quiet)}")
    return out


def _text_episode(e: EpisodeResult, a: AlertResult, mark: str = "") -> str:
    kind = "firing " if e.kind == "firing" else "pending"
    return (f"  {mark}{kind} {format_instant(e.start)} .. {_end(e)}  {human_duration(e.seconds):>7}  "
            f"peak {value(e.peak)}  {safe(series_labels(e, a))}")


def _text_alert(a: AlertResult) -> list[str]:
    head = f"{a.name}  (for {format_duration(a.for_seconds)}, every {format_duration(a.step)}"
    if a.keep_firing_for_seconds:
        head += f", keep_firing_for {format_duration(a.keep_firing_for_seconds)}"
    lines = [head + ")"]
    lines += [_text_episode(e, a) for e in a.firing + a.pending_only]
    if a.inhibited_seconds:
        by = ", ".join(f"{k} {human_duration(v)}" for k, v in a.inhibited_by.items())
        lines.append(f"  inhibited {human_duration(a.inhibited_seconds)} of its firing time (by {by})")
    return lines


def _text_changes(changes: list[AlertChange]) -> list[str]:
    if not changes:
        return ["no alert fires differently"]
    lines = []
    for c in changes:
        b, a = c.before, c.after
        lines.append(f"{c.name} ({c.status}): firing episodes {len(b.firing) if b else '-'} -> "
                     f"{len(a.firing) if a else '-'}, pending-only {len(b.pending_only) if b else '-'} -> "
                     f"{len(a.pending_only) if a else '-'}")
        ref = a or b
        assert ref is not None
        lines += [_text_episode(e, ref, "- ") for e in c.gone()]
        lines += [_text_episode(e, ref, "+ ") for e in c.new()]
    return lines


# -- Markdown ---------------------------------------------------------------------------------
def render_markdown(results: list[BacktestResult], changes: list[AlertChange] | None, run: RunInfo) -> str:
    r = results[-1]
    lines = []
    if changes is None:
        lines.append(f"### Alert backtest: {_period(r)}")
        lines.append("")
        lines.append(f"{md(r.origin)} against {md(r.url)}: {len(r.alerts)} alerts evaluated every {_steps(r)} "
                     f"in {run.elapsed:.1f} s ({run.queries} range queries).")
        lines.append("")
        lines += _md_summary(r)
        for a in r.alerts:
            if a.firing or a.pending_only:
                lines += ["", f"#### {md(a.name)}", "", *_md_rule(a), "", *_md_episodes(a.firing + a.pending_only, a)]
        lines += ["", "**Notifications per receiver:** " + md(_notifications(r.notifications)) + "."]
        if r.inhibit_rules:
            suppressed = _notifications(r.suppressed)
            lines += ["", "**Kept from being sent by inhibit_rules:** "
                      + (md(suppressed) if suppressed != "-" else "none") + "."]
    else:
        lines.append(f"### Alert backtest: {md(results[0].origin)} → {md(r.origin)}")
        lines.append("")
        lines.append(f"{_period(r)} against {md(r.url)}, {len(r.alerts)} alerts, evaluated every {_steps(r)} in "
                     f"{run.elapsed:.1f} s.")
        lines.append("")
        lines += _md_changes(changes, len(r.alerts))
    if run.warnings:
        lines += ["", "**Warnings**", ""] + [f"- {md(w)}" for w in run.warnings]
    return "\n".join(lines) + "\n"


def _md_summary(r: BacktestResult) -> list[str]:
    rows = ["| Alert | Firing episodes | Firing time | Pending only | Notifications |", "|---|---:|---:|---:|---|"]
    quiet = []
    for a in r.alerts:
        if not (a.firing or a.pending_only):
            quiet.append(a.name)
            continue
        rows.append(f"| {md(a.name)} | {len(a.firing)} | {human_duration(a.firing_seconds) if a.firing else '-'} "
                    f"| {len(a.pending_only)} | {md(_notifications(a.notifications))} |")
    out = rows if len(rows) > 2 else ["No alert fired or went pending."]
    if quiet:
        out += ["", f"Quiet ({len(quiet)}): " + ", ".join(md(n) for n in quiet) + "."]
    return out


def _md_rule(a: AlertResult) -> list[str]:
    extra = f", keep_firing_for {format_duration(a.keep_firing_for_seconds)}" if a.keep_firing_for_seconds else ""
    return [f"for {format_duration(a.for_seconds)}{extra}, evaluated every {format_duration(a.step)}; "
            f"routes to {md(', '.join(a.receivers))}"
            + (f"; inhibited {human_duration(a.inhibited_seconds)}" if a.inhibited_seconds else "") + "."]


def _md_episodes(episodes: list[EpisodeResult], a: AlertResult, marks: list[str] | None = None) -> list[str]:
    head = "| | State | Series | Start | End | Duration | Peak |" if marks else \
        "| State | Series | Start | End | Duration | Peak |"
    out = [head, "|" + "---|" * (head.count("|") - 1)]
    for i, e in enumerate(episodes):
        cells = [e.kind, md(series_labels(e, a)), format_instant(e.start), _end(e), human_duration(e.seconds),
                 value(e.peak)]
        if marks:
            cells.insert(0, marks[i])
        out.append("| " + " | ".join(cells) + " |")
    return out


def _arrow(before: object, after: object) -> str:
    return f"{before} → {after}" if before != after else f"{after}"


def _md_changes(changes: list[AlertChange], total: int) -> list[str]:
    if not changes:
        return [f"No alert fires differently: all {total} alerts have the same episodes."]
    rows = ["| Alert | Change | Firing episodes | Firing time | Pending only | Notifications |",
            "|---|---|---:|---:|---:|---:|"]
    for c in changes:
        b, a = c.before, c.after
        rows.append("| " + " | ".join([
            md(c.name), c.status + (" (rule)" if c.rule_changed and c.status == "changed" else ""),
            _arrow(len(b.firing) if b else "-", len(a.firing) if a else "-"),
            _arrow(human_duration(b.firing_seconds) if b else "-", human_duration(a.firing_seconds) if a else "-"),
            _arrow(len(b.pending_only) if b else "-", len(a.pending_only) if a else "-"),
            _arrow(sum(b.notifications.values()) if b else "-", sum(a.notifications.values()) if a else "-"),
        ]) + " |")
    rows += ["", f"{total - sum(c.status == 'changed' for c in changes)} other alerts fire exactly as before."]
    for c in changes:
        ref = c.after or c.before
        assert ref is not None
        rows += ["", f"#### {md(c.name)}", ""]
        if c.rule_changed and c.before and c.after:
            rows += [f"- before: `{_code(c.before.rule_expr)}` for {format_duration(c.before.for_seconds)}",
                     f"- after: `{_code(c.after.rule_expr)}` for {format_duration(c.after.for_seconds)}", ""]
        gone, new = c.gone(), c.new()
        if gone or new:
            rows += _md_episodes(gone + new, ref, ["−"] * len(gone) + ["+"] * len(new))
        else:
            rows.append("Same episodes; notifications differ.")
        kept = c.kept()
        if kept:
            rows += ["", f"{len(kept)} episode(s) unchanged."]
    return rows


def _code(text: str) -> str:
    """PromQL inside an inline code span: one line; backticks cannot end the span early."""
    return " ".join(text.split()).replace("`", "'").replace("|", "\\|")


# -- JSON ---------------------------------------------------------------------------------------
def _number(v: float) -> float | str:
    if math.isnan(v):
        return "NaN"
    if math.isinf(v):
        return "+Inf" if v > 0 else "-Inf"
    return v


def _instant(ts: float | None) -> dict[str, Any] | None:
    return None if ts is None else {"time": format_instant(ts), "unix": ts}


def _episode_json(e: EpisodeResult) -> dict[str, Any]:
    return {"labels": dict(e.labels), "start": _instant(e.start), "end": _instant(e.end),
            "active_since": _instant(e.active_since), "seconds": e.seconds, "peak": _number(e.peak),
            "peak_at": _instant(e.peak_at)}


def _alert_json(a: AlertResult) -> dict[str, Any]:
    return {
        "name": a.name, "group": a.group, "step_seconds": a.step, "phase_seconds": a.phase,
        "phase_source": a.phase_source, "query_shift_seconds": a.query_shift, "for_seconds": a.for_seconds,
        "keep_firing_for_seconds": a.keep_firing_for_seconds, "labels": a.rule_labels,
        "rule_expr": a.rule_expr, "queried_expr": a.expr, "recordings_inlined": list(a.recordings),
        "firing_episodes": [_episode_json(e) for e in a.firing], "firing_seconds": a.firing_seconds,
        "pending_only_episodes": [_episode_json(e) for e in a.pending_only],
        "receivers": a.receivers, "notifications": a.notifications,
        "inhibited_seconds": a.inhibited_seconds, "inhibited_by": a.inhibited_by,
    }


def _result_json(r: BacktestResult) -> dict[str, Any]:
    return {"spec": r.origin, "alerts": [_alert_json(a) for a in r.alerts],
            "notifications": r.notifications, "suppressed_by_inhibition": r.suppressed,
            "inhibit_rules": r.inhibit_rules, "warnings": r.warnings}


def render_json(results: list[BacktestResult], changes: list[AlertChange] | None, run: RunInfo) -> str:
    r = results[-1]
    doc: dict[str, Any] = {
        "schema": SCHEMA, "version": VERSION, "mode": "compare" if changes is not None else "single",
        "source": {"url": r.url},
        "period": {"start": _instant(r.start), "end": _instant(r.end), "seconds": r.end - r.start},
        "run": {"elapsed_seconds": round(run.elapsed, 3), "queries": run.queries,
                "alert_days": alert_days(r)},
        "warnings": run.warnings,
        "result": _result_json(r),
    }
    if changes is not None:
        doc["baseline"] = _result_json(results[0])
        doc["changes"] = [{"alert": c.name, "status": c.status, "rule_changed": c.rule_changed,
                           "gone": [dict(_episode_json(e), kind=e.kind) for e in c.gone()],
                           "new": [dict(_episode_json(e), kind=e.kind) for e in c.new()]} for c in changes]
    return json.dumps(doc, indent=2, sort_keys=False) + "\n"
