# The two commands of the README: `make run` and `make test`. Both build .venv first.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test lint bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev,redis,dask]'
	touch $(STAMP)

run: $(STAMP)  ## check the embedded seeds, write out/
	$(BIN)/wirecheck run --out out

test: $(STAMP) lint  ## lint, type-check and run the test suite
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check toolkit tests bench docs scripts
	$(BIN)/ruff format --check toolkit tests bench docs scripts
	$(BIN)/mypy toolkit

bench: $(STAMP)  ## the benchmarks and evaluations (bench/README.md)
	$(BIN)/python bench/segmenters.py
	$(BIN)/python bench/dedup_eval.py
	$(BIN)/python bench/dedup_bench.py
	$(BIN)/python bench/align_eval.py
	$(BIN)/python bench/align_embedders.py
	$(BIN)/python bench/align_bench.py
	$(BIN)/python bench/scorers_eval.py
	$(BIN)/python bench/scorers_bench.py
	$(BIN)/python bench/compare_eval.py
	$(BIN)/python bench/generality.py
	$(BIN)/python bench/report_bench.py
	$(BIN)/python bench/ingest_bench.py
	$(BIN)/python bench/dask_bench.py

clean:
	rm -rf out .pytest_cache .mypy_cache .ruff_cache
