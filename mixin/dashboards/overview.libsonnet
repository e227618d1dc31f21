// Generated from thresholds.yaml by `make build`; do not edit.
// overview.json: a function of the mixin's _config.
local lib = import '../lib/format.libsonnet';

function(c) {
  "description": "Is the billing platform up, taking traffic and answering it successfully? Generated from thresholds.yaml by `make build`; do not edit.",
  "uid": std.asciiLower(c.alertPrefix) + "-overview",
  "title": "Billing Overview",
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
      "title": "Platform",
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
      "type": "stat",
      "id": 2,
      "title": "Health check",
      "description": "Health check success: recorded series `cluster_job:probe_success:avg`.\n\nAlert **" + c.alertPrefix + "HealthCheckFailing** (critical, team platform) when < " + lib.g(c.thresholds["HealthCheckFailing"]) + " for 2m: The billing platform health check is failing. [Runbook](https://github.com/metrics-billing/billing-monitoring/blob/main/docs/alerts.md#" + std.asciiLower(c.alertPrefix) + "healthcheckfailing)",
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
          "expr": "cluster_job:probe_success:avg{job=\"" + lib.promqlString(c.selectors["healthcheck"]["job"]) + "\",cluster=~\"$cluster\"}",
          "legendFormat": "{{job}}",
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
          "expr": "cluster_job:probe_success:avg_over_time5m{job=\"" + lib.promqlString(c.selectors["healthcheck"]["job"]) + "\",cluster=~\"$cluster\"}",
          "legendFormat": c.alertPrefix + "HealthCheckFailing: average over 5m",
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
            "steps": lib.steps([{op: "<", severity: "critical", value: c.thresholds["HealthCheckFailing"]}]),
          },
          "unit": "percentunit",
        },
        "overrides": [],
      },
      "links": [],
      "transparent": false,
    },
    {
      "type": "stat",
      "id": 3,
      "title": "Scrape targets up",
      "description": "Platform scrape targets up: recorded series `cluster_job:up:avg`.\n\nAlert **" + c.alertPrefix + "PlatformDown** (critical, team platform) when <= " + lib.g(c.thresholds["PlatformDown"]) + " for 2m: Every billing platform scrape target is down or missing. [Runbook](https://github.com/metrics-billing/billing-monitoring/blob/main/docs/alerts.md#" + std.asciiLower(c.alertPrefix) + "platformdown)\n\nAlert **" + c.alertPrefix + "PlatformTargetDown** (warning, team platform) when < " + lib.g(c.thresholds["PlatformTargetDown"]) + " for 2m: Billing platform scrape targets are down or flapping. [Runbook](https://github.com/metrics-billing/billing-monitoring/blob/main/docs/alerts.md#" + std.asciiLower(c.alertPrefix) + "platformtargetdown)",
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
          "expr": "cluster_job:up:avg{job=\"" + lib.promqlString(c.selectors["platform"]["job"]) + "\",cluster=~\"$cluster\"}",
          "legendFormat": "{{job}}",
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
          "expr": "cluster_job:up:avg_over_time10m{job=\"" + lib.promqlString(c.selectors["platform"]["job"]) + "\",cluster=~\"$cluster\"}",
          "legendFormat": c.alertPrefix + "PlatformTargetDown: average over 10m",
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
            "steps": lib.steps([{op: "<=", severity: "critical", value: c.thresholds["PlatformDown"]}, {op: "<", severity: "warning", value: c.thresholds["PlatformTargetDown"]}]),
          },
          "unit": "percentunit",
        },
        "overrides": [],
      },
      "links": [],
      "transparent": false,
    },
    {
      "type": "stat",
      "id": 4,
      "title": "Firing alerts by severity",
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
          "expr": "sum by (severity) (ALERTS{alertstate=\"firing\",alertname=~\"" + c.alertPrefix + ".+\",cluster=~\"$cluster\"}) or on () vector(0)",
          "legendFormat": "{{severity}}",
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
      "title": "FATAL log lines",
      "description": "FATAL log lines: recorded series `cluster:billing_log_messages:fatal_increase5m`.\n\nAlert **" + c.alertPrefix + "FatalLogMessages** (critical, team platform) when > " + lib.g(c.thresholds["FatalLogMessages"]) + ": The billing platform logged a FATAL error. [Runbook](https://github.com/metrics-billing/billing-monitoring/blob/main/docs/alerts.md#" + std.asciiLower(c.alertPrefix) + "fatallogmessages)",
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
          "expr": "cluster:billing_log_messages:fatal_increase5m{cluster=~\"$cluster\"}",
          "legendFormat": "fatal",
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
            "steps": lib.steps([{op: ">", severity: "critical", value: c.thresholds["FatalLogMessages"]}]),
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
      "id": 6,
      "title": "Scrape targets per cluster and job",
      "description": "Scrape targets present: recorded series `cluster_job:up:sum_or_lost1d`.\n\nAlert **" + c.alertPrefix + "ScrapeTargetsMissing** (critical, team platform) when <= " + lib.g(c.thresholds["ScrapeTargetsMissing"]) + " for 5m: A scrape job has no target up in a cluster where it had some within the last day. [Runbook](https://github.com/metrics-billing/billing-monitoring/blob/main/docs/alerts.md#" + std.asciiLower(c.alertPrefix) + "scrapetargetsmissing)",
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
          "expr": "cluster_job:up:sum_or_lost1d{cluster=~\"$cluster\"}",
          "legendFormat": "{{cluster}} {{job}}",
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
            "steps": lib.steps([{op: "<=", severity: "critical", value: c.thresholds["ScrapeTargetsMissing"]}]),
          },
          "unit": "short",
        },
        "overrides": [],
      },
      "links": [],
      "transparent": false,
    },
    {
      "type": "row",
      "id": 7,
      "title": "API",
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
      "id": 8,
      "title": "Request rate",
      "description": "API requests per second by status code: recorded series `cluster_code:http_requests:rate5m`.",
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
          "expr": "cluster_code:http_requests:rate5m{cluster=~\"$cluster\"}",
          "legendFormat": "{{code}}",
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
      "id": 9,
      "title": "Error rate",
      "description": "API 5xx error rate: recorded series `cluster:http_requests:error_ratio_rate5m`.\n\nAlert **" + c.alertPrefix + "APIErrorRateHigh** (critical, team platform) when > " + lib.g(c.thresholds["APIErrorRateHigh"]) + " for 6m: The billing API answers more than 5% of requests with a 5xx error. [Runbook](https://github.com/metrics-billing/billing-monitoring/blob/main/docs/alerts.md#" + std.asciiLower(c.alertPrefix) + "apierrorratehigh)",
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
          "expr": "cluster:http_requests:error_ratio_rate5m{cluster=~\"$cluster\"}",
          "legendFormat": "5xx ratio",
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
            "steps": lib.steps([{op: ">", severity: "critical", value: c.thresholds["APIErrorRateHigh"]}]),
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
      "title": "Success rate",
      "description": "API 5xx error rate: recorded series `cluster:http_requests:error_ratio_rate5m`.\n\nEvent ingestion success rate: recorded series `cluster:billing_events_received:success_ratio_rate5m`.\n\nAlert **" + c.alertPrefix + "IngestionSuccessRateLow** (critical, team ingestion) when < " + lib.g(c.thresholds["IngestionSuccessRateLow"]) + " for 6m: Less than 95% of usage events are ingested successfully. [Runbook](https://github.com/metrics-billing/billing-monitoring/blob/main/docs/alerts.md#" + std.asciiLower(c.alertPrefix) + "ingestionsuccessratelow)",
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
          "expr": "1 - cluster:http_requests:error_ratio_rate5m{cluster=~\"$cluster\"}",
          "legendFormat": "API",
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
          "expr": "cluster:billing_events_received:success_ratio_rate5m{cluster=~\"$cluster\"}",
          "legendFormat": "ingestion",
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
            "steps": lib.steps([{op: "<", severity: "critical", value: c.thresholds["IngestionSuccessRateLow"]}]),
          },
          "unit": "percentunit",
        },
        "overrides": [],
      },
      "links": [],
      "transparent": false,
    },
    {
      "type": "row",
      "id": 11,
      "title": "Ingestion",
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
      "title": "Events ingested per second",
      "description": "Events ingested per second: recorded series `cluster:billing_events_received:rate30m`.\n\nEvents ingested per second (10m): recorded series `cluster:billing_events_received:rate10m`.\n\nAlert **" + c.alertPrefix + "IngestionRateDrop** (warning, team ingestion) when < " + lib.g(c.thresholds["IngestionRateDrop"]) + " for 15m: Usage events arrive at less than half the usual rate for this time of the week. [Runbook](https://github.com/metrics-billing/billing-monitoring/blob/main/docs/alerts.md#" + std.asciiLower(c.alertPrefix) + "ingestionratedrop)\n\nAlert **" + c.alertPrefix + "IngestionStopped** (critical, team ingestion) when <= " + lib.g(c.thresholds["IngestionStopped"]) + " for 2m: No usage events are ingested while the platform is up. [Runbook](https://github.com/metrics-billing/billing-monitoring/blob/main/docs/alerts.md#" + std.asciiLower(c.alertPrefix) + "ingestionstopped)",
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
          "expr": "cluster:billing_events_received:rate30m{cluster=~\"$cluster\"}",
          "legendFormat": "events/s (30m)",
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
          "expr": "cluster:billing_events_received:rate30m_min_offset1w_2w{cluster=~\"$cluster\"} * " + lib.g(c.thresholds["IngestionRateDrop"]),
          "legendFormat": c.alertPrefix + "IngestionRateDrop line (" + lib.g(c.thresholds["IngestionRateDrop"]) + " x the lowest of 1w and 2w ago)",
          "range": true,
          "instant": false,
          "editorMode": "code",
        },
        {
          "datasource": {
            "type": "prometheus",
            "uid": "${datasource}",
          },
          "refId": "C",
          "expr": "cluster:billing_events_received:rate10m{cluster=~\"$cluster\"}",
          "legendFormat": "events/s (10m)",
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
            "steps": lib.steps([{op: "<=", severity: "critical", value: c.thresholds["IngestionStopped"]}]),
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
      "id": 13,
      "title": "Ingestion success rate",
      "description": "Event ingestion success rate: recorded series `cluster:billing_events_received:success_ratio_rate5m`.\n\nAlert **" + c.alertPrefix + "IngestionSuccessRateLow** (critical, team ingestion) when < " + lib.g(c.thresholds["IngestionSuccessRateLow"]) + " for 6m: Less than 95% of usage events are ingested successfully. [Runbook](https://github.com/metrics-billing/billing-monitoring/blob/main/docs/alerts.md#" + std.asciiLower(c.alertPrefix) + "ingestionsuccessratelow)",
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
          "expr": "cluster:billing_events_received:success_ratio_rate5m{cluster=~\"$cluster\"}",
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
            "steps": lib.steps([{op: "<", severity: "critical", value: c.thresholds["IngestionSuccessRateLow"]}]),
          },
          "unit": "percentunit",
        },
        "overrides": [],
      },
      "links": [],
      "transparent": false,
    },
  ],
}
