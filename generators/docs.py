"""docs/alerts.md: one runbook section per alert, from the spec (jinja2).

Spec texts (summaries, rationales, steps) are prose for people; they reach Markdown
through `md_inline`, which keeps inline formatting but cannot open a heading, a table
cell, a block or raw HTML.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import jinja2

from generators.durations import format_duration
from generators.kinds import kind_of
from generators.layout import dashboard_url
from generators.model import Spec
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


def render_alert_docs(spec: Spec) -> str:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(_TEMPLATES),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        autoescape=False,  # Markdown, escaped by md_inline where spec text lands
    )
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
            "detection": kind.detection(spec, alert),
            "ignores": kind.ignores(spec, alert),
        })
    return env.get_template("alerts.md.j2").render(spec=spec, alerts=alerts)
