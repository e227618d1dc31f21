# billing-monitoring. `make build` renders everything from thresholds.yaml; `make test`
# proves it (promtool, amtool, JSON Schema, pytest). Both set themselves up on a fresh
# Debian/Ubuntu machine.

VENV    ?= .venv
PYTHON  ?= python3
PY      := $(VENV)/bin/python
SPEC    ?= thresholds.yaml
STAMP   := $(VENV)/.installed

.PHONY: build test test-heavy test-slo test-week test-e2e test-crash test-ha test-backtest bench-backtest check lint tools clean import demo \
	demo-ha fuzz bench bench-rules bench-detection

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@

build: $(STAMP)
	$(PY) -m generators build --spec $(SPEC)

check: $(STAMP)
	$(PY) -m generators check --spec $(SPEC)

lint: $(STAMP) tools
	$(PY) -m ruff check generators simulator tests bench
	promtool check rules --lint=all --lint-fatal alerts/*.rules.yml

# promtool/amtool/jsonnet from the distribution when missing (Debian: prometheus 2.42,
# prometheus-alertmanager 0.25, jsonnet 0.18, which evaluates mixin/ in the tests).
tools:
	@command -v promtool >/dev/null && command -v amtool >/dev/null && command -v prometheus >/dev/null \
	  && command -v prometheus-alertmanager >/dev/null && command -v jsonnet >/dev/null || { \
	  echo "installing promtool, amtool and jsonnet (apt: prometheus prometheus-alertmanager jsonnet)"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends \
	    prometheus prometheus-alertmanager jsonnet >/dev/null; }

# The everyday suite, within two minutes on two cores: rules, generated promtool tests,
# dashboards, Alertmanager, mixin, deploy files, simulator. The heavier proofs (end-to-end
# servers, guard mutations, the property and hostile samples, kill -9 loops, promtool tests
# that evaluate weeks of history) are `make test-heavy`; the SLO days, the healthy week, the
# HA topology and the backtest have their own targets. CI (.ci/run) runs every one of them.
OWN_TARGET := ha or backtest or slo_days or week
test: $(STAMP) tools check lint
	$(PY) -m pytest -q -n 2 -m "not ($(OWN_TARGET) or e2e or slow)"

# pytest on both cores; --dist loadfile keeps the end-to-end module (one stack) on one worker.
# Three workers on two cores: the end-to-end and signal tests mostly wait on real servers, and
# a third worker overlaps that waiting with the CPU-bound files.
test-heavy: $(STAMP) tools
	$(PY) -m pytest -q -n 3 --dist loadfile -m "(e2e or slow) and not ($(OWN_TARGET))"

# two clusters -> central HA pair -> 3-node Alertmanager cluster (tests/ha, ~7 min); prints
# the measured latencies and duplicate counts
test-ha: $(STAMP) tools
	$(PY) -m pytest -q -m ha tests/ha


# backtests on simulated history in a real Prometheus, and the live cross-check (minutes)
test-backtest: $(STAMP) tools
	$(PY) -m pytest -q -n 2 --dist loadfile -m backtest

# backtest a simulated week at 30 s and time it (three weeks of history, the first two the
# drop alert's baselines, generated once into build/, ~15 min)
bench-backtest: $(STAMP) tools
	$(PY) -m tests.backtest.week --out build/backtest-week --data build/backtest-week/data

# the SLO rules' promtool tests (30d windows; the slow-burn ticket runs three days of 5m steps)
test-slo: $(STAMP) tools
	$(PY) -m pytest -q -n 2 -m slo_days

# issue 9: a healthy week with blips (rendered by tests/test_healthy_week.py from the spec) fires
# nothing at any evaluation, and a rule whose `for` a blip outlasts makes it fail (minutes of CPU)
test-week: $(STAMP) tools
	$(PY) -m pytest -q -n 2 -m week

# only the end-to-end tests (real Prometheus + Alertmanager on 127.0.0.1)
test-e2e: $(STAMP) tools
	$(PY) -m pytest -q -m e2e

# The structured fuzzer: hostile and schema-preserving mutations of thresholds.yaml through the
# loader and the whole render (promtool on the generated tests of what changed), and the full
# hostile-string corpus. `make test-heavy` runs a fixed sample; CI runs `make fuzz EXAMPLES=100 DETERMINISTIC=1`.
fuzz: $(STAMP) tools
	BILLING_FUZZ_EXAMPLES=$(or $(EXAMPLES),2000) BILLING_FULL_CORPUS=1 BILLING_FUZZ_DERANDOMIZE=$(DETERMINISTIC) \
	  $(PY) -m pytest -q -n 2 tests/test_spec_property.py tests/test_hostile.py
# opt-in: builds killed with SIGKILL at random instants, 2,000 times in-process and 100 times
# as `python -m generators build`; the tree must always come back old or new, never mixed
test-crash: $(STAMP)
	BILLING_CRASH_HEAVY=1 KILL_ITERATIONS=2000 KILL_ITERATIONS_COMMAND=100 \
	  $(PY) -m pytest -q -s tests/test_writes.py -k kill_9

# Upload dashboards/ through Grafana's HTTP API: GRAFANA_URL=... GRAFANA_TOKEN=... make import
import: $(STAMP)
	$(PY) -m generators import

# simulator + Prometheus + Alertmanager on 127.0.0.1 with a live alert timeline.
# Type a scenario name to switch, or: make demo INCIDENT=payment_failures AFTER=20
demo: $(STAMP) tools
	$(PY) -m simulator demo $(if $(INCIDENT),--incident $(INCIDENT) --after $(or $(AFTER),20)) \
	  $(if $(DURATION),--duration $(DURATION))

# the HA topology with a live timeline. Type 'eu platform_down', 'kill am-0', 'stop us'; or:
# make demo-ha INCIDENT=eu:platform_down AFTER=20 DURATION=180
demo-ha: $(STAMP) tools
	$(PY) -m simulator demo-ha $(if $(INCIDENT),--incident $(INCIDENT) --after $(or $(AFTER),20)) \
	  $(if $(DURATION),--duration $(DURATION))

# Benchmarks (issue 8), not part of `make test`. Build time against the bare imports, builds
# of specs SIZES times larger (timeout per run), peak memory:  make bench SIZES="1 10 100"
bench: $(STAMP)
	$(PY) -m bench build --spec $(SPEC) $(if $(SIZES),--sizes $(SIZES)) $(if $(REPEATS),--repeats $(REPEATS)) \
	  $(if $(TIMEOUT),--timeout $(TIMEOUT))

# Rule evaluation cost on a real Prometheus over generated history of about SERIES series:
#   make bench-rules SERIES="20000 100000" RULES=alerts/billing.rules.yml EVAL=30s ROUNDS=6
bench-rules: $(STAMP) tools
	$(PY) -m bench rules --spec $(SPEC) $(if $(RULES),--rules $(RULES)) $(if $(SERIES),--series $(SERIES)) \
	  $(if $(EVAL),--eval $(EVAL)) $(if $(ROUNDS),--rounds $(ROUNDS)) $(if $(WARMUP),--warmup $(WARMUP))

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache

# detection time of each issue-9 fault class, before (BEFORE=rev) and after, from promtool
# (docs/fault-classes.md quotes it; about 3 minutes, the two-week scenarios dominate)
bench-detection: $(STAMP) tools
	$(PY) -m bench.detection $(if $(BEFORE),--before $(BEFORE))
