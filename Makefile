# One entry point for people and CI alike.
PY ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DB ?= realpolitik.duckdb

.PHONY: setup demo test lint typecheck unit browsers clean

# `make setup` is idempotent: it rebuilds the venv only when pyproject.toml changed.
setup: $(STAMP)

$(STAMP): pyproject.toml
	@command -v $(PY) >/dev/null 2>&1 || { echo "need $(PY) (or run: make PY=python3 ...)"; exit 1; }
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: setup
	rm -f $(DB)
	$(BIN)/realpolitik ingest --examples --db $(DB)
	$(BIN)/realpolitik summary --db $(DB)

lint: setup
	$(BIN)/ruff check src tests benchmarks scripts
	$(BIN)/ruff format --check src tests benchmarks scripts

typecheck: setup
	$(BIN)/mypy

unit: setup
	$(BIN)/pytest -q

test: setup lint typecheck unit

clean:
	rm -rf $(VENV) $(DB) .pytest_cache .mypy_cache .ruff_cache
