"""mixin/: the jsonnet mixin evaluates (with the real `jsonnet`) to exactly our rules and
dashboards, and an override in jsonnet gives what a rebuild from an edited spec gives."""

from __future__ import annotations

import json
import re
import subprocess
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from generators.loader.build import load_spec
from generators.mixin import (
    NUMBER_RE,
    WORD_RE,
    MixinDrift,
    choose_sentinels,
    numbers_in,
    render_mixin,
    text_tokens,
    words_in,
)
from generators.model import Spec, Threshold
from generators.monitoring import Monitoring, render_monitoring_data
from generators.outputs import render_all, render_monitoring
from generators.templating import humanize, humanize1024, humanize_duration, humanize_percentage
from generators.writer import write_outputs

ROOT = Path(__file__).resolve().parent.parent
LIB = ROOT / "generators" / "templates" / "mixin_lib.libsonnet"
EVALUATE = ("local m = (import 'mixin/mixin.libsonnet') + %s;\n"
            "{alerts: m.prometheusAlerts, rules: m.prometheusRules, dashboards: m.grafanaDashboards}")


def jsonnet(snippet: str, cwd: Path) -> Any:
    result = subprocess.run(["jsonnet", "-e", snippet], cwd=cwd, capture_output=True, text=True, timeout=120)
    if result.returncode:
        raise AssertionError(result.stderr)
    return json.loads(result.stdout)


def groups_in_file_order(mixin: dict[str, Any], names: list[str]) -> list[dict[str, Any]]:
    groups = mixin["alerts"]["groups"] + mixin["rules"]["groups"]
    return sorted(groups, key=lambda g: names.index(g["name"]))


def parsed(files: dict[str, str]) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """Every rule group and dashboard of a render (all rule files: a rule file or dashboard
    rendered outside render_monitoring would be missing from the mixin, and fail here)."""
    rule_files = sorted(p for p in files if re.fullmatch(r"alerts/[^/]+\.rules\.yml", p))
    assert rule_files
    rules = [g for p in rule_files for g in yaml.safe_load(files[p])["groups"]]
    dashboards = {p.split("/")[1]: json.loads(c) for p, c in files.items()
                  if re.fullmatch(r"dashboards/[^/]+\.json", p)}
    return rules, dashboards


@pytest.fixture(scope="module")
def spec() -> Spec:
    return load_spec(ROOT / "thresholds.yaml")


@pytest.fixture(scope="module")
def built(spec: Spec, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    out = tmp_path_factory.mktemp("build")
    files = render_all(spec)
    write_outputs(files, out)
    return out, files


@pytest.fixture(scope="module")
def default(built: tuple[Path, dict[str, str]]) -> dict[str, Any]:
    return jsonnet(EVALUATE % "{}", built[0])


def test_default_config_evaluates_to_our_rules_and_dashboards(default: dict[str, Any],
                                                              built: tuple[Path, dict[str, str]]) -> None:
    rules, dashboards = parsed(built[1])
    assert groups_in_file_order(default, [g["name"] for g in rules]) == rules
    assert default["dashboards"] == dashboards
    # groups with alerts are prometheusAlerts; recording-only groups prometheusRules
    assert all(any("alert" in r for r in g["rules"]) for g in default["alerts"]["groups"])
    assert not any("alert" in r for g in default["rules"]["groups"] for r in g["rules"])


def test_promtool_accepts_the_jsonnet_rules(default: dict[str, Any], tmp_path: Path) -> None:
    path = tmp_path / "mixin.rules.yml"
    path.write_text(yaml.safe_dump({"groups": default["alerts"]["groups"] + default["rules"]["groups"]}))
    result = subprocess.run(["promtool", "check", "rules", str(path)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


OVERRIDE = """{ _config+:: {
  alertPrefix: 'Acme',
  selectors+: { platform+: { job: 'prod "billing" \\\\ api' } },
  thresholds+: { IngestionLatencyHigh: 2.5, IngestionSuccessRateLow: 0.97, DatabasePoolUsageHigh: 0.9,
                 IngestionRateDrop: 0.35 },
} }"""


def edited_spec(spec: Spec) -> Spec:
    """What thresholds.yaml with the OVERRIDE's values would load as."""
    values = {"IngestionLatencyHigh": 2.5, "IngestionSuccessRateLow": 0.97, "DatabasePoolUsageHigh": 0.9,
              "IngestionRateDrop": 0.35}
    selectors = dict(spec.settings.selectors)
    selectors["platform"] = (("job", 'prod "billing" \\ api'),)
    settings = replace(spec.settings, alert_prefix="Acme", selectors=selectors)
    alerts = tuple(replace(a, name="Acme" + a.short_name,
                           threshold=Threshold(a.threshold.op, values.get(a.short_name, a.threshold.value)),
                           inhibits=tuple("Acme" + n.removeprefix("Billing") for n in a.inhibits))
                   for a in spec.alerts)
    return replace(spec, settings=settings, alerts=alerts)


def test_an_override_in_jsonnet_equals_a_rebuild_from_the_edited_spec(
        spec: Spec, built: tuple[Path, dict[str, str]], default: dict[str, Any], tmp_path: Path) -> None:
    overridden = jsonnet(EVALUATE % OVERRIDE, built[0])
    rules, dashboards = parsed(render_monitoring(edited_spec(spec)))
    assert groups_in_file_order(overridden, [g["name"] for g in rules]) == rules
    assert overridden["dashboards"] == dashboards

    # the alert and its dashboard line moved together (spelled out: the diff of the closing note)
    alert = next(r for g in overridden["alerts"]["groups"] for r in g["rules"]
                 if r.get("alert") == "AcmeIngestionLatencyHigh")
    assert alert["expr"].endswith("> 2.5")
    assert alert["annotations"]["description"].endswith("above the 2.5s threshold.")
    panel = next(p for p in overridden["dashboards"]["performance.json"]["panels"] if p["title"] == "Ingestion latency")
    assert [s["value"] for s in panel["fieldConfig"]["defaults"]["thresholds"]["steps"]] == [None, 2.5]
    assert "**AcmeIngestionLatencyHigh** (warning, team ingestion) when > 2.5 for 10m" in panel["description"]
    before = next(r for g in default["alerts"]["groups"] for r in g["rules"]
                  if r.get("alert") == "BillingIngestionLatencyHigh")
    assert before["expr"].endswith("> 1") and "above the 1s threshold." in before["annotations"]["description"]

    # the hostile selector value is escaped for PromQL: promtool parses every expression
    assert 'job="prod \\"billing\\" \\\\ api"' in alert["expr"] or "job=" not in alert["expr"]
    path = tmp_path / "override.rules.yml"
    path.write_text(yaml.safe_dump({"groups": overridden["alerts"]["groups"] + overridden["rules"]["groups"]}))
    result = subprocess.run(["promtool", "check", "rules", str(path)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(("override", "message"), [
    ("{ _config+:: { alertPrefix: 'acme-' } }", "_config.alertPrefix must be CamelCase"),
    ("{ _config+:: { thresholds+: { IngestionLatencyHigh: '2.5' } } }",
     "_config.thresholds.IngestionLatencyHigh must be a number"),
    ("{ _config+:: { thresholds+: { IngestionLatencyHihg: 2.5 } } }",
     "_config.thresholds has no alert IngestionLatencyHihg"),
    ("{ _config+:: { selectors+: { platform: {} } } }", "_config.selectors.platform.job must be a non-empty string"),
])
def test_a_bad_config_fails_with_the_field_and_the_fix(built: tuple[Path, dict[str, str]], override: str,
                                                       message: str) -> None:
    with pytest.raises(AssertionError, match=re.escape(message)):
        jsonnet(EVALUATE % override, built[0])


def _format_cases() -> list[float]:
    values = [0, 1, 0.95, 0.05, 0.5, 0.8, 0.9, 0.97, 0.99995, 2.5, 5, 80, 300, 3600, 90061.5, 1e-5, 1e-7,
              0.0001, 0.12345, 0.125, 9.9995, 999.95, 999999.5, 123456, 1234567, 2048, 1e9, 1.5e-12, -0.5, 59.99]
    values += [round(0.37 * 1.7 ** i, 1 + i % 7) for i in range(-20, 30)]  # deterministic spread of magnitudes
    return values


def test_the_jsonnet_formats_print_what_python_and_prometheus_print() -> None:
    values = _format_cases()
    snippet = (f"local f = import '{LIB}';\n[[f.g(x), f.g4(x), f.humanize(x), f.humanize1024(x), "
               f"f.humanizeDuration(x), f.humanizePercentage(x)] for x in {json.dumps(values)}]")
    got = jsonnet(snippet, ROOT)
    g4 = "%.4g"  # C's printf: what Prometheus' Go %.4g matches
    want = [[f"{x:g}", g4 % x, humanize(x), humanize1024(x), humanize_duration(x), humanize_percentage(x)]
            for x in values]
    assert got == want


def _edit_dashboards(data: Monitoring, edit: Callable[[str], str]) -> Monitoring:
    """`data` with every string of every dashboard passed through `edit`."""
    def walk(node: Any) -> Any:
        if isinstance(node, dict):
            return {k: walk(v) for k, v in node.items()}
        if isinstance(node, list):
            return [walk(v) for v in node]
        return edit(node) if isinstance(node, str) else node
    return Monitoring(data.rule_files, {p: walk(d) for p, d in data.dashboards.items()})


def test_the_build_refuses_a_renderer_the_mixin_cannot_follow(spec: Spec) -> None:
    # a renderer that prints a panel threshold as a percentage (value x 100): the sentinel
    # comes out transformed, the mixin cannot express it, and the build says where
    def percent_panels(s: Spec) -> Monitoring:
        return _edit_dashboards(render_monitoring_data(s), lambda text: re.sub(
            r"when > (\d+(?:\.\d+)?)", lambda m: f"when > {float(m.group(1)) * 100:g}", text))
    with pytest.raises(MixinDrift, match="does not follow"):
        render_mixin(spec, percent_panels)

    # a job selector value outside a label matcher could not be escaped
    def selector_in_text(s: Spec) -> Monitoring:
        job = s.settings.selectors["platform"][0][1]
        return _edit_dashboards(render_monitoring_data(s), lambda text: text.replace(
            "Generated from thresholds.yaml", f"Generated for {job}", 1))
    with pytest.raises(MixinDrift, match="outside a PromQL label matcher"):
        render_mixin(spec, selector_in_text)


def test_the_mixin_of_the_render_data_equals_the_mixin_of_the_build(spec: Spec,
                                                                     built: tuple[Path, dict[str, str]]) -> None:
    # render_all hands the mixin the data and text it has; alone, the mixin renders both itself
    alone = render_mixin(spec, render_monitoring_data)
    assert alone == {p: c for p, c in built[1].items() if p.startswith("mixin/")}


def test_sentinels_never_collide_with_the_spec(spec: Spec) -> None:
    files = render_monitoring(spec)
    text = "\n".join(files.values())
    first = choose_sentinels(spec, text)
    # plant the first choices in the "real" render: they must all be avoided
    planted = text + "".join(f" {v:g}" for v in first.thresholds.values()) + first.prefix + \
        "".join(first.selectors.values())
    second = choose_sentinels(spec, planted)
    assert second.prefix != first.prefix
    assert not set(second.thresholds.values()) & set(first.thresholds.values())
    assert not set(second.selectors.values()) & set(first.selectors.values())
    assert len(set(second.thresholds.values())) == len(spec.alerts)


# the characters the token scan keeps, blanks, splits on, or keeps while no pattern matches them
_SCAN_ALPHABET = "0123456789.ab -\n\"qQzZxXpfsel\u2028\u00a0\u2265\u00e9"


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=_SCAN_ALPHABET, max_size=40))
def test_numbers_in_finds_what_the_number_pattern_finds(text: str) -> None:
    assert numbers_in(text_tokens(text)) == set(NUMBER_RE.findall(text))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(
    # near-sentinels: a "qz" in any case, maybe "sel", digits, an ending, each part maybe broken
    st.tuples(st.sampled_from(["qz", "Qz", "QZ", "qZ", "q", "z"]), st.sampled_from(["sel", "", "se", "Sel"]),
              st.sampled_from(["0", "12", "", "3.4"]), st.sampled_from(["x", "xpfx", "XPFX", "xpf", "xx", ""]))
    .map("".join),
    st.sampled_from([" ", ".", "\u00e9", "\u2028", "\u00a0", "a", "-", "\n"])), max_size=8).map("".join))
def test_words_in_finds_what_the_word_patterns_find(text: str) -> None:
    prefixes = {w.lower() for w in re.findall(r"(?i)qz[0-9]+xpfx", text)}
    assert words_in(text_tokens(text)) == set(WORD_RE.findall(text)) | prefixes
