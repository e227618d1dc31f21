// Generated from thresholds.yaml by `make build`; do not edit.
{
  grafanaDashboards+:: {
    "financial.json": (import "dashboards/financial.libsonnet")($._config),
    "overview.json": (import "dashboards/overview.libsonnet")($._config),
    "performance.json": (import "dashboards/performance.libsonnet")($._config),
    "slos.json": (import "dashboards/slos.libsonnet")($._config),
  },
}
