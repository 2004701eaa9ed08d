# Two commands on a fresh machine: `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
HOST ?= 127.0.0.1
PORT ?= 8000
# Two workers: the machine (and CI) has two cores. Browser and broker tests run in the same suite. loadgroup: the
# tests on the seeded demo (tests/conftest.py, `seeded_demo`) run one after another in one worker, seeded once.
PYTEST_ARGS ?= -n 2 --dist loadgroup --durations=10

.PHONY: run test install lint format migrate demo bench browsers clean

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

# Serve the CRM on SQLite with Celery tasks run in-process, demo data loaded once.
run: install
	env -u DATABASE_URL -u REDIS_URL DEBUG=1 $(PY) manage.py migrate --noinput
	env -u DATABASE_URL -u REDIS_URL DEBUG=1 $(PY) manage.py seed_demo
	@echo ""
	@echo "  OpenCRM is at http://$(HOST):$(PORT)/  (logins above; stop with Ctrl+C)"
	@echo ""
	env -u DATABASE_URL -u REDIS_URL DEBUG=1 $(PY) manage.py runserver $(HOST):$(PORT)

# Lint, then the whole suite (PostgreSQL and a real broker when DATABASE_URL and REDIS_URL are set).
test: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	CRM_TESTING=1 $(VENV)/bin/pytest $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

bench: install
	$(PY) bench/run.py

clean:
	rm -rf $(VENV) var
