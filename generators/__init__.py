"""billing-monitoring generators: thresholds.yaml -> rules, tests, dashboards, routing, docs."""
