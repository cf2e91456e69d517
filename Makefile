# Quick start: `make run` extracts the sample revisions in raw/; `make test` runs the tests.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test bench lint fixtures clean

$(BIN)/extract: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	@touch $@

run: $(BIN)/extract
	$(BIN)/extract raw/*.pdf --output output

test: $(BIN)/extract
	$(BIN)/pytest

bench: $(BIN)/extract
	$(BIN)/python bench/bench.py

lint: $(BIN)/extract
	$(BIN)/ruff check pipeline schemas tests bench
	$(BIN)/lint-imports
	$(BIN)/mypy

fixtures: $(BIN)/extract
	$(BIN)/python tests/fixtures/generate.py
	$(BIN)/python tests/fixtures/make_scans.py

clean:
	rm -rf $(VENV) output/*/ output/bi output/warehouse.duckdb
