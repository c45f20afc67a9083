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

unit: setup browsers
	$(BIN)/pytest -q

# The browser tests drive Debian's Chromium (never a browser downloaded by playwright). As root,
# install it when missing; otherwise those tests are skipped and say why.
browsers:
	@if [ -x /usr/bin/chromium ]; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; \
	else echo "note: /usr/bin/chromium is missing; the browser tests will be skipped"; fi

test: setup lint typecheck unit

clean:
	rm -rf $(VENV) $(DB) .pytest_cache .mypy_cache .ruff_cache
