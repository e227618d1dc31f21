// Generated from thresholds.yaml by `make build`; do not edit.
// financial.json: a function of the mixin's _config.
local lib = import '../lib/format.libsonnet';

function(c) {
  "description": "Are customers invoiced on time and are their payments collected? Generated from thresholds.yaml by `make build`; do not edit.",
  "uid": std.asciiLower(c.alertPrefix) + "-financial",
  "title": "Billing Financial",
  "tags": [
    std.asciiLower(c.alertPrefix),
    "generated",
  ],
  "timezone": "browser",
  "editable": true,
  "graphTooltip": 1,
  "time": {
    "from": "now-6h",
    "to": "now",
  },
  "timepicker": {},
  "fiscalYearStartMonth": 0,
  "liveNow": false,
  "weekStart": "",
  "refresh": "1m",
  "schemaVersion": 39,
  "version": 1,
  "links": [
    {
      "title": c.alertPrefix + " dashboards",
      "type": "dashboards",
      "tags": [
        std.asciiLower(c.alertPrefix),
      ],
      "asDropdown": false,
      "icon": "external link",
      "tooltip": "",
      "targetBlank": false,
      "includeVars": true,
      "keepTime": true,
    },
  ],
  "annotations": {
    "list": [
      {
        "builtIn": 1,
        "datasource": {
          "type": "grafana",
          "uid": "-- Grafana --",
        },
        "enable": true,
        "hide": true,
        "iconColor": "rgba(0, 211, 255, 1)",
        "name": "Annotations & Alerts",
        "type": "dashboard",
      },
    ],
  },
  "templating": {
    "list": [
      {
        "type": "datasource",
        "name": "datasource",
        "label": "Data source",
        "query": "prometheus",
        "current": {
          "text": "default",
          "value": "default",
        },
        "hide": 0,
        "includeAll": false,
        "multi": false,
        "options": [],
        "refresh": 1,
        "regex": "",
        "skipUrlSync": false,
      },
      {
        "type": "query",
        "name": "cluster",
        "label": "cluster",
        "datasource": {
          "type": "prometheus",
          "uid": "${datasource}",
        },
        "definition": "label_values(up{job=\"" + lib.promqlString(c.selectors["platform"]["job"]) + "\"}, cluster)",
        "query": "label_values(up{job=\"" + lib.promqlString(c.selectors["platform"]["job"]) + "\"}, cluster)",
        "current": {
          "text": [
            "All",
          ],
          "value": [
            "$__all",
          ],
        },
        "hide": 0,
        "includeAll": true,
        "allValue": ".*",
        "multi": true,
        "options": [],
        "refresh": 2,
        "regex": "",
        "sort": 1,
        "skipUrlSync": false,
      },
    ],
  },
  "panels": [
    {
      "type": "row",
      "id": 1,
      "title": "Invoicing",
      "collapsed": false,
      "gridPos": {
        "h": 1,
        "w": 24,
        "x": 0,
        "y": 0,
      },
      "panels": [],
    },
    {
      "type": "timeseries",
      "id": 2,
      "title": "Invoices generated per hour",
      "description": "Invoices generated per hour by outcome: recorded series `cluster_outcome:billing_invoices_generated:increase1h`.",
      "datasource": {
        "type": "prometheus",
        "uid": "${datasource}",
      },
      "gridPos": {
        "h": 8,
        "w": 8,
        "x": 0,
        "y": 1,
      },
      "targets": [
        {
          "datasource": {
            "type": "prometheus",
            "uid": "${datasource}",
          },
          "refId": "A",
          "expr": "cluster_outcome:billing_invoices_generated:increase1h{cluster=~\"$cluster\"}",
          "legendFormat": "{{outcome}}",
          "range": true,
          "instant": false,
          "editorMode": "code",
        },
      ],
      "options": {
        "legend": {
          "showLegend": true,
          "displayMode": "list",
          "placement": "bottom",
          "calcs": [],
        },
        "tooltip": {
          "mode": "single",
          "sort": "none",
        },
      },
      "fieldConfig": {
        "defaults": {
          "color": {
            "mode": "palette-classic",
          },
          "custom": {
            "axisPlacement": "auto",
            "axisLabel": "",
            "drawStyle": "line",
            "lineInterpolation": "linear",
            "barAlignment": 0,
            "lineWidth": 1,
            "fillOpacity": 0,
            "gradientMode": "none",
            "spanNulls": false,
            "showPoints": "auto",
            "pointSize": 5,
            "stacking": {
              "group": "A",
              "mode": "none",
            },
            "scaleDistribution": {
              "type": "linear",
              "log": 2,
            },
            "hideFrom": {
              "tooltip": false,
              "viz": false,
              "legend": false,
            },
            "thresholdsStyle": {
              "mode": "dashed",
            },
          },
          "mappings": [],
          "thresholds": {
            "mode": "absolute",
            "steps": [
              {
                "color": "green",
                "value": null,
              },
            ],
          },
          "unit": "short",
        },
        "overrides": [],
      },
      "links": [],
      "transparent": false,
    },
    {
      "type": "timeseries",
      "id": 3,
      "title": "Invoice success rate",
      "description": "Invoice generation success rate: recorded series `cluster:billing_invoices_generated:success_ratio_rate1h`.",
      "datasource": {
        "type": "prometheus",
        "uid": "${datasource}",
      },
      "gridPos": {
        "h": 8,
        "w": 8,
        "x": 8,
        "y": 1,
      },
      "targets": [
        {
          "datasource": {
            "type": "prometheus",
            "uid": "${datasource}",
          },
          "refId": "A",
          "expr": "cluster:billing_invoices_generated:success_ratio_rate1h{cluster=~\"$cluster\"}",
          "legendFormat": "success",
          "range": true,
          "instant": false,
          "editorMode": "code",
        },
      ],
      "options": {
        "legend": {
          "showLegend": true,
          "displayMode": "list",
          "placement": "bottom",
          "calcs": [],
        },
        "tooltip": {
          "mode": "single",
          "sort": "none",
        },
      },
      "fieldConfig": {
        "defaults": {
          "color": {
            "mode": "palette-classic",
          },
          "custom": {
            "axisPlacement": "auto",
            "axisLabel": "",
            "drawStyle": "line",
            "lineInterpolation": "linear",
            "barAlignment": 0,
            "lineWidth": 1,
            "fillOpacity": 0,
            "gradientMode": "none",
            "spanNulls": false,
            "showPoints": "auto",
            "pointSize": 5,
            "stacking": {
              "group": "A",
              "mode": "none",
            },
            "scaleDistribution": {
              "type": "linear",
              "log": 2,
            },
            "hideFrom": {
              "tooltip": false,
              "viz": false,
              "legend": false,
            },
            "thresholdsStyle": {
              "mode": "dashed",
            },
          },
          "mappings": [],
          "thresholds": {
            "mode": "absolute",
            "steps": [
              {
                "color": "green",
                "value": null,
              },
            ],
          },
          "unit": "percentunit",
        },
        "overrides": [],
      },
      "links": [],
      "transparent": false,
    },
    {
      "type": "timeseries",
      "id": 4,
      "title": "Failed invoice generations",
      "description": "Failed invoice generations: recorded series `cluster:billing_invoices_generated:failure_increase15m`.\n\nAlert **" + c.alertPrefix + "InvoiceGenerationFailures** (critical, team billing) when > " + lib.g(c.thresholds["InvoiceGenerationFailures"]) + " for 1m: Invoice generation failed for at least one invoice. [Runbook](https://github.com/metrics-billing/billing-monitoring/blob/main/docs/alerts.md#" + std.asciiLower(c.alertPrefix) + "invoicegenerationfailures)",
      "datasource": {
        "type": "prometheus",
        "uid": "${datasource}",
      },
      "gridPos": {
        "h": 8,
        "w": 8,
        "x": 16,
        "y": 1,
      },
      "targets": [
        {
          "datasource": {
            "type": "prometheus",
            "uid": "${datasource}",
          },
          "refId": "A",
          "expr": "cluster:billing_invoices_generated:failure_increase15m{cluster=~\"$cluster\"}",
          "legendFormat": "failed",
          "range": true,
          "instant": false,
          "editorMode": "code",
        },
      ],
      "options": {
        "legend": {
          "showLegend": true,
          "displayMode": "list",
          "placement": "bottom",
          "calcs": [],
        },
        "tooltip": {
          "mode": "single",
          "sort": "none",
        },
      },
      "fieldConfig": {
        "defaults": {
          "color": {
            "mode": "palette-classic",
          },
          "custom": {
            "axisPlacement": "auto",
            "axisLabel": "",
            "drawStyle": "line",
            "lineInterpolation": "linear",
            "barAlignment": 0,
            "lineWidth": 1,
            "fillOpacity": 0,
            "gradientMode": "none",
            "spanNulls": false,
            "showPoints": "auto",
            "pointSize": 5,
            "stacking": {
              "group": "A",
              "mode": "none",
            },
            "scaleDistribution": {
              "type": "linear",
              "log": 2,
            },
            "hideFrom": {
              "tooltip": false,
              "viz": false,
              "legend": false,
            },
            "thresholdsStyle": {
              "mode": "dashed",
            },
          },
          "mappings": [],
          "thresholds": {
            "mode": "absolute",
            "steps": lib.steps([{op: ">", severity: "critical", value: c.thresholds["InvoiceGenerationFailures"]}]),
          },
          "unit": "short",
        },
        "overrides": [],
      },
      "links": [],
      "transparent": false,
    },
    {
      "type": "timeseries",
      "id": 5,
      "title": "Invoices pending vs deadline",
      "description": "Invoices pending in the current cycle: recorded series `cluster:billing_invoices_pending:max`.\n\nInvoices pending after the cycle deadline: recorded series `cluster:billing_invoices_pending:overdue`.\n\nAlert **" + c.alertPrefix + "InvoicesMissingAfterDeadline** (critical, team billing) when > " + lib.g(c.thresholds["InvoicesMissingAfterDeadline"]) + " for 5m: Invoices of the billing cycle are still missing after the cycle deadline. [Runbook](https://github.com/metrics-billing/billing-monitoring/blob/main/docs/alerts.md#" + std.asciiLower(c.alertPrefix) + "invoicesmissingafterdeadline)",
      "datasource": {
        "type": "prometheus",
        "uid": "${datasource}",
      },
      "gridPos": {
        "h": 8,
        "w": 8,
        "x": 0,
        "y": 9,
      },
      "targets": [
        {
          "datasource": {
            "type": "prometheus",
            "uid": "${datasource}",
          },
          "refId": "A",
          "expr": "cluster:billing_invoices_pending:max{cluster=~\"$cluster\"}",
          "legendFormat": "pending",
          "range": true,
          "instant": false,
          "editorMode": "code",
        },
        {
          "datasource": {
            "type": "prometheus",
            "uid": "${datasource}",
          },
          "refId": "B",
          "expr": "cluster:billing_invoices_pending:overdue{cluster=~\"$cluster\"}",
          "legendFormat": "pending after deadline",
          "range": true,
          "instant": false,
          "editorMode": "code",
        },
      ],
      "options": {
        "legend": {
          "showLegend": true,
          "displayMode": "list",
          "placement": "bottom",
          "calcs": [],
        },
        "tooltip": {
          "mode": "single",
          "sort": "none",
        },
      },
      "fieldConfig": {
        "defaults": {
          "color": {
            "mode": "palette-classic",
          },
          "custom": {
            "axisPlacement": "auto",
            "axisLabel": "",
            "drawStyle": "line",
            "lineInterpolation": "linear",
            "barAlignment": 0,
            "lineWidth": 1,
            "fillOpacity": 0,
            "gradientMode": "none",
            "spanNulls": false,
            "showPoints": "auto",
            "pointSize": 5,
            "stacking": {
              "group": "A",
              "mode": "none",
            },
            "scaleDistribution": {
              "type": "linear",
              "log": 2,
            },
            "hideFrom": {
              "tooltip": false,
              "viz": false,
              "legend": false,
            },
            "thresholdsStyle": {
              "mode": "dashed",
            },
          },
          "mappings": [],
          "thresholds": {
            "mode": "absolute",
            "steps": lib.steps([{op: ">", severity: "critical", value: c.thresholds["InvoicesMissingAfterDeadline"]}]),
          },
          "unit": "short",
        },
        "overrides": [],
      },
      "links": [],
      "transparent": false,
    },
    {
      "type": "stat",
      "id": 6,
      "title": "Time to cycle deadline",
      "description": "Invoice cycle deadline: recorded series `cluster:billing_invoice_cycle_deadline_timestamp_seconds:max`.",
      "datasource": {
        "type": "prometheus",
        "uid": "${datasource}",
      },
      "gridPos": {
        "h": 8,
        "w": 8,
        "x": 8,
        "y": 9,
      },
      "targets": [
        {
          "datasource": {
            "type": "prometheus",
            "uid": "${datasource}",
          },
          "refId": "A",
          "expr": "cluster:billing_invoice_cycle_deadline_timestamp_seconds:max{cluster=~\"$cluster\"} - time()",
          "legendFormat": "time left",
          "range": true,
          "instant": false,
          "editorMode": "code",
        },
      ],
      "options": {
        "wideLayout": true,
        "showPercentChange": false,
        "percentChangeColorMode": "standard",
        "textMode": "auto",
        "colorMode": "value",
        "graphMode": "area",
        "justifyMode": "auto",
        "orientation": "auto",
        "reduceOptions": {
          "calcs": [
            "lastNotNull",
          ],
          "fields": "",
          "values": false,
        },
      },
      "fieldConfig": {
        "defaults": {
          "color": {
            "mode": "thresholds",
          },
          "custom": {},
          "mappings": [],
          "thresholds": {
            "mode": "absolute",
            "steps": [
              {
                "color": "green",
                "value": null,
              },
            ],
          },
          "unit": "s",
        },
        "overrides": [],
      },
      "links": [],
      "transparent": false,
    },
    {
      "type": "timeseries",
      "id": 7,
      "title": "Invoice run duration",
      "description": "Current invoice run duration: recorded series `cluster:billing_invoice_run_in_progress:running_seconds`.\n\nLast invoice run duration: recorded series `cluster:billing_invoice_run_last_duration_seconds:max`.\n\nAlert **" + c.alertPrefix + "InvoiceRunTooSlow** (warning, team billing) when > " + lib.g(c.thresholds["InvoiceRunTooSlow"]) + " for 1m: The invoice run has been running for more than 5 minutes. [Runbook](https://github.com/metrics-billing/billing-monitoring/blob/main/docs/alerts.md#" + std.asciiLower(c.alertPrefix) + "invoiceruntooslow)",
      "datasource": {
        "type": "prometheus",
        "uid": "${datasource}",
      },
      "gridPos": {
        "h": 8,
        "w": 8,
        "x": 16,
        "y": 9,
      },
      "targets": [
        {
          "datasource": {
            "type": "prometheus",
            "uid": "${datasource}",
          },
          "refId": "A",
          "expr": "cluster:billing_invoice_run_in_progress:running_seconds{cluster=~\"$cluster\"}",
          "legendFormat": "current run",
          "range": true,
          "instant": false,
          "editorMode": "code",
        },
        {
          "datasource": {
            "type": "prometheus",
            "uid": "${datasource}",
          },
          "refId": "B",
          "expr": "cluster:billing_invoice_run_last_duration_seconds:max{cluster=~\"$cluster\"}",
          "legendFormat": "last finished run",
          "range": true,
          "instant": false,
          "editorMode": "code",
        },
      ],
      "options": {
        "legend": {
          "showLegend": true,
          "displayMode": "list",
          "placement": "bottom",
          "calcs": [],
        },
        "tooltip": {
          "mode": "single",
          "sort": "none",
        },
      },
      "fieldConfig": {
        "defaults": {
          "color": {
            "mode": "palette-classic",
          },
          "custom": {
            "axisPlacement": "auto",
            "axisLabel": "",
            "drawStyle": "line",
            "lineInterpolation": "linear",
            "barAlignment": 0,
            "lineWidth": 1,
            "fillOpacity": 0,
            "gradientMode": "none",
            "spanNulls": false,
            "showPoints": "auto",
            "pointSize": 5,
            "stacking": {
              "group": "A",
              "mode": "none",
            },
            "scaleDistribution": {
              "type": "linear",
              "log": 2,
            },
            "hideFrom": {
              "tooltip": false,
              "viz": false,
              "legend": false,
            },
            "thresholdsStyle": {
              "mode": "dashed",
            },
          },
          "mappings": [],
          "thresholds": {
            "mode": "absolute",
            "steps": lib.steps([{op: ">", severity: "warning", value: c.thresholds["InvoiceRunTooSlow"]}]),
          },
          "unit": "s",
        },
        "overrides": [],
      },
      "links": [],
      "transparent": false,
    },
    {
      "type": "row",
      "id": 8,
      "title": "Payments",
      "collapsed": false,
      "gridPos": {
        "h": 1,
        "w": 24,
        "x": 0,
        "y": 17,
      },
      "panels": [],
    },
    {
      "type": "timeseries",
      "id": 9,
      "title": "Payment success rate",
      "description": "Payment success rate: recorded series `cluster_provider:billing_payments:success_ratio_rate10m`.\n\nAlert **" + c.alertPrefix + "PaymentSuccessRateLow** (critical, team payments) when < " + lib.g(c.thresholds["PaymentSuccessRateLow"]) + " for 5m: Less than 90% of payments succeed at a payment provider. [Runbook](https://github.com/metrics-billing/billing-monitoring/blob/main/docs/alerts.md#" + std.asciiLower(c.alertPrefix) + "paymentsuccessratelow)",
      "datasource": {
        "type": "prometheus",
        "uid": "${datasource}",
      },
      "gridPos": {
        "h": 8,
        "w": 8,
        "x": 0,
        "y": 18,
      },
      "targets": [
        {
          "datasource": {
            "type": "prometheus",
            "uid": "${datasource}",
          },
          "refId": "A",
          "expr": "cluster_provider:billing_payments:success_ratio_rate10m{cluster=~\"$cluster\"}",
          "legendFormat": "{{provider}}",
          "range": true,
          "instant": false,
          "editorMode": "code",
        },
      ],
      "options": {
        "legend": {
          "showLegend": true,
          "displayMode": "list",
          "placement": "bottom",
          "calcs": [],
        },
        "tooltip": {
          "mode": "single",
          "sort": "none",
        },
      },
      "fieldConfig": {
        "defaults": {
          "color": {
            "mode": "palette-classic",
          },
          "custom": {
            "axisPlacement": "auto",
            "axisLabel": "",
            "drawStyle": "line",
            "lineInterpolation": "linear",
            "barAlignment": 0,
            "lineWidth": 1,
            "fillOpacity": 0,
            "gradientMode": "none",
            "spanNulls": false,
            "showPoints": "auto",
            "pointSize": 5,
            "stacking": {
              "group": "A",
              "mode": "none",
            },
            "scaleDistribution": {
              "type": "linear",
              "log": 2,
            },
            "hideFrom": {
              "tooltip": false,
              "viz": false,
              "legend": false,
            },
            "thresholdsStyle": {
              "mode": "dashed",
            },
          },
          "mappings": [],
          "thresholds": {
            "mode": "absolute",
            "steps": lib.steps([{op: "<", severity: "critical", value: c.thresholds["PaymentSuccessRateLow"]}]),
          },
          "unit": "percentunit",
        },
        "overrides": [],
      },
      "links": [],
      "transparent": false,
    },
    {
      "type": "timeseries",
      "id": 10,
      "title": "Payments processed",
      "description": "Payments processed per second: recorded series `cluster_provider_outcome:billing_payments:rate5m`.",
      "datasource": {
        "type": "prometheus",
        "uid": "${datasource}",
      },
      "gridPos": {
        "h": 8,
        "w": 8,
        "x": 8,
        "y": 18,
      },
      "targets": [
        {
          "datasource": {
            "type": "prometheus",
            "uid": "${datasource}",
          },
          "refId": "A",
          "expr": "cluster_provider_outcome:billing_payments:rate5m{cluster=~\"$cluster\"}",
          "legendFormat": "{{provider}} {{outcome}}",
          "range": true,
          "instant": false,
          "editorMode": "code",
        },
      ],
      "options": {
        "legend": {
          "showLegend": true,
          "displayMode": "list",
          "placement": "bottom",
          "calcs": [],
        },
        "tooltip": {
          "mode": "single",
          "sort": "none",
        },
      },
      "fieldConfig": {
        "defaults": {
          "color": {
            "mode": "palette-classic",
          },
          "custom": {
            "axisPlacement": "auto",
            "axisLabel": "",
            "drawStyle": "line",
            "lineInterpolation": "linear",
            "barAlignment": 0,
            "lineWidth": 1,
            "fillOpacity": 0,
            "gradientMode": "none",
            "spanNulls": false,
            "showPoints": "auto",
            "pointSize": 5,
            "stacking": {
              "group": "A",
              "mode": "none",
            },
            "scaleDistribution": {
              "type": "linear",
              "log": 2,
            },
            "hideFrom": {
              "tooltip": false,
              "viz": false,
              "legend": false,
            },
            "thresholdsStyle": {
              "mode": "dashed",
            },
          },
          "mappings": [],
          "thresholds": {
            "mode": "absolute",
            "steps": [
              {
                "color": "green",
                "value": null,
              },
            ],
          },
          "unit": "cps",
        },
        "overrides": [],
      },
      "links": [],
      "transparent": false,
    },
    {
      "type": "timeseries",
      "id": 11,
      "title": "Webhook success rate",
      "description": "Payment webhook success rate: recorded series `cluster_provider:billing_payment_webhooks:success_ratio_rate15m`.\n\nAlert **" + c.alertPrefix + "PaymentWebhookFailures** (critical, team payments) when < " + lib.g(c.thresholds["PaymentWebhookFailures"]) + " for 5m: More than 5% of payment provider webhooks fail. [Runbook](https://github.com/metrics-billing/billing-monitoring/blob/main/docs/alerts.md#" + std.asciiLower(c.alertPrefix) + "paymentwebhookfailures)",
      "datasource": {
        "type": "prometheus",
        "uid": "${datasource}",
      },
      "gridPos": {
        "h": 8,
        "w": 8,
        "x": 16,
        "y": 18,
      },
      "targets": [
        {
          "datasource": {
            "type": "prometheus",
            "uid": "${datasource}",
          },
          "refId": "A",
          "expr": "cluster_provider:billing_payment_webhooks:success_ratio_rate15m{cluster=~\"$cluster\"}",
          "legendFormat": "{{provider}}",
          "range": true,
          "instant": false,
          "editorMode": "code",
        },
      ],
      "options": {
        "legend": {
          "showLegend": true,
          "displayMode": "list",
          "placement": "bottom",
          "calcs": [],
        },
        "tooltip": {
          "mode": "single",
          "sort": "none",
        },
      },
      "fieldConfig": {
        "defaults": {
          "color": {
            "mode": "palette-classic",
          },
          "custom": {
            "axisPlacement": "auto",
            "axisLabel": "",
            "drawStyle": "line",
            "lineInterpolation": "linear",
            "barAlignment": 0,
            "lineWidth": 1,
            "fillOpacity": 0,
            "gradientMode": "none",
            "spanNulls": false,
            "showPoints": "auto",
            "pointSize": 5,
            "stacking": {
              "group": "A",
              "mode": "none",
            },
            "scaleDistribution": {
              "type": "linear",
              "log": 2,
            },
            "hideFrom": {
              "tooltip": false,
              "viz": false,
              "legend": false,
            },
            "thresholdsStyle": {
              "mode": "dashed",
            },
          },
          "mappings": [],
          "thresholds": {
            "mode": "absolute",
            "steps": lib.steps([{op: "<", severity: "critical", value: c.thresholds["PaymentWebhookFailures"]}]),
          },
          "unit": "percentunit",
        },
        "overrides": [],
      },
      "links": [],
      "transparent": false,
    },
    {
      "type": "timeseries",
      "id": 12,
      "title": "Revenue collected per hour",
      "description": "Revenue collected per hour: recorded series `cluster_currency:billing_revenue_collected:increase1h`.",
      "datasource": {
        "type": "prometheus",
        "uid": "${datasource}",
      },
      "gridPos": {
        "h": 8,
        "w": 8,
        "x": 0,
        "y": 26,
      },
      "targets": [
        {
          "datasource": {
            "type": "prometheus",
            "uid": "${datasource}",
          },
          "refId": "A",
          "expr": "cluster_currency:billing_revenue_collected:increase1h{cluster=~\"$cluster\"}",
          "legendFormat": "{{currency}}",
          "range": true,
          "instant": false,
          "editorMode": "code",
        },
      ],
      "options": {
        "legend": {
          "showLegend": true,
          "displayMode": "list",
          "placement": "bottom",
          "calcs": [],
        },
        "tooltip": {
          "mode": "single",
          "sort": "none",
        },
      },
      "fieldConfig": {
        "defaults": {
          "color": {
            "mode": "palette-classic",
          },
          "custom": {
            "axisPlacement": "auto",
            "axisLabel": "",
            "drawStyle": "line",
            "lineInterpolation": "linear",
            "barAlignment": 0,
            "lineWidth": 1,
            "fillOpacity": 0,
            "gradientMode": "none",
            "spanNulls": false,
            "showPoints": "auto",
            "pointSize": 5,
            "stacking": {
              "group": "A",
              "mode": "none",
            },
            "scaleDistribution": {
              "type": "linear",
              "log": 2,
            },
            "hideFrom": {
              "tooltip": false,
              "viz": false,
              "legend": false,
            },
            "thresholdsStyle": {
              "mode": "dashed",
            },
          },
          "mappings": [],
          "thresholds": {
            "mode": "absolute",
            "steps": [
              {
                "color": "green",
                "value": null,
              },
            ],
          },
          "unit": "short",
        },
        "overrides": [],
      },
      "links": [],
      "transparent": false,
    },
  ],
}
