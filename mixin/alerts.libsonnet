// Generated from thresholds.yaml by `make build`; do not edit.
// Groups with alerts keep their recording rules beside them (evaluated first, in
// order, so an alert reads the recordings of the same evaluation): they are prometheusAlerts;
// groups of recording rules only are prometheusRules.
local lib = import 'lib/format.libsonnet';

{
  local c = $._config,
  prometheusAlerts+:: {
    groups+: [
      {
        "name": std.asciiLower(c.alertPrefix) + ".platform_up",
        "interval": "30s",
        "rules": [
          {
            "record": "cluster_job:up:avg",
            "expr": "avg by (cluster, job) (up{job=\"" + lib.promqlString(c.selectors["platform"]["job"]) + "\"})",
          },
          {
            "record": "cluster_job:up:avg_over_time10m",
            "expr": "avg_over_time(cluster_job:up:avg{job=\"" + lib.promqlString(c.selectors["platform"]["job"]) + "\"}[10m])",
          },
          {
            "record": "cluster_job:" + c.alertPrefix + "PlatformDown:condition",
            "expr": "cluster_job:up:avg{job=\"" + lib.promqlString(c.selectors["platform"]["job"]) + "\"} <= " + lib.g(c.thresholds["PlatformDown"]) + "\nor on (cluster, job)\nmax_over_time(cluster_job:up:avg{job=\"" + lib.promqlString(c.selectors["platform"]["job"]) + "\"}[1d]) * 0\nunless on (cluster, job)\ncluster_job:up:avg{job=\"" + lib.promqlString(c.selectors["platform"]["job"]) + "\"}\nor\nabsent(up{job=\"" + lib.promqlString(c.selectors["platform"]["job"]) + "\"}) * 0\nunless on ()\nmax_over_time(cluster_job:up:avg{job=\"" + lib.promqlString(c.selectors["platform"]["job"]) + "\"}[1d])",
          },
          {
            "alert": c.alertPrefix + "PlatformDown",
            "expr": "cluster_job:up:avg{job=\"" + lib.promqlString(c.selectors["platform"]["job"]) + "\"} <= " + lib.g(c.thresholds["PlatformDown"]) + "\nor on (cluster, job)\nmax_over_time(cluster_job:up:avg{job=\"" + lib.promqlString(c.selectors["platform"]["job"]) + "\"}[1d]) * 0\nunless on (cluster, job)\ncluster_job:up:avg{job=\"" + lib.promqlString(c.selectors["platform"]["job"]) + "\"}\nor\nabsent(up{job=\"" + lib.promqlString(c.selectors["platform"]["job"]) + "\"}) * 0\nunless on ()\nmax_over_time(cluster_job:up:avg{job=\"" + lib.promqlString(c.selectors["platform"]["job"]) + "\"}[1d])",
            "for": "2m",
            "keep_firing_for": "1m",
            "labels": {
              "severity": "critical",
              "team": "platform",
            },
            "annotations": {
              "summary": "Every billing platform scrape target is down or missing.",
              "description": "Platform scrape targets up is {{ $value | humanizePercentage }}{{ with $labels.cluster }} in cluster {{ . }}{{ end }} for job {{ $labels.job }}, at or below the " + lib.value("ratio", c.thresholds["PlatformDown"]) + " threshold.",
              "runbook_url": "https://github.com/metrics-billing/billing-monitoring/blob/main/docs/alerts.md#" + std.asciiLower(c.alertPrefix) + "platformdown",
              "dashboard_url": "http://localhost:3000/d/" + std.asciiLower(c.alertPrefix) + "-overview/billing-overview?viewPanel=3",
            },
          },
          {
            "alert": c.alertPrefix + "PlatformTargetDown",
            "expr": "(\ncluster_job:up:avg_over_time10m{job=\"" + lib.promqlString(c.selectors["platform"]["job"]) + "\"} < " + lib.g(c.thresholds["PlatformTargetDown"]) + "\n)\nunless on (cluster, job)\n(max_over_time(ALERTS{alertname=\"" + c.alertPrefix + "PlatformDown\", alertstate=\"firing\"}[11m]) unless on (cluster, job) cluster_job:" + c.alertPrefix + "PlatformDown:condition)",
            "for": "2m",
            "labels": {
              "severity": "warning",
              "team": "platform",
            },
            "annotations": {
              "summary": "Billing platform scrape targets are down or flapping.",
              "description": "Platform scrape targets up is {{ $value | humanizePercentage }} on average over 10m{{ with $labels.cluster }} in cluster {{ . }}{{ end }} for job {{ $labels.job }}, below the " + lib.value("ratio", c.thresholds["PlatformTargetDown"]) + " threshold.",
              "runbook_url": "https://github.com/metrics-billing/billing-monitoring/blob/main/docs/alerts.md#" + std.asciiLower(c.alertPrefix) + "platformtargetdown",
              "dashboard_url": "http://localhost:3000/d/" + std.asciiLower(c.alertPrefix) + "-overview/billing-overview?viewPanel=3",
            },
          },
        ],
      },
      {
        "name": std.asciiLower(c.alertPrefix) + ".scrape_targets",
        "interval": "30s",
        "rules": [
          {
            "record": "cluster_job:up:sum",
            "expr": "sum by (cluster, job) (up{job=\"" + lib.promqlString(c.selectors["cloudwatch"]["job"]) + "\"} or up{job=\"" + lib.promqlString(c.selectors["healthcheck"]["job"]) + "\"} or up{job=\"" + lib.promqlString(c.selectors["platform"]["job"]) + "\"})",
          },
          {
            "record": "cluster_job:up:sum_or_lost1d",
            "expr": "cluster_job:up:sum\nor on (cluster, job)\nmax_over_time(cluster_job:up:sum[1d]) * 0",
          },
          {
            "alert": c.alertPrefix + "ScrapeTargetsMissing",
            "expr": "cluster_job:up:sum_or_lost1d <= " + lib.g(c.thresholds["ScrapeTargetsMissing"]),
            "for": "5m",
            "labels": {
              "severity": "critical",
              "team": "platform",
            },
            "annotations": {
              "summary": "A scrape job has no target up in a cluster where it had some within the last day.",
              "description": "Scrape targets present: {{ $value | humanize }} targets up now (the last 1d had some){{ with $labels.cluster }} in cluster {{ . }}{{ end }} for job {{ $labels.job }}, at or below the " + lib.value("count", c.thresholds["ScrapeTargetsMissing"]) + " threshold.",
              "runbook_url": "https://github.com/metrics-billing/billing-monitoring/blob/main/docs/alerts.md#" + std.asciiLower(c.alertPrefix) + "scrapetargetsmissing",
              "dashboard_url": "http://localhost:3000/d/" + std.asciiLower(c.alertPrefix) + "-overview/billing-overview?viewPanel=6",
            },
          },
        ],
      },
      {
        "name": std.asciiLower(c.alertPrefix) + ".healthcheck",
        "interval": "30s",
        "rules": [
          {
            "record": "cluster_job:probe_success:avg",
            "expr": "avg by (cluster, job) (probe_success{job=\"" + lib.promqlString(c.selectors["healthcheck"]["job"]) + "\"})",
          },
          {
            "record": "cluster_job:probe_success:avg_over_time5m",
            "expr": "avg_over_time(cluster_job:probe_success:avg{job=\"" + lib.promqlString(c.selectors["healthcheck"]["job"]) + "\"}[5m])",
          },
          {
            "alert": c.alertPrefix + "HealthCheckFailing",
            "expr": "(\ncluster_job:probe_success:avg_over_time5m{job=\"" + lib.promqlString(c.selectors["healthcheck"]["job"]) + "\"} < " + lib.g(c.thresholds["HealthCheckFailing"]) + "\nor on (cluster, job)\nmax_over_time(cluster_job:probe_success:avg{job=\"" + lib.promqlString(c.selectors["healthcheck"]["job"]) + "\"}[1d]) * 0\nunless on (cluster, job)\ncluster_job:probe_success:avg{job=\"" + lib.promqlString(c.selectors["healthcheck"]["job"]) + "\"}\nor\nabsent(probe_success{job=\"" + lib.promqlString(c.selectors["healthcheck"]["job"]) + "\"}) * 0\nunless on ()\nmax_over_time(cluster_job:probe_success:avg{job=\"" + lib.promqlString(c.selectors["healthcheck"]["job"]) + "\"}[1d])\n)\nunless on (cluster)\n(max_over_time(ALERTS{alertname=\"" + c.alertPrefix + "PlatformDown\", alertstate=\"firing\"}[6m]) unless on (cluster) cluster_job:" + c.alertPrefix + "PlatformDown:condition)",
            "for": "2m",
            "labels": {
              "severity": "critical",
              "team": "platform",
            },
            "annotations": {
              "summary": "The billing platform health check is failing.",
              "description": "Health check success is {{ $value | humanizePercentage }} on average over 5m{{ with $labels.cluster }} in cluster {{ . }}{{ end }} for job {{ $labels.job }}, below the " + lib.value("ratio", c.thresholds["HealthCheckFailing"]) + " threshold.",
              "runbook_url": "https://github.com/metrics-billing/billing-monitoring/blob/main/docs/alerts.md#" + std.asciiLower(c.alertPrefix) + "healthcheckfailing",
              "dashboard_url": "http://localhost:3000/d/" + std.asciiLower(c.alertPrefix) + "-overview/billing-overview?viewPanel=2",
            },
          },
        ],
      },
      {
        "name": std.asciiLower(c.alertPrefix) + ".api_errors",
        "interval": "30s",
        "rules": [
          {
            "record": "cluster_code:http_requests:rate5m",
            "expr": "sum by (cluster, code) (rate(http_requests_total{job=\"" + lib.promqlString(c.selectors["platform"]["job"]) + "\"}[5m]))",
          },
          {
            "record": "cluster:http_requests:rate5m",
            "expr": "sum by (cluster) (cluster_code:http_requests:rate5m)",
          },
          {
            "record": "cluster:http_requests:error_ratio_rate5m",
            "expr": "(sum by (cluster) (cluster_code:http_requests:rate5m{code=~\"5..\"})\n  or\ncluster:http_requests:rate5m * 0\n)\n/\ncluster:http_requests:rate5m",
          },
          {
            "alert": c.alertPrefix + "APIErrorRateHigh",
            "expr": "(\ncluster:http_requests:error_ratio_rate5m > " + lib.g(c.thresholds["APIErrorRateHigh"]) + "\nand on (cluster)\nsum by (cluster) (cluster_code:http_requests:rate5m{code=~\"5..\"}) * 300 >= 5\n)\nunless on (cluster)\n(max_over_time(ALERTS{alertname=\"" + c.alertPrefix + "PlatformDown\", alertstate=\"firing\"}[6m]) unless on (cluster) cluster_job:" + c.alertPrefix + "PlatformDown:condition)",
            "for": "6m",
            "labels": {
              "severity": "critical",
              "team": "platform",
            },
            "annotations": {
              "summary": "The billing API answers more than 5% of requests with a 5xx error.",
              "description": "API 5xx error rate is {{ $value | humanizePercentage }} over the last 5m{{ with $labels.cluster }} in cluster {{ . }}{{ end }}, above the " + lib.value("ratio", c.thresholds["APIErrorRateHigh"]) + " threshold.",
              "runbook_url": "https://github.com/metrics-billing/billing-monitoring/blob/main/docs/alerts.md#" + std.asciiLower(c.alertPrefix) + "apierrorratehigh",
              "dashboard_url": "http://localhost:3000/d/" + std.asciiLower(c.alertPrefix) + "-overview/billing-overview?viewPanel=9",
            },
          },
        ],
      },
      {
        "name": std.asciiLower(c.alertPrefix) + ".fatal_logs",
        "interval": "30s",
        "rules": [
          {
            "record": "cluster:billing_log_messages:fatal_increase5m",
            "expr": "sum by (cluster) ((billing_log_messages_total{job=\"" + lib.promqlString(c.selectors["platform"]["job"]) + "\",level=\"fatal\"} and (count_over_time(billing_log_messages_total{job=\"" + lib.promqlString(c.selectors["platform"]["job"]) + "\",level=\"fatal\"}[5m]) < on (cluster, instance, job) group_left\n  sum_over_time(up{job=\"" + lib.promqlString(c.selectors["platform"]["job"]) + "\"}[5m]))) * 1\n  or\nincrease(billing_log_messages_total{job=\"" + lib.promqlString(c.selectors["platform"]["job"]) + "\",level=\"fatal\"}[5m]))",
          },
          {
            "alert": c.alertPrefix + "FatalLogMessages",
            "expr": "cluster:billing_log_messages:fatal_increase5m > " + lib.g(c.thresholds["FatalLogMessages"]),
            "labels": {
              "severity": "critical",
              "team": "platform",
            },
            "annotations": {
              "summary": "The billing platform logged a FATAL error.",
              "description": "FATAL log lines: {{ $value | humanize }} in the last 5m{{ with $labels.cluster }} in cluster {{ . }}{{ end }}, above the " + lib.value("count", c.thresholds["FatalLogMessages"]) + " threshold.",
              "runbook_url": "https://github.com/metrics-billing/billing-monitoring/blob/main/docs/alerts.md#" + std.asciiLower(c.alertPrefix) + "fatallogmessages",
              "dashboard_url": "http://localhost:3000/d/" + std.asciiLower(c.alertPrefix) + "-overview/billing-overview?viewPanel=5",
            },
          },
        ],
      },
      {
        "name": std.asciiLower(c.alertPrefix) + ".ingestion_success",
        "interval": "30s",
        "rules": [
          {
            "record": "cluster_outcome:billing_events_received:rate5m",
            "expr": "sum by (cluster, outcome) (rate(billing_events_received_total{job=\"" + lib.promqlString(c.selectors["platform"]["job"]) + "\"}[5m]))",
          },
          {
            "record": "cluster:billing_events_received:rate5m",
            "expr": "sum by (cluster) (cluster_outcome:billing_events_received:rate5m)",
          },
          {
            "record": "cluster:billing_events_received:success_ratio_rate5m",
            "expr": "1 - (\n(sum by (cluster) (cluster_outcome:billing_events_received:rate5m{outcome=\"failure\"})\n  or\ncluster:billing_events_received:rate5m * 0\n)\n/\ncluster:billing_events_received:rate5m\n)",
          },
          {
            "alert": c.alertPrefix + "IngestionSuccessRateLow",
            "expr": "(\ncluster:billing_events_received:success_ratio_rate5m < " + lib.g(c.thresholds["IngestionSuccessRateLow"]) + "\nand on (cluster)\nsum by (cluster) (cluster_outcome:billing_events_received:rate5m{outcome=\"failure\"}) * 300 >= 5\n)\nunless on (cluster)\n(max_over_time(ALERTS{alertname=\"" + c.alertPrefix + "PlatformDown\", alertstate=\"firing\"}[6m]) unless on (cluster) cluster_job:" + c.alertPrefix + "PlatformDown:condition)",
            "for": "6m",
            "labels": {
              "severity": "critical",
              "team": "ingestion",
            },
            "annotations": {
              "summary": "Less than 95% of usage events are ingested successfully.",
              "description": "Event ingestion success rate is {{ $value | humanizePercentage }} over the last 5m{{ with $labels.cluster }} in cluster {{ . }}{{ end }}, below the " + lib.value("ratio", c.thresholds["IngestionSuccessRateLow"]) + " threshold.",
              "runbook_url": "https://github.com/metrics-billing/billing-monitoring/blob/main/docs/alerts.md#" + std.asciiLower(c.alertPrefix) + "ingestionsuccessratelow",
              "dashboard_url": "http://localhost:3000/d/" + std.asciiLower(c.alertPrefix) + "-overview/billing-overview?viewPanel=10",
            },
          },
        ],
      },
      {
        "name": std.asciiLower(c.alertPrefix) + ".ingestion_latency",
        "interval": "30s",
        "rules": [
          {
            "record": "cluster_le:billing_event_ingestion_duration_seconds_bucket:rate5m",
            "expr": "sum by (cluster, le) (rate(billing_event_ingestion_duration_seconds_bucket{job=\"" + lib.promqlString(c.selectors["platform"]["job"]) + "\"}[5m]))",
          },
          {
            "record": "cluster_quantile:billing_event_ingestion_duration_seconds:histogram_quantile_rate5m",
            "expr": "histogram_quantile(0.5, cluster_le:billing_event_ingestion_duration_seconds_bucket:rate5m)",
            "labels": {
              "quantile": "0.5",
            },
          },
          {
            "record": "cluster_quantile:billing_event_ingestion_duration_seconds:histogram_quantile_rate5m",
            "expr": "histogram_quantile(0.95, cluster_le:billing_event_ingestion_duration_seconds_bucket:rate5m)",
            "labels": {
              "quantile": "0.95",
            },
          },
          {
            "record": "cluster_quantile:billing_event_ingestion_duration_seconds:histogram_quantile_rate5m",
            "expr": "histogram_quantile(0.99, cluster_le:billing_event_ingestion_duration_seconds_bucket:rate5m)",
            "labels": {
              "quantile": "0.99",
            },
          },
          {
            "alert": c.alertPrefix + "IngestionLatencyHigh",
            "expr": "cluster_quantile:billing_event_ingestion_duration_seconds:histogram_quantile_rate5m{quantile=\"0.99\"} > " + lib.g(c.thresholds["IngestionLatencyHigh"]),
            "for": "10m",
            "labels": {
              "severity": "warning",
              "team": "ingestion",
            },
            "annotations": {
              "summary": "Usage event ingestion p99 latency is above 1 second.",
              "description": "Event ingestion latency p99 is {{ $value | humanizeDuration }} over the last 5m{{ with $labels.cluster }} in cluster {{ . }}{{ end }}, above the " + lib.value("seconds", c.thresholds["IngestionLatencyHigh"]) + " threshold.",
              "runbook_url": "https://github.com/metrics-billing/billing-monitoring/blob/main/docs/alerts.md#" + std.asciiLower(c.alertPrefix) + "ingestionlatencyhigh",
              "dashboard_url": "http://localhost:3000/d/" + std.asciiLower(c.alertPrefix) + "-performance/billing-performance?viewPanel=3",
            },
          },
        ],
      },
      {
        "name": std.asciiLower(c.alertPrefix) + ".ingestion_rate",
        "interval": "30s",
        "rules": [
          {
            "record": "cluster:billing_events_received:rate30m",
            "expr": "sum by (cluster) (rate(billing_events_received_total{job=\"" + lib.promqlString(c.selectors["platform"]["job"]) + "\"}[30m]))",
          },
          {
            "record": "cluster:billing_events_received:rate30m_offset1w",
            "expr": "sum by (cluster) (rate(billing_events_received_total{job=\"" + lib.promqlString(c.selectors["platform"]["job"]) + "\"}[30m] offset 1w))",
          },
          {
            "record": "cluster:billing_events_received:rate30m_offset2w",
            "expr": "sum by (cluster) (rate(billing_events_received_total{job=\"" + lib.promqlString(c.selectors["platform"]["job"]) + "\"}[30m] offset 2w))",
          },
          {
            "record": "cluster:billing_events_received:rate30m_min_offset1w_2w",
            "expr": "min by (cluster) (\nlabel_replace(cluster:billing_events_received:rate30m_offset1w, \"baseline\", \"1w\", \"\", \"\")\nor\nlabel_replace(cluster:billing_events_received:rate30m_offset2w, \"baseline\", \"2w\", \"\", \"\")\n)\nand on (cluster)\ncluster:billing_events_received:rate30m_offset1w\nand on (cluster)\ncluster:billing_events_received:rate30m_offset2w",
          },
          {
            "alert": c.alertPrefix + "IngestionRateDrop",
            "expr": "(\n(cluster:billing_events_received:rate30m / on (cluster) cluster:billing_events_received:rate30m_min_offset1w_2w) < " + lib.g(c.thresholds["IngestionRateDrop"]) + "\nand on (cluster)\ncluster:billing_events_received:rate30m_min_offset1w_2w >= 1\n)\nunless on (cluster)\n(max_over_time(ALERTS{alertname=\"" + c.alertPrefix + "PlatformDown\", alertstate=\"firing\"}[31m]) unless on (cluster) cluster_job:" + c.alertPrefix + "PlatformDown:condition)",
            "for": "15m",
            "labels": {
              "severity": "warning",
              "team": "ingestion",
            },
            "annotations": {
              "summary": "Usage events arrive at less than half the usual rate for this time of the week.",
              "description": "Events ingested per second is at {{ $value | humanizePercentage }} of the lower of the rates 1w and 2w earlier (each over 30m){{ with $labels.cluster }} in cluster {{ . }}{{ end }}, below the " + lib.value("ratio", c.thresholds["IngestionRateDrop"]) + " threshold.",
              "runbook_url": "https://github.com/metrics-billing/billing-monitoring/blob/main/docs/alerts.md#" + std.asciiLower(c.alertPrefix) + "ingestionratedrop",
              "dashboard_url": "http://localhost:3000/d/" + std.asciiLower(c.alertPrefix) + "-overview/billing-overview?viewPanel=12",
            },
          },
        ],
      },
      {
        "name": std.asciiLower(c.alertPrefix) + ".ingestion_flow",
        "interval": "30s",
        "rules": [
          {
            "record": "cluster:billing_events_received:rate10m",
            "expr": "sum by (cluster) (rate(billing_events_received_total{job=\"" + lib.promqlString(c.selectors["platform"]["job"]) + "\"}[10m]))",
          },
          {
            "alert": c.alertPrefix + "IngestionStopped",
            "expr": "(\ncluster:billing_events_received:rate10m <= " + lib.g(c.thresholds["IngestionStopped"]) + "\nor on (cluster)\n(count by (cluster) (up{job=\"" + lib.promqlString(c.selectors["platform"]["job"]) + "\"} == 1) * 0\nunless on (cluster)\ncluster:billing_events_received:rate10m)\n)\nunless on (cluster)\n(max_over_time(ALERTS{alertname=\"" + c.alertPrefix + "PlatformDown\", alertstate=\"firing\"}[11m]) unless on (cluster) cluster_job:" + c.alertPrefix + "PlatformDown:condition)",
            "for": "2m",
            "labels": {
              "severity": "critical",
              "team": "ingestion",
            },
            "annotations": {
              "summary": "No usage events are ingested while the platform is up.",
              "description": "Events ingested per second (10m) is {{ $value | humanize }}/s over the last 10m{{ with $labels.cluster }} in cluster {{ . }}{{ end }}, at or below the " + lib.value("per_second", c.thresholds["IngestionStopped"]) + " threshold.",
              "runbook_url": "https://github.com/metrics-billing/billing-monitoring/blob/main/docs/alerts.md#" + std.asciiLower(c.alertPrefix) + "ingestionstopped",
              "dashboard_url": "http://localhost:3000/d/" + std.asciiLower(c.alertPrefix) + "-overview/billing-overview?viewPanel=12",
            },
          },
        ],
      },
      {
        "name": std.asciiLower(c.alertPrefix) + ".invoice_failures",
        "interval": "30s",
        "rules": [
          {
            "record": "cluster:billing_invoices_generated:failure_increase15m",
            "expr": "sum by (cluster) ((billing_invoices_generated_total{job=\"" + lib.promqlString(c.selectors["platform"]["job"]) + "\",outcome=\"failure\"} and (count_over_time(billing_invoices_generated_total{job=\"" + lib.promqlString(c.selectors["platform"]["job"]) + "\",outcome=\"failure\"}[15m]) < on (cluster, instance, job) group_left\n  sum_over_time(up{job=\"" + lib.promqlString(c.selectors["platform"]["job"]) + "\"}[15m]))) * 1\n  or\nincrease(billing_invoices_generated_total{job=\"" + lib.promqlString(c.selectors["platform"]["job"]) + "\",outcome=\"failure\"}[15m]))",
          },
          {
            "alert": c.alertPrefix + "InvoiceGenerationFailures",
            "expr": "cluster:billing_invoices_generated:failure_increase15m > " + lib.g(c.thresholds["InvoiceGenerationFailures"]),
            "for": "1m",
            "labels": {
              "severity": "critical",
              "team": "billing",
            },
            "annotations": {
              "summary": "Invoice generation failed for at least one invoice.",
              "description": "Failed invoice generations: {{ $value | humanize }} in the last 15m{{ with $labels.cluster }} in cluster {{ . }}{{ end }}, above the " + lib.value("count", c.thresholds["InvoiceGenerationFailures"]) + " threshold.",
              "runbook_url": "https://github.com/metrics-billing/billing-monitoring/blob/main/docs/alerts.md#" + std.asciiLower(c.alertPrefix) + "invoicegenerationfailures",
              "dashboard_url": "http://localhost:3000/d/" + std.asciiLower(c.alertPrefix) + "-financial/billing-financial?viewPanel=4",
            },
          },
        ],
      },
      {
        "name": std.asciiLower(c.alertPrefix) + ".invoice_run_duration",
        "interval": "30s",
        "rules": [
          {
            "record": "cluster:billing_invoice_run_in_progress:running_seconds",
            "expr": "max by (cluster) ((time() - last_over_time(billing_invoice_run_started_timestamp_seconds{job=\"" + lib.promqlString(c.selectors["platform"]["job"]) + "\"}[2m])) * last_over_time(billing_invoice_run_in_progress{job=\"" + lib.promqlString(c.selectors["platform"]["job"]) + "\"}[2m]))",
          },
          {
            "alert": c.alertPrefix + "InvoiceRunTooSlow",
            "expr": "cluster:billing_invoice_run_in_progress:running_seconds > " + lib.g(c.thresholds["InvoiceRunTooSlow"]),
            "for": "1m",
            "labels": {
              "severity": "warning",
              "team": "billing",
            },
            "annotations": {
              "summary": "The invoice run has been running for more than 5 minutes.",
              "description": "Current invoice run duration is {{ $value | humanizeDuration }}{{ with $labels.cluster }} in cluster {{ . }}{{ end }}, above the " + lib.value("seconds", c.thresholds["InvoiceRunTooSlow"]) + " threshold.",
              "runbook_url": "https://github.com/metrics-billing/billing-monitoring/blob/main/docs/alerts.md#" + std.asciiLower(c.alertPrefix) + "invoiceruntooslow",
              "dashboard_url": "http://localhost:3000/d/" + std.asciiLower(c.alertPrefix) + "-financial/billing-financial?viewPanel=7",
            },
          },
        ],
      },
      {
        "name": std.asciiLower(c.alertPrefix) + ".invoices_overdue",
        "interval": "30s",
        "rules": [
          {
            "record": "cluster:billing_invoices_pending:overdue",
            "expr": "max by (cluster) (last_over_time(billing_invoices_pending{job=\"" + lib.promqlString(c.selectors["platform"]["job"]) + "\"}[2m]))\n* on (cluster)\nmax by (cluster) (time() >= bool last_over_time(billing_invoice_cycle_deadline_timestamp_seconds{job=\"" + lib.promqlString(c.selectors["platform"]["job"]) + "\"}[2m]))",
          },
          {
            "alert": c.alertPrefix + "InvoicesMissingAfterDeadline",
            "expr": "cluster:billing_invoices_pending:overdue > " + lib.g(c.thresholds["InvoicesMissingAfterDeadline"]),
            "for": "5m",
            "labels": {
              "severity": "critical",
              "team": "billing",
            },
            "annotations": {
              "summary": "Invoices of the billing cycle are still missing after the cycle deadline.",
              "description": "Invoices pending after the cycle deadline is {{ $value | humanize }}{{ with $labels.cluster }} in cluster {{ . }}{{ end }}, above the " + lib.value("count", c.thresholds["InvoicesMissingAfterDeadline"]) + " threshold.",
              "runbook_url": "https://github.com/metrics-billing/billing-monitoring/blob/main/docs/alerts.md#" + std.asciiLower(c.alertPrefix) + "invoicesmissingafterdeadline",
              "dashboard_url": "http://localhost:3000/d/" + std.asciiLower(c.alertPrefix) + "-financial/billing-financial?viewPanel=5",
            },
          },
        ],
      },
      {
        "name": std.asciiLower(c.alertPrefix) + ".payment_success",
        "interval": "30s",
        "rules": [
          {
            "record": "cluster_provider_outcome:billing_payments:rate10m",
            "expr": "sum by (cluster, provider, outcome) (rate(billing_payments_total{job=\"" + lib.promqlString(c.selectors["platform"]["job"]) + "\"}[10m]))",
          },
          {
            "record": "cluster_provider:billing_payments:rate10m",
            "expr": "sum by (cluster, provider) (cluster_provider_outcome:billing_payments:rate10m)",
          },
          {
            "record": "cluster_provider:billing_payments:success_ratio_rate10m",
            "expr": "1 - (\n(sum by (cluster, provider) (cluster_provider_outcome:billing_payments:rate10m{outcome=\"failure\"})\n  or\ncluster_provider:billing_payments:rate10m * 0\n)\n/\ncluster_provider:billing_payments:rate10m\n)",
          },
          {
            "alert": c.alertPrefix + "PaymentSuccessRateLow",
            "expr": "(\ncluster_provider:billing_payments:success_ratio_rate10m < " + lib.g(c.thresholds["PaymentSuccessRateLow"]) + "\nand on (cluster, provider)\nsum by (cluster, provider) (cluster_provider_outcome:billing_payments:rate10m{outcome=\"failure\"}) * 600 >= 2\n)\nunless on (cluster)\n(max_over_time(ALERTS{alertname=\"" + c.alertPrefix + "PlatformDown\", alertstate=\"firing\"}[11m]) unless on (cluster) cluster_job:" + c.alertPrefix + "PlatformDown:condition)",
            "for": "5m",
            "labels": {
              "severity": "critical",
              "team": "payments",
            },
            "annotations": {
              "summary": "Less than 90% of payments succeed at a payment provider.",
              "description": "Payment success rate is {{ $value | humanizePercentage }} over the last 10m{{ with $labels.cluster }} in cluster {{ . }}{{ end }} for provider {{ $labels.provider }}, below the " + lib.value("ratio", c.thresholds["PaymentSuccessRateLow"]) + " threshold.",
              "runbook_url": "https://github.com/metrics-billing/billing-monitoring/blob/main/docs/alerts.md#" + std.asciiLower(c.alertPrefix) + "paymentsuccessratelow",
              "dashboard_url": "http://localhost:3000/d/" + std.asciiLower(c.alertPrefix) + "-financial/billing-financial?viewPanel=9",
            },
          },
        ],
      },
      {
        "name": std.asciiLower(c.alertPrefix) + ".payment_latency",
        "interval": "30s",
        "rules": [
          {
            "record": "cluster_provider_le:billing_payment_duration_seconds_bucket:rate10m",
            "expr": "sum by (cluster, provider, le) (rate(billing_payment_duration_seconds_bucket{job=\"" + lib.promqlString(c.selectors["platform"]["job"]) + "\"}[10m]))",
          },
          {
            "record": "cluster_provider_quantile:billing_payment_duration_seconds:histogram_quantile_rate10m",
            "expr": "histogram_quantile(0.5, cluster_provider_le:billing_payment_duration_seconds_bucket:rate10m)",
            "labels": {
              "quantile": "0.5",
            },
          },
          {
            "record": "cluster_provider_quantile:billing_payment_duration_seconds:histogram_quantile_rate10m",
            "expr": "histogram_quantile(0.95, cluster_provider_le:billing_payment_duration_seconds_bucket:rate10m)",
            "labels": {
              "quantile": "0.95",
            },
          },
          {
            "record": "cluster_provider_quantile:billing_payment_duration_seconds:histogram_quantile_rate10m",
            "expr": "histogram_quantile(0.99, cluster_provider_le:billing_payment_duration_seconds_bucket:rate10m)",
            "labels": {
              "quantile": "0.99",
            },
          },
          {
            "alert": c.alertPrefix + "PaymentLatencyHigh",
            "expr": "cluster_provider_quantile:billing_payment_duration_seconds:histogram_quantile_rate10m{quantile=\"0.95\"} > " + lib.g(c.thresholds["PaymentLatencyHigh"]),
            "for": "10m",
            "labels": {
              "severity": "warning",
              "team": "payments",
            },
            "annotations": {
              "summary": "Payment processing p95 latency is above 5 seconds.",
              "description": "Payment processing latency p95 is {{ $value | humanizeDuration }} over the last 10m{{ with $labels.cluster }} in cluster {{ . }}{{ end }} for provider {{ $labels.provider }}, above the " + lib.value("seconds", c.thresholds["PaymentLatencyHigh"]) + " threshold.",
              "runbook_url": "https://github.com/metrics-billing/billing-monitoring/blob/main/docs/alerts.md#" + std.asciiLower(c.alertPrefix) + "paymentlatencyhigh",
              "dashboard_url": "http://localhost:3000/d/" + std.asciiLower(c.alertPrefix) + "-performance/billing-performance?viewPanel=4",
            },
          },
        ],
      },
      {
        "name": std.asciiLower(c.alertPrefix) + ".webhook_success",
        "interval": "30s",
        "rules": [
          {
            "record": "cluster_provider_outcome:billing_payment_webhooks:rate15m",
            "expr": "sum by (cluster, provider, outcome) (rate(billing_payment_webhooks_total{job=\"" + lib.promqlString(c.selectors["platform"]["job"]) + "\"}[15m]))",
          },
          {
            "record": "cluster_provider:billing_payment_webhooks:rate15m",
            "expr": "sum by (cluster, provider) (cluster_provider_outcome:billing_payment_webhooks:rate15m)",
          },
          {
            "record": "cluster_provider:billing_payment_webhooks:success_ratio_rate15m",
            "expr": "1 - (\n(sum by (cluster, provider) (cluster_provider_outcome:billing_payment_webhooks:rate15m{outcome=\"failure\"})\n  or\ncluster_provider:billing_payment_webhooks:rate15m * 0\n)\n/\ncluster_provider:billing_payment_webhooks:rate15m\n)",
          },
          {
            "alert": c.alertPrefix + "PaymentWebhookFailures",
            "expr": "(\ncluster_provider:billing_payment_webhooks:success_ratio_rate15m < " + lib.g(c.thresholds["PaymentWebhookFailures"]) + "\nand on (cluster, provider)\nsum by (cluster, provider) (cluster_provider_outcome:billing_payment_webhooks:rate15m{outcome=\"failure\"}) * 900 >= 3\n)\nunless on (cluster)\n(max_over_time(ALERTS{alertname=\"" + c.alertPrefix + "PlatformDown\", alertstate=\"firing\"}[16m]) unless on (cluster) cluster_job:" + c.alertPrefix + "PlatformDown:condition)",
            "for": "5m",
            "labels": {
              "severity": "critical",
              "team": "payments",
            },
            "annotations": {
              "summary": "More than 5% of payment provider webhooks fail.",
              "description": "Payment webhook success rate is {{ $value | humanizePercentage }} over the last 15m{{ with $labels.cluster }} in cluster {{ . }}{{ end }} for provider {{ $labels.provider }}, below the " + lib.value("ratio", c.thresholds["PaymentWebhookFailures"]) + " threshold.",
              "runbook_url": "https://github.com/metrics-billing/billing-monitoring/blob/main/docs/alerts.md#" + std.asciiLower(c.alertPrefix) + "paymentwebhookfailures",
              "dashboard_url": "http://localhost:3000/d/" + std.asciiLower(c.alertPrefix) + "-financial/billing-financial?viewPanel=11",
            },
          },
        ],
      },
      {
        "name": std.asciiLower(c.alertPrefix) + ".db_pool_usage",
        "interval": "30s",
        "rules": [
          {
            "record": "cluster_pool:billing_db_pool_connections_in_use:ratio_max_by_instance",
            "expr": "max by (cluster, pool) (\nsum by (cluster, pool, instance) (last_over_time(billing_db_pool_connections_in_use{job=\"" + lib.promqlString(c.selectors["platform"]["job"]) + "\"}[2m]))\n/\nsum by (cluster, pool, instance) (last_over_time(billing_db_pool_connections_max{job=\"" + lib.promqlString(c.selectors["platform"]["job"]) + "\"}[2m]))\n)",
          },
          {
            "alert": c.alertPrefix + "DatabasePoolUsageHigh",
            "expr": "cluster_pool:billing_db_pool_connections_in_use:ratio_max_by_instance > " + lib.g(c.thresholds["DatabasePoolUsageHigh"]),
            "for": "10m",
            "labels": {
              "severity": "warning",
              "team": "database",
            },
            "annotations": {
              "summary": "A database connection pool is more than 80% used.",
              "description": "Database connection pool usage (worst replica) is {{ $value | humanizePercentage }}{{ with $labels.cluster }} in cluster {{ . }}{{ end }} for pool {{ $labels.pool }}, above the " + lib.value("ratio", c.thresholds["DatabasePoolUsageHigh"]) + " threshold.",
              "runbook_url": "https://github.com/metrics-billing/billing-monitoring/blob/main/docs/alerts.md#" + std.asciiLower(c.alertPrefix) + "databasepoolusagehigh",
              "dashboard_url": "http://localhost:3000/d/" + std.asciiLower(c.alertPrefix) + "-performance/billing-performance?viewPanel=6",
            },
          },
        ],
      },
      {
        "name": std.asciiLower(c.alertPrefix) + ".db_query_latency",
        "interval": "30s",
        "rules": [
          {
            "record": "cluster_le:billing_db_query_duration_seconds_bucket:rate5m",
            "expr": "sum by (cluster, le) (rate(billing_db_query_duration_seconds_bucket{job=\"" + lib.promqlString(c.selectors["platform"]["job"]) + "\"}[5m]))",
          },
          {
            "record": "cluster_quantile:billing_db_query_duration_seconds:histogram_quantile_rate5m",
            "expr": "histogram_quantile(0.5, cluster_le:billing_db_query_duration_seconds_bucket:rate5m)",
            "labels": {
              "quantile": "0.5",
            },
          },
          {
            "record": "cluster_quantile:billing_db_query_duration_seconds:histogram_quantile_rate5m",
            "expr": "histogram_quantile(0.95, cluster_le:billing_db_query_duration_seconds_bucket:rate5m)",
            "labels": {
              "quantile": "0.95",
            },
          },
          {
            "record": "cluster_quantile:billing_db_query_duration_seconds:histogram_quantile_rate5m",
            "expr": "histogram_quantile(0.99, cluster_le:billing_db_query_duration_seconds_bucket:rate5m)",
            "labels": {
              "quantile": "0.99",
            },
          },
          {
            "alert": c.alertPrefix + "DatabaseQueryLatencyHigh",
            "expr": "cluster_quantile:billing_db_query_duration_seconds:histogram_quantile_rate5m{quantile=\"0.95\"} > " + lib.g(c.thresholds["DatabaseQueryLatencyHigh"]),
            "for": "10m",
            "labels": {
              "severity": "critical",
              "team": "database",
            },
            "annotations": {
              "summary": "Database query p95 latency is above 1 second.",
              "description": "Database query time p95 is {{ $value | humanizeDuration }} over the last 5m{{ with $labels.cluster }} in cluster {{ . }}{{ end }}, above the " + lib.value("seconds", c.thresholds["DatabaseQueryLatencyHigh"]) + " threshold.",
              "runbook_url": "https://github.com/metrics-billing/billing-monitoring/blob/main/docs/alerts.md#" + std.asciiLower(c.alertPrefix) + "databasequerylatencyhigh",
              "dashboard_url": "http://localhost:3000/d/" + std.asciiLower(c.alertPrefix) + "-performance/billing-performance?viewPanel=7",
            },
          },
        ],
      },
      {
        "name": std.asciiLower(c.alertPrefix) + ".db_connection_errors",
        "interval": "30s",
        "rules": [
          {
            "record": "cluster:billing_db_connection_errors:increase5m",
            "expr": "sum by (cluster) ((billing_db_connection_errors_total{job=\"" + lib.promqlString(c.selectors["platform"]["job"]) + "\"} and (count_over_time(billing_db_connection_errors_total{job=\"" + lib.promqlString(c.selectors["platform"]["job"]) + "\"}[5m]) < on (cluster, instance, job) group_left\n  sum_over_time(up{job=\"" + lib.promqlString(c.selectors["platform"]["job"]) + "\"}[5m]))) * 1\n  or\nincrease(billing_db_connection_errors_total{job=\"" + lib.promqlString(c.selectors["platform"]["job"]) + "\"}[5m]))",
          },
          {
            "alert": c.alertPrefix + "DatabaseConnectionErrors",
            "expr": "cluster:billing_db_connection_errors:increase5m > " + lib.g(c.thresholds["DatabaseConnectionErrors"]),
            "for": "2m",
            "labels": {
              "severity": "critical",
              "team": "database",
            },
            "annotations": {
              "summary": "The platform fails to get or open database connections.",
              "description": "Database connection errors: {{ $value | humanize }} in the last 5m{{ with $labels.cluster }} in cluster {{ . }}{{ end }}, above the " + lib.value("count", c.thresholds["DatabaseConnectionErrors"]) + " threshold.",
              "runbook_url": "https://github.com/metrics-billing/billing-monitoring/blob/main/docs/alerts.md#" + std.asciiLower(c.alertPrefix) + "databaseconnectionerrors",
              "dashboard_url": "http://localhost:3000/d/" + std.asciiLower(c.alertPrefix) + "-performance/billing-performance?viewPanel=8",
            },
          },
        ],
      },
      {
        "name": std.asciiLower(c.alertPrefix) + ".rds_cpu",
        "interval": "30s",
        "rules": [
          {
            "record": "cluster_dimension_DBInstanceIdentifier:aws_rds_cpuutilization_average:max",
            "expr": "max by (cluster, dimension_DBInstanceIdentifier) (last_over_time(aws_rds_cpuutilization_average{job=\"" + lib.promqlString(c.selectors["cloudwatch"]["job"]) + "\"}[2m]))",
          },
          {
            "alert": c.alertPrefix + "RDSCPUHigh",
            "expr": "cluster_dimension_DBInstanceIdentifier:aws_rds_cpuutilization_average:max > " + lib.g(c.thresholds["RDSCPUHigh"]),
            "for": "15m",
            "labels": {
              "severity": "warning",
              "team": "database",
            },
            "annotations": {
              "summary": "RDS CPU utilisation is above 80%.",
              "description": "RDS CPU utilisation is {{ $value | humanize }}%{{ with $labels.cluster }} in cluster {{ . }}{{ end }} for dimension_DBInstanceIdentifier {{ $labels.dimension_DBInstanceIdentifier }}, above the " + lib.value("percent", c.thresholds["RDSCPUHigh"]) + " threshold.",
              "runbook_url": "https://github.com/metrics-billing/billing-monitoring/blob/main/docs/alerts.md#" + std.asciiLower(c.alertPrefix) + "rdscpuhigh",
              "dashboard_url": "http://localhost:3000/d/" + std.asciiLower(c.alertPrefix) + "-performance/billing-performance?viewPanel=9",
            },
          },
        ],
      },
      {
        "name": std.asciiLower(c.alertPrefix) + ".slo.ingestion_success",
        "interval": "30s",
        "rules": [
          {
            "record": "slo:sli_events:rate5m",
            "expr": "sum by (cluster) (rate(billing_events_received_total{job=\"" + lib.promqlString(c.selectors["platform"]["job"]) + "\"}[5m]))",
            "labels": {
              "slo": "ingestion_success",
            },
          },
          {
            "record": "slo:sli_errors:rate5m",
            "expr": "sum by (cluster) (rate(billing_events_received_total{job=\"" + lib.promqlString(c.selectors["platform"]["job"]) + "\",outcome=\"failure\"}[5m]))\n  or on (cluster)\nslo:sli_events:rate5m{slo=\"ingestion_success\"} * 0",
            "labels": {
              "slo": "ingestion_success",
            },
          },
          {
            "record": "slo:sli_events:rate5m_step5m",
            "expr": "slo:sli_events:rate5m{slo=\"ingestion_success\"}\nand on ()\n(vector(time() % 300) < 30)",
            "labels": {
              "slo": "ingestion_success",
            },
          },
          {
            "record": "slo:sli_errors:rate5m_step5m",
            "expr": "slo:sli_errors:rate5m{slo=\"ingestion_success\"}\nand on ()\n(vector(time() % 300) < 30)",
            "labels": {
              "slo": "ingestion_success",
            },
          },
          {
            "record": "slo:sli_error:ratio_rate5m",
            "expr": "slo:sli_errors:rate5m{slo=\"ingestion_success\"}\n/\nslo:sli_events:rate5m{slo=\"ingestion_success\"}",
            "labels": {
              "slo": "ingestion_success",
            },
          },
          {
            "record": "slo:sli_errors:increase30m",
            "expr": "sum_over_time(slo:sli_errors:rate5m_step5m{slo=\"ingestion_success\"}[30m]) * 300",
            "labels": {
              "slo": "ingestion_success",
            },
          },
          {
            "record": "slo:sli_events:increase30m",
            "expr": "sum_over_time(slo:sli_events:rate5m_step5m{slo=\"ingestion_success\"}[30m]) * 300",
            "labels": {
              "slo": "ingestion_success",
            },
          },
          {
            "record": "slo:sli_errors:increase1h",
            "expr": "sum_over_time(slo:sli_errors:rate5m_step5m{slo=\"ingestion_success\"}[1h]) * 300",
            "labels": {
              "slo": "ingestion_success",
            },
          },
          {
            "record": "slo:sli_events:increase1h",
            "expr": "sum_over_time(slo:sli_events:rate5m_step5m{slo=\"ingestion_success\"}[1h]) * 300",
            "labels": {
              "slo": "ingestion_success",
            },
          },
          {
            "record": "slo:sli_events:coverage1h",
            "expr": "clamp_max(count_over_time(slo:sli_events:rate5m_step5m{slo=\"ingestion_success\"}[1h]) / 12, 1)",
            "labels": {
              "slo": "ingestion_success",
            },
          },
          {
            "record": "slo:sli_errors:increase2h",
            "expr": "sum_over_time(slo:sli_errors:rate5m_step5m{slo=\"ingestion_success\"}[2h]) * 300",
            "labels": {
              "slo": "ingestion_success",
            },
          },
          {
            "record": "slo:sli_events:increase2h",
            "expr": "sum_over_time(slo:sli_events:rate5m_step5m{slo=\"ingestion_success\"}[2h]) * 300",
            "labels": {
              "slo": "ingestion_success",
            },
          },
          {
            "record": "slo:sli_errors:increase6h",
            "expr": "sum_over_time(slo:sli_errors:rate5m_step5m{slo=\"ingestion_success\"}[6h]) * 300",
            "labels": {
              "slo": "ingestion_success",
            },
          },
          {
            "record": "slo:sli_events:increase6h",
            "expr": "sum_over_time(slo:sli_events:rate5m_step5m{slo=\"ingestion_success\"}[6h]) * 300",
            "labels": {
              "slo": "ingestion_success",
            },
          },
          {
            "record": "slo:sli_events:coverage6h",
            "expr": "clamp_max(count_over_time(slo:sli_events:rate5m_step5m{slo=\"ingestion_success\"}[6h]) / 72, 1)",
            "labels": {
              "slo": "ingestion_success",
            },
          },
          {
            "record": "slo:sli_errors:increase1d",
            "expr": "sum_over_time(slo:sli_errors:rate5m_step5m{slo=\"ingestion_success\"}[1d]) * 300",
            "labels": {
              "slo": "ingestion_success",
            },
          },
          {
            "record": "slo:sli_events:increase1d",
            "expr": "sum_over_time(slo:sli_events:rate5m_step5m{slo=\"ingestion_success\"}[1d]) * 300",
            "labels": {
              "slo": "ingestion_success",
            },
          },
          {
            "record": "slo:sli_events:coverage1d",
            "expr": "clamp_max(count_over_time(slo:sli_events:rate5m_step5m{slo=\"ingestion_success\"}[1d]) / 288, 1)",
            "labels": {
              "slo": "ingestion_success",
            },
          },
          {
            "record": "slo:sli_errors:increase3d",
            "expr": "sum_over_time(slo:sli_errors:rate5m_step5m{slo=\"ingestion_success\"}[3d]) * 300",
            "labels": {
              "slo": "ingestion_success",
            },
          },
          {
            "record": "slo:sli_events:increase3d",
            "expr": "sum_over_time(slo:sli_events:rate5m_step5m{slo=\"ingestion_success\"}[3d]) * 300",
            "labels": {
              "slo": "ingestion_success",
            },
          },
          {
            "record": "slo:sli_events:coverage3d",
            "expr": "clamp_max(count_over_time(slo:sli_events:rate5m_step5m{slo=\"ingestion_success\"}[3d]) / 864, 1)",
            "labels": {
              "slo": "ingestion_success",
            },
          },
          {
            "record": "slo:sli_errors:increase30d",
            "expr": "sum_over_time(slo:sli_errors:rate5m_step5m{slo=\"ingestion_success\"}[4w2d]) * 300",
            "labels": {
              "slo": "ingestion_success",
            },
          },
          {
            "record": "slo:sli_events:increase30d",
            "expr": "sum_over_time(slo:sli_events:rate5m_step5m{slo=\"ingestion_success\"}[4w2d]) * 300",
            "labels": {
              "slo": "ingestion_success",
            },
          },
          {
            "record": "slo:sli_error:ratio_rate30d",
            "expr": "slo:sli_errors:increase30d{slo=\"ingestion_success\"}\n/\nslo:sli_events:increase30d{slo=\"ingestion_success\"}",
            "labels": {
              "slo": "ingestion_success",
            },
          },
          {
            "record": "slo:sli_events:coverage30d",
            "expr": "clamp_max(count_over_time(slo:sli_events:rate5m_step5m{slo=\"ingestion_success\"}[4w2d]) / 8640, 1)",
            "labels": {
              "slo": "ingestion_success",
            },
          },
          {
            "record": "slo:error_budget_remaining:ratio",
            "expr": "1 - slo:sli_error:ratio_rate30d{slo=\"ingestion_success\"} / 0.005",
            "labels": {
              "slo": "ingestion_success",
            },
          },
          {
            "record": "slo:objective:ratio",
            "expr": "vector(0.995)",
            "labels": {
              "slo": "ingestion_success",
            },
          },
          {
            "alert": "BillingIngestionSuccessErrorBudgetFastBurn",
            "expr": "(\nslo:sli_errors:increase1h{slo=\"ingestion_success\"} / slo:sli_events:increase1h{slo=\"ingestion_success\"} / 0.005 > 14.4\nand\nslo:sli_error:ratio_rate5m{slo=\"ingestion_success\"} / 0.005 > 14.4\nand\nslo:sli_errors:increase1h{slo=\"ingestion_success\"} >= 10\nand\nslo:sli_events:coverage1h{slo=\"ingestion_success\"} >= 0.9\n)\nor\n(\nslo:sli_errors:increase6h{slo=\"ingestion_success\"} / slo:sli_events:increase6h{slo=\"ingestion_success\"} / 0.005 > 6\nand\nslo:sli_errors:increase30m{slo=\"ingestion_success\"} / slo:sli_events:increase30m{slo=\"ingestion_success\"} / 0.005 > 6\nand\nslo:sli_errors:increase6h{slo=\"ingestion_success\"} >= 10\nand\nslo:sli_events:coverage6h{slo=\"ingestion_success\"} >= 0.9\n)",
            "labels": {
              "severity": "critical",
              "team": "ingestion",
            },
            "annotations": {
              "summary": "Event ingestion success rate: the 99.5% SLO is burning its error budget fast.",
              "description": "Event ingestion success rate burns its error budget at {{ $value | humanize }}x the sustainable rate over the alert's long window{{ with $labels.cluster }} in cluster {{ . }}{{ end }} (page: > 14.4x over 1h and 5m, or > 6x over 6h and 30m; objective 99.5% over 30d).",
              "runbook_url": "https://github.com/metrics-billing/billing-monitoring/blob/main/docs/alerts.md#billingingestionsuccesserrorbudgetfastburn",
              "dashboard_url": "http://localhost:3000/d/" + std.asciiLower(c.alertPrefix) + "-slos/billing-slos?viewPanel=4",
            },
          },
          {
            "alert": "BillingIngestionSuccessErrorBudgetSlowBurn",
            "expr": "(\nslo:sli_errors:increase1d{slo=\"ingestion_success\"} / slo:sli_events:increase1d{slo=\"ingestion_success\"} / 0.005 > 3\nand\nslo:sli_errors:increase2h{slo=\"ingestion_success\"} / slo:sli_events:increase2h{slo=\"ingestion_success\"} / 0.005 > 3\nand\nslo:sli_errors:increase1d{slo=\"ingestion_success\"} >= 10\nand\nslo:sli_events:coverage1d{slo=\"ingestion_success\"} >= 0.9\n)\nor\n(\nslo:sli_errors:increase3d{slo=\"ingestion_success\"} / slo:sli_events:increase3d{slo=\"ingestion_success\"} / 0.005 > 1\nand\nslo:sli_errors:increase6h{slo=\"ingestion_success\"} / slo:sli_events:increase6h{slo=\"ingestion_success\"} / 0.005 > 1\nand\nslo:sli_errors:increase3d{slo=\"ingestion_success\"} >= 10\nand\nslo:sli_events:coverage3d{slo=\"ingestion_success\"} >= 0.9\n)",
            "labels": {
              "severity": "warning",
              "team": "ingestion",
            },
            "annotations": {
              "summary": "Event ingestion success rate: the 99.5% SLO is burning its error budget slowly but steadily.",
              "description": "Event ingestion success rate burns its error budget at {{ $value | humanize }}x the sustainable rate over the alert's long window{{ with $labels.cluster }} in cluster {{ . }}{{ end }} (ticket: > 3x over 1d and 2h, or > 1x over 3d and 6h; objective 99.5% over 30d).",
              "runbook_url": "https://github.com/metrics-billing/billing-monitoring/blob/main/docs/alerts.md#billingingestionsuccesserrorbudgetslowburn",
              "dashboard_url": "http://localhost:3000/d/" + std.asciiLower(c.alertPrefix) + "-slos/billing-slos?viewPanel=4",
            },
          },
        ],
      },
      {
        "name": std.asciiLower(c.alertPrefix) + ".slo.ingestion_latency",
        "interval": "30s",
        "rules": [
          {
            "record": "slo:sli_events:rate5m",
            "expr": "sum by (cluster) (rate(billing_event_ingestion_duration_seconds_bucket{job=\"" + lib.promqlString(c.selectors["platform"]["job"]) + "\",le=\"+Inf\"}[5m]))",
            "labels": {
              "slo": "ingestion_latency",
            },
          },
          {
            "record": "slo:sli_errors:rate5m",
            "expr": "slo:sli_events:rate5m{slo=\"ingestion_latency\"}\n  - on (cluster)\nsum by (cluster) (rate(billing_event_ingestion_duration_seconds_bucket{job=\"" + lib.promqlString(c.selectors["platform"]["job"]) + "\",le=~\"1|1\\\\.0\"}[5m]))",
            "labels": {
              "slo": "ingestion_latency",
            },
          },
          {
            "record": "slo:sli_events:rate5m_step5m",
            "expr": "slo:sli_events:rate5m{slo=\"ingestion_latency\"}\nand on ()\n(vector(time() % 300) < 30)",
            "labels": {
              "slo": "ingestion_latency",
            },
          },
          {
            "record": "slo:sli_errors:rate5m_step5m",
            "expr": "slo:sli_errors:rate5m{slo=\"ingestion_latency\"}\nand on ()\n(vector(time() % 300) < 30)",
            "labels": {
              "slo": "ingestion_latency",
            },
          },
          {
            "record": "slo:sli_error:ratio_rate5m",
            "expr": "slo:sli_errors:rate5m{slo=\"ingestion_latency\"}\n/\nslo:sli_events:rate5m{slo=\"ingestion_latency\"}",
            "labels": {
              "slo": "ingestion_latency",
            },
          },
          {
            "record": "slo:sli_errors:increase30m",
            "expr": "sum_over_time(slo:sli_errors:rate5m_step5m{slo=\"ingestion_latency\"}[30m]) * 300",
            "labels": {
              "slo": "ingestion_latency",
            },
          },
          {
            "record": "slo:sli_events:increase30m",
            "expr": "sum_over_time(slo:sli_events:rate5m_step5m{slo=\"ingestion_latency\"}[30m]) * 300",
            "labels": {
              "slo": "ingestion_latency",
            },
          },
          {
            "record": "slo:sli_errors:increase1h",
            "expr": "sum_over_time(slo:sli_errors:rate5m_step5m{slo=\"ingestion_latency\"}[1h]) * 300",
            "labels": {
              "slo": "ingestion_latency",
            },
          },
          {
            "record": "slo:sli_events:increase1h",
            "expr": "sum_over_time(slo:sli_events:rate5m_step5m{slo=\"ingestion_latency\"}[1h]) * 300",
            "labels": {
              "slo": "ingestion_latency",
            },
          },
          {
            "record": "slo:sli_events:coverage1h",
            "expr": "clamp_max(count_over_time(slo:sli_events:rate5m_step5m{slo=\"ingestion_latency\"}[1h]) / 12, 1)",
            "labels": {
              "slo": "ingestion_latency",
            },
          },
          {
            "record": "slo:sli_errors:increase2h",
            "expr": "sum_over_time(slo:sli_errors:rate5m_step5m{slo=\"ingestion_latency\"}[2h]) * 300",
            "labels": {
              "slo": "ingestion_latency",
            },
          },
          {
            "record": "slo:sli_events:increase2h",
            "expr": "sum_over_time(slo:sli_events:rate5m_step5m{slo=\"ingestion_latency\"}[2h]) * 300",
            "labels": {
              "slo": "ingestion_latency",
            },
          },
          {
            "record": "slo:sli_errors:increase6h",
            "expr": "sum_over_time(slo:sli_errors:rate5m_step5m{slo=\"ingestion_latency\"}[6h]) * 300",
            "labels": {
              "slo": "ingestion_latency",
            },
          },
          {
            "record": "slo:sli_events:increase6h",
            "expr": "sum_over_time(slo:sli_events:rate5m_step5m{slo=\"ingestion_latency\"}[6h]) * 300",
            "labels": {
              "slo": "ingestion_latency",
            },
          },
          {
            "record": "slo:sli_events:coverage6h",
            "expr": "clamp_max(count_over_time(slo:sli_events:rate5m_step5m{slo=\"ingestion_latency\"}[6h]) / 72, 1)",
            "labels": {
              "slo": "ingestion_latency",
            },
          },
          {
            "record": "slo:sli_errors:increase1d",
            "expr": "sum_over_time(slo:sli_errors:rate5m_step5m{slo=\"ingestion_latency\"}[1d]) * 300",
            "labels": {
              "slo": "ingestion_latency",
            },
          },
          {
            "record": "slo:sli_events:increase1d",
            "expr": "sum_over_time(slo:sli_events:rate5m_step5m{slo=\"ingestion_latency\"}[1d]) * 300",
            "labels": {
              "slo": "ingestion_latency",
            },
          },
          {
            "record": "slo:sli_events:coverage1d",
            "expr": "clamp_max(count_over_time(slo:sli_events:rate5m_step5m{slo=\"ingestion_latency\"}[1d]) / 288, 1)",
            "labels": {
              "slo": "ingestion_latency",
            },
          },
          {
            "record": "slo:sli_errors:increase3d",
            "expr": "sum_over_time(slo:sli_errors:rate5m_step5m{slo=\"ingestion_latency\"}[3d]) * 300",
            "labels": {
              "slo": "ingestion_latency",
            },
          },
          {
            "record": "slo:sli_events:increase3d",
            "expr": "sum_over_time(slo:sli_events:rate5m_step5m{slo=\"ingestion_latency\"}[3d]) * 300",
            "labels": {
              "slo": "ingestion_latency",
            },
          },
          {
            "record": "slo:sli_events:coverage3d",
            "expr": "clamp_max(count_over_time(slo:sli_events:rate5m_step5m{slo=\"ingestion_latency\"}[3d]) / 864, 1)",
            "labels": {
              "slo": "ingestion_latency",
            },
          },
          {
            "record": "slo:sli_errors:increase30d",
            "expr": "sum_over_time(slo:sli_errors:rate5m_step5m{slo=\"ingestion_latency\"}[4w2d]) * 300",
            "labels": {
              "slo": "ingestion_latency",
            },
          },
          {
            "record": "slo:sli_events:increase30d",
            "expr": "sum_over_time(slo:sli_events:rate5m_step5m{slo=\"ingestion_latency\"}[4w2d]) * 300",
            "labels": {
              "slo": "ingestion_latency",
            },
          },
          {
            "record": "slo:sli_error:ratio_rate30d",
            "expr": "slo:sli_errors:increase30d{slo=\"ingestion_latency\"}\n/\nslo:sli_events:increase30d{slo=\"ingestion_latency\"}",
            "labels": {
              "slo": "ingestion_latency",
            },
          },
          {
            "record": "slo:sli_events:coverage30d",
            "expr": "clamp_max(count_over_time(slo:sli_events:rate5m_step5m{slo=\"ingestion_latency\"}[4w2d]) / 8640, 1)",
            "labels": {
              "slo": "ingestion_latency",
            },
          },
          {
            "record": "slo:error_budget_remaining:ratio",
            "expr": "1 - slo:sli_error:ratio_rate30d{slo=\"ingestion_latency\"} / 0.01",
            "labels": {
              "slo": "ingestion_latency",
            },
          },
          {
            "record": "slo:objective:ratio",
            "expr": "vector(0.99)",
            "labels": {
              "slo": "ingestion_latency",
            },
          },
          {
            "alert": "BillingIngestionLatencyErrorBudgetFastBurn",
            "expr": "(\nslo:sli_errors:increase1h{slo=\"ingestion_latency\"} / slo:sli_events:increase1h{slo=\"ingestion_latency\"} / 0.01 > 14.4\nand\nslo:sli_error:ratio_rate5m{slo=\"ingestion_latency\"} / 0.01 > 14.4\nand\nslo:sli_errors:increase1h{slo=\"ingestion_latency\"} >= 10\nand\nslo:sli_events:coverage1h{slo=\"ingestion_latency\"} >= 0.9\n)\nor\n(\nslo:sli_errors:increase6h{slo=\"ingestion_latency\"} / slo:sli_events:increase6h{slo=\"ingestion_latency\"} / 0.01 > 6\nand\nslo:sli_errors:increase30m{slo=\"ingestion_latency\"} / slo:sli_events:increase30m{slo=\"ingestion_latency\"} / 0.01 > 6\nand\nslo:sli_errors:increase6h{slo=\"ingestion_latency\"} >= 10\nand\nslo:sli_events:coverage6h{slo=\"ingestion_latency\"} >= 0.9\n)",
            "labels": {
              "severity": "critical",
              "team": "ingestion",
            },
            "annotations": {
              "summary": "Events durably written within 1 s: the 99% SLO is burning its error budget fast.",
              "description": "Events durably written within 1 s burns its error budget at {{ $value | humanize }}x the sustainable rate over the alert's long window{{ with $labels.cluster }} in cluster {{ . }}{{ end }} (page: > 14.4x over 1h and 5m, or > 6x over 6h and 30m; objective 99% over 30d).",
              "runbook_url": "https://github.com/metrics-billing/billing-monitoring/blob/main/docs/alerts.md#billingingestionlatencyerrorbudgetfastburn",
              "dashboard_url": "http://localhost:3000/d/" + std.asciiLower(c.alertPrefix) + "-slos/billing-slos?viewPanel=9",
            },
          },
          {
            "alert": "BillingIngestionLatencyErrorBudgetSlowBurn",
            "expr": "(\nslo:sli_errors:increase1d{slo=\"ingestion_latency\"} / slo:sli_events:increase1d{slo=\"ingestion_latency\"} / 0.01 > 3\nand\nslo:sli_errors:increase2h{slo=\"ingestion_latency\"} / slo:sli_events:increase2h{slo=\"ingestion_latency\"} / 0.01 > 3\nand\nslo:sli_errors:increase1d{slo=\"ingestion_latency\"} >= 10\nand\nslo:sli_events:coverage1d{slo=\"ingestion_latency\"} >= 0.9\n)\nor\n(\nslo:sli_errors:increase3d{slo=\"ingestion_latency\"} / slo:sli_events:increase3d{slo=\"ingestion_latency\"} / 0.01 > 1\nand\nslo:sli_errors:increase6h{slo=\"ingestion_latency\"} / slo:sli_events:increase6h{slo=\"ingestion_latency\"} / 0.01 > 1\nand\nslo:sli_errors:increase3d{slo=\"ingestion_latency\"} >= 10\nand\nslo:sli_events:coverage3d{slo=\"ingestion_latency\"} >= 0.9\n)",
            "labels": {
              "severity": "warning",
              "team": "ingestion",
            },
            "annotations": {
              "summary": "Events durably written within 1 s: the 99% SLO is burning its error budget slowly but steadily.",
              "description": "Events durably written within 1 s burns its error budget at {{ $value | humanize }}x the sustainable rate over the alert's long window{{ with $labels.cluster }} in cluster {{ . }}{{ end }} (ticket: > 3x over 1d and 2h, or > 1x over 3d and 6h; objective 99% over 30d).",
              "runbook_url": "https://github.com/metrics-billing/billing-monitoring/blob/main/docs/alerts.md#billingingestionlatencyerrorbudgetslowburn",
              "dashboard_url": "http://localhost:3000/d/" + std.asciiLower(c.alertPrefix) + "-slos/billing-slos?viewPanel=9",
            },
          },
        ],
      },
      {
        "name": std.asciiLower(c.alertPrefix) + ".slo.payment_success",
        "interval": "30s",
        "rules": [
          {
            "record": "slo:sli_events:rate5m",
            "expr": "sum by (cluster, provider) (rate(billing_payments_total{job=\"" + lib.promqlString(c.selectors["platform"]["job"]) + "\"}[5m]))",
            "labels": {
              "slo": "payment_success",
            },
          },
          {
            "record": "slo:sli_errors:rate5m",
            "expr": "sum by (cluster, provider) (rate(billing_payments_total{job=\"" + lib.promqlString(c.selectors["platform"]["job"]) + "\",outcome=\"failure\"}[5m]))\n  or on (cluster, provider)\nslo:sli_events:rate5m{slo=\"payment_success\"} * 0",
            "labels": {
              "slo": "payment_success",
            },
          },
          {
            "record": "slo:sli_events:rate5m_step5m",
            "expr": "slo:sli_events:rate5m{slo=\"payment_success\"}\nand on ()\n(vector(time() % 300) < 30)",
            "labels": {
              "slo": "payment_success",
            },
          },
          {
            "record": "slo:sli_errors:rate5m_step5m",
            "expr": "slo:sli_errors:rate5m{slo=\"payment_success\"}\nand on ()\n(vector(time() % 300) < 30)",
            "labels": {
              "slo": "payment_success",
            },
          },
          {
            "record": "slo:sli_error:ratio_rate5m",
            "expr": "slo:sli_errors:rate5m{slo=\"payment_success\"}\n/\nslo:sli_events:rate5m{slo=\"payment_success\"}",
            "labels": {
              "slo": "payment_success",
            },
          },
          {
            "record": "slo:sli_errors:increase30m",
            "expr": "sum_over_time(slo:sli_errors:rate5m_step5m{slo=\"payment_success\"}[30m]) * 300",
            "labels": {
              "slo": "payment_success",
            },
          },
          {
            "record": "slo:sli_events:increase30m",
            "expr": "sum_over_time(slo:sli_events:rate5m_step5m{slo=\"payment_success\"}[30m]) * 300",
            "labels": {
              "slo": "payment_success",
            },
          },
          {
            "record": "slo:sli_errors:increase1h",
            "expr": "sum_over_time(slo:sli_errors:rate5m_step5m{slo=\"payment_success\"}[1h]) * 300",
            "labels": {
              "slo": "payment_success",
            },
          },
          {
            "record": "slo:sli_events:increase1h",
            "expr": "sum_over_time(slo:sli_events:rate5m_step5m{slo=\"payment_success\"}[1h]) * 300",
            "labels": {
              "slo": "payment_success",
            },
          },
          {
            "record": "slo:sli_events:coverage1h",
            "expr": "clamp_max(count_over_time(slo:sli_events:rate5m_step5m{slo=\"payment_success\"}[1h]) / 12, 1)",
            "labels": {
              "slo": "payment_success",
            },
          },
          {
            "record": "slo:sli_errors:increase2h",
            "expr": "sum_over_time(slo:sli_errors:rate5m_step5m{slo=\"payment_success\"}[2h]) * 300",
            "labels": {
              "slo": "payment_success",
            },
          },
          {
            "record": "slo:sli_events:increase2h",
            "expr": "sum_over_time(slo:sli_events:rate5m_step5m{slo=\"payment_success\"}[2h]) * 300",
            "labels": {
              "slo": "payment_success",
            },
          },
          {
            "record": "slo:sli_errors:increase6h",
            "expr": "sum_over_time(slo:sli_errors:rate5m_step5m{slo=\"payment_success\"}[6h]) * 300",
            "labels": {
              "slo": "payment_success",
            },
          },
          {
            "record": "slo:sli_events:increase6h",
            "expr": "sum_over_time(slo:sli_events:rate5m_step5m{slo=\"payment_success\"}[6h]) * 300",
            "labels": {
              "slo": "payment_success",
            },
          },
          {
            "record": "slo:sli_events:coverage6h",
            "expr": "clamp_max(count_over_time(slo:sli_events:rate5m_step5m{slo=\"payment_success\"}[6h]) / 72, 1)",
            "labels": {
              "slo": "payment_success",
            },
          },
          {
            "record": "slo:sli_errors:increase1d",
            "expr": "sum_over_time(slo:sli_errors:rate5m_step5m{slo=\"payment_success\"}[1d]) * 300",
            "labels": {
              "slo": "payment_success",
            },
          },
          {
            "record": "slo:sli_events:increase1d",
            "expr": "sum_over_time(slo:sli_events:rate5m_step5m{slo=\"payment_success\"}[1d]) * 300",
            "labels": {
              "slo": "payment_success",
            },
          },
          {
            "record": "slo:sli_events:coverage1d",
            "expr": "clamp_max(count_over_time(slo:sli_events:rate5m_step5m{slo=\"payment_success\"}[1d]) / 288, 1)",
            "labels": {
              "slo": "payment_success",
            },
          },
          {
            "record": "slo:sli_errors:increase3d",
            "expr": "sum_over_time(slo:sli_errors:rate5m_step5m{slo=\"payment_success\"}[3d]) * 300",
            "labels": {
              "slo": "payment_success",
            },
          },
          {
            "record": "slo:sli_events:increase3d",
            "expr": "sum_over_time(slo:sli_events:rate5m_step5m{slo=\"payment_success\"}[3d]) * 300",
            "labels": {
              "slo": "payment_success",
            },
          },
          {
            "record": "slo:sli_events:coverage3d",
            "expr": "clamp_max(count_over_time(slo:sli_events:rate5m_step5m{slo=\"payment_success\"}[3d]) / 864, 1)",
            "labels": {
              "slo": "payment_success",
            },
          },
          {
            "record": "slo:sli_errors:increase30d",
            "expr": "sum_over_time(slo:sli_errors:rate5m_step5m{slo=\"payment_success\"}[4w2d]) * 300",
            "labels": {
              "slo": "payment_success",
            },
          },
          {
            "record": "slo:sli_events:increase30d",
            "expr": "sum_over_time(slo:sli_events:rate5m_step5m{slo=\"payment_success\"}[4w2d]) * 300",
            "labels": {
              "slo": "payment_success",
            },
          },
          {
            "record": "slo:sli_error:ratio_rate30d",
            "expr": "slo:sli_errors:increase30d{slo=\"payment_success\"}\n/\nslo:sli_events:increase30d{slo=\"payment_success\"}",
            "labels": {
              "slo": "payment_success",
            },
          },
          {
            "record": "slo:sli_events:coverage30d",
            "expr": "clamp_max(count_over_time(slo:sli_events:rate5m_step5m{slo=\"payment_success\"}[4w2d]) / 8640, 1)",
            "labels": {
              "slo": "payment_success",
            },
          },
          {
            "record": "slo:error_budget_remaining:ratio",
            "expr": "1 - slo:sli_error:ratio_rate30d{slo=\"payment_success\"} / 0.05",
            "labels": {
              "slo": "payment_success",
            },
          },
          {
            "record": "slo:objective:ratio",
            "expr": "vector(0.95)",
            "labels": {
              "slo": "payment_success",
            },
          },
          {
            "alert": "BillingPaymentSuccessErrorBudgetFastBurn",
            "expr": "(\nslo:sli_errors:increase1h{slo=\"payment_success\"} / slo:sli_events:increase1h{slo=\"payment_success\"} / 0.05 > 14.4\nand\nslo:sli_error:ratio_rate5m{slo=\"payment_success\"} / 0.05 > 14.4\nand\nslo:sli_errors:increase1h{slo=\"payment_success\"} >= 10\nand\nslo:sli_events:coverage1h{slo=\"payment_success\"} >= 0.9\n)\nor\n(\nslo:sli_errors:increase6h{slo=\"payment_success\"} / slo:sli_events:increase6h{slo=\"payment_success\"} / 0.05 > 6\nand\nslo:sli_errors:increase30m{slo=\"payment_success\"} / slo:sli_events:increase30m{slo=\"payment_success\"} / 0.05 > 6\nand\nslo:sli_errors:increase6h{slo=\"payment_success\"} >= 10\nand\nslo:sli_events:coverage6h{slo=\"payment_success\"} >= 0.9\n)",
            "labels": {
              "severity": "critical",
              "team": "payments",
            },
            "annotations": {
              "summary": "Payment success rate: the 95% SLO is burning its error budget fast.",
              "description": "Payment success rate burns its error budget at {{ $value | humanize }}x the sustainable rate over the alert's long window{{ with $labels.cluster }} in cluster {{ . }}{{ end }} for provider {{ $labels.provider }} (page: > 14.4x over 1h and 5m, or > 6x over 6h and 30m; objective 95% over 30d).",
              "runbook_url": "https://github.com/metrics-billing/billing-monitoring/blob/main/docs/alerts.md#billingpaymentsuccesserrorbudgetfastburn",
              "dashboard_url": "http://localhost:3000/d/" + std.asciiLower(c.alertPrefix) + "-slos/billing-slos?viewPanel=14",
            },
          },
          {
            "alert": "BillingPaymentSuccessErrorBudgetSlowBurn",
            "expr": "(\nslo:sli_errors:increase1d{slo=\"payment_success\"} / slo:sli_events:increase1d{slo=\"payment_success\"} / 0.05 > 3\nand\nslo:sli_errors:increase2h{slo=\"payment_success\"} / slo:sli_events:increase2h{slo=\"payment_success\"} / 0.05 > 3\nand\nslo:sli_errors:increase1d{slo=\"payment_success\"} >= 10\nand\nslo:sli_events:coverage1d{slo=\"payment_success\"} >= 0.9\n)\nor\n(\nslo:sli_errors:increase3d{slo=\"payment_success\"} / slo:sli_events:increase3d{slo=\"payment_success\"} / 0.05 > 1\nand\nslo:sli_errors:increase6h{slo=\"payment_success\"} / slo:sli_events:increase6h{slo=\"payment_success\"} / 0.05 > 1\nand\nslo:sli_errors:increase3d{slo=\"payment_success\"} >= 10\nand\nslo:sli_events:coverage3d{slo=\"payment_success\"} >= 0.9\n)",
            "labels": {
              "severity": "warning",
              "team": "payments",
            },
            "annotations": {
              "summary": "Payment success rate: the 95% SLO is burning its error budget slowly but steadily.",
              "description": "Payment success rate burns its error budget at {{ $value | humanize }}x the sustainable rate over the alert's long window{{ with $labels.cluster }} in cluster {{ . }}{{ end }} for provider {{ $labels.provider }} (ticket: > 3x over 1d and 2h, or > 1x over 3d and 6h; objective 95% over 30d).",
              "runbook_url": "https://github.com/metrics-billing/billing-monitoring/blob/main/docs/alerts.md#billingpaymentsuccesserrorbudgetslowburn",
              "dashboard_url": "http://localhost:3000/d/" + std.asciiLower(c.alertPrefix) + "-slos/billing-slos?viewPanel=14",
            },
          },
        ],
      },
      {
        "name": std.asciiLower(c.alertPrefix) + ".slo.api_availability",
        "interval": "30s",
        "rules": [
          {
            "record": "slo:sli_events:rate5m",
            "expr": "sum by (cluster) (rate(http_requests_total{job=\"" + lib.promqlString(c.selectors["platform"]["job"]) + "\"}[5m]))",
            "labels": {
              "slo": "api_availability",
            },
          },
          {
            "record": "slo:sli_errors:rate5m",
            "expr": "sum by (cluster) (rate(http_requests_total{job=\"" + lib.promqlString(c.selectors["platform"]["job"]) + "\",code=~\"5..\"}[5m]))\n  or on (cluster)\nslo:sli_events:rate5m{slo=\"api_availability\"} * 0",
            "labels": {
              "slo": "api_availability",
            },
          },
          {
            "record": "slo:sli_events:rate5m_step5m",
            "expr": "slo:sli_events:rate5m{slo=\"api_availability\"}\nand on ()\n(vector(time() % 300) < 30)",
            "labels": {
              "slo": "api_availability",
            },
          },
          {
            "record": "slo:sli_errors:rate5m_step5m",
            "expr": "slo:sli_errors:rate5m{slo=\"api_availability\"}\nand on ()\n(vector(time() % 300) < 30)",
            "labels": {
              "slo": "api_availability",
            },
          },
          {
            "record": "slo:sli_error:ratio_rate5m",
            "expr": "slo:sli_errors:rate5m{slo=\"api_availability\"}\n/\nslo:sli_events:rate5m{slo=\"api_availability\"}",
            "labels": {
              "slo": "api_availability",
            },
          },
          {
            "record": "slo:sli_errors:increase30m",
            "expr": "sum_over_time(slo:sli_errors:rate5m_step5m{slo=\"api_availability\"}[30m]) * 300",
            "labels": {
              "slo": "api_availability",
            },
          },
          {
            "record": "slo:sli_events:increase30m",
            "expr": "sum_over_time(slo:sli_events:rate5m_step5m{slo=\"api_availability\"}[30m]) * 300",
            "labels": {
              "slo": "api_availability",
            },
          },
          {
            "record": "slo:sli_errors:increase1h",
            "expr": "sum_over_time(slo:sli_errors:rate5m_step5m{slo=\"api_availability\"}[1h]) * 300",
            "labels": {
              "slo": "api_availability",
            },
          },
          {
            "record": "slo:sli_events:increase1h",
            "expr": "sum_over_time(slo:sli_events:rate5m_step5m{slo=\"api_availability\"}[1h]) * 300",
            "labels": {
              "slo": "api_availability",
            },
          },
          {
            "record": "slo:sli_events:coverage1h",
            "expr": "clamp_max(count_over_time(slo:sli_events:rate5m_step5m{slo=\"api_availability\"}[1h]) / 12, 1)",
            "labels": {
              "slo": "api_availability",
            },
          },
          {
            "record": "slo:sli_errors:increase2h",
            "expr": "sum_over_time(slo:sli_errors:rate5m_step5m{slo=\"api_availability\"}[2h]) * 300",
            "labels": {
              "slo": "api_availability",
            },
          },
          {
            "record": "slo:sli_events:increase2h",
            "expr": "sum_over_time(slo:sli_events:rate5m_step5m{slo=\"api_availability\"}[2h]) * 300",
            "labels": {
              "slo": "api_availability",
            },
          },
          {
            "record": "slo:sli_errors:increase6h",
            "expr": "sum_over_time(slo:sli_errors:rate5m_step5m{slo=\"api_availability\"}[6h]) * 300",
            "labels": {
              "slo": "api_availability",
            },
          },
          {
            "record": "slo:sli_events:increase6h",
            "expr": "sum_over_time(slo:sli_events:rate5m_step5m{slo=\"api_availability\"}[6h]) * 300",
            "labels": {
              "slo": "api_availability",
            },
          },
          {
            "record": "slo:sli_events:coverage6h",
            "expr": "clamp_max(count_over_time(slo:sli_events:rate5m_step5m{slo=\"api_availability\"}[6h]) / 72, 1)",
            "labels": {
              "slo": "api_availability",
            },
          },
          {
            "record": "slo:sli_errors:increase1d",
            "expr": "sum_over_time(slo:sli_errors:rate5m_step5m{slo=\"api_availability\"}[1d]) * 300",
            "labels": {
              "slo": "api_availability",
            },
          },
          {
            "record": "slo:sli_events:increase1d",
            "expr": "sum_over_time(slo:sli_events:rate5m_step5m{slo=\"api_availability\"}[1d]) * 300",
            "labels": {
              "slo": "api_availability",
            },
          },
          {
            "record": "slo:sli_events:coverage1d",
            "expr": "clamp_max(count_over_time(slo:sli_events:rate5m_step5m{slo=\"api_availability\"}[1d]) / 288, 1)",
            "labels": {
              "slo": "api_availability",
            },
          },
          {
            "record": "slo:sli_errors:increase3d",
            "expr": "sum_over_time(slo:sli_errors:rate5m_step5m{slo=\"api_availability\"}[3d]) * 300",
            "labels": {
              "slo": "api_availability",
            },
          },
          {
            "record": "slo:sli_events:increase3d",
            "expr": "sum_over_time(slo:sli_events:rate5m_step5m{slo=\"api_availability\"}[3d]) * 300",
            "labels": {
              "slo": "api_availability",
            },
          },
          {
            "record": "slo:sli_events:coverage3d",
            "expr": "clamp_max(count_over_time(slo:sli_events:rate5m_step5m{slo=\"api_availability\"}[3d]) / 864, 1)",
            "labels": {
              "slo": "api_availability",
            },
          },
          {
            "record": "slo:sli_errors:increase30d",
            "expr": "sum_over_time(slo:sli_errors:rate5m_step5m{slo=\"api_availability\"}[4w2d]) * 300",
            "labels": {
              "slo": "api_availability",
            },
          },
          {
            "record": "slo:sli_events:increase30d",
            "expr": "sum_over_time(slo:sli_events:rate5m_step5m{slo=\"api_availability\"}[4w2d]) * 300",
            "labels": {
              "slo": "api_availability",
            },
          },
          {
            "record": "slo:sli_error:ratio_rate30d",
            "expr": "slo:sli_errors:increase30d{slo=\"api_availability\"}\n/\nslo:sli_events:increase30d{slo=\"api_availability\"}",
            "labels": {
              "slo": "api_availability",
            },
          },
          {
            "record": "slo:sli_events:coverage30d",
            "expr": "clamp_max(count_over_time(slo:sli_events:rate5m_step5m{slo=\"api_availability\"}[4w2d]) / 8640, 1)",
            "labels": {
              "slo": "api_availability",
            },
          },
          {
            "record": "slo:error_budget_remaining:ratio",
            "expr": "1 - slo:sli_error:ratio_rate30d{slo=\"api_availability\"} / 0.005",
            "labels": {
              "slo": "api_availability",
            },
          },
          {
            "record": "slo:objective:ratio",
            "expr": "vector(0.995)",
            "labels": {
              "slo": "api_availability",
            },
          },
          {
            "alert": "BillingApiAvailabilityErrorBudgetFastBurn",
            "expr": "(\nslo:sli_errors:increase1h{slo=\"api_availability\"} / slo:sli_events:increase1h{slo=\"api_availability\"} / 0.005 > 14.4\nand\nslo:sli_error:ratio_rate5m{slo=\"api_availability\"} / 0.005 > 14.4\nand\nslo:sli_errors:increase1h{slo=\"api_availability\"} >= 10\nand\nslo:sli_events:coverage1h{slo=\"api_availability\"} >= 0.9\n)\nor\n(\nslo:sli_errors:increase6h{slo=\"api_availability\"} / slo:sli_events:increase6h{slo=\"api_availability\"} / 0.005 > 6\nand\nslo:sli_errors:increase30m{slo=\"api_availability\"} / slo:sli_events:increase30m{slo=\"api_availability\"} / 0.005 > 6\nand\nslo:sli_errors:increase6h{slo=\"api_availability\"} >= 10\nand\nslo:sli_events:coverage6h{slo=\"api_availability\"} >= 0.9\n)",
            "labels": {
              "severity": "critical",
              "team": "platform",
            },
            "annotations": {
              "summary": "API availability (non-5xx): the 99.5% SLO is burning its error budget fast.",
              "description": "API availability (non-5xx) burns its error budget at {{ $value | humanize }}x the sustainable rate over the alert's long window{{ with $labels.cluster }} in cluster {{ . }}{{ end }} (page: > 14.4x over 1h and 5m, or > 6x over 6h and 30m; objective 99.5% over 30d).",
              "runbook_url": "https://github.com/metrics-billing/billing-monitoring/blob/main/docs/alerts.md#billingapiavailabilityerrorbudgetfastburn",
              "dashboard_url": "http://localhost:3000/d/" + std.asciiLower(c.alertPrefix) + "-slos/billing-slos?viewPanel=19",
            },
          },
          {
            "alert": "BillingApiAvailabilityErrorBudgetSlowBurn",
            "expr": "(\nslo:sli_errors:increase1d{slo=\"api_availability\"} / slo:sli_events:increase1d{slo=\"api_availability\"} / 0.005 > 3\nand\nslo:sli_errors:increase2h{slo=\"api_availability\"} / slo:sli_events:increase2h{slo=\"api_availability\"} / 0.005 > 3\nand\nslo:sli_errors:increase1d{slo=\"api_availability\"} >= 10\nand\nslo:sli_events:coverage1d{slo=\"api_availability\"} >= 0.9\n)\nor\n(\nslo:sli_errors:increase3d{slo=\"api_availability\"} / slo:sli_events:increase3d{slo=\"api_availability\"} / 0.005 > 1\nand\nslo:sli_errors:increase6h{slo=\"api_availability\"} / slo:sli_events:increase6h{slo=\"api_availability\"} / 0.005 > 1\nand\nslo:sli_errors:increase3d{slo=\"api_availability\"} >= 10\nand\nslo:sli_events:coverage3d{slo=\"api_availability\"} >= 0.9\n)",
            "labels": {
              "severity": "warning",
              "team": "platform",
            },
            "annotations": {
              "summary": "API availability (non-5xx): the 99.5% SLO is burning its error budget slowly but steadily.",
              "description": "API availability (non-5xx) burns its error budget at {{ $value | humanize }}x the sustainable rate over the alert's long window{{ with $labels.cluster }} in cluster {{ . }}{{ end }} (ticket: > 3x over 1d and 2h, or > 1x over 3d and 6h; objective 99.5% over 30d).",
              "runbook_url": "https://github.com/metrics-billing/billing-monitoring/blob/main/docs/alerts.md#billingapiavailabilityerrorbudgetslowburn",
              "dashboard_url": "http://localhost:3000/d/" + std.asciiLower(c.alertPrefix) + "-slos/billing-slos?viewPanel=19",
            },
          },
        ],
      },
      {
        "name": std.asciiLower(c.alertPrefix) + ".slo.webhook_success",
        "interval": "30s",
        "rules": [
          {
            "record": "slo:sli_events:rate5m",
            "expr": "sum by (cluster, provider) (rate(billing_payment_webhooks_total{job=\"" + lib.promqlString(c.selectors["platform"]["job"]) + "\"}[5m]))",
            "labels": {
              "slo": "webhook_success",
            },
          },
          {
            "record": "slo:sli_errors:rate5m",
            "expr": "sum by (cluster, provider) (rate(billing_payment_webhooks_total{job=\"" + lib.promqlString(c.selectors["platform"]["job"]) + "\",outcome=\"failure\"}[5m]))\n  or on (cluster, provider)\nslo:sli_events:rate5m{slo=\"webhook_success\"} * 0",
            "labels": {
              "slo": "webhook_success",
            },
          },
          {
            "record": "slo:sli_events:rate5m_step5m",
            "expr": "slo:sli_events:rate5m{slo=\"webhook_success\"}\nand on ()\n(vector(time() % 300) < 30)",
            "labels": {
              "slo": "webhook_success",
            },
          },
          {
            "record": "slo:sli_errors:rate5m_step5m",
            "expr": "slo:sli_errors:rate5m{slo=\"webhook_success\"}\nand on ()\n(vector(time() % 300) < 30)",
            "labels": {
              "slo": "webhook_success",
            },
          },
          {
            "record": "slo:sli_error:ratio_rate5m",
            "expr": "slo:sli_errors:rate5m{slo=\"webhook_success\"}\n/\nslo:sli_events:rate5m{slo=\"webhook_success\"}",
            "labels": {
              "slo": "webhook_success",
            },
          },
          {
            "record": "slo:sli_errors:increase30m",
            "expr": "sum_over_time(slo:sli_errors:rate5m_step5m{slo=\"webhook_success\"}[30m]) * 300",
            "labels": {
              "slo": "webhook_success",
            },
          },
          {
            "record": "slo:sli_events:increase30m",
            "expr": "sum_over_time(slo:sli_events:rate5m_step5m{slo=\"webhook_success\"}[30m]) * 300",
            "labels": {
              "slo": "webhook_success",
            },
          },
          {
            "record": "slo:sli_errors:increase1h",
            "expr": "sum_over_time(slo:sli_errors:rate5m_step5m{slo=\"webhook_success\"}[1h]) * 300",
            "labels": {
              "slo": "webhook_success",
            },
          },
          {
            "record": "slo:sli_events:increase1h",
            "expr": "sum_over_time(slo:sli_events:rate5m_step5m{slo=\"webhook_success\"}[1h]) * 300",
            "labels": {
              "slo": "webhook_success",
            },
          },
          {
            "record": "slo:sli_events:coverage1h",
            "expr": "clamp_max(count_over_time(slo:sli_events:rate5m_step5m{slo=\"webhook_success\"}[1h]) / 12, 1)",
            "labels": {
              "slo": "webhook_success",
            },
          },
          {
            "record": "slo:sli_errors:increase2h",
            "expr": "sum_over_time(slo:sli_errors:rate5m_step5m{slo=\"webhook_success\"}[2h]) * 300",
            "labels": {
              "slo": "webhook_success",
            },
          },
          {
            "record": "slo:sli_events:increase2h",
            "expr": "sum_over_time(slo:sli_events:rate5m_step5m{slo=\"webhook_success\"}[2h]) * 300",
            "labels": {
              "slo": "webhook_success",
            },
          },
          {
            "record": "slo:sli_errors:increase6h",
            "expr": "sum_over_time(slo:sli_errors:rate5m_step5m{slo=\"webhook_success\"}[6h]) * 300",
            "labels": {
              "slo": "webhook_success",
            },
          },
          {
            "record": "slo:sli_events:increase6h",
            "expr": "sum_over_time(slo:sli_events:rate5m_step5m{slo=\"webhook_success\"}[6h]) * 300",
            "labels": {
              "slo": "webhook_success",
            },
          },
          {
            "record": "slo:sli_events:coverage6h",
            "expr": "clamp_max(count_over_time(slo:sli_events:rate5m_step5m{slo=\"webhook_success\"}[6h]) / 72, 1)",
            "labels": {
              "slo": "webhook_success",
            },
          },
          {
            "record": "slo:sli_errors:increase1d",
            "expr": "sum_over_time(slo:sli_errors:rate5m_step5m{slo=\"webhook_success\"}[1d]) * 300",
            "labels": {
              "slo": "webhook_success",
            },
          },
          {
            "record": "slo:sli_events:increase1d",
            "expr": "sum_over_time(slo:sli_events:rate5m_step5m{slo=\"webhook_success\"}[1d]) * 300",
            "labels": {
              "slo": "webhook_success",
            },
          },
          {
            "record": "slo:sli_events:coverage1d",
            "expr": "clamp_max(count_over_time(slo:sli_events:rate5m_step5m{slo=\"webhook_success\"}[1d]) / 288, 1)",
            "labels": {
              "slo": "webhook_success",
            },
          },
          {
            "record": "slo:sli_errors:increase3d",
            "expr": "sum_over_time(slo:sli_errors:rate5m_step5m{slo=\"webhook_success\"}[3d]) * 300",
            "labels": {
              "slo": "webhook_success",
            },
          },
          {
            "record": "slo:sli_events:increase3d",
            "expr": "sum_over_time(slo:sli_events:rate5m_step5m{slo=\"webhook_success\"}[3d]) * 300",
            "labels": {
              "slo": "webhook_success",
            },
          },
          {
            "record": "slo:sli_events:coverage3d",
            "expr": "clamp_max(count_over_time(slo:sli_events:rate5m_step5m{slo=\"webhook_success\"}[3d]) / 864, 1)",
            "labels": {
              "slo": "webhook_success",
            },
          },
          {
            "record": "slo:sli_errors:increase30d",
            "expr": "sum_over_time(slo:sli_errors:rate5m_step5m{slo=\"webhook_success\"}[4w2d]) * 300",
            "labels": {
              "slo": "webhook_success",
            },
          },
          {
            "record": "slo:sli_events:increase30d",
            "expr": "sum_over_time(slo:sli_events:rate5m_step5m{slo=\"webhook_success\"}[4w2d]) * 300",
            "labels": {
              "slo": "webhook_success",
            },
          },
          {
            "record": "slo:sli_error:ratio_rate30d",
            "expr": "slo:sli_errors:increase30d{slo=\"webhook_success\"}\n/\nslo:sli_events:increase30d{slo=\"webhook_success\"}",
            "labels": {
              "slo": "webhook_success",
            },
          },
          {
            "record": "slo:sli_events:coverage30d",
            "expr": "clamp_max(count_over_time(slo:sli_events:rate5m_step5m{slo=\"webhook_success\"}[4w2d]) / 8640, 1)",
            "labels": {
              "slo": "webhook_success",
            },
          },
          {
            "record": "slo:error_budget_remaining:ratio",
            "expr": "1 - slo:sli_error:ratio_rate30d{slo=\"webhook_success\"} / 0.01",
            "labels": {
              "slo": "webhook_success",
            },
          },
          {
            "record": "slo:objective:ratio",
            "expr": "vector(0.99)",
            "labels": {
              "slo": "webhook_success",
            },
          },
          {
            "alert": "BillingWebhookSuccessErrorBudgetFastBurn",
            "expr": "(\nslo:sli_errors:increase1h{slo=\"webhook_success\"} / slo:sli_events:increase1h{slo=\"webhook_success\"} / 0.01 > 14.4\nand\nslo:sli_error:ratio_rate5m{slo=\"webhook_success\"} / 0.01 > 14.4\nand\nslo:sli_errors:increase1h{slo=\"webhook_success\"} >= 10\nand\nslo:sli_events:coverage1h{slo=\"webhook_success\"} >= 0.9\n)\nor\n(\nslo:sli_errors:increase6h{slo=\"webhook_success\"} / slo:sli_events:increase6h{slo=\"webhook_success\"} / 0.01 > 6\nand\nslo:sli_errors:increase30m{slo=\"webhook_success\"} / slo:sli_events:increase30m{slo=\"webhook_success\"} / 0.01 > 6\nand\nslo:sli_errors:increase6h{slo=\"webhook_success\"} >= 10\nand\nslo:sli_events:coverage6h{slo=\"webhook_success\"} >= 0.9\n)",
            "labels": {
              "severity": "critical",
              "team": "payments",
            },
            "annotations": {
              "summary": "Payment webhook success rate: the 99% SLO is burning its error budget fast.",
              "description": "Payment webhook success rate burns its error budget at {{ $value | humanize }}x the sustainable rate over the alert's long window{{ with $labels.cluster }} in cluster {{ . }}{{ end }} for provider {{ $labels.provider }} (page: > 14.4x over 1h and 5m, or > 6x over 6h and 30m; objective 99% over 30d).",
              "runbook_url": "https://github.com/metrics-billing/billing-monitoring/blob/main/docs/alerts.md#billingwebhooksuccesserrorbudgetfastburn",
              "dashboard_url": "http://localhost:3000/d/" + std.asciiLower(c.alertPrefix) + "-slos/billing-slos?viewPanel=24",
            },
          },
          {
            "alert": "BillingWebhookSuccessErrorBudgetSlowBurn",
            "expr": "(\nslo:sli_errors:increase1d{slo=\"webhook_success\"} / slo:sli_events:increase1d{slo=\"webhook_success\"} / 0.01 > 3\nand\nslo:sli_errors:increase2h{slo=\"webhook_success\"} / slo:sli_events:increase2h{slo=\"webhook_success\"} / 0.01 > 3\nand\nslo:sli_errors:increase1d{slo=\"webhook_success\"} >= 10\nand\nslo:sli_events:coverage1d{slo=\"webhook_success\"} >= 0.9\n)\nor\n(\nslo:sli_errors:increase3d{slo=\"webhook_success\"} / slo:sli_events:increase3d{slo=\"webhook_success\"} / 0.01 > 1\nand\nslo:sli_errors:increase6h{slo=\"webhook_success\"} / slo:sli_events:increase6h{slo=\"webhook_success\"} / 0.01 > 1\nand\nslo:sli_errors:increase3d{slo=\"webhook_success\"} >= 10\nand\nslo:sli_events:coverage3d{slo=\"webhook_success\"} >= 0.9\n)",
            "labels": {
              "severity": "warning",
              "team": "payments",
            },
            "annotations": {
              "summary": "Payment webhook success rate: the 99% SLO is burning its error budget slowly but steadily.",
              "description": "Payment webhook success rate burns its error budget at {{ $value | humanize }}x the sustainable rate over the alert's long window{{ with $labels.cluster }} in cluster {{ . }}{{ end }} for provider {{ $labels.provider }} (ticket: > 3x over 1d and 2h, or > 1x over 3d and 6h; objective 99% over 30d).",
              "runbook_url": "https://github.com/metrics-billing/billing-monitoring/blob/main/docs/alerts.md#billingwebhooksuccesserrorbudgetslowburn",
              "dashboard_url": "http://localhost:3000/d/" + std.asciiLower(c.alertPrefix) + "-slos/billing-slos?viewPanel=24",
            },
          },
        ],
      },
    ],
  },
  prometheusRules+:: {
    groups+: [
      {
        "name": std.asciiLower(c.alertPrefix) + ".api_latency",
        "interval": "30s",
        "rules": [
          {
            "record": "cluster_le:http_request_duration_seconds_bucket:rate5m",
            "expr": "sum by (cluster, le) (rate(http_request_duration_seconds_bucket{job=\"" + lib.promqlString(c.selectors["platform"]["job"]) + "\"}[5m]))",
          },
          {
            "record": "cluster_quantile:http_request_duration_seconds:histogram_quantile_rate5m",
            "expr": "histogram_quantile(0.5, cluster_le:http_request_duration_seconds_bucket:rate5m)",
            "labels": {
              "quantile": "0.5",
            },
          },
          {
            "record": "cluster_quantile:http_request_duration_seconds:histogram_quantile_rate5m",
            "expr": "histogram_quantile(0.95, cluster_le:http_request_duration_seconds_bucket:rate5m)",
            "labels": {
              "quantile": "0.95",
            },
          },
          {
            "record": "cluster_quantile:http_request_duration_seconds:histogram_quantile_rate5m",
            "expr": "histogram_quantile(0.99, cluster_le:http_request_duration_seconds_bucket:rate5m)",
            "labels": {
              "quantile": "0.99",
            },
          },
        ],
      },
      {
        "name": std.asciiLower(c.alertPrefix) + ".invoice_success",
        "interval": "30s",
        "rules": [
          {
            "record": "cluster_outcome:billing_invoices_generated:rate1h",
            "expr": "sum by (cluster, outcome) (rate(billing_invoices_generated_total{job=\"" + lib.promqlString(c.selectors["platform"]["job"]) + "\"}[1h]))",
          },
          {
            "record": "cluster:billing_invoices_generated:rate1h",
            "expr": "sum by (cluster) (cluster_outcome:billing_invoices_generated:rate1h)",
          },
          {
            "record": "cluster:billing_invoices_generated:success_ratio_rate1h",
            "expr": "1 - (\n(sum by (cluster) (cluster_outcome:billing_invoices_generated:rate1h{outcome=\"failure\"})\n  or\ncluster:billing_invoices_generated:rate1h * 0\n)\n/\ncluster:billing_invoices_generated:rate1h\n)",
          },
        ],
      },
      {
        "name": std.asciiLower(c.alertPrefix) + ".invoices_generated",
        "interval": "30s",
        "rules": [
          {
            "record": "cluster_outcome:billing_invoices_generated:increase1h",
            "expr": "sum by (cluster, outcome) ((billing_invoices_generated_total{job=\"" + lib.promqlString(c.selectors["platform"]["job"]) + "\"} and (count_over_time(billing_invoices_generated_total{job=\"" + lib.promqlString(c.selectors["platform"]["job"]) + "\"}[1h]) < on (cluster, instance, job) group_left\n  sum_over_time(up{job=\"" + lib.promqlString(c.selectors["platform"]["job"]) + "\"}[1h]))) * 1\n  or\nincrease(billing_invoices_generated_total{job=\"" + lib.promqlString(c.selectors["platform"]["job"]) + "\"}[1h]))",
          },
        ],
      },
      {
        "name": std.asciiLower(c.alertPrefix) + ".invoices_pending",
        "interval": "30s",
        "rules": [
          {
            "record": "cluster:billing_invoices_pending:max",
            "expr": "max by (cluster) (last_over_time(billing_invoices_pending{job=\"" + lib.promqlString(c.selectors["platform"]["job"]) + "\"}[2m]))",
          },
        ],
      },
      {
        "name": std.asciiLower(c.alertPrefix) + ".invoice_deadline",
        "interval": "30s",
        "rules": [
          {
            "record": "cluster:billing_invoice_cycle_deadline_timestamp_seconds:max",
            "expr": "max by (cluster) (last_over_time(billing_invoice_cycle_deadline_timestamp_seconds{job=\"" + lib.promqlString(c.selectors["platform"]["job"]) + "\"}[2m]))",
          },
        ],
      },
      {
        "name": std.asciiLower(c.alertPrefix) + ".invoice_last_duration",
        "interval": "30s",
        "rules": [
          {
            "record": "cluster:billing_invoice_run_last_duration_seconds:max",
            "expr": "max by (cluster) (last_over_time(billing_invoice_run_last_duration_seconds{job=\"" + lib.promqlString(c.selectors["platform"]["job"]) + "\"}[2m]))",
          },
        ],
      },
      {
        "name": std.asciiLower(c.alertPrefix) + ".payments_processed",
        "interval": "30s",
        "rules": [
          {
            "record": "cluster_provider_outcome:billing_payments:rate5m",
            "expr": "sum by (cluster, provider, outcome) (rate(billing_payments_total{job=\"" + lib.promqlString(c.selectors["platform"]["job"]) + "\"}[5m]))",
          },
        ],
      },
      {
        "name": std.asciiLower(c.alertPrefix) + ".revenue_collected",
        "interval": "30s",
        "rules": [
          {
            "record": "cluster_currency:billing_revenue_collected:increase1h",
            "expr": "sum by (cluster, currency) ((billing_revenue_collected_total{job=\"" + lib.promqlString(c.selectors["platform"]["job"]) + "\"} and (count_over_time(billing_revenue_collected_total{job=\"" + lib.promqlString(c.selectors["platform"]["job"]) + "\"}[1h]) < on (cluster, instance, job) group_left\n  sum_over_time(up{job=\"" + lib.promqlString(c.selectors["platform"]["job"]) + "\"}[1h]))) * 1\n  or\nincrease(billing_revenue_collected_total{job=\"" + lib.promqlString(c.selectors["platform"]["job"]) + "\"}[1h]))",
          },
        ],
      },
      {
        "name": std.asciiLower(c.alertPrefix) + ".rds_freeable_memory",
        "interval": "30s",
        "rules": [
          {
            "record": "cluster_dimension_DBInstanceIdentifier:aws_rds_freeable_memory_average:min",
            "expr": "min by (cluster, dimension_DBInstanceIdentifier) (last_over_time(aws_rds_freeable_memory_average{job=\"" + lib.promqlString(c.selectors["cloudwatch"]["job"]) + "\"}[2m]))",
          },
        ],
      },
      {
        "name": std.asciiLower(c.alertPrefix) + ".queue_depth",
        "interval": "30s",
        "rules": [
          {
            "record": "cluster_queue:billing_queue_depth:max",
            "expr": "max by (cluster, queue) (last_over_time(billing_queue_depth{job=\"" + lib.promqlString(c.selectors["platform"]["job"]) + "\"}[2m]))",
          },
        ],
      },
      {
        "name": std.asciiLower(c.alertPrefix) + ".queue_oldest_age",
        "interval": "30s",
        "rules": [
          {
            "record": "cluster_queue:billing_queue_oldest_message_age_seconds:max",
            "expr": "max by (cluster, queue) (last_over_time(billing_queue_oldest_message_age_seconds{job=\"" + lib.promqlString(c.selectors["platform"]["job"]) + "\"}[2m]))",
          },
        ],
      },
      {
        "name": std.asciiLower(c.alertPrefix) + ".queue_throughput",
        "interval": "30s",
        "rules": [
          {
            "record": "cluster_queue_outcome:billing_queue_messages_processed:rate5m",
            "expr": "sum by (cluster, queue, outcome) (rate(billing_queue_messages_processed_total{job=\"" + lib.promqlString(c.selectors["platform"]["job"]) + "\"}[5m]))",
          },
        ],
      },
    ],
  },
}
