"""receivers, teams and routing: where alerts go. Secrets only as *_file paths."""

from __future__ import annotations

import re
from typing import Any

from generators.loader.checker import LABEL_NAME_RE, Checker, describe
from generators.loader.source import LineMap
from generators.loader.values import RECEIVER_RE, TEAM_RE, template_problem, url_problem
from generators.model import SEVERITIES, Receiver, Routing, Team, Timing

# receiver type -> (required keys, optional keys); secrets only as *_file
RECEIVER_FIELDS = {
    "webhook": (("url",), ("credentials_file", "send_resolved")),
    "slack": (("channel", "api_url_file"), ("send_resolved",)),
    "pagerduty": (("routing_key_file",), ("send_resolved",)),
    "email": (("to", "from", "smarthost"), ("auth_username", "auth_password_file", "send_resolved")),
}
SECRET_KEYS = ("api_url", "routing_key", "service_key", "auth_password", "password", "credentials",
               "token", "bearer_token", "auth_secret", "secret", "api_key", "url_secret", "auth_token")
_FILE_PATH_RE = re.compile(r"^/[A-Za-z0-9._/-]{1,255}$")
_EMAIL_RE = re.compile(r"^[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}$")
_SMARTHOST_RE = re.compile(r"^[A-Za-z0-9.-]+:[0-9]{1,5}$")
_CHANNEL_RE = re.compile(r"^[#@]?[a-z0-9][a-z0-9._-]{0,79}$")
_TIMINGS = ("group_wait", "group_interval", "repeat_interval")


def load_receivers(c: Checker, node: Any, line: int) -> dict[str, Receiver]:
    result: dict[str, Receiver] = {}
    for name, body, kline, p in c.entries(node, line, "receivers", "receiver name"):
        if not RECEIVER_RE.match(name):
            c.error(kline, p, "receiver names are lower-case words joined by - _ or ., e.g. sre-pager")
            continue
        rtype = body.get("type") if isinstance(body, LineMap) else None
        if not isinstance(rtype, str) or rtype not in RECEIVER_FIELDS:
            c.error(c.line_of(body, "type", kline), f"{p}.type",
                    f"unknown receiver type {describe(rtype)}; one of {', '.join(RECEIVER_FIELDS)}")
            continue
        assert isinstance(body, LineMap)
        secrets = [k for k in body if k in SECRET_KEYS]
        for key in secrets:  # never echo the value
            c.error(body.key_lines[key], f"{p}.{key}",
                    f"secrets must not be written in the spec (it is committed); put the value in a file on "
                    f"the Alertmanager host and write {key}_file: /etc/alertmanager/secrets/...")
        required, optional = RECEIVER_FIELDS[rtype]
        m = c.mapping(body, p, kline, required=("type", *required), optional=(*optional, *secrets))
        if m is None or secrets:
            continue
        settings = _receiver_settings(c, m, p, (*required, *optional))
        if settings is not None:
            result[name] = Receiver(name, rtype, settings)  # type: ignore[arg-type]
    return result


def _receiver_settings(c: Checker, m: LineMap, p: str, keys: tuple[str, ...]) -> tuple[tuple[str, str], ...] | None:
    settings = []
    ok = True
    for key in keys:
        if key not in m:
            continue
        if key == "send_resolved":
            settings.append((key, "true" if c.value(m, key, p, bool, True) else "false"))
            continue
        check = _SETTING_CHECKS.get(key) or (_file_problem if key.endswith("_file") else template_problem)
        value = c.text(m, key, p, check=check)
        if not value:
            ok = False
            continue
        settings.append((key, value))
    return tuple(settings) if ok else None


def _file_problem(value: str) -> str | None:
    if not _FILE_PATH_RE.match(value) or "/../" in value or value.endswith("/.."):
        return "must be an absolute path on the Alertmanager host (letters, digits, . _ - /)"
    return None


_SETTING_CHECKS = {
    "url": url_problem,
    "to": lambda v: None if _EMAIL_RE.match(v) else "must be one e-mail address",
    "from": lambda v: None if _EMAIL_RE.match(v) else "must be one e-mail address",
    "smarthost": lambda v: None if _SMARTHOST_RE.match(v) else "must be host:port, e.g. smtp.example.com:587",
    "channel": lambda v: None if _CHANNEL_RE.match(v) else "a Slack channel like #billing-alerts",
    "auth_username": lambda v: template_problem(v) or (None if v.isprintable() and len(v) <= 200
                                                       else "printable text"),
}


def load_teams(c: Checker, node: Any, line: int, receivers: dict[str, Receiver]) -> dict[str, Team]:
    result: dict[str, Team] = {}
    for name, body, kline, p in c.entries(node, line, "teams", "team name"):
        if not TEAM_RE.match(name):
            c.error(kline, p, "team names are lower-case words joined by - or _, e.g. payments "
                    "(they become Alertmanager matchers)")
            continue
        m = c.mapping(body, p, kline, required=("description",), optional=("chat", "pager"))
        if m is None:
            continue
        chat = c.value(m, "chat", p, list, [])
        ok = True
        for i, receiver in enumerate(chat):
            ok &= c.reference(chat.item_lines[i], f"{p}.chat[{i}]", "receivers", "receiver", receiver, receivers,
                              _DEFINE)
        pager = c.value(m, "pager", p, str, "")
        if pager:
            ok &= c.reference(m.key_lines["pager"], f"{p}.pager", "receivers", "receiver", pager, receivers, _DEFINE)
        description = c.text(m, "description", p, check=template_problem)
        if ok and description:
            result[name] = Team(name, description, tuple(dict.fromkeys(chat)), pager)
    return result


_DEFINE = "define it under receivers"


def load_routing(c: Checker, node: Any, line: int, receivers: dict[str, Receiver]) -> Routing | None:
    p = "routing"
    m = c.mapping(node, p, line, required=("default_receiver", "group_by", "timings"), optional=("all_alerts_to",))
    if m is None:
        return None
    default = c.value(m, "default_receiver", p, str, "")
    if default and not c.reference(m.key_lines["default_receiver"], f"{p}.default_receiver", "receivers",
                                   "receiver", default, receivers, _DEFINE):
        default = ""
    everyone = c.value(m, "all_alerts_to", p, list, [])
    for i, name in enumerate(everyone):
        c.reference(everyone.item_lines[i], f"{p}.all_alerts_to[{i}]", "receivers", "receiver", name, receivers,
                    _DEFINE)
    group_by = c.value(m, "group_by", p, list, [])
    for i, label in enumerate(group_by):
        if not (isinstance(label, str) and (LABEL_NAME_RE.match(label) or label == "...")):
            c.error(group_by.item_lines[i], f"{p}.group_by[{i}]", "a label name (or ... for all labels)")
    timings: dict[str, Timing] = {}
    for severity, body, kline, tp in c.entries(m.get("timings"), c.line_of(m, "timings"), f"{p}.timings",
                                               "severity"):
        if severity not in SEVERITIES:
            c.error(kline, tp, "severity must be critical, warning or info")
            continue
        t = c.mapping(body, tp, kline, required=_TIMINGS)
        if t is None:
            continue
        values = [c.duration(t, k, tp) for k in _TIMINGS]
        if all(k in t for k in _TIMINGS) and values[1] and values[2]:
            timings[severity] = Timing(*values)
    if not default:
        return None
    return Routing(default, tuple(n for n in everyone if n in receivers),
                   tuple(g for g in group_by if isinstance(g, str)), timings)
