# The README's two commands: `make run` (portal with demo data on SQLite) and `make test` (the suite).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
PDF_DEBS := libharfbuzz-subset0 fonts-noto-cjk fonts-noto-core libpango-1.0-0 libpangoft2-1.0-0
TEST_DEBS := $(PDF_DEBS) poppler-utils libzbar0 chromium postgresql-client redis-server
BENCH_DEBS := wrk varnish redis-server
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run run-region test lint bench lighthouse setup debs test-debs migrate demo messages clean

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev]'
	@touch $(STAMP)

setup: $(STAMP)

debs:
	@scripts/ensure_debs.sh $(PDF_DEBS)

test-debs:
	@scripts/ensure_debs.sh $(TEST_DEBS)

migrate: setup
	$(PY) manage.py migrate --noinput -v0

demo: migrate
	$(PY) manage.py load_demo

# Printed links and QR codes point at this server unless PORTAL_BASE_URL says otherwise.
# The task worker (background jobs: township signboards, large imports; Wagtail's index updates) runs
# beside the web server and is stopped with it.
define SERVE
	@PORTAL_BASE_URL=$${PORTAL_BASE_URL:-http://$(HOST):$(PORT)} $(PY) manage.py demo_accounts
	@export PORTAL_BASE_URL=$${PORTAL_BASE_URL:-http://$(HOST):$(PORT)}; \
	setsid $(PY) manage.py db_worker --queue-name '*' -v0 & worker=$$!; \
	trap 'kill -TERM -$$worker 2>/dev/null' EXIT INT TERM; \
	$(PY) manage.py runserver $(HOST):$(PORT)
endef

run: setup debs migrate
	@$(PY) manage.py load_demo
	$(SERVE)

# Two counties on one portal (docs/grids.md): 昌吉市 at localhost, 阜康市 at fukang.localhost and their
# prefecture at changjizhou.localhost, all on $(PORT).
run-region: setup debs migrate
	@$(PY) manage.py load_demo
	@$(PY) manage.py load_demo_region --port $(PORT)
	$(SERVE)

test: setup test-debs
	$(PY) -m pytest $(PYTEST_ARGS)

lint: setup
	$(VENV)/bin/ruff check .
	$(PY) manage.py check
	$(PY) manage.py makemigrations --check --dry-run

bench: setup debs
	@scripts/ensure_debs.sh $(BENCH_DEBS)
	$(PY) scripts/bench.py

lighthouse: setup debs
	$(PY) scripts/lighthouse.py

messages: setup
	@scripts/ensure_debs.sh gettext
	$(PY) manage.py makemessages -l en -l ug --no-obsolete -i '.venv/*' -i 'staticfiles/*' -i 'var/*' -i 'tests/*' -i 'scripts/*'
	$(PY) manage.py compilemessages -l en -l ug -l zh_Hans -i .venv

clean:
	rm -rf $(VENV) staticfiles var/bench
