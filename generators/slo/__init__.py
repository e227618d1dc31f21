"""Service level objectives: spec model, rules, tests, dashboard and docs (issue 11)."""
