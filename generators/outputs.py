"""Every generated file, as path -> content, and writing or checking them.

Rendering is pure (spec in, strings out); only this module touches the output tree.
Files are written atomically and only when their content changed, so a failed build
never leaves half-written output behind.
"""

from __future__ import annotations

from generators.alertmanager import render_alertmanager
from generators.dashboards import render_dashboards
from generators.deployment import render_deployment_files
from generators.docs import render_alert_docs
from generators.healthy_week import render_healthy_week
from generators.kubernetes import render_kubernetes
from generators.mixin import render_mixin
from generators.model import Spec
from generators.ruler import render_ruler
from generators.rules import RULES_FILE, render_rule_groups
from generators.slo.dashboard import render_slo_dashboard
from generators.slo.docs import render_slo_docs
from generators.slo.rules import render_slo_rule_file
from generators.slo.unittests import render_slo_tests
from generators.unittests import render_unit_tests
from generators.yamlout import dump_yaml


def render_monitoring(spec: Spec) -> dict[str, str]:
    """The rule files and dashboards: what the mixin, PrometheusRules and rulers repackage."""
    files = {f"alerts/{RULES_FILE}": dump_yaml(render_rule_groups(spec))}
    files.update(render_slo_rule_file(spec))
    files.update(render_dashboards(spec))
    files.update(render_slo_dashboard(spec))
    return files


def render_all(spec: Spec) -> dict[str, str]:
    """Relative path -> file content for every generated output."""
    monitoring = render_monitoring(spec)
    files = dict(monitoring)
    files.update(render_unit_tests(spec))
    files["docs/alerts.md"] = render_alert_docs(spec) + render_slo_docs(spec)
    files.update(render_slo_tests(spec))
    rule_files = [p for p in monitoring if p.startswith("alerts/") and p.endswith(".rules.yml")]
    files.update(render_healthy_week(spec, rule_files))
    files.update(render_alertmanager(spec))
    files.update(render_deployment_files(spec.deployment))
    files.update(render_mixin(spec, render_monitoring, monitoring))
    files.update(render_kubernetes(spec, files))
    files.update(render_ruler(spec, files))
    return dict(sorted(files.items()))
