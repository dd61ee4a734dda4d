# The front door: `make run` serves the site, `make test` runs every test.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 8000
POSTGRES_URL ?= postgres://postgres@127.0.0.1:5432/outsourcing
PYTEST_ARGS ?=
# pytest-xdist workers: each gets its own test database and live server (outsourcing_site/test_settings.py).
PYTEST_WORKERS ?= 2

.PHONY: run test test-sqlite test-postgres install browser-tools clean bench bench-faults bench-analysis bench-scale lint format check

$(BIN)/.installed: requirements.txt requirements-dev.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

install: $(BIN)/.installed

# The browser tests drive Debian's Chromium and run axe-core and the Nu Html Checker (vnu.jar) from npm.
CHROMIUM := /usr/bin/chromium

$(CHROMIUM):
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null

node_modules/.installed: package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	touch $@

browser-tools: $(CHROMIUM) node_modules/.installed
	@command -v java >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq default-jre-headless >/dev/null; }

run: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_content
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0
	PORT=$(PORT) $(BIN)/gunicorn --config outsourcing_site/gunicorn.conf.py outsourcing_site.wsgi

# The whole suite, on SQLite and then on PostgreSQL; fails if PostgreSQL does not answer.
test: test-sqlite test-postgres

test-sqlite: install browser-tools
	env -u DATABASE_URL $(BIN)/pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

test-postgres: install browser-tools
	@$(BIN)/python -c "import psycopg, sys; psycopg.connect(sys.argv[1].replace('/outsourcing', '/postgres'), connect_timeout=5).close()" "$(POSTGRES_URL)" \
		|| { echo "PostgreSQL at $(POSTGRES_URL) does not answer: start it, or set POSTGRES_URL." >&2; exit 1; }
	DATABASE_URL=$(POSTGRES_URL) $(BIN)/pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

# Style: ruff's lint rules and its formatter, configured in pyproject.toml.
lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Migrations match the models, Django's system checks pass (the deployment ones in production mode, with a
# throwaway key), and imports follow the layers in pyproject.toml ([tool.importlinter]).
check: install
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/python manage.py check
	DJANGO_ENV=production DJANGO_ALLOWED_HOSTS=example.com \
		DJANGO_SECRET_KEY="$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(48))')" \
		$(BIN)/python manage.py check --deploy --fail-level WARNING
	$(BIN)/lint-imports --no-cache

# Serves the site as production does and load-tests it, then runs it through faults (bench/README.md).
# Not part of `make test`.
bench: install
	command -v wrk >/dev/null || (apt-get update && apt-get install -y wrk)
	$(BIN)/python bench/run.py $(BENCH_ARGS)
	$(MAKE) bench-scale
	$(MAKE) bench-faults
	$(MAKE) bench-analysis

# Uncached / and /bpo/ with 1×, 10× and 100× today's content, in throwaway SQLite databases (bench/README.md).
bench-scale: install
	$(BIN)/python -m bench.content_scale $(SCALE_ARGS)

# Two servers on PostgreSQL (POSTGRES_URL's server) and a redis-server of its own, through faults.
bench-faults: install
	command -v redis-server >/dev/null || (apt-get update && apt-get install -y redis-server)
	POSTGRES_URL=$(POSTGRES_URL) $(BIN)/python -m bench.faults $(FAULT_ARGS)

# The item-analysis page and CSV over 100,000 finished attempts, on SQLite and on a scratch database on
# POSTGRES_URL's server (dropped after). ANALYSIS_ARGS="--attempts 20000 --runs 3" for a shorter run.
bench-analysis: install
	POSTGRES_URL=$(POSTGRES_URL) $(BIN)/python -m bench.item_analysis $(ANALYSIS_ARGS)

clean:
	rm -rf $(VENV) staticfiles .pytest_cache node_modules
