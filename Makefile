# One command to set up and run each job. `make demo` and `make test` work on a fresh clone.
PYTHON ?= python3
VENV ?= .venv
BIN = $(VENV)/bin

.PHONY: setup browser demo test lint bench eval clean

setup: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

demo: setup            ## ingest the bundled sample site, then browse it at http://127.0.0.1:8001
	$(BIN)/aggregator demo

browser:               ## Debian's chromium for the browser test (as root; else a note)
	bash scripts/install-browser.sh

test: setup browser lint  ## lint, then the whole test suite (with the browser test)
	$(BIN)/python -m pytest

lint: setup
	$(BIN)/ruff check aggregator tests bench

eval: setup            ## precision, recall and F1 per field on the labelled development set
	$(BIN)/aggregator eval

bench: setup           ## benchmarks (figures in docs/BENCHMARKS.md); installs the peer tools
	$(BIN)/python -m pip install --quiet -e '.[test,bench]'
	$(BIN)/python bench/run_all.py

clean:
	rm -rf $(VENV) *.egg-info .pytest_cache .ruff_cache demo.db demo.db-* 
