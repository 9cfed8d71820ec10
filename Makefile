# Convenience targets for Unix. Each installs what it needs into .venv first.
# On Windows, use the `toolkit` command directly (see README.md).

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
PORT   ?= 8000

.PHONY: html check serve test lint bench clean system-deps

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $(STAMP)

html: $(STAMP)            ## build the shipped toolkit site into _build/html
	$(BIN)/toolkit build

check: $(STAMP)           ## validate every page and data file
	$(BIN)/toolkit check

serve: $(STAMP)           ## build and serve the site with live reload on http://127.0.0.1:$(PORT)/
	$(BIN)/toolkit serve --port $(PORT)

system-deps:              ## Chromium and nginx for the browser and self-hosting tests
	@bash tests/system-deps.sh

test: $(STAMP) system-deps   ## lint, then every test
	$(BIN)/ruff check toolkit builder tests conf.py
	$(BIN)/lint-imports
	$(BIN)/python -m pytest

lint: $(STAMP)            ## ruff and the import-linter contracts (layers, no Sphinx in toolkit/)
	$(BIN)/ruff check toolkit builder tests conf.py
	$(BIN)/lint-imports

bench: $(STAMP)           ## build benchmarks; writes bench/results/
	$(BIN)/python -m bench.run

clean:
	rm -rf _build
