"""settings: prefix, intervals, aggregation labels, job selectors, base URLs."""

from __future__ import annotations

from typing import Any

from generators.loader.checker import CAMEL_RE, LABEL_NAME_RE, Checker
from generators.loader.source import LineMap
from generators.loader.values import SOURCE_RE, base_url_problem
from generators.model import Settings

MAX_INTERVAL = 3600
MAX_RETENTION = 10 * 366 * 86400


def load_settings(c: Checker, node: Any, line: int) -> Settings | None:
    p = "settings"
    m = c.mapping(
        node, p, line,
        required=("alert_prefix", "scrape_interval", "selectors", "runbook_url", "grafana_url"),
        optional=("evaluation_interval", "aggregation_labels", "retention", "slo_day"),
    )
    if m is None:
        return None
    prefix = c.value(m, "alert_prefix", p, str, "",
                     lambda v: None if CAMEL_RE.match(v) and len(v) <= 40 else "must be CamelCase, e.g. Billing")
    scrape = c.duration(m, "scrape_interval", p, maximum=MAX_INTERVAL)
    if "scrape_interval" in m and scrape == 0 and not c.errors:
        c.error(m.key_lines["scrape_interval"], f"{p}.scrape_interval", "must be longer than 0s")
    evaluation = c.duration(m, "evaluation_interval", p, default=scrape, maximum=MAX_INTERVAL)
    # how long Prometheus keeps samples (--storage.tsdb.retention.time): SLO windows must fit
    retention = c.duration(m, "retention", p, default=0, maximum=MAX_RETENTION)
    # test profiles only: how long an SLO "day" lasts, so that days-long burn windows fit an e2e run
    slo_day = c.duration(m, "slo_day", p, default=86400, maximum=86400)
    if "slo_day" in m and slo_day == 0:
        c.error(m.key_lines["slo_day"], f"{p}.slo_day", "must be longer than 0s (1d: real time)")
        slo_day = 86400
    labels = c.names(m, "aggregation_labels", p, LABEL_NAME_RE, "a label name")
    selectors = _selectors(c, m, p)
    urls = {key: c.value(m, key, p, str, "", base_url_problem) for key in ("runbook_url", "grafana_url")}
    if not prefix or not scrape or not evaluation or not selectors or not all(urls.values()):
        return None
    return Settings(
        alert_prefix=prefix,
        scrape_interval=scrape,
        evaluation_interval=evaluation,
        aggregation_labels=labels,
        selectors=selectors,
        runbook_url=urls["runbook_url"],
        grafana_url=urls["grafana_url"],
        retention=retention,
        slo_day=slo_day,
    )


def _selectors(c: Checker, m: LineMap, p: str) -> dict[str, tuple[tuple[str, str], ...]]:
    selectors: dict[str, tuple[tuple[str, str], ...]] = {}
    for source, matchers, kline, sp in c.entries(m.get("selectors"), c.line_of(m, "selectors"),
                                                 f"{p}.selectors", "source name"):
        if not SOURCE_RE.match(source):
            c.error(kline, sp, "source names are snake_case, e.g. platform")
            continue
        sm = c.mapping(matchers, sp, kline)
        if sm is None:
            continue
        pairs = []
        for label in sm:
            value = c.text(sm, label, sp)
            if not LABEL_NAME_RE.match(label) or label.startswith("__"):
                c.error(sm.key_lines[label], f"{sp}.{label}", "not a label name; write label: \"value\"")
            elif not value:
                c.error(sm.key_lines[label], f"{sp}.{label}", 'write label: "value" (a non-empty string)')
            else:
                pairs.append((label, value))
        if not pairs:
            c.error(kline, sp, "needs at least one label, e.g. {job: billing-platform}")
            continue
        selectors[source] = tuple(sorted(pairs))
    if "selectors" in m and not selectors and not any(e.field.startswith(f"{p}.selectors") for e in c.errors):
        c.error(m.key_lines["selectors"], f"{p}.selectors", "define at least one scrape job, e.g. platform: "
                "{job: billing-platform}")
    return selectors
