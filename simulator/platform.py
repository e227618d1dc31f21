"""The simulated platform: state advanced in time steps, sampled as Prometheus series.

Traffic follows a daily curve (quiet at night, peak in the afternoon, UTC) and a weekly
one (weekends at 60%), with 5% noise. Latencies are log-normal and land in the contract's
histogram buckets by their distribution function. Counters only grow, except on a
restart, when the platform's own counters start again from zero. Invoice runs start at
the top of every hour. A scenario changes a few parameters from the moment it is set.

A simulator is one cluster: `replicas` instances of the platform job (each with its own
counters, pools and share of the traffic; replica 0 also runs the invoice worker and
reports the shared queues), one health-check probe and one CloudWatch exporter. Some
scenarios hit only the last replica (`faulty_replica`): its scrapes fail, its pool fills,
it crash-loops. Whether a scrape answers or a target is discovered at all is decided
here (`scrape_fails`, `discovered`) and carried out by simulator.server.
"""

from __future__ import annotations

import functools
import math
import random
from dataclasses import dataclass, field

Labels = tuple[tuple[str, str], ...]
JOBS = ("platform", "healthcheck", "cloudwatch")

BUCKETS = {
    "http_request_duration_seconds": (0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
    "billing_event_ingestion_duration_seconds": (0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5),
    "billing_payment_duration_seconds": (0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
    "billing_db_query_duration_seconds": (0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5),
}
PROVIDERS = {"stripe": 0.75, "adyen": 0.25}
CURRENCIES = {"USD": 0.6, "EUR": 0.3, "GBP": 0.1}
ROUTES = (("POST", "/v1/events", "201", 0.8), ("GET", "/v1/invoices", "200", 0.2))
QUEUES = ("usage-events", "invoice-jobs")
POOLS = {"primary": 50.0, "replica": 20.0}
RDS_INSTANCE = "billing-db-primary"
INVOICE_RUN_EVERY = 3600.0
INVOICE_DEADLINE_AFTER = 1200.0


@dataclass(frozen=True)
class Params:
    """What a scenario can change."""

    events_per_second: float = 40.0
    event_failure_ratio: float = 0.004
    ingestion_median_seconds: float = 0.04
    api_error_ratio: float = 0.002
    api_median_seconds: float = 0.08
    invoices_per_second: float = 2.0
    invoice_failure_ratio: float = 0.0
    invoice_run_size: float = 240.0
    invoice_run_stuck: bool = False
    invoice_deadline_missed: bool = False
    payments_per_second: float = 4.0
    payment_failure_ratio: dict[str, float] = field(default_factory=lambda: {"stripe": 0.02, "adyen": 0.03})
    payment_median_seconds: dict[str, float] = field(default_factory=lambda: {"stripe": 0.7, "adyen": 0.9})
    webhook_failure_ratio: float = 0.004
    pool_usage: float = 0.3
    db_median_seconds: float = 0.008
    db_connection_errors_per_second: float = 0.0
    rds_cpu_percent: float = 35.0
    fatal_per_second: float = 0.0
    platform_up: bool = True
    # -- faults of one replica, the last one (the others stay healthy) --------------------
    # every Nth scrape of the faulty replica's platform target fails (0: none)
    faulty_replica_scrape_failure_every: int = 0
    faulty_replica_pool_usage: float | None = None
    # the faulty replica restarts this often (seconds of simulated time, 0: never): its
    # counters start again from zero, and scrapes while it is starting fail
    faulty_replica_restart_every: float = 0.0
    # -- faults of the cluster's targets --------------------------------------------------
    cluster_discovered: bool = True  # False: service discovery lists no target of the cluster
    exporter_up: bool = True  # False: the CloudWatch exporter stopped; its target stays listed
    exporter_discovered: bool = True  # False: the exporter's target left discovery (deployment removed)


SCENARIOS: dict[str, Params] = {
    "healthy": Params(),
    "ingestion_failures": Params(event_failure_ratio=0.3),
    # 2% failing: above no guide threshold (95%), a 4x burn of the 99.5% ingestion SLO:
    # only the SLO's slow-burn ticket notices (after about 18h of real time)
    "slow_burn": Params(event_failure_ratio=0.02),
    "ingestion_slowdown": Params(ingestion_median_seconds=2.5),
    "traffic_drop": Params(events_per_second=6.0),
    "invoice_failures": Params(invoice_failure_ratio=0.1),
    "invoice_slow_run": Params(invoice_run_stuck=True),
    "invoices_missing": Params(invoice_run_stuck=True, invoice_deadline_missed=True),
    "payment_failures": Params(payment_failure_ratio={"stripe": 0.4, "adyen": 0.03}),
    "payment_latency": Params(payment_median_seconds={"stripe": 8.0, "adyen": 0.9}),
    "webhook_failures": Params(webhook_failure_ratio=0.25),
    "db_pool_exhaustion": Params(pool_usage=0.96),
    "slow_queries": Params(db_median_seconds=1.6),
    "db_connection_errors": Params(db_connection_errors_per_second=0.5),
    "rds_cpu": Params(rds_cpu_percent=95.0),
    "fatal_logs": Params(fatal_per_second=0.1),
    "platform_down": Params(platform_up=False),
    # one replica's scrapes fail every other time (a flaky network path, an overloaded
    # /metrics handler) for as long as the scenario lasts: staleness markers, no incident
    "scrape_gap": Params(faulty_replica_scrape_failure_every=2),
    # every target of the cluster leaves service discovery (the cluster, its network or its
    # discovery is gone): the series vanish instead of reading 0
    "cluster_lost": Params(cluster_discovered=False),
    # the CloudWatch exporter stopped: its target is still listed, its scrapes fail
    "exporter_down": Params(exporter_up=False),
    # the exporter is gone from discovery (its deployment deleted or scaled to zero)
    "exporter_gone": Params(exporter_discovered=False),
    "replica_pool_full": Params(faulty_replica_pool_usage=0.98),
    "replica_crashloop": Params(faulty_replica_restart_every=60.0),
}
# how long a crash-looping replica takes to start, answering no scrape meanwhile
CRASHLOOP_START_SECONDS = 20.0


def traffic_factor(t: float) -> float:
    """Daily and weekly shape: 0.45 at 03:00 UTC, 1.35 at 15:00, weekends at 60%."""
    hour = (t % 86400) / 3600
    daily = 0.9 - 0.45 * math.cos(2 * math.pi * (hour - 3) / 24)
    weekday = int(t // 86400 + 3) % 7  # 1970-01-01 was a Thursday; 5, 6 = Sat, Sun
    return daily * (0.6 if weekday >= 5 else 1.0)


def lognormal_cdf(x: float, median: float, sigma: float = 0.6) -> float:
    return 0.5 * (1 + math.erf((math.log(x) - math.log(median)) / (sigma * math.sqrt(2))))


@dataclass
class Sample:
    job: str
    name: str
    labels: Labels
    value: float
    replica: int = 0  # which instance of the job exposes it (the platform job has several)


class PlatformSimulator:
    def __init__(self, start: float, scenario: str = "healthy", seed: int = 7, step: float = 5.0,
                 replicas: int = 1) -> None:
        if replicas < 1:
            raise ValueError(f"replicas must be at least 1, not {replicas}")
        self.t = start
        self.step_seconds = step
        self.replicas = replicas
        self.random = random.Random(seed)
        self.params = SCENARIOS[scenario]
        self.scenario = scenario
        self.counters: dict[tuple[str, int, str, Labels], float] = {}
        self.restarts = 0
        self._replica = 0  # the replica _inc counts for
        self.scrape_attempts: dict[tuple[str, int], int] = {}
        self._faulty_started = start  # when the faulty replica last (re)started
        self._run_started = math.floor(start / INVOICE_RUN_EVERY) * INVOICE_RUN_EVERY - INVOICE_RUN_EVERY
        self._run_done = self._run_started + 120
        self._run_generated = self.params.invoice_run_size
        self._last_success = self._run_done
        for replica in range(replicas):
            self._init_series(replica)

    @property
    def faulty_replica(self) -> int:
        """The replica that replica-level scenarios hit: the last one."""
        return self.replicas - 1

    # -- control ---------------------------------------------------------------------
    def set_scenario(self, name: str) -> None:
        if name not in SCENARIOS:
            raise KeyError(f"unknown scenario {name!r}; known: {', '.join(SCENARIOS)}")
        self.params, self.scenario = SCENARIOS[name], name
        if name in ("invoice_failures", "invoice_slow_run", "invoices_missing"):
            self._start_run(self.t)  # an invoice incident shows in the run that starts now
        self._faulty_started = self.t

    def restart(self, replica: int | None = None) -> None:
        """A process restart (of one replica, or of all): its counters start again from zero."""
        for key in self.counters:
            if key[0] == "platform" and replica in (None, key[1]):
                self.counters[key] = 0.0
        self.restarts += 1

    def advance(self, until: float) -> None:
        while self.t + self.step_seconds <= until:
            self._step(self.step_seconds)
            self.t += self.step_seconds

    # -- targets -----------------------------------------------------------------------
    def discovered(self, job: str) -> list[int]:
        """The replicas service discovery lists for a job (one target each)."""
        if not self.params.cluster_discovered or (job == "cloudwatch" and not self.params.exporter_discovered):
            return []
        return list(range(self.replicas)) if job == "platform" else [0]

    def scrape_fails(self, job: str, replica: int = 0) -> bool:
        """Whether this scrape attempt of a target fails (counts the attempt)."""
        attempt = self.scrape_attempts.get((job, replica), 0) + 1
        self.scrape_attempts[(job, replica)] = attempt
        p = self.params
        # a lost cluster's processes may well run on: what is lost is the view of them
        # (its discovery, its network to the monitoring); with static targets (the HA
        # topology) the way to lose a cluster is to stop its agent
        if job == "cloudwatch":
            return not p.exporter_up
        if job != "platform":
            return False
        if not p.platform_up:
            return True
        if replica != self.faulty_replica:
            return False
        every = p.faulty_replica_scrape_failure_every
        return bool(every and attempt % every == 0) or self._faulty_starting()

    def _faulty_starting(self) -> bool:
        restarting = bool(self.params.faulty_replica_restart_every)
        return restarting and self.t - self._faulty_started < CRASHLOOP_START_SECONDS

    # -- series ----------------------------------------------------------------------
    def _init_series(self, replica: int) -> None:
        add = functools.partial(self._add, replica=replica)
        for name in ("http_requests_total",):
            for method, route, ok_code, _ in ROUTES:
                for code in (ok_code, "404", "500", "503"):
                    add(name, (("code", code), ("method", method), ("route", route)))
        for level in ("fatal", "error", "warn", "info", "debug"):
            add("billing_log_messages_total", (("level", level),))
        for outcome in ("success", "failure"):
            add("billing_events_received_total", (("outcome", outcome),))
            add("billing_invoices_generated_total", (("outcome", outcome),))
            for provider in PROVIDERS:
                add("billing_payments_total", (("outcome", outcome), ("provider", provider)))
                add("billing_payment_webhooks_total", (("outcome", outcome), ("provider", provider)))
            for queue in QUEUES:
                add("billing_queue_messages_processed_total", (("outcome", outcome), ("queue", queue)))
        for currency in CURRENCIES:
            add("billing_revenue_collected_total", (("currency", currency),))
        add("billing_db_connection_errors_total", ())
        for name, buckets in BUCKETS.items():
            for labels in self._histogram_label_sets(name):
                for le in (*buckets, math.inf):
                    add(f"{name}_bucket", (*labels, ("le", _le(le))))
                add(f"{name}_count", labels)
                add(f"{name}_sum", labels)

    @staticmethod
    def _histogram_label_sets(name: str) -> list[Labels]:
        if name == "http_request_duration_seconds":
            return [(("method", m), ("route", r)) for m, r, _, _ in ROUTES]
        if name == "billing_payment_duration_seconds":
            return [(("provider", p),) for p in PROVIDERS]
        if name == "billing_db_query_duration_seconds":
            return [(("operation", op),) for op in ("select", "insert", "update")]
        return [()]

    def _add(self, name: str, labels: Labels, replica: int = 0, job: str = "platform") -> None:
        self.counters[(job, replica, name, tuple(sorted(labels)))] = 0.0

    def _inc(self, name: str, labels: Labels, amount: float) -> None:
        self.counters[("platform", self._replica, name, tuple(sorted(labels)))] += max(amount, 0.0)

    def _noise(self) -> float:
        return max(0.0, self.random.gauss(1.0, 0.05))

    def _observe(self, name: str, labels: Labels, count: float, median: float) -> None:
        buckets = BUCKETS[name]
        for le in buckets:
            self._inc(f"{name}_bucket", (*labels, ("le", _le(le))), count * lognormal_cdf(le, median))
        self._inc(f"{name}_bucket", (*labels, ("le", "+Inf")), count)
        self._inc(f"{name}_count", labels, count)
        self._inc(f"{name}_sum", labels, count * median * math.exp(0.6**2 / 2))

    # -- one time step -----------------------------------------------------------------
    def _step(self, dt: float) -> None:
        p = self.params
        if not p.platform_up:
            return  # nothing is served and nothing is counted while the platform is down
        if p.faulty_replica_restart_every and self.t - self._faulty_started >= p.faulty_replica_restart_every:
            self.restart(self.faulty_replica)
            self._faulty_started = self.t
        for replica in range(self.replicas):
            if replica == self.faulty_replica and self._faulty_starting():
                continue  # a starting replica serves nothing; the others carry its share
            self._replica = replica
            self._step_replica(dt, 1 / self.replicas)
        self._replica = 0

    def _step_replica(self, dt: float, share: float) -> None:
        """One replica's work: its share of the traffic (replica 0 also runs the invoice worker)."""
        p, load = self.params, traffic_factor(self.t) * share
        events = p.events_per_second * load * dt * self._noise()
        self._inc("billing_events_received_total", (("outcome", "failure"),), events * p.event_failure_ratio)
        self._inc("billing_events_received_total", (("outcome", "success"),), events * (1 - p.event_failure_ratio))
        self._observe("billing_event_ingestion_duration_seconds", (), events, p.ingestion_median_seconds)
        requests = events * 0.05 + 2 * dt * load
        for method, route, ok_code, route_share in ROUTES:
            n = requests * route_share
            labels = (("method", method), ("route", route))
            self._inc("http_requests_total", (("code", ok_code), *labels), n * (1 - p.api_error_ratio - 0.01))
            self._inc("http_requests_total", (("code", "404"), *labels), n * 0.01)
            self._inc("http_requests_total", (("code", "500"), *labels), n * p.api_error_ratio * 0.7)
            self._inc("http_requests_total", (("code", "503"), *labels), n * p.api_error_ratio * 0.3)
            self._observe("http_request_duration_seconds", labels, n, p.api_median_seconds)
        self._inc("billing_log_messages_total", (("level", "info"),), events * 0.1)
        self._inc("billing_log_messages_total", (("level", "warn"),), events * 0.002)
        self._inc("billing_log_messages_total", (("level", "error"),), events * p.event_failure_ratio * 0.1)
        self._inc("billing_log_messages_total", (("level", "fatal"),), p.fatal_per_second * dt * share)
        self._step_payments(dt, load)
        if self._replica == 0:
            self._step_invoices(dt)
        self._step_database(dt, events, share)

    def _step_payments(self, dt: float, load: float) -> None:
        p = self.params
        for provider, share in PROVIDERS.items():
            n = p.payments_per_second * share * load * dt * self._noise()
            failed = n * p.payment_failure_ratio[provider]
            self._inc("billing_payments_total", (("outcome", "failure"), ("provider", provider)), failed)
            self._inc("billing_payments_total", (("outcome", "success"), ("provider", provider)), n - failed)
            self._observe("billing_payment_duration_seconds", (("provider", provider),), n,
                          p.payment_median_seconds[provider])
            hooks = n * 1.5
            self._inc("billing_payment_webhooks_total", (("outcome", "failure"), ("provider", provider)),
                      hooks * p.webhook_failure_ratio)
            self._inc("billing_payment_webhooks_total", (("outcome", "success"), ("provider", provider)),
                      hooks * (1 - p.webhook_failure_ratio))
            for currency, cshare in CURRENCIES.items():
                self._inc("billing_revenue_collected_total", (("currency", currency),), (n - failed) * cshare * 42.0)

    def _start_run(self, t: float) -> None:
        self._run_started, self._run_done, self._run_generated = t, math.inf, 0.0

    def _step_invoices(self, dt: float) -> None:
        p = self.params
        next_run = math.floor(self.t / INVOICE_RUN_EVERY) * INVOICE_RUN_EVERY
        if next_run > self._run_started and self._run_done < math.inf:
            self._start_run(next_run)
        if self._run_done == math.inf:
            n = min(p.invoices_per_second * dt, p.invoice_run_size - self._run_generated)
            if p.invoice_run_stuck:
                n = min(n, p.invoice_run_size * 0.2 - self._run_generated)
            n = max(n, 0.0)
            failed = n * p.invoice_failure_ratio
            self._inc("billing_invoices_generated_total", (("outcome", "failure"),), failed)
            self._inc("billing_invoices_generated_total", (("outcome", "success"),), n - failed)
            self._run_generated += n
            if self._run_generated >= p.invoice_run_size and not p.invoice_run_stuck:
                self._run_done = self.t + dt
                if p.invoice_failure_ratio == 0:
                    self._last_success = self._run_done

    def _step_database(self, dt: float, events: float, share: float) -> None:
        p = self.params
        self._inc("billing_db_connection_errors_total", (), p.db_connection_errors_per_second * dt * share)
        for op, share in (("select", 0.6), ("insert", 0.3), ("update", 0.1)):
            self._observe("billing_db_query_duration_seconds", (("operation", op),), events * 2 * share,
                          p.db_median_seconds)
        for queue, share in zip(QUEUES, (0.95, 0.05), strict=True):
            n = events * share
            self._inc("billing_queue_messages_processed_total", (("outcome", "success"), ("queue", queue)), n)
            self._inc("billing_queue_messages_processed_total", (("outcome", "failure"), ("queue", queue)),
                      n * 0.001)

    # -- sampling ------------------------------------------------------------------------
    def samples(self) -> list[Sample]:
        p, t = self.params, self.t
        load = traffic_factor(t)
        # events are counted whole; money and latency sums stay fractional
        out = [Sample(job, name, labels, value if name.endswith("_sum") or "revenue" in name else math.floor(value),
                      replica)
               for (job, replica, name, labels), value in self.counters.items()]
        in_progress = self._run_done == math.inf
        pending = max(p.invoice_run_size - self._run_generated, 0.0) if in_progress else 0.0
        deadline = self._run_started + INVOICE_DEADLINE_AFTER
        if not in_progress:
            next_run = math.floor(t / INVOICE_RUN_EVERY) * INVOICE_RUN_EVERY + INVOICE_RUN_EVERY
            deadline = next_run + INVOICE_DEADLINE_AFTER
        if p.invoice_deadline_missed:
            deadline = min(deadline, t - 60)
        gauges = [
            ("billing_invoice_run_in_progress", (), 1.0 if in_progress else 0.0, 0),
            ("billing_invoice_run_started_timestamp_seconds", (), self._run_started, 0),
            ("billing_invoice_run_last_duration_seconds", (), 118.0, 0),
            ("billing_invoice_run_last_success_timestamp_seconds", (), self._last_success, 0),
            ("billing_invoices_pending", (), round(pending), 0),
            ("billing_invoice_cycle_deadline_timestamp_seconds", (), deadline, 0),
        ]
        for replica in range(self.replicas):
            usage = p.pool_usage
            if replica == self.faulty_replica and p.faulty_replica_pool_usage is not None:
                usage = p.faulty_replica_pool_usage
            for pool, size in POOLS.items():
                used = min(size, round(size * usage * (0.8 + 0.2 * load) * self._noise()))
                gauges += [("billing_db_pool_connections_in_use", (("pool", pool),), used, replica),
                           ("billing_db_pool_connections_max", (("pool", pool),), size, replica)]
        for queue, base in zip(QUEUES, (120.0, 8.0), strict=True):
            depth = round(base * load * self._noise())
            gauges += [("billing_queue_depth", (("queue", queue),), depth, 0),
                       ("billing_queue_oldest_message_age_seconds", (("queue", queue),), round(depth / 40 + 0.5, 2), 0)]
        out += [Sample("platform", n, tuple(sorted(lb)), v, r) for n, lb, v, r in gauges]
        out.append(Sample("healthcheck", "probe_success", (), 1.0 if p.platform_up else 0.0))
        rds = (("dimension_DBInstanceIdentifier", RDS_INSTANCE),)
        cpu = p.rds_cpu_percent if p.rds_cpu_percent > 80 else p.rds_cpu_percent * (0.7 + 0.4 * load)
        out.append(Sample("cloudwatch", "aws_rds_cpuutilization_average", rds, round(cpu * self._noise(), 2)))
        out.append(Sample("cloudwatch", "aws_rds_freeable_memory_average", rds, 6.2e9 - 1.5e9 * load))
        return out


def _le(bound: float) -> str:
    return "+Inf" if math.isinf(bound) else repr(float(bound))
