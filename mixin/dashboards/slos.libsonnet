// Generated from thresholds.yaml by `make build`; do not edit.
// slos.json: a function of the mixin's _config.
local lib = import '../lib/format.libsonnet';

function(c) {
  "description": "Are the billing SLOs met, and how fast is each error budget burning? Generated from thresholds.yaml by `make build`; do not edit.",
  "uid": std.asciiLower(c.alertPrefix) + "-slos",
  "title": "Billing SLOs",
  "tags": [
    std.asciiLower(c.alertPrefix),
    "generated",
  ],
  "timezone": "browser",
  "editable": true,
  "graphTooltip": 1,
  "time": {
    "from": "now-7d",
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
      "title": "Event ingestion success rate (99.5% over 30d)",
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
      "title": "SLI over 30d (objective 99.5%)",
      "description": "Share of good events over the last 30d (`1 - slo:sli_error:ratio_rate30d`) and the objective (`slo:objective:ratio`). A failed usage event is unbilled usage until the producer retries it. Producers retry with idempotency keys, so 0.5% failing over a month is recoverable; the healthy platform fails about 0.4% (schema rejects), a burn of 0.8x.",
      "datasource": {
        "type": "prometheus",
        "uid": "${datasource}",
      },
      "gridPos": {
        "h": 8,
        "w": 6,
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
          "expr": "1 - slo:sli_error:ratio_rate30d{slo=\"ingestion_success\",cluster=~\"$cluster\"}",
          "legendFormat": "SLI",
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
          "expr": "slo:objective:ratio{slo=\"ingestion_success\"}",
          "legendFormat": "objective",
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
        "graphMode": "none",
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
          "decimals": 3,
          "mappings": [],
          "thresholds": {
            "mode": "absolute",
            "steps": [
              {
                "color": "red",
                "value": null,
              },
              {
                "color": "green",
                "value": 0.995,
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
      "type": "stat",
      "id": 3,
      "title": "Error budget remaining",
      "description": "Share of the 30d error budget (0.5% of events, 216 minutes of full outage) not yet spent (`slo:error_budget_remaining:ratio`). Below 0 the SLO is missed; see the error-budget policy in the runbook. '30d recorded' (`slo:sli_events:coverage30d`): the share of the window that holds data; below 100% (after a rollout) the budget is judged on less.",
      "datasource": {
        "type": "prometheus",
        "uid": "${datasource}",
      },
      "gridPos": {
        "h": 8,
        "w": 6,
        "x": 6,
        "y": 1,
      },
      "targets": [
        {
          "datasource": {
            "type": "prometheus",
            "uid": "${datasource}",
          },
          "refId": "A",
          "expr": "slo:error_budget_remaining:ratio{slo=\"ingestion_success\",cluster=~\"$cluster\"}",
          "legendFormat": "remaining",
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
          "expr": "slo:sli_events:coverage30d{slo=\"ingestion_success\",cluster=~\"$cluster\"}",
          "legendFormat": "30d recorded",
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
                "color": "red",
                "value": null,
              },
              {
                "color": "orange",
                "value": 0,
              },
              {
                "color": "green",
                "value": 0.25,
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
      "title": "Burn rate by window",
      "description": "Error ratio / budget (0.005) per window (`slo:sli_errors:increase<window> / slo:sli_events:increase<window>`, the 5m one `slo:sli_error:ratio_rate5m`); 1x spends exactly the budget over 30d. Dashed lines: the alert factors. Alerts: **BillingIngestionSuccessErrorBudgetFastBurn** (critical, page): > 14.4x over 1h and 5m; > 6x over 6h and 30m, **BillingIngestionSuccessErrorBudgetSlowBurn** (warning, ticket): > 3x over 1d and 2h; > 1x over 3d and 6h.",
      "datasource": {
        "type": "prometheus",
        "uid": "${datasource}",
      },
      "gridPos": {
        "h": 8,
        "w": 6,
        "x": 12,
        "y": 1,
      },
      "targets": [
        {
          "datasource": {
            "type": "prometheus",
            "uid": "${datasource}",
          },
          "refId": "A",
          "expr": "slo:sli_error:ratio_rate5m{slo=\"ingestion_success\",cluster=~\"$cluster\"} / 0.005",
          "legendFormat": "5m",
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
          "expr": "slo:sli_errors:increase30m{slo=\"ingestion_success\",cluster=~\"$cluster\"} / slo:sli_events:increase30m{slo=\"ingestion_success\",cluster=~\"$cluster\"} / 0.005",
          "legendFormat": "30m",
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
          "expr": "slo:sli_errors:increase1h{slo=\"ingestion_success\",cluster=~\"$cluster\"} / slo:sli_events:increase1h{slo=\"ingestion_success\",cluster=~\"$cluster\"} / 0.005",
          "legendFormat": "1h",
          "range": true,
          "instant": false,
          "editorMode": "code",
        },
        {
          "datasource": {
            "type": "prometheus",
            "uid": "${datasource}",
          },
          "refId": "D",
          "expr": "slo:sli_errors:increase2h{slo=\"ingestion_success\",cluster=~\"$cluster\"} / slo:sli_events:increase2h{slo=\"ingestion_success\",cluster=~\"$cluster\"} / 0.005",
          "legendFormat": "2h",
          "range": true,
          "instant": false,
          "editorMode": "code",
        },
        {
          "datasource": {
            "type": "prometheus",
            "uid": "${datasource}",
          },
          "refId": "E",
          "expr": "slo:sli_errors:increase6h{slo=\"ingestion_success\",cluster=~\"$cluster\"} / slo:sli_events:increase6h{slo=\"ingestion_success\",cluster=~\"$cluster\"} / 0.005",
          "legendFormat": "6h",
          "range": true,
          "instant": false,
          "editorMode": "code",
        },
        {
          "datasource": {
            "type": "prometheus",
            "uid": "${datasource}",
          },
          "refId": "F",
          "expr": "slo:sli_errors:increase1d{slo=\"ingestion_success\",cluster=~\"$cluster\"} / slo:sli_events:increase1d{slo=\"ingestion_success\",cluster=~\"$cluster\"} / 0.005",
          "legendFormat": "1d",
          "range": true,
          "instant": false,
          "editorMode": "code",
        },
        {
          "datasource": {
            "type": "prometheus",
            "uid": "${datasource}",
          },
          "refId": "G",
          "expr": "slo:sli_errors:increase3d{slo=\"ingestion_success\",cluster=~\"$cluster\"} / slo:sli_events:increase3d{slo=\"ingestion_success\",cluster=~\"$cluster\"} / 0.005",
          "legendFormat": "3d",
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
              {
                "color": "orange",
                "value": 1,
              },
              {
                "color": "orange",
                "value": 3,
              },
              {
                "color": "red",
                "value": 6,
              },
              {
                "color": "red",
                "value": 14.4,
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
      "type": "stat",
      "id": 5,
      "title": "Alert state",
      "description": "Firing burn-rate alerts of this SLO (0: none).",
      "datasource": {
        "type": "prometheus",
        "uid": "${datasource}",
      },
      "gridPos": {
        "h": 8,
        "w": 6,
        "x": 18,
        "y": 1,
      },
      "targets": [
        {
          "datasource": {
            "type": "prometheus",
            "uid": "${datasource}",
          },
          "refId": "A",
          "expr": "sum by (alertname) (ALERTS{slo=\"ingestion_success\",alertname=~\"BillingIngestionSuccessErrorBudgetFastBurn|BillingIngestionSuccessErrorBudgetSlowBurn\",alertstate=\"firing\",cluster=~\"$cluster\"}) or on () vector(0)",
          "legendFormat": "{{alertname}}",
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
        "graphMode": "none",
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
              {
                "color": "red",
                "value": 1,
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
      "type": "row",
      "id": 6,
      "title": "Events durably written within 1 s (99% over 30d)",
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
      "type": "stat",
      "id": 7,
      "title": "SLI over 30d (objective 99%)",
      "description": "Share of good events over the last 30d (`1 - slo:sli_error:ratio_rate30d`) and the objective (`slo:objective:ratio`). The guide alerts on p99 > 1 s; the SLO says the same over a month: 99% of events are written within 1 s. 1 s is a bucket boundary, so good events are counted exactly, not interpolated.",
      "datasource": {
        "type": "prometheus",
        "uid": "${datasource}",
      },
      "gridPos": {
        "h": 8,
        "w": 6,
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
          "expr": "1 - slo:sli_error:ratio_rate30d{slo=\"ingestion_latency\",cluster=~\"$cluster\"}",
          "legendFormat": "SLI",
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
          "expr": "slo:objective:ratio{slo=\"ingestion_latency\"}",
          "legendFormat": "objective",
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
        "graphMode": "none",
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
          "decimals": 3,
          "mappings": [],
          "thresholds": {
            "mode": "absolute",
            "steps": [
              {
                "color": "red",
                "value": null,
              },
              {
                "color": "green",
                "value": 0.99,
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
      "type": "stat",
      "id": 8,
      "title": "Error budget remaining",
      "description": "Share of the 30d error budget (1% of events, 432 minutes of full outage) not yet spent (`slo:error_budget_remaining:ratio`). Below 0 the SLO is missed; see the error-budget policy in the runbook. '30d recorded' (`slo:sli_events:coverage30d`): the share of the window that holds data; below 100% (after a rollout) the budget is judged on less.",
      "datasource": {
        "type": "prometheus",
        "uid": "${datasource}",
      },
      "gridPos": {
        "h": 8,
        "w": 6,
        "x": 6,
        "y": 10,
      },
      "targets": [
        {
          "datasource": {
            "type": "prometheus",
            "uid": "${datasource}",
          },
          "refId": "A",
          "expr": "slo:error_budget_remaining:ratio{slo=\"ingestion_latency\",cluster=~\"$cluster\"}",
          "legendFormat": "remaining",
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
          "expr": "slo:sli_events:coverage30d{slo=\"ingestion_latency\",cluster=~\"$cluster\"}",
          "legendFormat": "30d recorded",
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
                "color": "red",
                "value": null,
              },
              {
                "color": "orange",
                "value": 0,
              },
              {
                "color": "green",
                "value": 0.25,
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
      "id": 9,
      "title": "Burn rate by window",
      "description": "Error ratio / budget (0.01) per window (`slo:sli_errors:increase<window> / slo:sli_events:increase<window>`, the 5m one `slo:sli_error:ratio_rate5m`); 1x spends exactly the budget over 30d. Dashed lines: the alert factors. Alerts: **BillingIngestionLatencyErrorBudgetFastBurn** (critical, page): > 14.4x over 1h and 5m; > 6x over 6h and 30m, **BillingIngestionLatencyErrorBudgetSlowBurn** (warning, ticket): > 3x over 1d and 2h; > 1x over 3d and 6h.",
      "datasource": {
        "type": "prometheus",
        "uid": "${datasource}",
      },
      "gridPos": {
        "h": 8,
        "w": 6,
        "x": 12,
        "y": 10,
      },
      "targets": [
        {
          "datasource": {
            "type": "prometheus",
            "uid": "${datasource}",
          },
          "refId": "A",
          "expr": "slo:sli_error:ratio_rate5m{slo=\"ingestion_latency\",cluster=~\"$cluster\"} / 0.01",
          "legendFormat": "5m",
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
          "expr": "slo:sli_errors:increase30m{slo=\"ingestion_latency\",cluster=~\"$cluster\"} / slo:sli_events:increase30m{slo=\"ingestion_latency\",cluster=~\"$cluster\"} / 0.01",
          "legendFormat": "30m",
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
          "expr": "slo:sli_errors:increase1h{slo=\"ingestion_latency\",cluster=~\"$cluster\"} / slo:sli_events:increase1h{slo=\"ingestion_latency\",cluster=~\"$cluster\"} / 0.01",
          "legendFormat": "1h",
          "range": true,
          "instant": false,
          "editorMode": "code",
        },
        {
          "datasource": {
            "type": "prometheus",
            "uid": "${datasource}",
          },
          "refId": "D",
          "expr": "slo:sli_errors:increase2h{slo=\"ingestion_latency\",cluster=~\"$cluster\"} / slo:sli_events:increase2h{slo=\"ingestion_latency\",cluster=~\"$cluster\"} / 0.01",
          "legendFormat": "2h",
          "range": true,
          "instant": false,
          "editorMode": "code",
        },
        {
          "datasource": {
            "type": "prometheus",
            "uid": "${datasource}",
          },
          "refId": "E",
          "expr": "slo:sli_errors:increase6h{slo=\"ingestion_latency\",cluster=~\"$cluster\"} / slo:sli_events:increase6h{slo=\"ingestion_latency\",cluster=~\"$cluster\"} / 0.01",
          "legendFormat": "6h",
          "range": true,
          "instant": false,
          "editorMode": "code",
        },
        {
          "datasource": {
            "type": "prometheus",
            "uid": "${datasource}",
          },
          "refId": "F",
          "expr": "slo:sli_errors:increase1d{slo=\"ingestion_latency\",cluster=~\"$cluster\"} / slo:sli_events:increase1d{slo=\"ingestion_latency\",cluster=~\"$cluster\"} / 0.01",
          "legendFormat": "1d",
          "range": true,
          "instant": false,
          "editorMode": "code",
        },
        {
          "datasource": {
            "type": "prometheus",
            "uid": "${datasource}",
          },
          "refId": "G",
          "expr": "slo:sli_errors:increase3d{slo=\"ingestion_latency\",cluster=~\"$cluster\"} / slo:sli_events:increase3d{slo=\"ingestion_latency\",cluster=~\"$cluster\"} / 0.01",
          "legendFormat": "3d",
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
              {
                "color": "orange",
                "value": 1,
              },
              {
                "color": "orange",
                "value": 3,
              },
              {
                "color": "red",
                "value": 6,
              },
              {
                "color": "red",
                "value": 14.4,
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
      "type": "stat",
      "id": 10,
      "title": "Alert state",
      "description": "Firing burn-rate alerts of this SLO (0: none).",
      "datasource": {
        "type": "prometheus",
        "uid": "${datasource}",
      },
      "gridPos": {
        "h": 8,
        "w": 6,
        "x": 18,
        "y": 10,
      },
      "targets": [
        {
          "datasource": {
            "type": "prometheus",
            "uid": "${datasource}",
          },
          "refId": "A",
          "expr": "sum by (alertname) (ALERTS{slo=\"ingestion_latency\",alertname=~\"BillingIngestionLatencyErrorBudgetFastBurn|BillingIngestionLatencyErrorBudgetSlowBurn\",alertstate=\"firing\",cluster=~\"$cluster\"}) or on () vector(0)",
          "legendFormat": "{{alertname}}",
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
        "graphMode": "none",
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
              {
                "color": "red",
                "value": 1,
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
      "type": "row",
      "id": 11,
      "title": "Payment success rate (95% over 30d)",
      "collapsed": false,
      "gridPos": {
        "h": 1,
        "w": 24,
        "x": 0,
        "y": 18,
      },
      "panels": [],
    },
    {
      "type": "stat",
      "id": 12,
      "title": "SLI over 30d (objective 95%)",
      "description": "Share of good events over the last 30d (`1 - slo:sli_error:ratio_rate30d`) and the objective (`slo:objective:ratio`). Per provider. Failures include card declines, which are the customer's, so a healthy provider fails 2-3%; 95% leaves room for that and still catches a provider that degrades for days, long before the guide's 90% threshold pages.",
      "datasource": {
        "type": "prometheus",
        "uid": "${datasource}",
      },
      "gridPos": {
        "h": 8,
        "w": 6,
        "x": 0,
        "y": 19,
      },
      "targets": [
        {
          "datasource": {
            "type": "prometheus",
            "uid": "${datasource}",
          },
          "refId": "A",
          "expr": "1 - slo:sli_error:ratio_rate30d{slo=\"payment_success\",cluster=~\"$cluster\"}",
          "legendFormat": "{{provider}} SLI",
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
          "expr": "slo:objective:ratio{slo=\"payment_success\"}",
          "legendFormat": "objective",
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
        "graphMode": "none",
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
          "decimals": 3,
          "mappings": [],
          "thresholds": {
            "mode": "absolute",
            "steps": [
              {
                "color": "red",
                "value": null,
              },
              {
                "color": "green",
                "value": 0.95,
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
      "type": "stat",
      "id": 13,
      "title": "Error budget remaining",
      "description": "Share of the 30d error budget (5% of events, 2160 minutes of full outage) not yet spent (`slo:error_budget_remaining:ratio`). Below 0 the SLO is missed; see the error-budget policy in the runbook. '30d recorded' (`slo:sli_events:coverage30d`): the share of the window that holds data; below 100% (after a rollout) the budget is judged on less.",
      "datasource": {
        "type": "prometheus",
        "uid": "${datasource}",
      },
      "gridPos": {
        "h": 8,
        "w": 6,
        "x": 6,
        "y": 19,
      },
      "targets": [
        {
          "datasource": {
            "type": "prometheus",
            "uid": "${datasource}",
          },
          "refId": "A",
          "expr": "slo:error_budget_remaining:ratio{slo=\"payment_success\",cluster=~\"$cluster\"}",
          "legendFormat": "{{provider}} remaining",
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
          "expr": "slo:sli_events:coverage30d{slo=\"payment_success\",cluster=~\"$cluster\"}",
          "legendFormat": "{{provider}} 30d recorded",
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
                "color": "red",
                "value": null,
              },
              {
                "color": "orange",
                "value": 0,
              },
              {
                "color": "green",
                "value": 0.25,
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
      "id": 14,
      "title": "Burn rate by window",
      "description": "Error ratio / budget (0.05) per window (`slo:sli_errors:increase<window> / slo:sli_events:increase<window>`, the 5m one `slo:sli_error:ratio_rate5m`); 1x spends exactly the budget over 30d. Dashed lines: the alert factors. Alerts: **BillingPaymentSuccessErrorBudgetFastBurn** (critical, page): > 14.4x over 1h and 5m; > 6x over 6h and 30m, **BillingPaymentSuccessErrorBudgetSlowBurn** (warning, ticket): > 3x over 1d and 2h; > 1x over 3d and 6h.",
      "datasource": {
        "type": "prometheus",
        "uid": "${datasource}",
      },
      "gridPos": {
        "h": 8,
        "w": 6,
        "x": 12,
        "y": 19,
      },
      "targets": [
        {
          "datasource": {
            "type": "prometheus",
            "uid": "${datasource}",
          },
          "refId": "A",
          "expr": "slo:sli_error:ratio_rate5m{slo=\"payment_success\",cluster=~\"$cluster\"} / 0.05",
          "legendFormat": "{{provider}} 5m",
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
          "expr": "slo:sli_errors:increase30m{slo=\"payment_success\",cluster=~\"$cluster\"} / slo:sli_events:increase30m{slo=\"payment_success\",cluster=~\"$cluster\"} / 0.05",
          "legendFormat": "{{provider}} 30m",
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
          "expr": "slo:sli_errors:increase1h{slo=\"payment_success\",cluster=~\"$cluster\"} / slo:sli_events:increase1h{slo=\"payment_success\",cluster=~\"$cluster\"} / 0.05",
          "legendFormat": "{{provider}} 1h",
          "range": true,
          "instant": false,
          "editorMode": "code",
        },
        {
          "datasource": {
            "type": "prometheus",
            "uid": "${datasource}",
          },
          "refId": "D",
          "expr": "slo:sli_errors:increase2h{slo=\"payment_success\",cluster=~\"$cluster\"} / slo:sli_events:increase2h{slo=\"payment_success\",cluster=~\"$cluster\"} / 0.05",
          "legendFormat": "{{provider}} 2h",
          "range": true,
          "instant": false,
          "editorMode": "code",
        },
        {
          "datasource": {
            "type": "prometheus",
            "uid": "${datasource}",
          },
          "refId": "E",
          "expr": "slo:sli_errors:increase6h{slo=\"payment_success\",cluster=~\"$cluster\"} / slo:sli_events:increase6h{slo=\"payment_success\",cluster=~\"$cluster\"} / 0.05",
          "legendFormat": "{{provider}} 6h",
          "range": true,
          "instant": false,
          "editorMode": "code",
        },
        {
          "datasource": {
            "type": "prometheus",
            "uid": "${datasource}",
          },
          "refId": "F",
          "expr": "slo:sli_errors:increase1d{slo=\"payment_success\",cluster=~\"$cluster\"} / slo:sli_events:increase1d{slo=\"payment_success\",cluster=~\"$cluster\"} / 0.05",
          "legendFormat": "{{provider}} 1d",
          "range": true,
          "instant": false,
          "editorMode": "code",
        },
        {
          "datasource": {
            "type": "prometheus",
            "uid": "${datasource}",
          },
          "refId": "G",
          "expr": "slo:sli_errors:increase3d{slo=\"payment_success\",cluster=~\"$cluster\"} / slo:sli_events:increase3d{slo=\"payment_success\",cluster=~\"$cluster\"} / 0.05",
          "legendFormat": "{{provider}} 3d",
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
              {
                "color": "orange",
                "value": 1,
              },
              {
                "color": "orange",
                "value": 3,
              },
              {
                "color": "red",
                "value": 6,
              },
              {
                "color": "red",
                "value": 14.4,
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
      "type": "stat",
      "id": 15,
      "title": "Alert state",
      "description": "Firing burn-rate alerts of this SLO (0: none).",
      "datasource": {
        "type": "prometheus",
        "uid": "${datasource}",
      },
      "gridPos": {
        "h": 8,
        "w": 6,
        "x": 18,
        "y": 19,
      },
      "targets": [
        {
          "datasource": {
            "type": "prometheus",
            "uid": "${datasource}",
          },
          "refId": "A",
          "expr": "sum by (alertname) (ALERTS{slo=\"payment_success\",alertname=~\"BillingPaymentSuccessErrorBudgetFastBurn|BillingPaymentSuccessErrorBudgetSlowBurn\",alertstate=\"firing\",cluster=~\"$cluster\"}) or on () vector(0)",
          "legendFormat": "{{alertname}}",
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
        "graphMode": "none",
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
              {
                "color": "red",
                "value": 1,
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
      "type": "row",
      "id": 16,
      "title": "API availability (non-5xx) (99.5% over 30d)",
      "collapsed": false,
      "gridPos": {
        "h": 1,
        "w": 24,
        "x": 0,
        "y": 27,
      },
      "panels": [],
    },
    {
      "type": "stat",
      "id": 17,
      "title": "SLI over 30d (objective 99.5%)",
      "description": "Share of good events over the last 30d (`1 - slo:sli_error:ratio_rate30d`) and the objective (`slo:objective:ratio`). 5xx answers are ours; 4xx are the client's. 99.5% is 3.6 hours of full outage a month; the healthy platform answers about 0.2% with 5xx (a burn of 0.4x).",
      "datasource": {
        "type": "prometheus",
        "uid": "${datasource}",
      },
      "gridPos": {
        "h": 8,
        "w": 6,
        "x": 0,
        "y": 28,
      },
      "targets": [
        {
          "datasource": {
            "type": "prometheus",
            "uid": "${datasource}",
          },
          "refId": "A",
          "expr": "1 - slo:sli_error:ratio_rate30d{slo=\"api_availability\",cluster=~\"$cluster\"}",
          "legendFormat": "SLI",
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
          "expr": "slo:objective:ratio{slo=\"api_availability\"}",
          "legendFormat": "objective",
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
        "graphMode": "none",
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
          "decimals": 3,
          "mappings": [],
          "thresholds": {
            "mode": "absolute",
            "steps": [
              {
                "color": "red",
                "value": null,
              },
              {
                "color": "green",
                "value": 0.995,
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
      "type": "stat",
      "id": 18,
      "title": "Error budget remaining",
      "description": "Share of the 30d error budget (0.5% of events, 216 minutes of full outage) not yet spent (`slo:error_budget_remaining:ratio`). Below 0 the SLO is missed; see the error-budget policy in the runbook. '30d recorded' (`slo:sli_events:coverage30d`): the share of the window that holds data; below 100% (after a rollout) the budget is judged on less.",
      "datasource": {
        "type": "prometheus",
        "uid": "${datasource}",
      },
      "gridPos": {
        "h": 8,
        "w": 6,
        "x": 6,
        "y": 28,
      },
      "targets": [
        {
          "datasource": {
            "type": "prometheus",
            "uid": "${datasource}",
          },
          "refId": "A",
          "expr": "slo:error_budget_remaining:ratio{slo=\"api_availability\",cluster=~\"$cluster\"}",
          "legendFormat": "remaining",
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
          "expr": "slo:sli_events:coverage30d{slo=\"api_availability\",cluster=~\"$cluster\"}",
          "legendFormat": "30d recorded",
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
                "color": "red",
                "value": null,
              },
              {
                "color": "orange",
                "value": 0,
              },
              {
                "color": "green",
                "value": 0.25,
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
      "id": 19,
      "title": "Burn rate by window",
      "description": "Error ratio / budget (0.005) per window (`slo:sli_errors:increase<window> / slo:sli_events:increase<window>`, the 5m one `slo:sli_error:ratio_rate5m`); 1x spends exactly the budget over 30d. Dashed lines: the alert factors. Alerts: **BillingApiAvailabilityErrorBudgetFastBurn** (critical, page): > 14.4x over 1h and 5m; > 6x over 6h and 30m, **BillingApiAvailabilityErrorBudgetSlowBurn** (warning, ticket): > 3x over 1d and 2h; > 1x over 3d and 6h.",
      "datasource": {
        "type": "prometheus",
        "uid": "${datasource}",
      },
      "gridPos": {
        "h": 8,
        "w": 6,
        "x": 12,
        "y": 28,
      },
      "targets": [
        {
          "datasource": {
            "type": "prometheus",
            "uid": "${datasource}",
          },
          "refId": "A",
          "expr": "slo:sli_error:ratio_rate5m{slo=\"api_availability\",cluster=~\"$cluster\"} / 0.005",
          "legendFormat": "5m",
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
          "expr": "slo:sli_errors:increase30m{slo=\"api_availability\",cluster=~\"$cluster\"} / slo:sli_events:increase30m{slo=\"api_availability\",cluster=~\"$cluster\"} / 0.005",
          "legendFormat": "30m",
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
          "expr": "slo:sli_errors:increase1h{slo=\"api_availability\",cluster=~\"$cluster\"} / slo:sli_events:increase1h{slo=\"api_availability\",cluster=~\"$cluster\"} / 0.005",
          "legendFormat": "1h",
          "range": true,
          "instant": false,
          "editorMode": "code",
        },
        {
          "datasource": {
            "type": "prometheus",
            "uid": "${datasource}",
          },
          "refId": "D",
          "expr": "slo:sli_errors:increase2h{slo=\"api_availability\",cluster=~\"$cluster\"} / slo:sli_events:increase2h{slo=\"api_availability\",cluster=~\"$cluster\"} / 0.005",
          "legendFormat": "2h",
          "range": true,
          "instant": false,
          "editorMode": "code",
        },
        {
          "datasource": {
            "type": "prometheus",
            "uid": "${datasource}",
          },
          "refId": "E",
          "expr": "slo:sli_errors:increase6h{slo=\"api_availability\",cluster=~\"$cluster\"} / slo:sli_events:increase6h{slo=\"api_availability\",cluster=~\"$cluster\"} / 0.005",
          "legendFormat": "6h",
          "range": true,
          "instant": false,
          "editorMode": "code",
        },
        {
          "datasource": {
            "type": "prometheus",
            "uid": "${datasource}",
          },
          "refId": "F",
          "expr": "slo:sli_errors:increase1d{slo=\"api_availability\",cluster=~\"$cluster\"} / slo:sli_events:increase1d{slo=\"api_availability\",cluster=~\"$cluster\"} / 0.005",
          "legendFormat": "1d",
          "range": true,
          "instant": false,
          "editorMode": "code",
        },
        {
          "datasource": {
            "type": "prometheus",
            "uid": "${datasource}",
          },
          "refId": "G",
          "expr": "slo:sli_errors:increase3d{slo=\"api_availability\",cluster=~\"$cluster\"} / slo:sli_events:increase3d{slo=\"api_availability\",cluster=~\"$cluster\"} / 0.005",
          "legendFormat": "3d",
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
              {
                "color": "orange",
                "value": 1,
              },
              {
                "color": "orange",
                "value": 3,
              },
              {
                "color": "red",
                "value": 6,
              },
              {
                "color": "red",
                "value": 14.4,
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
      "type": "stat",
      "id": 20,
      "title": "Alert state",
      "description": "Firing burn-rate alerts of this SLO (0: none).",
      "datasource": {
        "type": "prometheus",
        "uid": "${datasource}",
      },
      "gridPos": {
        "h": 8,
        "w": 6,
        "x": 18,
        "y": 28,
      },
      "targets": [
        {
          "datasource": {
            "type": "prometheus",
            "uid": "${datasource}",
          },
          "refId": "A",
          "expr": "sum by (alertname) (ALERTS{slo=\"api_availability\",alertname=~\"BillingApiAvailabilityErrorBudgetFastBurn|BillingApiAvailabilityErrorBudgetSlowBurn\",alertstate=\"firing\",cluster=~\"$cluster\"}) or on () vector(0)",
          "legendFormat": "{{alertname}}",
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
        "graphMode": "none",
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
              {
                "color": "red",
                "value": 1,
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
      "type": "row",
      "id": 21,
      "title": "Payment webhook success rate (99% over 30d)",
      "collapsed": false,
      "gridPos": {
        "h": 1,
        "w": 24,
        "x": 0,
        "y": 36,
      },
      "panels": [],
    },
    {
      "type": "stat",
      "id": 22,
      "title": "SLI over 30d (objective 99%)",
      "description": "Share of good events over the last 30d (`1 - slo:sli_error:ratio_rate30d`) and the objective (`slo:objective:ratio`). Providers retry failed webhooks with backoff, so a failure is a delay; 1% failing over a month keeps payment states fresh. Healthy: about 0.4%.",
      "datasource": {
        "type": "prometheus",
        "uid": "${datasource}",
      },
      "gridPos": {
        "h": 8,
        "w": 6,
        "x": 0,
        "y": 37,
      },
      "targets": [
        {
          "datasource": {
            "type": "prometheus",
            "uid": "${datasource}",
          },
          "refId": "A",
          "expr": "1 - slo:sli_error:ratio_rate30d{slo=\"webhook_success\",cluster=~\"$cluster\"}",
          "legendFormat": "{{provider}} SLI",
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
          "expr": "slo:objective:ratio{slo=\"webhook_success\"}",
          "legendFormat": "objective",
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
        "graphMode": "none",
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
          "decimals": 3,
          "mappings": [],
          "thresholds": {
            "mode": "absolute",
            "steps": [
              {
                "color": "red",
                "value": null,
              },
              {
                "color": "green",
                "value": 0.99,
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
      "type": "stat",
      "id": 23,
      "title": "Error budget remaining",
      "description": "Share of the 30d error budget (1% of events, 432 minutes of full outage) not yet spent (`slo:error_budget_remaining:ratio`). Below 0 the SLO is missed; see the error-budget policy in the runbook. '30d recorded' (`slo:sli_events:coverage30d`): the share of the window that holds data; below 100% (after a rollout) the budget is judged on less.",
      "datasource": {
        "type": "prometheus",
        "uid": "${datasource}",
      },
      "gridPos": {
        "h": 8,
        "w": 6,
        "x": 6,
        "y": 37,
      },
      "targets": [
        {
          "datasource": {
            "type": "prometheus",
            "uid": "${datasource}",
          },
          "refId": "A",
          "expr": "slo:error_budget_remaining:ratio{slo=\"webhook_success\",cluster=~\"$cluster\"}",
          "legendFormat": "{{provider}} remaining",
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
          "expr": "slo:sli_events:coverage30d{slo=\"webhook_success\",cluster=~\"$cluster\"}",
          "legendFormat": "{{provider}} 30d recorded",
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
                "color": "red",
                "value": null,
              },
              {
                "color": "orange",
                "value": 0,
              },
              {
                "color": "green",
                "value": 0.25,
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
      "id": 24,
      "title": "Burn rate by window",
      "description": "Error ratio / budget (0.01) per window (`slo:sli_errors:increase<window> / slo:sli_events:increase<window>`, the 5m one `slo:sli_error:ratio_rate5m`); 1x spends exactly the budget over 30d. Dashed lines: the alert factors. Alerts: **BillingWebhookSuccessErrorBudgetFastBurn** (critical, page): > 14.4x over 1h and 5m; > 6x over 6h and 30m, **BillingWebhookSuccessErrorBudgetSlowBurn** (warning, ticket): > 3x over 1d and 2h; > 1x over 3d and 6h.",
      "datasource": {
        "type": "prometheus",
        "uid": "${datasource}",
      },
      "gridPos": {
        "h": 8,
        "w": 6,
        "x": 12,
        "y": 37,
      },
      "targets": [
        {
          "datasource": {
            "type": "prometheus",
            "uid": "${datasource}",
          },
          "refId": "A",
          "expr": "slo:sli_error:ratio_rate5m{slo=\"webhook_success\",cluster=~\"$cluster\"} / 0.01",
          "legendFormat": "{{provider}} 5m",
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
          "expr": "slo:sli_errors:increase30m{slo=\"webhook_success\",cluster=~\"$cluster\"} / slo:sli_events:increase30m{slo=\"webhook_success\",cluster=~\"$cluster\"} / 0.01",
          "legendFormat": "{{provider}} 30m",
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
          "expr": "slo:sli_errors:increase1h{slo=\"webhook_success\",cluster=~\"$cluster\"} / slo:sli_events:increase1h{slo=\"webhook_success\",cluster=~\"$cluster\"} / 0.01",
          "legendFormat": "{{provider}} 1h",
          "range": true,
          "instant": false,
          "editorMode": "code",
        },
        {
          "datasource": {
            "type": "prometheus",
            "uid": "${datasource}",
          },
          "refId": "D",
          "expr": "slo:sli_errors:increase2h{slo=\"webhook_success\",cluster=~\"$cluster\"} / slo:sli_events:increase2h{slo=\"webhook_success\",cluster=~\"$cluster\"} / 0.01",
          "legendFormat": "{{provider}} 2h",
          "range": true,
          "instant": false,
          "editorMode": "code",
        },
        {
          "datasource": {
            "type": "prometheus",
            "uid": "${datasource}",
          },
          "refId": "E",
          "expr": "slo:sli_errors:increase6h{slo=\"webhook_success\",cluster=~\"$cluster\"} / slo:sli_events:increase6h{slo=\"webhook_success\",cluster=~\"$cluster\"} / 0.01",
          "legendFormat": "{{provider}} 6h",
          "range": true,
          "instant": false,
          "editorMode": "code",
        },
        {
          "datasource": {
            "type": "prometheus",
            "uid": "${datasource}",
          },
          "refId": "F",
          "expr": "slo:sli_errors:increase1d{slo=\"webhook_success\",cluster=~\"$cluster\"} / slo:sli_events:increase1d{slo=\"webhook_success\",cluster=~\"$cluster\"} / 0.01",
          "legendFormat": "{{provider}} 1d",
          "range": true,
          "instant": false,
          "editorMode": "code",
        },
        {
          "datasource": {
            "type": "prometheus",
            "uid": "${datasource}",
          },
          "refId": "G",
          "expr": "slo:sli_errors:increase3d{slo=\"webhook_success\",cluster=~\"$cluster\"} / slo:sli_events:increase3d{slo=\"webhook_success\",cluster=~\"$cluster\"} / 0.01",
          "legendFormat": "{{provider}} 3d",
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
              {
                "color": "orange",
                "value": 1,
              },
              {
                "color": "orange",
                "value": 3,
              },
              {
                "color": "red",
                "value": 6,
              },
              {
                "color": "red",
                "value": 14.4,
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
      "type": "stat",
      "id": 25,
      "title": "Alert state",
      "description": "Firing burn-rate alerts of this SLO (0: none).",
      "datasource": {
        "type": "prometheus",
        "uid": "${datasource}",
      },
      "gridPos": {
        "h": 8,
        "w": 6,
        "x": 18,
        "y": 37,
      },
      "targets": [
        {
          "datasource": {
            "type": "prometheus",
            "uid": "${datasource}",
          },
          "refId": "A",
          "expr": "sum by (alertname) (ALERTS{slo=\"webhook_success\",alertname=~\"BillingWebhookSuccessErrorBudgetFastBurn|BillingWebhookSuccessErrorBudgetSlowBurn\",alertstate=\"firing\",cluster=~\"$cluster\"}) or on () vector(0)",
          "legendFormat": "{{alertname}}",
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
        "graphMode": "none",
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
              {
                "color": "red",
                "value": 1,
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
