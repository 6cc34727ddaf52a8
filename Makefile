# rekam: two commands for a newcomer (README): `make demo` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
DEMO_DIR ?= demo-data
DEMO_SCALE ?= 0.01
DEMO_PORT ?= 8000
DEMO_HISTORY ?= 2024-10-02 2024-10-23
export REKAM_HOME ?= $(CURDIR)/rekam-data

comma := ,

.PHONY: demo test lint check bench clean venv install install-test services

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV) || { apt-get update -qq && apt-get install -y -qq python3-venv && $(PYTHON) -m venv $(VENV); }
	$(PY) -m pip install -q --upgrade pip

venv: $(VENV)/bin/python

install: venv
	$(PY) -m pip install -q -e .
	$(PY) -m rekam.planner.walks  # compile the route bound's pricing once (Numba keeps it)

install-test: venv
	$(PY) -m pip install -q -e '.[test]'
	$(PY) -m rekam.planner.walks  # compile the route bound's pricing once (Numba keeps it)

## make demo: build the synthetic Sumatera Barat register with two earlier exports, import all three as dated snapshots, show coverage.
demo: install
	$(PY) -m rekam demo generate --out $(DEMO_DIR) --scale $(DEMO_SCALE) --history $(subst $(eval) ,$(comma),$(DEMO_HISTORY))
	for d in $(DEMO_HISTORY); do $(PY) -m rekam import $(DEMO_DIR)/history/$$d/siak/*.csv --date $$d || exit 1; done
	$(PY) -m rekam import $(DEMO_DIR)/siak/*.csv --date 2024-11-13
	$(PY) -m rekam coverage --as-of 2024-11-13 --level kab --election-date 2024-11-27
	$(PY) -m rekam sites import $(DEMO_DIR)/sites/*.csv $(DEMO_DIR)/wilayah/desa.csv
	REKAM_ELECTION_DATE=2024-11-27 $(PY) -m rekam demo serve --port $(DEMO_PORT)

## make test: install with test extras, make sure services are there, run everything.
## One pytest worker more than cores: a third of the suite's time is waiting (browsers, servers,
## Spark's JVMs), and with one worker per core the cores stood idle a quarter of the run.
TEST_WORKERS ?= $(shell echo $$(( $$(nproc) + 1 )))
test: install-test services lint
	$(PY) -m pytest -q -n $(TEST_WORKERS) --dist loadfile --no-loadscope-reorder

## make lint: style, format, layers (import-linter contracts in pyproject.toml), static types (mypy, strict).
lint: install-test
	$(PY) -m ruff check src tests benchmarks
	$(PY) -m ruff format --check src tests benchmarks
	$(VENV)/bin/lint-imports
	$(VENV)/bin/mypy

services:
	@bash scripts/ensure-services.sh

check: lint

bench: install-test
	$(PY) -m pip install -q -e '.[bench]'
	$(PY) benchmarks/import_bench.py --scale 1.0

clean:
	rm -rf $(VENV) rekam-data $(DEMO_DIR) .pytest_cache
