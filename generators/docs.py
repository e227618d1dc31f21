"""docs/alerts.md: one runbook section per alert, from the spec (jinja2).

Spec texts (summaries, rationales, steps) are prose for people; they reach Markdown
through `md_inline`, which keeps inline formatting but cannot open a heading, a table
cell, a block or raw HTML.
"""

from __future__ import annotations

import contextlib
import re
import sys
from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2

from generators.durations import format_duration
from generators.inhibition import condition_record, firing_selector, source_hold, tail_pairs, tails_of
from generators.kinds import kind_of
from generators.kinds.base import for_text
from generators.layout import dashboard_url
from generators.model import Alert, Spec
from generators.rules import description_parts, recordings_of, render_alert
from generators.templating import format_value, go_template

_TEMPLATES = Path(__file__).parent / "templates"


_SPACE_RE = re.compile(r"\s+")
_ENTITY_RE = re.compile(r"&(?=#|[A-Za-z][A-Za-z0-9]*;)")
_TAG_RE = re.compile(r"<(?=[A-Za-z/!?])")
_BLOCK_START_RE = re.compile(r"^([#=+>*-])")


@lru_cache(maxsize=8192)  # the same steps and texts recur across alerts of a kind
def md_inline(text: str) -> str:
    """Prose as one line of inline Markdown: no raw HTML, no block structure, no table cells."""
    text = _SPACE_RE.sub(" ", text).strip()
    # `<` opens raw HTML only before a letter, / ! or ?; `&` an entity only before a name or #
    text = _ENTITY_RE.sub("&amp;", text)
    text = _TAG_RE.sub("&lt;", text).replace("|", "\\|")
    return _BLOCK_START_RE.sub(r"\\\1", text)


_OPTIONS: dict[str, Any] = {
    "undefined": jinja2.StrictUndefined,
    "keep_trailing_newline": True,
    "trim_blocks": True,
    "lstrip_blocks": True,
    "autoescape": False,  # Markdown, escaped by md_inline where spec text lands
}
_CACHE_DIR = Path(__file__).parent / "__pycache__" / "jinja2"


class _CompiledTemplates(jinja2.FileSystemBytecodeCache):
    """Compiled templates beside Python's own bytecode: compiling alerts.md.j2 cost more than
    rendering it. An entry is valid for the template's source and these options (jinja2
    checks only the source). Like Python, nothing is written under PYTHONDONTWRITEBYTECODE,
    and a directory that cannot be read or written is no error."""

    def __init__(self) -> None:
        super().__init__(str(_CACHE_DIR))

    def get_source_checksum(self, source: str) -> str:
        options = repr(sorted((k, getattr(v, "__name__", v)) for k, v in _OPTIONS.items()))
        return super().get_source_checksum(f"{options}\n{jinja2.__version__}\n{source}")

    def load_bytecode(self, bucket: Any) -> None:
        with contextlib.suppress(OSError):  # else compiled anew
            super().load_bytecode(bucket)

    def dump_bytecode(self, bucket: Any) -> None:
        if sys.dont_write_bytecode:
            return
        with contextlib.suppress(OSError):
            _CACHE_DIR.mkdir(parents=True, exist_ok=True)
            super().dump_bytecode(bucket)


def tail_ignores(spec: Spec, alert: Alert) -> tuple[str, ...]:
    """The recovery tails the alert drops (generators/inhibition.py), for its runbook."""
    out = []
    for pair in tails_of(spec, alert):
        x, window = pair.source.name, format_duration(pair.lookback)
        out.append(f"the recovery tail of {x} (which inhibits it): for {window} after {x} stopped firing "
                   f"(its keep_firing_for after its condition cleared) in the same {', '.join(pair.equal)}, the "
                   "alert is dropped, because its "
                   f"window still holds {x}'s outage and, no longer inhibited, it would page once the incident "
                   f"is over (reads {x}'s firing state, `{firing_selector(pair.source)}`, and "
                   f"`{condition_record(spec, pair.source)}`; breaches of {x}'s condition too short to fire {x} "
                   "drop nothing, so a flapping outage still pages here)")
    return tuple(out)


def tail_detection(spec: Spec, alert: Alert) -> str:
    out = ""
    for pair in tails_of(spec, alert):
        x = pair.source.name
        wait = format_duration(source_hold(spec, pair.source) + pair.lookback)
        out += (f" Right after {x} fired and recovers: a {alert.name} that is really still broken pages at "
                f"the earliest {wait} after {x}'s condition cleared ({x}'s keep_firing_for and this alert's "
                f"lookback), plus {for_text(alert)}, not at once; one that was firing before {x} resolves at "
                "the recovery and pages again then.")
    if hold := source_hold(spec, alert):
        inhibited = sorted({p.target.name for p in tail_pairs(spec) if p.source is alert})
        out += (f" It resolves {format_duration(hold)} (`keep_firing_for`) after its condition clears: "
                f"{', '.join(inhibited)} drop their recovery tail by then, so none of them is notified in "
                "between (their rule groups are evaluated at other instants).")
    return out


def render_alert_docs(spec: Spec) -> str:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(_TEMPLATES), bytecode_cache=_CompiledTemplates(),
                             **_OPTIONS)
    env.filters["md"] = md_inline
    alerts = []
    for alert in spec.alerts:
        kind = kind_of(alert)
        rule = render_alert(spec, alert)
        alerts.append({
            "alert": alert,
            "expr": rule["expr"],
            "for": format_duration(alert.for_seconds),
            "threshold": f"{alert.threshold.op} {format_value(kind.alert_unit(alert), alert.threshold.value)}",
            "description": go_template(description_parts(spec, alert)),
            "recordings": recordings_of(spec, alert.indicator),
            "dashboard_url": dashboard_url(spec, alert),
            "steps": alert.first_steps or kind.triage,
            "detection": kind.detection(spec, alert) + tail_detection(spec, alert),
            "ignores": kind.ignores(spec, alert) + tail_ignores(spec, alert),
        })
    return env.get_template("alerts.md.j2").render(spec=spec, alerts=alerts)
