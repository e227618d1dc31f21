"""Checks for spec strings that cross into another language.

Each returns the problem as text (with the fix), or None. They are the single place that
decides what may reach a Go template (annotations, Alertmanager texts), an Alertmanager
matcher, a URL, or a name in PromQL.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlsplit

TEAM_RE = re.compile(r"^[a-z][a-z0-9_-]{0,62}$")
RECEIVER_RE = re.compile(r"^[a-z][a-z0-9_.-]{0,62}$")
SOURCE_RE = re.compile(r"^[a-z][a-z0-9_]{0,62}$")
# catalogue metrics: Prometheus' grammar without colons, which belong to recording rules
RAW_METRIC_RE = re.compile(r"^[a-zA-Z_][a-zA-Z0-9_]{0,199}$")

# Query parameters and path shapes that carry a credential: such URLs go in a *_file.
_SECRET_PARAMS = re.compile(
    r"^(token|access_token|auth|auth_token|key|api_key|apikey|api-key|secret|client_secret|password|"
    r"passwd|pwd|sig|signature|code|routing_key|integration_key|service_key|x-api-key)$", re.I)
_SECRET_PATHS = (
    (re.compile(r"(^|\.)hooks\.slack\.com$", re.I), "/services/", "a Slack incoming-webhook URL"),
    (re.compile(r"(^|\.)discord(app)?\.com$", re.I), "/api/webhooks/", "a Discord webhook URL"),
    (re.compile(r"(^|\.)webhook\.office\.com$", re.I), "/webhookb2/", "a Microsoft Teams webhook URL"),
    (re.compile(r"(^|\.)outlook\.office\.com$", re.I), "/webhook/", "a Microsoft Teams webhook URL"),
    (re.compile(r"(^|\.)logic\.azure\.com$", re.I), "/workflows/", "a Teams workflow URL"),
    (re.compile(r"(^|\.)events\.pagerduty\.com$", re.I), "/integration/", "a PagerDuty integration URL"),
)
_URL_FORBIDDEN = re.compile(r"[\s\"'<>\\`{}|^]")


def template_problem(text: str) -> str | None:
    """Text that Prometheus or Alertmanager render as a Go template must not contain one."""
    if "{{" in text or "}}" in text:
        return "must not contain {{ or }} (it would run as a Go template in the alert); write plain text"
    return None


def url_problem(url: str) -> str | None:
    """An http(s) URL that is safe to publish: no credentials, no template, no quotes."""
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in url):
        return "control characters (newline, tab, ...) are not allowed in a URL"
    if template_problem(url):
        return template_problem(url)
    if _URL_FORBIDDEN.search(url):
        return "spaces, quotes, backslashes, <, >, {, } and | are not allowed in a URL; percent-encode them"
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        return f"not a valid URL ({exc})"
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return "must be an http(s) URL with a host, e.g. https://grafana.example.com"
    del port
    if parts.username is not None or parts.password is not None or "@" in parts.netloc:
        return ("must not carry credentials (user:password@); Grafana and Alertmanager take tokens "
                "from files: see the *_file fields")
    for pattern, prefix, what in _SECRET_PATHS:
        if pattern.search(parts.hostname) and parts.path.startswith(prefix):
            return f"this is {what}, which is itself a secret; put it in a file and use the *_file field"
    for name, _ in parse_qsl(parts.query, keep_blank_values=True):
        if _SECRET_PARAMS.match(name):
            return (f"the query parameter {name!r} carries a credential; the spec is committed, so use the "
                    "receiver's credentials_file (or a *_file field) instead")
    return None


def base_url_problem(url: str) -> str | None:
    """A base URL that paths are appended to."""
    problem = url_problem(url)
    if problem:
        return problem
    parts = urlsplit(url)
    if url.endswith("/") or parts.query or parts.fragment:
        return "must be a base URL without a trailing slash, query or #fragment"
    return None


def sentence_problem(text: str) -> str | None:
    """A static summary: one line, ending with a period, no template."""
    if any(ord(ch) < 32 for ch in text):
        return "write one line (no newlines or tabs)"
    if template_problem(text) or not text.endswith("."):
        return "a static sentence ending with a period (no templates)"
    return None
