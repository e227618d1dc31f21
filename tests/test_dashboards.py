"""Dashboards: valid against Grafana's JSON Schemas, modern JSON, cheap and correct
queries, thresholds equal to the alert thresholds, and links that resolve both ways."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse

import promql_parser
import pytest
import yaml
from jsonschema import Draft7Validator

from generators.model import Spec
from tests import rulecheck
from tests.conftest import ROOT

SCHEMAS = Path(__file__).parent / "grafana_schema"
DASHBOARD_FILES = sorted((ROOT / "dashboards").glob("*.json"))
# keys grafanalib 0.7.1 writes that current Grafana does not (dashboard, panel and target level)
LEGACY_KEYS = {"rows", "span", "style", "sharedCrosshair", "hideControls", "gnetId", "__inputs",
               "cacheTimeout", "minSpan", "height", "error", "intervalFactor", "step", "metric",
               "target", "thresholdType"}
# Grafana's own macros and our variables, replaced by what Grafana would send
MACROS = {"$__rate_interval": "2m", "$__interval": "1m", "$__range": "1h", "$cluster": ".*"}


def _validator(file: str, definition: str | None = None) -> Draft7Validator:
    schema = json.loads((SCHEMAS / file).read_text())
    if definition:
        schema = {**schema, "$ref": f"#/definitions/{definition}"}
    return Draft7Validator(schema)


def _dashboards() -> list[tuple[str, dict[str, Any]]]:
    return [(p.name, json.loads(p.read_text())) for p in DASHBOARD_FILES]


def _panels(dashboard: dict[str, Any]) -> list[dict[str, Any]]:
    return [p for p in dashboard["panels"] if p["type"] != "row"]


def _substitute(expr: str) -> str:
    for macro, value in MACROS.items():
        expr = expr.replace(macro, value)
    return expr


def _walk_keys(value: Any, path: str = "") -> list[tuple[str, Any]]:
    out = []
    if isinstance(value, dict):
        for k, v in value.items():
            out.append((f"{path}.{k}", v))
            out += _walk_keys(v, f"{path}.{k}")
    elif isinstance(value, list):
        for i, v in enumerate(value):
            out += _walk_keys(v, f"{path}[{i}]")
    return out


def test_three_dashboards_exist() -> None:
    assert [p.name for p in DASHBOARD_FILES] == ["financial.json", "overview.json", "performance.json", "slos.json"]


@pytest.mark.parametrize("name,dashboard", _dashboards(), ids=[p.name for p in DASHBOARD_FILES])
def test_dashboard_schema(name: str, dashboard: dict[str, Any]) -> None:
    errors = [f"{list(e.absolute_path)}: {e.message}"
              for e in _validator("dashboard.jsonschema.json").iter_errors(dashboard)]
    assert not errors


@pytest.mark.parametrize("name,dashboard", _dashboards(), ids=[p.name for p in DASHBOARD_FILES])
def test_panel_options_and_targets_match_their_schemas(name: str, dashboard: dict[str, Any]) -> None:
    options = {"timeseries": _validator("timeseries.jsonschema.json", "Options"),
               "stat": _validator("stat.jsonschema.json", "Options")}
    custom = _validator("timeseries.jsonschema.json", "FieldConfig")
    query = _validator("prometheus.jsonschema.json", "Dataquery")
    errors = []
    for panel in _panels(dashboard):
        found = list(options[panel["type"]].iter_errors(panel["options"]))
        if panel["type"] == "timeseries":
            found += custom.iter_errors(panel["fieldConfig"]["defaults"]["custom"])
        for target in panel["targets"]:
            found += query.iter_errors(target)
        errors += [f"{panel['title']}: {list(e.absolute_path)} {e.message}" for e in found]
    assert not errors


def test_schema_validation_catches_legacy_grafanalib_output() -> None:
    """The validators are not vacuous: raw grafanalib JSON fails them."""
    from grafanalib import core as G

    from generators.grafana_json import _plain_deep

    raw = _plain_deep(G.Dashboard(title="raw", panels=[G.Stat(title="s", targets=[])]))
    assert list(_validator("dashboard.jsonschema.json").iter_errors(raw))


@pytest.mark.parametrize("name,dashboard", _dashboards(), ids=[p.name for p in DASHBOARD_FILES])
def test_modern_json(name: str, dashboard: dict[str, Any]) -> None:
    assert dashboard["schemaVersion"] >= 39
    keys = _walk_keys(dashboard)
    assert not [p for p, _ in keys if p.rsplit(".", 1)[-1] in LEGACY_KEYS]
    nulls = [p for p, v in keys if v is None]
    assert all(re.search(r"thresholds\.steps\[0\]\.value$", p) for p in nulls), nulls
    assert "null" not in [v for _, v in keys]
    variables = {v["name"]: v for v in dashboard["templating"]["list"]}
    assert variables["datasource"]["type"] == "datasource"
    for panel in _panels(dashboard):
        assert panel["datasource"] == {"type": "prometheus", "uid": "${datasource}"}
        for target in panel["targets"]:
            assert target["datasource"] == {"type": "prometheus", "uid": "${datasource}"}


def test_every_query_parses_reads_recordings_and_is_filtered_by_cluster(
    spec: Spec, recording_rules: list[dict[str, Any]]
) -> None:
    slo_rules = yaml.safe_load((ROOT / "alerts" / "slo.rules.yml").read_text())["groups"]  # the SLO dashboard's
    recorded = {r["record"] for r in recording_rules} | {r["record"] for g in slo_rules for r in g["rules"]
                                                          if "record" in r}
    catalogue = {name: m.type for name, m in spec.metrics.items()}
    allowed = rulecheck.allowed_metric_names(catalogue, recorded) | {"ALERTS"}
    # constants (an SLO's objective: `vector(x)`) have no cluster label; a cluster filter would
    # hide them whenever one cluster is selected
    constants = {r["record"] for g in slo_rules for r in g["rules"] if "record" in r
                 and r["expr"].startswith("vector(")}
    labels = spec.settings.aggregation_labels
    problems = []
    for name, dashboard in _dashboards():
        variables = {v["name"] for v in dashboard["templating"]["list"]}
        assert set(labels) <= variables
        for panel in _panels(dashboard):
            for target in panel["targets"]:
                where = f"{name} / {panel['title']} / {target['refId']}"
                expr = promql_parser.parse(_substitute(target["expr"]))
                selectors: list[Any] = []
                ranges: list[Any] = []

                def visit(node: Any, selectors: list[Any] = selectors, ranges: list[Any] = ranges) -> None:
                    if isinstance(node, promql_parser.VectorSelector):
                        selectors.append(node)
                    if isinstance(node, promql_parser.MatrixSelector):
                        ranges.append(node)

                promql_parser.walk(expr, pre_visit=visit)
                if ranges:  # a range selector means a raw rate()/histogram_quantile() on the panel
                    problems.append(f"{where}: computes over raw series instead of a recording")
                for sel in selectors:
                    if sel.name not in allowed:
                        problems.append(f"{where}: {sel.name} is not in the catalogue or recorded")
                    if sel.name != "ALERTS" and sel.name not in recorded:
                        problems.append(f"{where}: {sel.name} is raw; read a recording rule")
                    for label in labels:
                        if all(sel.name in constants for sel in selectors):
                            assert f"${label}" not in target["expr"], f"{where}: a constant filtered by ${label}"
                        elif f'{label}=~"${label}"' not in target["expr"]:
                            problems.append(f"{where}: not filtered by ${label}")
    assert not problems


def _panel_by_url(url: str) -> tuple[dict[str, Any], dict[str, Any]]:
    parsed = urlparse(url)
    match = re.fullmatch(r"/d/([^/]+)/([^/]+)", parsed.path)
    assert match, url
    uid, _slug = match.groups()
    dashboard = next(d for _, d in _dashboards() if d["uid"] == uid)
    panel_id = int(parse_qs(parsed.query)["viewPanel"][0])
    panel = next(p for p in dashboard["panels"] if p["id"] == panel_id)
    return dashboard, panel


def test_every_alert_dashboard_url_opens_a_panel_reading_the_same_series(
    spec: Spec, alert_rules: list[dict[str, Any]]
) -> None:
    for rule in alert_rules:
        url = rule["annotations"]["dashboard_url"]
        assert url.startswith(spec.settings.grafana_url + "/d/")
        dashboard, panel = _panel_by_url(url)
        names, _ = rulecheck.selectors_and_ranges(rule["expr"])
        read = {n for t in panel["targets"] for n in rulecheck.selectors_and_ranges(_substitute(t["expr"]))[0]}
        recorded = {n for n in names if ":" in n}
        assert recorded & read, f"{rule['alert']}: panel {panel['title']!r} reads none of {recorded}"
        slug = re.sub(r"[^a-z0-9]+", "-", dashboard["title"].lower()).strip("-")
        assert urlparse(url).path.endswith("/" + slug)


def test_panel_thresholds_are_the_alert_thresholds(spec: Spec, alert_rules: list[dict[str, Any]]) -> None:
    for alert in spec.alerts:
        rule = next(r for r in alert_rules if r["alert"] == alert.name)
        _, panel = _panel_by_url(rule["annotations"]["dashboard_url"])
        if alert.indicator.kind == "rate" and alert.indicator.baseline_offsets:
            # drop alerts compare with a baseline: the panel draws threshold x baseline
            line = [t for t in panel["targets"] if t["expr"].endswith(f"* {alert.threshold.value:g}")]
            assert line and "_offset" in line[0]["expr"].split("{")[0], panel["targets"]
            continue
        steps = panel["fieldConfig"]["defaults"]["thresholds"]["steps"]
        assert alert.threshold.value in [s["value"] for s in steps], (alert.name, steps)
        if panel["type"] == "timeseries":
            assert panel["fieldConfig"]["defaults"]["custom"]["thresholdsStyle"]["mode"] == "dashed"
        assert alert.name in panel["description"] and "[Runbook](" in panel["description"]


def test_uids_are_stable_and_panel_ids_unique(spec: Spec) -> None:
    uids = [d["uid"] for _, d in _dashboards()]
    assert uids == ["billing-financial", "billing-overview", "billing-performance", "billing-slos"]
    for name, dashboard in _dashboards():
        ids = [p["id"] for p in dashboard["panels"]]
        assert len(ids) == len(set(ids)), name


def test_dashboards_link_to_each_other() -> None:
    for name, dashboard in _dashboards():
        assert "billing" in dashboard["tags"], name
        links = [link for link in dashboard["links"] if link["type"] == "dashboards"]
        assert links and "billing" in links[0]["tags"] and links[0]["includeVars"]


def test_guide_panels_exist() -> None:
    titles = {d["title"]: {p["title"] for p in d["panels"]} for _, d in _dashboards()}
    assert {"Request rate", "Error rate", "Success rate", "Events ingested per second",
            "Firing alerts by severity", "Health check"} <= titles["Billing Overview"]
    assert {"Invoices generated per hour", "Invoice success rate", "Payment success rate",
            "Payments processed", "Revenue collected per hour", "Webhook success rate",
            "Invoices pending vs deadline"} <= titles["Billing Financial"]
    assert {"API response time", "Ingestion latency", "Payment latency", "Connection pool usage",
            "Query time", "RDS CPU", "RDS freeable memory", "Queue depth", "Oldest message age",
            "Queue throughput"} <= titles["Billing Performance"]
