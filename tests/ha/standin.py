"""STAND-IN, delete at merge: `BillingScrapeTargetsMissing` until the lead's generated rule lands.

The lead is adding this alert to the generated rules (labels cluster, job, severity, team):
a (cluster, job) of a spec selector that had `up` series within the last day and has none
now. Until then the HA tests load this rule file next to the generated one, with exactly
that alert name and labels; once `alerts/billing.rules.yml` has the alert, delete this
file and the `extra_rule_files` argument in test_topology.py.
"""

from __future__ import annotations

from generators.deployment import go_duration
from generators.model import Matcher, Spec
from generators.promql import render_matchers
from generators.yamlout import dump_yaml

ALERT = "BillingScrapeTargetsMissing"
FILE = "standin-scrape-targets-missing.rules.yml"


def scrape_targets_missing_rules(spec: Spec) -> str:
    """The stand-in rule file; team, severity and `for` are those of BillingPlatformDown."""
    model = next(a for a in spec.alerts if a.short_name == "PlatformDown")
    by = ", ".join((*spec.settings.aggregation_labels, "job"))
    terms = []
    for labels in spec.settings.selectors.values():
        selector = render_matchers([Matcher(k, "=", v) for k, v in labels])
        terms.append(f"group by ({by}) (max_over_time(up{{{selector}}}[1d]))\n"
                     f"  unless group by ({by}) (up{{{selector}}})")
    rule = {
        "alert": ALERT,
        "expr": "\nor\n".join(terms),
        "for": go_duration(model.for_seconds),
        "labels": {"severity": model.severity, "team": model.team},
        "annotations": {"summary": "A scrape job of a cluster has no targets any more (stand-in rule)."},
    }
    return dump_yaml({"groups": [{"name": "standin.scrape_targets_missing", "rules": [rule]}]},
                     header="# STAND-IN for the lead's BillingScrapeTargetsMissing; delete at merge.\n")
