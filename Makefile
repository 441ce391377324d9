# 车销 CRM — a fresh clone needs only two commands:
#   make run    install, then serve with demo data on http://127.0.0.1:8000
#   make test   install, then run the whole test suite (SQLite; `make test-pg` for PostgreSQL)
# Extra pytest arguments: make test ARGS="-x -k customers"

SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
# Rebuilt whenever pyproject.toml is newer than the last install.
STAMP  := $(VENV)/.installed
PG_URL ?= postgres://postgres@127.0.0.1:5432/postgres
ARGS   ?=

.PHONY: help venv install vendor i18n messages run test test-pg bench bench-rules clean

help:
	@echo "make run      install everything, then serve with demo data on http://127.0.0.1:8000"
	@echo "make test     install everything, then run the test suite on SQLite (ARGS=... for pytest)"
	@echo "make test-pg  the same on PostgreSQL ($(PG_URL))"
	@echo "make bench    ingest benchmark, 100,000 records on SQLite and PostgreSQL ($(PG_URL)); see bench/README.md"
	@echo "make bench-rules  rules benchmark: built-in rules over 100,000 customers on SQLite and 1,000,000 on PostgreSQL"
	@echo "make install  Python virtualenv in .venv with the package and test tools"
	@echo "make vendor   front-end files from npm into web/static/vendor/"
	@echo "make i18n     compile gettext catalogs in web/translations/"
	@echo "make messages extract UI text into web/translations/messages.pot and merge it into the catalogs"
	@echo "make clean    remove .venv, node_modules and web/static/vendor"

venv install: $(STAMP)

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
		|| { echo "Python 3.11+ is needed: $(PYTHON) is $$($(PYTHON) -V 2>&1). Try: make PYTHON=python3.12 ..." >&2; exit 1; }
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --disable-pip-version-check --quiet -e '.[test]'
	@touch $@

vendor:
	@bash scripts/vendor.sh

# Translations (Babel). Text in code and templates is English, wrapped in _() / gettext() /
# ngettext(), or N_() for text translated later (labels.py); babel.cfg says where to look.
#   1. make messages   extract it into messages.pot and merge new text into zh_CN and en
#   2. fill the empty msgstr "" in web/translations/{zh_CN,en}/LC_MESSAGES/messages.po
#      (tests/web/test_translations.py fails while any is left empty)
#   3. make i18n       compile .mo files (optional: the app reads the .po files directly)
i18n: $(STAMP)
	@if compgen -G 'web/translations/*/LC_MESSAGES/messages.po' >/dev/null; then \
		$(BIN)/pybabel -q compile -d web/translations -D messages; \
	fi

messages: $(STAMP)
	$(BIN)/pybabel -q extract -F babel.cfg -k N_ --sort-output --no-wrap \
		--project chexiao-crm --copyright-holder chexiao-crm -o web/translations/messages.pot .
	$(BIN)/pybabel -q update -i web/translations/messages.pot -d web/translations -D messages \
		--no-fuzzy-matching --ignore-obsolete --no-wrap

run: install vendor i18n
	$(BIN)/crm serve --demo

test: install vendor i18n
	$(BIN)/pytest $(ARGS)

test-pg: install vendor i18n
	DATABASE_URL=$(PG_URL) $(BIN)/pytest $(ARGS)

bench: install
	BENCH_PG_URL=$(PG_URL) $(BIN)/python -m bench.ingest.run --records 100000 --db both --batch 1000

# CUSTOMERS=100000 runs both databases at that size.
bench-rules: install
	BENCH_PG_URL=$(PG_URL) $(BIN)/python -m bench.rules.run --db both $(if $(CUSTOMERS),--customers $(CUSTOMERS))

clean:
	rm -rf $(VENV) node_modules web/static/vendor
