"""Load thresholds.yaml: source positions, generic checks, one module per section,
cross-checks. `generators.loader.build.load_spec` is the entry point."""
