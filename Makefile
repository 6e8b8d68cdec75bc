# Aktywizacja — everything a newcomer needs. `make run` and `make test` do all set-up.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py

.PHONY: run test setup system-packages test-packages messages migrate demo lint format check-migrations ci clean help

help:
	@echo "make run    — set up, migrate, load the Lębork demo, serve on http://127.0.0.1:8000"
	@echo "make test   — set up, then run the whole test suite"
	@echo "make lint   — ruff lint and format check; make format — reformat"

# The virtual environment is rebuilt only when a requirements file changes.
$(VENV)/.installed: requirements.txt requirements-dev.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	@touch $@

.env:
	cp .env.example .env

# axe-core for the accessibility scan of the browser tests, from the npm registry
# (package-lock.json pins it); nothing of it is served to users.
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

# Compiles the Polish catalogue: GNU gettext when installed, else Babel (pure Python).
messages: $(VENV)/.installed
	@if command -v msgfmt >/dev/null; then \
		$(MANAGE) compilemessages --ignore=$(VENV) -v0; \
	else \
		$(VENV)/bin/pybabel compile --use-fuzzy=false -d locale -D django -l pl >/dev/null; \
	fi

# Debian packages beyond pip (gettext, the PDF libraries): installed when missing.
system-packages:
	@.ci/system-packages

# What only the tests need: Debian's Chromium for the browser tests (tests/browser).
test-packages:
	@.ci/system-packages --test

setup: system-packages $(VENV)/.installed .env messages

migrate: setup
	$(MANAGE) migrate --no-input -v0

demo: migrate
	$(MANAGE) load_demo

# The background worker (imports) runs beside the server and stops with it.
run: demo
	@echo "Log in at http://127.0.0.1:8000 — users in README.md, password demo-aktywizacja"
	$(MANAGE) db_worker --no-reload & worker=$$!; trap 'kill $$worker' EXIT; \
		$(MANAGE) runserver 127.0.0.1:8000

test: setup test-packages node_modules/.installed
	$(VENV)/bin/pytest -n auto $(PYTEST_ARGS)

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(VENV)/.installed
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

check-migrations: setup
	$(MANAGE) makemigrations --check --dry-run

clean:
	rm -rf $(VENV) staticfiles db.sqlite3 .pytest_cache .ruff_cache
	find . -name '*.mo' -path './locale/*' -delete
