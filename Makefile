# The README's two commands: `make demo` and `make test`. Each does its own set-up.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-dev

.PHONY: demo tour test lint typecheck unit bench setup clean

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

# A real local network: 4 proof-of-authority node processes on ports 8700-8703 (Ctrl-C stops all).
demo: $(STAMP)
	$(VENV)/bin/minichain net up --nodes 4 --consensus poa --data-dir demo-data/net

# The narrated offline tour of the CLI (keys, genesis, transfer, mining, tampering caught).
tour: $(STAMP)
	$(VENV)/bin/minichain demo --data-dir demo-data/tour

bench: $(STAMP)
	$(VENV)/bin/minichain bench --json

clean:
	rm -rf $(VENV) demo-data .pytest_cache .mypy_cache .ruff_cache .hypothesis
