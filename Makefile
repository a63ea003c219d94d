# Two entry points do all set-up: `make run` (the main job) and `make test` (the suite).
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
SHARED ?= ../shared

.PHONY: run test bench

# The package and what it needs to run; the stamp reinstalls when pyproject.toml changes.
$(VENV)/.installed: pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e .
	touch $@

# Test tools and the optional back ends the tests drive for real (PostgreSQL driver, Ray, Playwright).
$(VENV)/.dev: $(VENV)/.installed
	$(BIN)/pip install -q -e '.[dev]'
	touch $@

# The main job: ingest the embedded demo corpus into ./treffpunkt.duckdb and serve the map and pages.
run: $(VENV)/.installed
	$(BIN)/treffpunkt serve --demo

test: $(VENV)/.dev
	bash .ci/system-deps
	$(BIN)/ruff check src tests bench tools
	$(BIN)/ruff format --check src tests bench tools
	$(BIN)/pytest

bench: $(VENV)/.installed
	$(BIN)/pip install -q -e '.[bench]'
	$(BIN)/python bench/extract_speed.py --corpus $(SHARED)
