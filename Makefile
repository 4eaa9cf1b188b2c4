# Baku Hub platform. The README's two commands: `make run` and `make test`.
SHELL := /bin/bash
PY ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
STAMP := $(VENV)/.installed-stamp
export DJANGO_SETTINGS_MODULE ?= config.settings.dev

.PHONY: help install run serve data migrate test lint fmt typecheck importlint migrations-check pytest bench clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-18s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml requirements.lock
	@test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install -q --disable-pip-version-check -c requirements.lock -e '.[dev]'
	@touch $(STAMP)

install: $(STAMP) ## Create .venv and install pinned dependencies

migrate: install ## Apply database migrations
	@mkdir -p var
	$(BIN)/bakuhub migrate --noinput -v1
	$(BIN)/bakuhub createcachetable

data: migrate ## Load reference data and the Hub demo data (idempotent)
	$(BIN)/bakuhub load_reference
	$(BIN)/bakuhub load_demo

run: data ## Set up everything and serve on http://127.0.0.1:$(PORT)
	$(BIN)/bakuhub ensure_dev_admin
	BAKUHUB_SITE_URL=$${BAKUHUB_SITE_URL:-http://127.0.0.1:$(PORT)} $(BIN)/bakuhub runserver 127.0.0.1:$(PORT)

lint: install ## ruff lint and format check
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

fmt: install ## Format the code
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

typecheck: install ## mypy --strict with django-stubs
	DJANGO_SETTINGS_MODULE=config.settings.test $(BIN)/mypy bakuhub config

importlint: install ## import-linter architecture contracts
	$(BIN)/lint-imports --no-cache

migrations-check: install ## Fail if models changed without a migration
	DJANGO_SETTINGS_MODULE=config.settings.test $(BIN)/bakuhub makemigrations --check --dry-run

pytest: install ## The test suite (on PostgreSQL when DATABASE_URL=postgres://…)
	DJANGO_SETTINGS_MODULE=config.settings.test $(BIN)/pytest -q -n 2

test: lint typecheck importlint migrations-check pytest ## Everything CI checks

bench: install ## Benchmarks, each printing a ratio against a baseline measured in the same run
	DJANGO_SETTINGS_MODULE=config.settings.test $(BIN)/python -m bench

clean: ## Remove the virtualenv and local data
	rm -rf $(VENV) var
