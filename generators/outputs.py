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
The child sends its files in two parts (unit tests, then docs and SLO tests), so the build
writes the first while the second renders (`render_parts`).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

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
    files: dict[str, str] = {}
    with contextlib.closing(render_parts(spec, fork)) as parts:
        for part in parts:
            for path in part.keys() & files.keys():
                raise RuntimeError(f"{path} was rendered twice (a generator bug)")
            files.update(part)
    return dict(sorted(files.items()))


def render_parts(spec: Spec, fork: bool | None = None) -> Iterator[dict[str, str]]:
    """render_all's files in parts, each as soon as it is rendered: this process's half, then
    the child's unit tests (most of the files), then its docs and SLO tests. A writer stages
    a part while the next renders (writing 2,700 files of a 100x build is a second of kernel
    time). Without a child everything is rendered before the first part is handed out. Close
    it when not read to the end."""
    tests_and_docs = forked.start(lambda: _render_tests_and_docs(spec), fork)
    try:
        first = _render_monitoring_and_packages(spec)
        if tests_and_docs.forked:
            yield first
            yield from tests_and_docs.parts()
        else:  # one process: all rendered with the first part, before a writer locks the tree
            rest = list(tests_and_docs.parts())
            yield first
            yield from rest
    finally:
        tests_and_docs.cancel()


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
        # one config tree for the file and for the Kubernetes Secret that repackages it
        config = render_alertmanager_config(spec) if spec.routing is not None else None
        files.update(render_alertmanager(spec, config))
        files.update(render_deployment_files(spec.deployment))
        files.update(render_mixin(spec, render_monitoring_data, data, "\n".join(monitoring.values())))
        files.update(render_kubernetes(spec, files, data.rule_groups(), config))
        files.update(render_ruler(spec, files, data.rule_groups()))
    return files


def _render_tests_and_docs(spec: Spec) -> Iterator[dict[str, str]]:
    from generators.docs import render_alert_docs
    from generators.slo.docs import render_slo_docs
    from generators.slo.unittests import render_slo_tests
    from generators.unittests import render_unit_tests

    with shared_sequences():
        unit_tests = render_unit_tests(spec)
    yield unit_tests
    with shared_sequences():
        files = {"docs/alerts.md": render_alert_docs(spec) + render_slo_docs(spec)}
        files.update(render_slo_tests(spec))
    yield files
