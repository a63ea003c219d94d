# Two entry points do all set-up: `make run` and `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
SHARED ?= ../shared

.PHONY: run test lint bench install

$(BIN)/treffpunkt: pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	touch $@

install: $(BIN)/treffpunkt

run: install
	$(BIN)/treffpunkt demo

test: install
	$(BIN)/ruff check src tests bench
	$(BIN)/pytest

bench: install
	$(BIN)/pip install -q -e '.[bench]'
	$(BIN)/python bench/extract_speed.py --corpus $(SHARED)
