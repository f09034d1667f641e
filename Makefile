# Tremplin — one front door. `make demo` and `make test` are all a newcomer needs.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
PYTEST_ARGS ?=
JUNIT ?= var/junit.xml
export PIP_DISABLE_PIP_VERSION_CHECK := 1
# Python may keep compiled modules (and pytest its rewritten test modules): a second run collects in 4 s, not 11.
unexport PYTHONDONTWRITEBYTECODE

.DEFAULT_GOAL := help
.PHONY: help install demo serve seed resetdb test test-fast quality fix content-check bench system-check prod backup restore

help: ## list the commands
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

$(VENV)/.installed: pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11 est requis ($(PYTHON) introuvable)."; exit 1; }
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e ".[dev]"
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --silent
	touch $@

install: $(VENV)/.installed ## create the virtualenv and install the pinned dependencies

system-check: ## say exactly what to install if a system library is missing
	@$(PY) -c "import weasyprint" 2>/dev/null || { echo "PDF : il manque Pango. Installez-le : apt-get install -y libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core"; exit 1; }
	@command -v espeak-ng >/dev/null && command -v opusenc >/dev/null || { echo "Lecture à voix haute : il manque espeak-ng ou opusenc. Installez-les : apt-get install -y espeak-ng opus-tools"; exit 1; }

var:
	mkdir -p var

demo: install system-check var ## install, migrate SQLite, load curriculum + demo network, serve on :8000
	$(PY) manage.py migrate --noinput -v0
	$(PY) manage.py load_geography
	$(PY) manage.py load_content
	$(PY) manage.py load_diagnostic
	$(PY) manage.py load_simulators
	$(PY) manage.py seed_demo
	$(PY) manage.py rollup_stats --all
	$(PY) manage.py rollup_stats --enqueue
	@# The worker of background tasks (statistics rollups, PDF reports) runs beside the server and stops with it.
	$(PY) manage.py db_worker --no-reload --interval 1 --queue-name default,documents & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(PY) manage.py runserver 127.0.0.1:8000

serve: install ## serve the existing database on :8000 (with the worker of background tasks)
	$(PY) manage.py db_worker --no-reload --interval 1 --queue-name default,documents & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(PY) manage.py runserver 127.0.0.1:8000

seed: install var ## (re)load curriculum and demo network without serving
	$(PY) manage.py migrate --noinput -v0
	$(PY) manage.py load_geography
	$(PY) manage.py load_content
	$(PY) manage.py load_diagnostic
	$(PY) manage.py load_simulators
	$(PY) manage.py seed_demo

resetdb: ## delete the local SQLite database
	rm -f var/tremplin.sqlite3 var/tremplin.sqlite3-wal var/tremplin.sqlite3-shm

test: install node_modules/.installed system-check var ## the whole suite (browser tests included)
	@test -x /usr/bin/chromium || { echo "Chromium manque : apt-get install -y chromium"; exit 1; }
	$(PY) manage.py makemigrations --check --dry-run -v0 --settings=config.settings.test
	$(PY) -m pytest -n 2 --dist worksteal -q --junitxml=$(JUNIT) $(PYTEST_ARGS)

test-fast: install ## the suite without browser tests
	$(PY) -m pytest -n 2 --dist worksteal -q -m "not browser" $(PYTEST_ARGS)

quality: install ## lint (ruff, djLint), types of services and selectors (mypy), deployment checks
	$(VENV)/bin/ruff check .
	$(VENV)/bin/djlint tremplin --lint
	$(VENV)/bin/mypy
	DJANGO_SECRET_KEY=check-only-$$(head -c 64 /dev/urandom | base64 | tr -dc a-zA-Z0-9) DJANGO_ALLOWED_HOSTS=tremplin.example.org \
	  DATABASE_URL=postgres://tremplin@127.0.0.1:5432/tremplin \
	  $(PY) manage.py check --deploy --fail-level WARNING --settings=config.settings.prod

fix: install ## format and fix what ruff can
	$(VENV)/bin/ruff check --fix .

content-check: install ## validate the curriculum files
	$(PY) -m tremplin.catalog.validate

bench: install ## run the benchmarks (ratios against a baseline in the same process)
	for b in bench/bench_*.py; do DJANGO_SETTINGS_MODULE=config.settings.test $(PY) $$b; done

# Production on one machine (docs/deployment.md). Settings come from .env (see .env.example) or the environment;
# honcho reads .env for each command and runs the Procfile (web: granian, worker: db_worker).
PROD_RUN := DJANGO_SETTINGS_MODULE=config.settings.prod $(VENV)/bin/honcho run

prod: install system-check var ## production: migrate, static files, content if new, then server + worker (.env)
	$(PROD_RUN) $(PY) manage.py migrate --noinput
	$(PROD_RUN) $(PY) manage.py collectstatic --noinput -v0
	@# Each loader does nothing when its data is already there (same release, same hash).
	$(PROD_RUN) $(PY) manage.py load_geography
	$(PROD_RUN) $(PY) manage.py load_content
	$(PROD_RUN) $(PY) manage.py load_diagnostic
	$(PROD_RUN) $(PY) manage.py load_simulators
	DJANGO_SETTINGS_MODULE=config.settings.prod $(VENV)/bin/honcho start --no-colour

# Backups use the settings of .env (production) when it exists, else the demo's SQLite database.
backup: install var ## back up the database into var/backups/ (pg_dump, or SQLite's backup API)
	$(VENV)/bin/honcho run $(PY) manage.py backup

restore: install ## restore FILE=var/backups/… into an empty database (FORCE=1 replaces a non-empty one)
	@test -n "$(FILE)" || { echo "Indiquez la sauvegarde : make restore FILE=var/backups/tremplin-….dump [FORCE=1]"; exit 2; }
	$(VENV)/bin/honcho run $(PY) manage.py restore "$(FILE)" $(if $(FORCE),--force)
