"""Every generated file, as path -> content, and writing or checking them.

Rendering is pure (spec in, strings out); only this module touches the output tree.
Files are written atomically and only when their content changed, so a failed build
never leaves half-written output behind.
"""

from __future__ import annotations

from generators.alertmanager import render_alertmanager
from generators.deployment import render_deployment_files
from generators.docs import render_alert_docs
from generators.kubernetes import render_kubernetes
from generators.mixin import render_mixin
from generators.model import Spec
from generators.monitoring import monitoring_files, render_monitoring_data
from generators.ruler import render_ruler
from generators.slo.docs import render_slo_docs
from generators.slo.unittests import render_slo_tests
from generators.unittests import render_unit_tests
from generators.yamlout import shared_sequences


def render_monitoring(spec: Spec) -> dict[str, str]:
    """The rule files and dashboards: what the mixin, PrometheusRules and rulers repackage."""
    return monitoring_files(render_monitoring_data(spec))


def render_all(spec: Spec) -> dict[str, str]:
    """Relative path -> file content for every generated output."""
    with shared_sequences():  # nothing rendered is modified afterwards
        return _render_all(spec)


def _render_all(spec: Spec) -> dict[str, str]:
    data = render_monitoring_data(spec)
    monitoring = monitoring_files(data)
    files = dict(monitoring)
    files.update(render_unit_tests(spec))
    files["docs/alerts.md"] = render_alert_docs(spec) + render_slo_docs(spec)
    files.update(render_slo_tests(spec))
    files.update(render_alertmanager(spec))
    files.update(render_deployment_files(spec.deployment))
    files.update(render_mixin(spec, render_monitoring_data, data, "\n".join(monitoring.values())))
    files.update(render_kubernetes(spec, files, data.rule_groups()))
    files.update(render_ruler(spec, files, data.rule_groups()))
    return dict(sorted(files.items()))
