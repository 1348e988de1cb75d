# The study's pipeline, in the order of work:
#   seeds/ + data/*.csv + src/  ->  data/derived/ (python -m wording build)
#   data/derived/ + notebooks/  ->  executed notebooks, figures/, reports/*.html
# Two commands for a fresh clone: `make report` and `make test`.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
UV_VERSION := 0.13.9

.PHONY: report test build notebooks lint bench clean-derived

# A virtual environment with the pinned requirements and the package installed editable.
# uv (from PyPI) makes this a few seconds; plain pip is the fallback if uv cannot run here.
$(STAMP): requirements.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)
	$(BIN)/uv pip install --quiet --compile-bytecode --python $(BIN)/python -r requirements.txt \
	  || $(BIN)/python -m pip install --quiet -r requirements.txt
	$(BIN)/uv pip install --quiet --python $(BIN)/python --no-deps -e . \
	  || $(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(STAMP)

# Derived tables: every CSV in data/derived/ is rewritten from the seeds by one command.
build: $(STAMP)
	$(BIN)/python -m wording build

# Execute every notebook top to bottom in place, write figures/, export reports/NAME.html.
notebooks: build
	$(BIN)/python -m wording render notebooks --html-dir reports
	$(BIN)/python -m wording findings
	$(BIN)/python -m wording explorer --derived data/derived --out reports/explorer.html

report: notebooks

test: $(STAMP)
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_report.py

clean-derived:
	rm -rf data/derived/*.csv
