# The README's two commands: `make demo` and `make test`. Each does its own set-up.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-dev
# solc-js, pinned by contracts/package-lock.json
SOLC := contracts/node_modules/.installed

.PHONY: demo lab tour test lint typecheck unit bench setup system-deps clean

$(STAMP): pyproject.toml labs/jupyterlab-overrides.json
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev,lab,explorer]'
	$(PY) -m pip uninstall --quiet -y rfc3987-syntax  # 1.4 s off every nbgrader start; pip check stays clean
	mkdir -p $(VENV)/share/jupyter/lab/settings  # JupyterLab in Chinese, no news pop-up (labs/README.md)
	cp labs/jupyterlab-overrides.json $(VENV)/share/jupyter/lab/settings/overrides.json
	touch $@

# The offline Solidity compiler: `npm ci` installs exactly the lock file, into contracts/ only
# (its download cache too: no global npm state).
$(SOLC): contracts/package.json contracts/package-lock.json
	bash scripts/install-system-deps.sh
	cd contracts && npm ci --cache .npm-cache --no-audit --no-fund --ignore-scripts --loglevel=error
	touch $@

# Debian packages: chromium for the browser test, a CJK font so Chinese is not drawn as boxes.
system-deps:
	bash scripts/install-system-deps.sh

setup: $(STAMP) $(SOLC)

lint: $(STAMP)
	$(PY) -m ruff check minichain grader labkit explorer streamlit_app.py tests bench labs/tools labs/text labs/judges

typecheck: $(STAMP)
	$(PY) -m mypy --strict minichain grader labkit

# Two serial pytest runs side by side (the notebook tests and the rest): scripts/run-tests.sh says why.
unit: $(STAMP) $(SOLC)
	bash scripts/run-tests.sh $(PY)

test: system-deps lint typecheck unit

# A real local network (4 PoA nodes on ports 8700-8703) and the explorer on http://127.0.0.1:8501.
demo: $(STAMP) system-deps
	VENV=$(VENV) bash scripts/demo.sh

# JupyterLab on the course: labs/release holds what learners get, labs/source the solutions.
lab: $(STAMP)
	cd labs && ../$(VENV)/bin/jupyter lab --ServerApp.ip=127.0.0.1 --ServerApp.root_dir=. --no-browser \
		$(if $(filter 0,$(shell id -u)),--allow-root,)

# The narrated offline tour of the CLI (keys, genesis, transfer, mining, tampering caught).
tour: $(STAMP)
	$(VENV)/bin/minichain demo --data-dir demo-data/tour

bench: $(STAMP) $(SOLC)
	$(VENV)/bin/minichain bench --json
	$(VENV)/bin/minichain bench --network --json
	$(VENV)/bin/minichain bench --contracts --json
	$(VENV)/bin/minichain bench --classroom
	$(PY) bench/contracts_bench.py
	$(PY) bench/explorer_bench.py

clean:
	rm -rf $(VENV) contracts/node_modules contracts/.npm-cache demo-data .pytest_cache .mypy_cache .ruff_cache .hypothesis
