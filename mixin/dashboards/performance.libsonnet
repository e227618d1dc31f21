// Generated from thresholds.yaml by `make build`; do not edit.
// performance.json: a function of the mixin's _config.
local lib = import '../lib/format.libsonnet';

function(c) {
  "description": "How fast are the API, ingestion, payments, the database and the queues? Generated from thresholds.yaml by `make build`; do not edit.",
  "uid": std.asciiLower(c.alertPrefix) + "-performance",
  "title": "Billing Performance",
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
      "title": "Response times",
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
      "title": "API response time",
      "description": "API response time: recorded series `cluster_quantile:http_request_duration_seconds:histogram_quantile_rate5m`.",
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
          "expr": "cluster_quantile:http_request_duration_seconds:histogram_quantile_rate5m{cluster=~\"$cluster\"}",
          "legendFormat": "p{{quantile}}",
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
          "unit": "s",
        },
        "overrides": [],
      },
      "links": [],
      "transparent": false,
    },
    {
      "type": "timeseries",
      "id": 3,
      "title": "Ingestion latency",
      "description": "Event ingestion latency: recorded series `cluster_quantile:billing_event_ingestion_duration_seconds:histogram_quantile_rate5m`.\n\nAlert **" + c.alertPrefix + "IngestionLatencyHigh** (warning, team ingestion) when > " + lib.g(c.thresholds["IngestionLatencyHigh"]) + " for 10m: Usage event ingestion p99 latency is above 1 second. [Runbook](https://github.com/metrics-billing/billing-monitoring/blob/main/docs/alerts.md#" + std.asciiLower(c.alertPrefix) + "ingestionlatencyhigh)",
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
          "expr": "cluster_quantile:billing_event_ingestion_duration_seconds:histogram_quantile_rate5m{cluster=~\"$cluster\"}",
          "legendFormat": "p{{quantile}}",
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
            "steps": lib.steps([{op: ">", severity: "warning", value: c.thresholds["IngestionLatencyHigh"]}]),
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
      "id": 4,
      "title": "Payment latency",
      "description": "Payment processing latency: recorded series `cluster_provider_quantile:billing_payment_duration_seconds:histogram_quantile_rate10m`.\n\nAlert **" + c.alertPrefix + "PaymentLatencyHigh** (warning, team payments) when > " + lib.g(c.thresholds["PaymentLatencyHigh"]) + " for 10m: Payment processing p95 latency is above 5 seconds. [Runbook](https://github.com/metrics-billing/billing-monitoring/blob/main/docs/alerts.md#" + std.asciiLower(c.alertPrefix) + "paymentlatencyhigh)",
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
          "expr": "cluster_provider_quantile:billing_payment_duration_seconds:histogram_quantile_rate10m{cluster=~\"$cluster\"}",
          "legendFormat": "{{provider}} p{{quantile}}",
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
            "steps": lib.steps([{op: ">", severity: "warning", value: c.thresholds["PaymentLatencyHigh"]}]),
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
      "id": 5,
      "title": "Database",
      "collapsed": false,
      "gridPos": {
        "h": 1,
        "w": 24,
        "x": 0,
        "y": 9,
      },
      "panels": [],
    },
    {
      "type": "timeseries",
      "id": 6,
      "title": "Connection pool usage",
      "description": "Database connection pool usage (worst replica): recorded series `cluster_pool:billing_db_pool_connections_in_use:ratio_max_by_instance`.\n\nAlert **" + c.alertPrefix + "DatabasePoolUsageHigh** (warning, team database) when > " + lib.g(c.thresholds["DatabasePoolUsageHigh"]) + " for 10m: A database connection pool is more than 80% used. [Runbook](https://github.com/metrics-billing/billing-monitoring/blob/main/docs/alerts.md#" + std.asciiLower(c.alertPrefix) + "databasepoolusagehigh)",
      "datasource": {
        "type": "prometheus",
        "uid": "${datasource}",
      },
      "gridPos": {
        "h": 8,
        "w": 8,
        "x": 0,
        "y": 10,
      },
      "targets": [
        {
          "datasource": {
            "type": "prometheus",
            "uid": "${datasource}",
          },
          "refId": "A",
          "expr": "cluster_pool:billing_db_pool_connections_in_use:ratio_max_by_instance{cluster=~\"$cluster\"}",
          "legendFormat": "{{pool}}",
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
            "steps": lib.steps([{op: ">", severity: "warning", value: c.thresholds["DatabasePoolUsageHigh"]}]),
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
      "id": 7,
      "title": "Query time",
      "description": "Database query time: recorded series `cluster_quantile:billing_db_query_duration_seconds:histogram_quantile_rate5m`.\n\nAlert **" + c.alertPrefix + "DatabaseQueryLatencyHigh** (critical, team database) when > " + lib.g(c.thresholds["DatabaseQueryLatencyHigh"]) + " for 10m: Database query p95 latency is above 1 second. [Runbook](https://github.com/metrics-billing/billing-monitoring/blob/main/docs/alerts.md#" + std.asciiLower(c.alertPrefix) + "databasequerylatencyhigh)",
      "datasource": {
        "type": "prometheus",
        "uid": "${datasource}",
      },
      "gridPos": {
        "h": 8,
        "w": 8,
        "x": 8,
        "y": 10,
      },
      "targets": [
        {
          "datasource": {
            "type": "prometheus",
            "uid": "${datasource}",
          },
          "refId": "A",
          "expr": "cluster_quantile:billing_db_query_duration_seconds:histogram_quantile_rate5m{cluster=~\"$cluster\"}",
          "legendFormat": "p{{quantile}}",
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
            "steps": lib.steps([{op: ">", severity: "critical", value: c.thresholds["DatabaseQueryLatencyHigh"]}]),
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
      "id": 8,
      "title": "Connection errors",
      "description": "Database connection errors: recorded series `cluster:billing_db_connection_errors:increase5m`.\n\nAlert **" + c.alertPrefix + "DatabaseConnectionErrors** (critical, team database) when > " + lib.g(c.thresholds["DatabaseConnectionErrors"]) + " for 2m: The platform fails to get or open database connections. [Runbook](https://github.com/metrics-billing/billing-monitoring/blob/main/docs/alerts.md#" + std.asciiLower(c.alertPrefix) + "databaseconnectionerrors)",
      "datasource": {
        "type": "prometheus",
        "uid": "${datasource}",
      },
      "gridPos": {
        "h": 8,
        "w": 8,
        "x": 16,
        "y": 10,
      },
      "targets": [
        {
          "datasource": {
            "type": "prometheus",
            "uid": "${datasource}",
          },
          "refId": "A",
          "expr": "cluster:billing_db_connection_errors:increase5m{cluster=~\"$cluster\"}",
          "legendFormat": "errors",
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
            "steps": lib.steps([{op: ">", severity: "critical", value: c.thresholds["DatabaseConnectionErrors"]}]),
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
      "id": 9,
      "title": "RDS CPU",
      "description": "RDS CPU utilisation: recorded series `cluster_dimension_DBInstanceIdentifier:aws_rds_cpuutilization_average:max`.\n\nAlert **" + c.alertPrefix + "RDSCPUHigh** (warning, team database) when > " + lib.g(c.thresholds["RDSCPUHigh"]) + " for 15m: RDS CPU utilisation is above 80%. [Runbook](https://github.com/metrics-billing/billing-monitoring/blob/main/docs/alerts.md#" + std.asciiLower(c.alertPrefix) + "rdscpuhigh)",
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
          "expr": "cluster_dimension_DBInstanceIdentifier:aws_rds_cpuutilization_average:max{cluster=~\"$cluster\"}",
          "legendFormat": "{{dimension_DBInstanceIdentifier}}",
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
            "steps": lib.steps([{op: ">", severity: "warning", value: c.thresholds["RDSCPUHigh"]}]),
          },
          "unit": "percent",
        },
        "overrides": [],
      },
      "links": [],
      "transparent": false,
    },
    {
      "type": "timeseries",
      "id": 10,
      "title": "RDS freeable memory",
      "description": "RDS freeable memory: recorded series `cluster_dimension_DBInstanceIdentifier:aws_rds_freeable_memory_average:min`.",
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
          "expr": "cluster_dimension_DBInstanceIdentifier:aws_rds_freeable_memory_average:min{cluster=~\"$cluster\"}",
          "legendFormat": "{{dimension_DBInstanceIdentifier}}",
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
          "unit": "bytes",
        },
        "overrides": [],
      },
      "links": [],
      "transparent": false,
    },
    {
      "type": "row",
      "id": 11,
      "title": "Queues",
      "collapsed": false,
      "gridPos": {
        "h": 1,
        "w": 24,
        "x": 0,
        "y": 26,
      },
      "panels": [],
    },
    {
      "type": "timeseries",
      "id": 12,
      "title": "Queue depth",
      "description": "Queue depth: recorded series `cluster_queue:billing_queue_depth:max`.",
      "datasource": {
        "type": "prometheus",
        "uid": "${datasource}",
      },
      "gridPos": {
        "h": 8,
        "w": 8,
        "x": 0,
        "y": 27,
      },
      "targets": [
        {
          "datasource": {
            "type": "prometheus",
            "uid": "${datasource}",
          },
          "refId": "A",
          "expr": "cluster_queue:billing_queue_depth:max{cluster=~\"$cluster\"}",
          "legendFormat": "{{queue}}",
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
      "id": 13,
      "title": "Oldest message age",
      "description": "Oldest message age: recorded series `cluster_queue:billing_queue_oldest_message_age_seconds:max`.",
      "datasource": {
        "type": "prometheus",
        "uid": "${datasource}",
      },
      "gridPos": {
        "h": 8,
        "w": 8,
        "x": 8,
        "y": 27,
      },
      "targets": [
        {
          "datasource": {
            "type": "prometheus",
            "uid": "${datasource}",
          },
          "refId": "A",
          "expr": "cluster_queue:billing_queue_oldest_message_age_seconds:max{cluster=~\"$cluster\"}",
          "legendFormat": "{{queue}}",
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
          "unit": "s",
        },
        "overrides": [],
      },
      "links": [],
      "transparent": false,
    },
    {
      "type": "timeseries",
      "id": 14,
      "title": "Queue throughput",
      "description": "Queue messages processed per second: recorded series `cluster_queue_outcome:billing_queue_messages_processed:rate5m`.",
      "datasource": {
        "type": "prometheus",
        "uid": "${datasource}",
      },
      "gridPos": {
        "h": 8,
        "w": 8,
        "x": 16,
        "y": 27,
      },
      "targets": [
        {
          "datasource": {
            "type": "prometheus",
            "uid": "${datasource}",
          },
          "refId": "A",
          "expr": "cluster_queue_outcome:billing_queue_messages_processed:rate5m{cluster=~\"$cluster\"}",
          "legendFormat": "{{queue}} {{outcome}}",
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
  ],
}
