"""Every generated file, as path -> content, and writing or checking them.

Rendering is pure (spec in, strings out); only this module touches the output tree.
Files are written atomically and only when their content changed, so a failed build
never leaves half-written output behind.

The outputs fall in two halves that share nothing but the spec: the rule files and
dashboards with what repackages them (mixin, PrometheusRules, ruler namespaces), and the
promtool tests with the docs. With two CPUs the second half renders in a forked child
(generators/forked.py) while this process renders the first. Each half imports its own
renderers inside its function, so the child's imports (jinja2) overlap the caller's
(grafanalib) too: a build's imports are most of its time at the committed spec's size.
"""

from __future__ import annotations

from generators import forked
from generators.model import Spec
from generators.yamlout import shared_sequences


def render_monitoring(spec: Spec) -> dict[str, str]:
    """The rule files and dashboards: what the mixin, PrometheusRules and rulers repackage."""
    from generators.monitoring import monitoring_files, render_monitoring_data

    return monitoring_files(render_monitoring_data(spec))


def render_all(spec: Spec, fork: bool | None = None) -> dict[str, str]:
    """Relative path -> file content for every generated output. `fork`: render the tests and
    docs in a child process (default: when two CPUs are usable); the files are the same."""
    tests_and_docs = forked.start(lambda: _render_tests_and_docs(spec), fork)
    try:
        files = _render_monitoring_and_packages(spec)
        files.update(tests_and_docs.result())
    finally:
        tests_and_docs.cancel()
    return dict(sorted(files.items()))


def _render_monitoring_and_packages(spec: Spec) -> dict[str, str]:
    from generators.alertmanager import render_alertmanager, render_alertmanager_config
    from generators.deployment import render_deployment_files
    from generators.kubernetes import render_kubernetes
    from generators.mixin import render_mixin
    from generators.monitoring import monitoring_files, render_monitoring_data
    from generators.ruler import render_ruler

    with shared_sequences():  # nothing rendered is modified afterwards
        data = render_monitoring_data(spec)
        monitoring = monitoring_files(data)
        files = dict(monitoring)
        files.update(render_alertmanager(spec))  # the Kubernetes Secret repackages it
        files.update(render_deployment_files(spec.deployment))
        files.update(render_mixin(spec, render_monitoring_data, data, "\n".join(monitoring.values())))
        # the Secret's config from the tree, built again, not parsed back from the file
        config = render_alertmanager_config(spec) if spec.routing is not None else None
        files.update(render_kubernetes(spec, files, data.rule_groups(), config))
        files.update(render_ruler(spec, files, data.rule_groups()))
    return files


def _render_tests_and_docs(spec: Spec) -> dict[str, str]:
    from generators.docs import render_alert_docs
    from generators.slo.docs import render_slo_docs
    from generators.slo.unittests import render_slo_tests
    from generators.unittests import render_unit_tests

    with shared_sequences():
        files = render_unit_tests(spec)
        files["docs/alerts.md"] = render_alert_docs(spec) + render_slo_docs(spec)
        files.update(render_slo_tests(spec))
    return files
