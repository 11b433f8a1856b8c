# Komunitní portál: the only entry points a person needs.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HOST ?= 127.0.0.1
PORT ?= 8000
# make test: worker processes the suite is spread over (pytest-xdist). Each takes the tests in
# pytest-django's order (those that flush the database after those that roll back), as one process would.
TEST_WORKERS ?= 2
# The address `make run` serves on: absolute links (e-mails, sitemap, canonical) follow it.
WAGTAILADMIN_BASE_URL ?= http://$(HOST):$(PORT)
SERVED := WAGTAILADMIN_BASE_URL=$(WAGTAILADMIN_BASE_URL)

.PHONY: run test lint bench install install-dev lock messages e2e-deps worker clean

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt | $(PY)
	$(PIP) install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(PY)
	$(PIP) install --quiet -r requirements-dev.txt
	touch $(VENV)/.installed $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

# The lock: requirements.in and requirements-dev.in hold the top-level
# dependencies; requirements.txt and requirements-dev.txt pin every package of
# the tree with its hashes, so pip installs them in --require-hashes mode.
# pip-tools lives in a venv of its own: it is needed only to lock.
LOCK_VENV := .venv-lock
PIP_TOOLS := pip-tools==7.6.2
PIP_COMPILE := CUSTOM_COMPILE_COMMAND="make lock" $(LOCK_VENV)/bin/pip-compile --quiet --generate-hashes \
	--strip-extras --allow-unsafe --no-emit-index-url --no-emit-find-links --no-emit-trusted-host $(LOCK_ARGS)

$(LOCK_VENV)/bin/pip-compile:
	$(PYTHON) -m venv $(LOCK_VENV)
	$(LOCK_VENV)/bin/pip install --quiet $(PIP_TOOLS)

## make lock: re-pin both requirement files from the .in files (LOCK_ARGS="--upgrade-package NAME" to upgrade one)
lock: $(LOCK_VENV)/bin/pip-compile
	$(PIP_COMPILE) --output-file requirements.txt requirements.in
	$(PIP_COMPILE) --output-file requirements-dev.txt requirements-dev.in

## make messages: compile locale/<lang>/LC_MESSAGES/django.po (one catalogue per language; Czech also djangojs.po for the admin JavaScript) to .mo;
## GNU gettext's msgfmt when installed, otherwise polib (refresh the catalogue: manage.py makemessages -l cs)
messages: install
	@if command -v msgfmt >/dev/null 2>&1; then \
	  $(PY) manage.py compilemessages --ignore='.*' --ignore=node_modules --ignore=media --ignore=staticfiles; \
	else \
	  $(PY) -m portal.compile_catalogues; \
	fi

## make run: set up everything and serve the demo site on http://127.0.0.1:8000/
run: install messages
	$(PY) manage.py migrate --no-input
	$(SERVED) $(PY) manage.py load_demo_content
	$(PY) manage.py schedule_daily_jobs  # idempotent: the worker's schedule (publishing, e-mail retries, daily jobs)
	@echo "Serving on http://$(HOST):$(PORT)/  (admin: http://$(HOST):$(PORT)/admin/  admin / changeme)"
	$(SERVED) $(PY) manage.py db_worker --interval 2 & \
	  worker=$$!; trap "kill $$worker 2>/dev/null" EXIT INT TERM; \
	  $(SERVED) $(PY) manage.py runserver $(HOST):$(PORT)

## make test: the whole suite (SQLite, or PostgreSQL when DATABASE_URL is set)
test: install-dev messages
	$(PY) -m pytest -n $(TEST_WORKERS) --dist load $(PYTEST_ARGS)

## make e2e-deps: Debian's Chromium, gettext, Java, axe-core and vnu-jar for the browser and HTML tests (needs root for apt)
e2e-deps:
	bash .ci/e2e-deps

## make lint: ruff, and the import contracts (pyproject.toml) that keep the arrows pointing one way
lint: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

bench: install-dev messages
	$(PY) -m bench $(BENCH_ARGS)

worker: install
	$(PY) manage.py schedule_daily_jobs
	$(PY) manage.py db_worker

clean:
	rm -rf $(VENV) $(LOCK_VENV) staticfiles db.sqlite3 db.sqlite3-wal db.sqlite3-shm
