# billing-monitoring. `make build` renders everything from thresholds.yaml; `make test`
# proves it (promtool, amtool, JSON Schema, pytest). Both set themselves up on a fresh
# Debian/Ubuntu machine.

VENV    ?= .venv
PYTHON  ?= python3
PY      := $(VENV)/bin/python
SPEC    ?= thresholds.yaml
STAMP   := $(VENV)/.installed

.PHONY: build test test-e2e check lint tools clean import demo bench bench-rules

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

# promtool/amtool from the distribution when missing (Debian: prometheus 2.42,
# prometheus-alertmanager 0.25).
tools:
	@command -v promtool >/dev/null && command -v amtool >/dev/null && command -v prometheus >/dev/null \
	  && command -v prometheus-alertmanager >/dev/null || { \
	  echo "installing promtool and amtool (apt: prometheus prometheus-alertmanager)"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends \
	    prometheus prometheus-alertmanager >/dev/null; }

# pytest on both cores; --dist loadfile keeps the end-to-end module (one stack) on one worker
test: $(STAMP) tools check lint
	$(PY) -m pytest -q -n 2 --dist loadfile

# only the end-to-end tests (real Prometheus + Alertmanager on 127.0.0.1)
test-e2e: $(STAMP) tools
	$(PY) -m pytest -q -m e2e

# Upload dashboards/ through Grafana's HTTP API: GRAFANA_URL=... GRAFANA_TOKEN=... make import
import: $(STAMP)
	$(PY) -m generators import

# simulator + Prometheus + Alertmanager on 127.0.0.1 with a live alert timeline.
# Type a scenario name to switch, or: make demo INCIDENT=payment_failures AFTER=20
demo: $(STAMP) tools
	$(PY) -m simulator demo $(if $(INCIDENT),--incident $(INCIDENT) --after $(or $(AFTER),20)) \
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
