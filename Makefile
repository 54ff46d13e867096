# tuireader: `make demo` opens the app on a demo library, `make test` runs the whole suite.
# Both create .venv when it is missing and reinstall only when pyproject.toml changed.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: demo test lint screenshots bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@ $(VENV)/.installed

demo: $(VENV)/.installed
	$(BIN)/tuireader demo

# The checks, then the in-process tests on two workers, then the tests that drive real
# terminals (tmux) and several processes, one at a time (marked tmux or slow).
test: $(VENV)/.installed-test
	$(BIN)/ruff check tuireader tests benchmarks
	$(BIN)/mypy tuireader
	$(BIN)/lint-imports
	$(BIN)/python -m pytest -q -n 2 -m "not tmux and not slow"
	$(BIN)/python -m pytest -q -m "tmux or slow"

lint: $(VENV)/.installed-test
	$(BIN)/ruff check tuireader tests benchmarks
	$(BIN)/mypy tuireader
	$(BIN)/lint-imports

screenshots: $(VENV)/.installed-test
	$(BIN)/python -m tests.screenshots

bench: $(VENV)/.installed-test
	$(BIN)/python -m benchmarks.run $(BENCH_ARGS)

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .ruff_cache
