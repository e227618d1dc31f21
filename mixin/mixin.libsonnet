// Generated from thresholds.yaml by `make build`; do not edit.
// The billing monitoring mixin: prometheusAlerts, prometheusRules, grafanaDashboards, _config.
local lib = import 'lib/format.libsonnet';

(import 'config.libsonnet')
+ (import 'alerts.libsonnet')
+ (import 'dashboards.libsonnet')
+ {
  local problems = lib.configProblems(self._config, ["PlatformDown", "PlatformTargetDown", "HealthCheckFailing", "APIErrorRateHigh", "FatalLogMessages", "IngestionSuccessRateLow", "IngestionLatencyHigh", "IngestionRateDrop", "InvoiceGenerationFailures", "InvoiceRunTooSlow", "InvoicesMissingAfterDeadline", "PaymentSuccessRateLow", "PaymentLatencyHigh", "PaymentWebhookFailures", "DatabasePoolUsageHigh", "DatabaseQueryLatencyHigh", "DatabaseConnectionErrors", "RDSCPUHigh", "ScrapeTargetsMissing", "IngestionStopped"], {"platform": ["job"], "healthcheck": ["job"], "cloudwatch": ["job"]}),
  assert std.length(problems) == 0 : 'billing mixin: ' + std.join('; ', problems),
}
