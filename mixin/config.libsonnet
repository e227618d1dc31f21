// Generated from thresholds.yaml by `make build`; do not edit.
// Override in your own jsonnet: (import 'mixin.libsonnet') + { _config+:: { thresholds+: { X: 0.9 } } }.
// Thresholds are in the unit of thresholds.yaml (ratios as fractions, durations in seconds).
{
  _config+:: {
    alertPrefix: "Billing",
    // values of the job selectors; label names and other labels come from thresholds.yaml
    selectors: {
      "platform": { "job": "billing-platform" },
      "healthcheck": { "job": "billing-healthcheck" },
      "cloudwatch": { "job": "cloudwatch" },
    },
    thresholds: {
      // BillingPlatformDown: Platform scrape targets up <= this (ratio)
      "PlatformDown": 0,
      // BillingPlatformTargetDown: Platform scrape targets up < this (ratio)
      "PlatformTargetDown": 0.9,
      // BillingHealthCheckFailing: Health check success < this (ratio)
      "HealthCheckFailing": 0.8,
      // BillingAPIErrorRateHigh: API 5xx error rate > this (ratio)
      "APIErrorRateHigh": 0.05,
      // BillingFatalLogMessages: FATAL log lines > this (count)
      "FatalLogMessages": 0,
      // BillingIngestionSuccessRateLow: Event ingestion success rate < this (ratio)
      "IngestionSuccessRateLow": 0.95,
      // BillingIngestionLatencyHigh: Event ingestion latency > this (seconds)
      "IngestionLatencyHigh": 1,
      // BillingIngestionRateDrop: Events ingested per second < this (ratio)
      "IngestionRateDrop": 0.5,
      // BillingInvoiceGenerationFailures: Failed invoice generations > this (count)
      "InvoiceGenerationFailures": 0,
      // BillingInvoiceRunTooSlow: Current invoice run duration > this (seconds)
      "InvoiceRunTooSlow": 300,
      // BillingInvoicesMissingAfterDeadline: Invoices pending after the cycle deadline > this (count)
      "InvoicesMissingAfterDeadline": 0,
      // BillingPaymentSuccessRateLow: Payment success rate < this (ratio)
      "PaymentSuccessRateLow": 0.9,
      // BillingPaymentLatencyHigh: Payment processing latency > this (seconds)
      "PaymentLatencyHigh": 5,
      // BillingPaymentWebhookFailures: Payment webhook success rate < this (ratio)
      "PaymentWebhookFailures": 0.95,
      // BillingDatabasePoolUsageHigh: Database connection pool usage (worst replica) > this (ratio)
      "DatabasePoolUsageHigh": 0.8,
      // BillingDatabaseQueryLatencyHigh: Database query time > this (seconds)
      "DatabaseQueryLatencyHigh": 1,
      // BillingDatabaseConnectionErrors: Database connection errors > this (count)
      "DatabaseConnectionErrors": 3,
      // BillingRDSCPUHigh: RDS CPU utilisation > this (percent)
      "RDSCPUHigh": 80,
      // BillingScrapeTargetsMissing: Scrape targets present <= this (count)
      "ScrapeTargetsMissing": 0,
      // BillingIngestionStopped: Events ingested per second (10m) <= this (per_second)
      "IngestionStopped": 0,
    },
  },
}
