# The two commands of the README: `make run` and `make test`. Both build .venv first.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
# what running needs (make run); + the tests' and linters' tools with the Redis and Dask extras
# (make test); + what the benchmarks compare against (make bench)
STAMP  := $(VENV)/.installed
DEV    := $(VENV)/.installed-dev
BENCH  := $(VENV)/.installed-bench

.PHONY: run test test-fast lint bench clean bytecode

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e .
	touch $(STAMP)

$(DEV): $(STAMP)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev,redis,dask]'
	touch $(DEV)

$(BENCH): $(DEV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev,redis,dask,bench]'
	touch $(BENCH)

# the package's modules compiled once, as pip does for an installed package: an editable install
# where PYTHONDONTWRITEBYTECODE is set (CI images, containers) would compile all 73 on every
# command (0.12 s a process); only changed modules are compiled again
bytecode: $(STAMP)
	$(BIN)/python -m compileall -q toolkit

run: $(STAMP) bytecode  ## check the embedded seeds, write out/
	$(BIN)/wirecheck run --out out

test: $(DEV) bytecode lint  ## lint, type-check and run the whole test suite (on every CPU)
	$(BIN)/python -m pytest -n auto

test-fast: $(DEV) bytecode  ## the fast tier: no browser, Redis, Dask or end-to-end command runs
	$(BIN)/python -m pytest -n auto -m "not slow"

lint: $(DEV)
	$(BIN)/ruff check toolkit tests bench docs scripts
	$(BIN)/ruff format --check toolkit tests bench docs scripts
	$(BIN)/mypy toolkit

bench: $(BENCH) bytecode  ## the benchmarks and evaluations (bench/README.md)
	$(BIN)/python -m bench.speed.startup
	$(BIN)/python -m bench.quality.segmenters
	$(BIN)/python -m bench.quality.dedup_eval
	$(BIN)/python -m bench.speed.dedup_bench
	$(BIN)/python -m bench.speed.dedup_cli
	$(BIN)/python -m bench.quality.align_eval
	$(BIN)/python -m bench.quality.align_embedders
	$(BIN)/python -m bench.speed.align_bench
	$(BIN)/python -m bench.quality.scorers_eval
	$(BIN)/python -m bench.speed.scorers_bench
	$(BIN)/python -m bench.quality.compare_eval
	$(BIN)/python -m bench.quality.generality
	$(BIN)/python -m bench.speed.report_bench
	$(BIN)/python -m bench.speed.ingest_bench
	$(BIN)/python -m bench.speed.dask_bench

clean:
	rm -rf out .pytest_cache .mypy_cache .ruff_cache
