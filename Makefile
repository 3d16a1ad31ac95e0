# govwatch — two commands on a fresh machine: `make run` and `make test`.
# The newest python3.13, python3.12 or python3.11 that runs here (override: make PYTHON=/path/to/python3.12).
PYTHON ?= $(shell for v in 3.13 3.12 3.11; do if python$$v -c "" >/dev/null 2>&1; then echo python$$v; exit 0; fi; done; echo python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: install run test lint typecheck pytest bench lock clean

install: $(STAMP)

# Re-installs only when the lock or the project metadata changed (idempotent).
$(STAMP): requirements.lock pyproject.toml
	@$(PYTHON) -c "import sys; sys.exit(0 if (3, 11) <= sys.version_info[:2] <= (3, 13) else 'govwatch needs Python 3.11 to 3.13, not ' + sys.version.split()[0] + ' ($(PYTHON))')"
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -r requirements.lock
	$(BIN)/python -m pip install -q --no-deps -e .
	@touch $(STAMP)

run: install
	$(BIN)/govwatch run

lint: install
	$(BIN)/ruff check bot scrapers parsers storage tests bench tools

typecheck: install
	$(BIN)/mypy

pytest: install
	$(BIN)/pytest

test: lint typecheck pytest

bench: install
	$(BIN)/python bench/run.py

# Regenerates the pinned lock from pyproject.toml (needs network to PyPI): one lock for Python 3.11 to 3.13.
lock:
	$(BIN)/python -m pip install -q uv
	$(BIN)/uv pip compile pyproject.toml --extra dev --universal --python-version 3.11 -o requirements.lock
	$(BIN)/uv pip compile pyproject.toml --universal --python-version 3.11 -o requirements-run.lock

clean:
	rm -rf $(VENV) .mypy_cache .pytest_cache .ruff_cache
