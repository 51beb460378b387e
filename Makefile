# The README's two commands: `make demo` and `make test`. Each does its own set-up.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-dev

.PHONY: demo test lint typecheck unit bench setup clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@

setup: $(STAMP)

lint: $(STAMP)
	$(PY) -m ruff check minichain tests bench

typecheck: $(STAMP)
	$(PY) -m mypy --strict minichain

unit: $(STAMP)
	$(PY) -m pytest

test: lint typecheck unit

demo: $(STAMP)
	$(VENV)/bin/minichain demo --data-dir demo-data

bench: $(STAMP)
	$(VENV)/bin/minichain bench --json

clean:
	rm -rf $(VENV) demo-data .pytest_cache .mypy_cache .ruff_cache .hypothesis
