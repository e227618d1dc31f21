"""Hostile strings through every spec field that crosses into another language.

Each string goes into each field; the spec is either refused with a clear message (no
traceback, the value echoed only in a bounded form) or rendered inertly: promtool and
amtool accept the outputs, the string comes back out of YAML and JSON unchanged, it never
becomes a Go template, an extra Alertmanager matcher, a Markdown heading or raw HTML, and
routing is exactly what the spec says.
"""

from __future__ import annotations

import copy
import json
import os
import re
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from generators.alertmanager import render_alertmanager
from generators.dashboards import render_dashboards
from generators.docs import render_alert_docs
from generators.loader.build import SpecInvalid, load_spec
from generators.routing import receivers_for
from generators.rules import render_rule_groups
from generators.yamlout import dump_yaml
from tests.conftest import require_tool
from tests.specgen import BASE

pytestmark = pytest.mark.slow  # make test-heavy (and make fuzz); CI runs both

HOSTILE = [
    "{{ 7*7 }}",
    '{{ with query "count(up)" }}{{ . }}{{ end }}',
    'database",severity=~".+',
    'x" or vector(1) or "',
    "line\nbreak",
    "tab\there",
    "\\",
    '"',
    "'",
    "</p><script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "# Heading",
    "\n## Injected heading",
    "| a | b |",
    "```",
    "[link](javascript:alert(1))",
    "\u202eevil",
    "nul\x00byte",
    "é日本🙂",
    "x" * 3000,
    "}}",
    "a: b",
    "- item",
    "&anchor *alias",
]

# `make test` takes a representative subset; `make fuzz` (BILLING_FULL_CORPUS=1) all of them
QUICK = ["{{ 7*7 }}", 'database",severity=~".+', "line\nbreak", "</p><script>alert(1)</script>",
         "\n## Injected heading", "nul\x00byte", "x" * 3000, "é日本🙂", '"']
CORPUS = HOSTILE if os.environ.get("BILLING_FULL_CORPUS") else QUICK

Setter = Callable[[dict[str, Any], str], None]


def _alert(spec: dict[str, Any], name: str) -> dict[str, Any]:
    return next(a for a in spec["alerts"] if a["name"] == name)


def _set_team(spec: dict[str, Any], value: str) -> None:
    spec["teams"][value] = spec["teams"].pop("payments")
    for alert in spec["alerts"]:
        if alert["team"] == "payments":
            alert["team"] = value


def _set_receiver(spec: dict[str, Any], value: str) -> None:
    spec["receivers"][value] = spec["receivers"].pop("payments-chat")
    spec["teams"]["payments"]["chat"] = [value]


FIELDS: dict[str, Setter] = {
    # PromQL
    "selector value": lambda s, v: s["settings"]["selectors"]["platform"].update(job=v),
    "errors matcher": lambda s, v: s["indicators"]["api_errors"].update(errors=f'code=~"{v}"'),
    "catalogue label value": lambda s, v: s["metrics"]["billing_payments_total"]["labels"]["provider"].insert(0, v),
    # Go templates (annotations, Alertmanager texts)
    "indicator title": lambda s, v: s["indicators"]["payment_success"].update(title=v),
    "alert summary": lambda s, v: _alert(s, "PaymentSuccessRateLow").update(summary=v + "."),
    "runbook_url": lambda s, v: s["settings"].update(runbook_url=f"https://example.com/{v}"),
    "grafana_url": lambda s, v: s["settings"].update(grafana_url=f"http://{v}"),
    "slack channel": lambda s, v: s["receivers"]["payments-chat"].update(channel=v),
    # Alertmanager matchers and names
    "team name": _set_team,
    "receiver name": _set_receiver,
    "group_by": lambda s, v: s["routing"]["group_by"].append(v),
    # Markdown
    "rationale": lambda s, v: _alert(s, "PaymentSuccessRateLow").update(rationale=v),
    "guide": lambda s, v: _alert(s, "PaymentSuccessRateLow").update(guide=v),
    "first step": lambda s, v: _alert(s, "PaymentSuccessRateLow").update(first_steps=[v]),
    "team description": lambda s, v: s["teams"]["payments"].update(description=v),
    # JSON (dashboards)
    "dashboard title": lambda s, v: s["dashboards"][0].update(title=v),
    "panel legend": lambda s, v: s["dashboards"][1]["rows"][1]["panels"][0]["targets"][0].update(legend=v),
}


def _render(tmp: Path, field: str, value: str) -> tuple[str, Any]:
    spec_dict = copy.deepcopy(BASE)
    FIELDS[field](spec_dict, value)
    path = tmp / "thresholds.yaml"
    path.write_text(yaml.safe_dump(spec_dict, sort_keys=False, allow_unicode=True))
    try:
        spec = load_spec(path)
    except SpecInvalid as exc:
        return "refused", exc
    # the outputs another language reads (the generated promtool tests are not needed here)
    files = {"alerts/billing.rules.yml": dump_yaml(render_rule_groups(spec)), "docs/alerts.md": render_alert_docs(spec),
             **render_dashboards(spec), **render_alertmanager(spec)}
    return "rendered", (spec, files)


def _check_inert(value: str, spec: Any, files: dict[str, str]) -> None:
    rules = yaml.safe_load(files["alerts/billing.rules.yml"])
    for group in rules["groups"]:
        for rule in group["rules"]:
            for text in rule.get("annotations", {}).values():
                assert not ("{{" in value and value in text), "a spec string became a Go template"
    # fenced code blocks render their content as text: only the prose around them matters
    docs = re.sub(r"```promql\n.*?\n```", "", files["docs/alerts.md"], flags=re.S)
    assert "<script" not in docs and "<img" not in docs, "raw HTML reached the runbooks"
    assert "\x00" not in "".join(files.values()), "a NUL byte reached an output"
    assert "\n## Injected" not in docs and "\n# Heading" not in docs, "a spec string opened a heading"
    for rel, content in files.items():
        if rel.endswith(".json"):
            json.loads(content)
        elif rel.endswith(".yml"):
            yaml.safe_load(content)
    am = yaml.safe_load(files["alertmanager/alertmanager.yml"])
    for route in am["route"]["routes"]:
        assert len(route.get("matchers", [])) in (0, 2), "a spec string added an Alertmanager matcher"
    del spec


# Go-template strings must be refused where they would run; a team name closing a matcher too
REFUSES_TEMPLATES = ("indicator title", "alert summary", "runbook_url", "grafana_url", "slack channel", "rationale")


# one case per field, so pytest-xdist spreads the corpus over the workers
@pytest.mark.parametrize("field", list(FIELDS))
def test_hostile_strings_are_refused_or_inert(tmp_path: Path, field: str) -> None:
    rendered: list[tuple[str, Path, Any]] = []
    outcomes: list[str] = []
    for index, value in enumerate(CORPUS):
        case = tmp_path / f"case-{index}"
        case.mkdir()
        outcome, result = _render(case, field, value)
        outcomes.append(outcome)
        if outcome == "refused":
            for error in result.errors:
                text = str(error)
                assert len(text) < 1500 and error.line >= 1, text
                assert "Traceback" not in text
            continue
        spec, files = result
        _check_inert(value, spec, files)
        for rel in ("alerts/billing.rules.yml", "alertmanager/alertmanager.yml",
                    "alertmanager/templates/billing.tmpl"):
            (case / rel).parent.mkdir(parents=True, exist_ok=True)
            (case / rel).write_text(files[rel])
        rendered.append((value, case, spec))
    if rendered:
        # the real tools agree on every rendered case (one invocation each, for speed)
        promtool = subprocess.run([require_tool("promtool"), "check", "rules",
                                   *(str(c / "alerts/billing.rules.yml") for _, c, _ in rendered)],
                                  capture_output=True, text=True)
        assert promtool.returncode == 0, promtool.stdout[-3000:] + promtool.stderr[-3000:]
        amtool = subprocess.run([require_tool("amtool"), "check-config",
                                 *(str(c / "alertmanager/alertmanager.yml") for _, c, _ in rendered)],
                                capture_output=True, text=True)
        assert amtool.returncode == 0, amtool.stdout[-3000:] + amtool.stderr[-3000:]
    # routing is exactly what the spec says where a name reached Alertmanager
    if field in ("team name", "receiver name", "group_by"):
        for _, case, spec in rendered:
            for alert in spec.alerts:
                if alert.team not in ("payments",) and field != "team name":
                    continue
                labels = {"alertname": alert.name, "severity": alert.severity, "team": alert.team}
                got = subprocess.run([require_tool("amtool"), "config", "routes", "test",
                                      f"--config.file={case / 'alertmanager/alertmanager.yml'}",
                                      *(f"{k}={v}" for k, v in labels.items())], capture_output=True, text=True)
                assert got.returncode == 0, got.stderr
                assert got.stdout.strip().split(",") == list(receivers_for(spec.routing, spec.teams, alert.team,
                                                                            alert.severity)), (field, alert.name)
                break
    # every field takes the harmless strings, and refuses the Go template ones where they'd run
    if field in REFUSES_TEMPLATES:
        assert outcomes[0] == "refused", f"{field} accepted a Go template"
    if field == "team name":
        assert outcomes[CORPUS.index('database",severity=~".+')] == "refused", \
            "a team name that closes an Alertmanager matcher was accepted"


@pytest.mark.parametrize("url", [
    "https://hooks.slack.com/services/T000/B000/XXXXXXXX",
    "https://discord.com/api/webhooks/123/abc",
    "https://example.webhook.office.com/webhookb2/abc@def/IncomingWebhook/xyz",
    "https://alerting.example.com/hook?sig=abcdef",
    "https://alerting.example.com/hook?code=abcdef",
    "https://alerting.example.com/hook?api_key=abcdef",
    "https://user:hunter2@alerting.example.com/hook",
])
def test_urls_carrying_a_secret_are_refused_without_echo(tmp_path: Path, url: str) -> None:
    spec_dict = copy.deepcopy(BASE)
    spec_dict["receivers"]["custom-alerting"]["url"] = url
    path = tmp_path / "thresholds.yaml"
    path.write_text(yaml.safe_dump(spec_dict, sort_keys=False))
    with pytest.raises(SpecInvalid) as caught:
        load_spec(path)
    text = "\n".join(str(e) for e in caught.value.errors)
    for secret in ("XXXXXXXX", "abcdef", "hunter2", "xyz", "/123/abc"):
        assert secret not in text, text
    assert "receivers.custom-alerting.url" in text


def test_grafana_url_with_credentials_is_refused(tmp_path: Path) -> None:
    spec_dict = copy.deepcopy(BASE)
    spec_dict["settings"]["grafana_url"] = "http://admin:PASSWORD@grafana.example.com"
    path = tmp_path / "thresholds.yaml"
    path.write_text(yaml.safe_dump(spec_dict, sort_keys=False))
    with pytest.raises(SpecInvalid) as caught:
        load_spec(path)
    assert "PASSWORD" not in str(caught.value) and "credentials" in str(caught.value)
