VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test

.PHONY: run test lint translations test-huge build bench eval fuzz clean

$(PY):
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e .
	touch $(STAMP)

$(TEST_STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(STAMP) $(TEST_STAMP)

run: $(STAMP)
	$(VENV)/bin/baixiao

build: $(STAMP)
	$(VENV)/bin/baixiao build

# Tests run on every core (pytest-xdist): about two minutes on two.
test: $(TEST_STAMP)
	PYTHONWARNDEFAULTENCODING=1 $(PY) -X warn_default_encoding -m pytest -n auto

# ruff (style and bugs), mypy (types) and import-linter (the layers in pyproject.toml's contracts).
lint: $(TEST_STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports

# The interface's messages: extracted from the code (_(), N_(), ngettext), merged into the Chinese
# catalogue store/locale/zh/LC_MESSAGES/baixiao.po (translate what is new there), compiled to .mo.
LOCALES := store/locale
translations: $(TEST_STAMP)
	$(VENV)/bin/pybabel extract -k N_ -k in_chinese -k ngettext:1,2 --no-location --sort-output -o $(LOCALES)/baixiao.pot store tui
	$(VENV)/bin/pybabel update --no-fuzzy-matching --ignore-pot-creation-date -i $(LOCALES)/baixiao.pot -d $(LOCALES) -D baixiao -l zh
	$(VENV)/bin/pybabel compile -d $(LOCALES) -D baixiao -l zh

# The 50 MB page (tests marked huge): about two minutes, so CI runs it after `make test`.
test-huge: $(TEST_STAMP)
	PYTHONWARNDEFAULTENCODING=1 $(PY) -X warn_default_encoding -m pytest -m huge -s

# Extraction scored against a careful reader's annotations: the bundled pages, then
# ../shared/eval/web when it is there; `make eval EVAL=folder` scores any folder with a gold.yaml.
eval: $(STAMP)
	$(PY) tests/eval/score.py $(EVAL)

# Every fuzz target (tests/fuzz/targets.py) under atheris for FUZZ_SECONDS each: a table of
# executions, coverage and crashes; a crashing input lands in tests/fuzz/crashes/ as a regression test.
# FUZZ_ARGS for more (tests/fuzz/run.py --help): FUZZ_ARGS="--plateau 300 --jobs 2 layout query".
FUZZ_SECONDS ?= 60
FUZZ_ARGS ?=
fuzz: $(TEST_STAMP)
	$(PY) tests/fuzz/run.py --seconds $(FUZZ_SECONDS) $(FUZZ_ARGS)

bench: $(TEST_STAMP)
	$(PY) tests/bench/bench_build.py
	$(PY) tests/bench/bench_search.py
	$(PY) tests/bench/bench_app.py
	$(PY) tests/bench/bench_serve.py
	$(PY) tests/bench/bench_pdf.py
	$(PY) tests/bench/bench_peers.py
	$(PY) tests/bench/bench_tokenize.py --articles 1000

clean:
	rm -rf $(VENV) build *.egg-info
