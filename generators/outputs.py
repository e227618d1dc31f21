"""Every generated file, as path -> content.

Rendering is pure (spec in, strings out); generators.writer puts the result on disk
(all-or-nothing) or checks it against the tree.
"""

from __future__ import annotations

from generators.alertmanager import render_alertmanager
from generators.dashboards import render_dashboards
from generators.deployment import render_deployment_files
from generators.docs import render_alert_docs
from generators.model import Spec
from generators.rules import RULES_FILE, render_rule_groups
from generators.unittests import render_unit_tests
from generators.yamlout import dump_yaml


def render_all(spec: Spec) -> dict[str, str]:
    """Relative path -> file content for every generated output."""
    files = {f"alerts/{RULES_FILE}": dump_yaml(render_rule_groups(spec))}
    files.update(render_unit_tests(spec))
    files["docs/alerts.md"] = render_alert_docs(spec)
    files.update(render_dashboards(spec))
    files.update(render_alertmanager(spec))
    files.update(render_deployment_files(spec.deployment))
    return dict(sorted(files.items()))
