# clarinb: every target sets up what it needs, so each works on a fresh clone.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
CHROMIUM ?= /usr/bin/chromium

.PHONY: demo test fuzz bench lint setup browser generate notebooks clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	$(PY) -m ipykernel install --sys-prefix --name python3 >/dev/null
	$(PY) scripts/jupyter_settings.py
	touch $(STAMP)

setup: $(STAMP)

# Debian's Chromium for the browser tests (Playwright drives it; it cannot download its own).
browser:
	@test -x $(CHROMIUM) || { apt-get update -qq && apt-get install -y -qq chromium fonts-dejavu-core >/dev/null; }

## demo: start the emulator with the demo workspace and serve the evaluation explorer
demo: setup
	$(VENV)/bin/clarinb demo

## test: lint, type-check and run the whole test suite, browser tests included
test: setup browser lint
	$(PY) -m pytest

## fuzz: the fuzz and property tests exploring at random with ten times the examples;
## a failure it finds is pinned as an @example on the test that found it
fuzz: setup
	CLARINB_FUZZ=1 $(PY) -m pytest tests/test_fuzz_typed.py tests/frames/test_property.py -q

lint: setup
	$(VENV)/bin/ruff check clarinb tests benchmarks scripts
	$(VENV)/bin/ruff format --check clarinb tests benchmarks scripts
	$(VENV)/bin/mypy
	$(PY) scripts/gen_endpoints.py --check
	$(PY) scripts/gen_enums.py --check

## bench: print every benchmark figure as a ratio against a baseline measured in the same run
## (bench_browser.py drives Chromium: first-plot times in JupyterLab and Voila, report sizes)
## (the 5,000 concepts x 50,000 inputs rows take minutes and about 8 GiB: CLARINB_BENCH_HUGE=0 skips them)
CLARINB_BENCH_HUGE ?= 1
bench: setup browser
	@for b in benchmarks/bench_*.py; do echo "== $$b"; CLARINB_BENCH_HUGE=$(CLARINB_BENCH_HUGE) $(PY) $$b || exit 1; done

## notebooks: run the tutorial notebooks on the demo emulator and write them with their outputs
## (stable ids, no token, each figure also as a PNG drawn in Chromium); commit the result:
## tests/test_notebooks.py fails when a committed notebook differs from a fresh run
notebooks: setup browser
	$(PY) notebooks/make_notebooks.py

generate: setup
	$(PY) scripts/gen_endpoints.py
	$(PY) scripts/gen_enums.py

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .mypy_cache .ruff_cache
