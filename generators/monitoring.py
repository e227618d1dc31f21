"""The rule files and dashboards as data: what the mixin, PrometheusRules and rulers repackage.

Renderers that repackage them read these structures, never the dumped text back: parsing
the rule file again cost more than rendering it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from generators.dashboards import build_dashboard
from generators.jsonout import dump_json
from generators.model import Spec
from generators.rules import RULES_FILE, render_rule_groups
from generators.slo.dashboard import FILE as SLO_DASHBOARD_FILE
from generators.slo.dashboard import build_slo_dashboard
from generators.slo.rules import SLO_RULES_FILE, render_slo_groups
from generators.yamlout import dump_yaml


@dataclass(frozen=True)
class Monitoring:
    rule_files: dict[str, dict[str, Any]]  # path -> {"groups": [...]}
    dashboards: dict[str, dict[str, Any]]  # path -> Grafana dashboard model

    def rule_groups(self) -> dict[str, list[dict[str, Any]]]:
        """path -> groups of each rule file (callers must not modify them)."""
        return {path: content["groups"] for path, content in self.rule_files.items()}


def render_monitoring_data(spec: Spec) -> Monitoring:
    """The alert rule file and dashboards of the spec, and the SLOs' (when it has SLOs)."""
    rule_files = {f"alerts/{RULES_FILE}": render_rule_groups(spec)}
    dashboards = {f"dashboards/{d.key}.json": build_dashboard(spec, d) for d in spec.dashboards}
    if spec.slos:
        rule_files[f"alerts/{SLO_RULES_FILE}"] = {"groups": render_slo_groups(spec)}
        dashboards[SLO_DASHBOARD_FILE] = build_slo_dashboard(spec)
    return Monitoring(rule_files, dashboards)


def monitoring_files(data: Monitoring) -> dict[str, str]:
    files = {path: dump_yaml(content) for path, content in data.rule_files.items()}
    files.update({path: dump_json(model) + "\n" for path, model in data.dashboards.items()})
    return files
