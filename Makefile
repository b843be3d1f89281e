# VictimID — the two commands a new clone needs: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: install run test faults lint typecheck bench bench-load clean-var demo-otp

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

## Start everything: embedded PostgreSQL (unless DATABASE_URL), migrations, demo data,
## web server on http://127.0.0.1:8000/ (HOST, PORT) and a Celery worker with beat.
## Ctrl-C stops it all, and so does a SIGINT or SIGTERM sent to make alone: exec makes the
## script make's own child (make passes SIGTERM on to it), and STOP_WITH_MAKE lets it
## notice a SIGINT that make keeps to itself (see scripts/run.py).
run: $(STAMP)
	@DEBUG=$${DEBUG:-true} STOP_WITH_MAKE=$$PPID exec $(PY) scripts/run.py

## The current one-time code of a demo account: make demo-otp EMAIL=investigator.nl@demo.victimid.invalid
demo-otp: $(STAMP)
	@test -n "$(EMAIL)" || { echo "usage: make demo-otp EMAIL=<demo account>" >&2; exit 2; }
	@DEBUG=$${DEBUG:-true} $(PY) manage.py demo_otp "$(EMAIL)"

## Every test, against real PostgreSQL (DATABASE_URL, else the embedded server).
test: $(STAMP)
	$(PY) -m pytest $(PYTEST_ARGS)

## The reliability tests alone: real gunicorn, Celery workers, PostgreSQL and Redis of their
## own on free ports, stopped, restarted and killed (tests/faults/). `make test` runs those
## under a minute too, and skips them when PostgreSQL's server binaries or redis-server are
## missing; here a missing binary fails, and the longer ones run (FAULTS_SLOW=1).
faults: $(STAMP)
	FAULTS_REQUIRED=1 FAULTS_SLOW=1 $(PY) -m pytest tests/faults -m faults -p no:randomly $(PYTEST_ARGS)

## ruff (lint and format), the import contracts and mypy.
lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports
	$(MAKE) --no-print-directory typecheck

## mypy with django-stubs; DEBUG=true lets the settings load without a SECRET_KEY.
typecheck: $(STAMP)
	DEBUG=true $(VENV)/bin/mypy victimid cases config

## Benchmarks (not part of the tests); BENCH_SCALE=small for a quick run. The load test
## needs Locust (the "bench" extra); `make bench-load` runs it alone.
bench: $(STAMP)
	$(PY) -m pip install --quiet -e '.[bench]'
	$(PY) bench/run.py

bench-load: $(STAMP)
	$(PY) -m pip install --quiet -e '.[bench]'
	$(PY) bench/run.py load

clean-var:
	rm -rf var
