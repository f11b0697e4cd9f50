# Two commands for a new user (see README):
#   make demo   - virtual environment, dependencies, SQLite database, units, demo data; serves
#                 http://127.0.0.1:8000 (another port: make demo PORT=8123) and says when it is ready
#   make test   - the test suite (SQLite by default; set DATABASE_URL for PostgreSQL)
#   make serve  - production: static files, migrations, cache table, gunicorn on 127.0.0.1:8000
#                 (environment variables in README "Running in production")

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEV_ENV := DEBUG=1 SECRET_KEY=development-only-not-secret
TEST_ENV := SECRET_KEY=test-only-not-secret
# The port `make demo` serves on.
PORT ?= 8000

.PHONY: system-deps test-assets worker demo test install lint format messages bench-data bench serve clean check-deploy

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(DEV_ENV) $(BIN)/python manage.py migrate --no-input
	$(DEV_ENV) $(BIN)/python manage.py load_units
	$(DEV_ENV) $(BIN)/python manage.py seed_demo
	$(DEV_ENV) $(BIN)/python manage.py keep_figures
	$(DEV_ENV) $(BIN)/python manage.py clean_uploads
	$(DEV_ENV) $(BIN)/python manage.py clean_reports
	$(DEV_ENV) $(BIN)/python manage.py serve_demo --port $(PORT)

# The browser tests drive Debian's Chromium; the PDF tests read reports with poppler-utils; the
# HTML validity test runs the Nu HTML checker (vnu.jar) with Java, fetched with npm.
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
# Only what is missing is installed (npm may come with a Node.js of another source).
system-deps:
	@missing=""; \
	command -v chromium >/dev/null || missing="$$missing chromium"; \
	command -v pdftotext >/dev/null || missing="$$missing poppler-utils"; \
	command -v java >/dev/null || missing="$$missing default-jre-headless"; \
	command -v npm >/dev/null || missing="$$missing npm"; \
	[ -z "$$missing" ] || { $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq $$missing; }

# The Nu HTML checker's jar (npm package vnu-jar, pinned with its checksum in tests/browser/vnu.py),
# kept in .cache/ (not in the repository).
test-assets: $(STAMP) system-deps
	@$(BIN)/python -m tests.browser.vnu >/dev/null

test: $(STAMP) system-deps test-assets
	$(TEST_ENV) $(BIN)/python -m pytest -q

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(TEST_ENV) $(BIN)/python manage.py makemigrations --check --dry-run

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

messages: $(STAMP)
	$(DEV_ENV) $(BIN)/python manage.py makemessages -l en -l vi --no-obsolete
	$(DEV_ENV) $(BIN)/python manage.py compilemessages --ignore=.venv

# Django's deployment checks with production-like settings (a real environment's values win);
# any warning fails.
check-deploy: $(STAMP)
	SECRET_KEY="$${SECRET_KEY:-$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(50))')}" \
	ALLOWED_HOSTS="$${ALLOWED_HOSTS:-ishc.example.vn}" \
	CSRF_TRUSTED_ORIGINS="$${CSRF_TRUSTED_ORIGINS:-https://ishc.example.vn}" \
	DEBUG=0 $(BIN)/python manage.py check --deploy --fail-level WARNING

# The PDF reports' background worker (django-tasks, database queue): one beside each app server.
worker: $(STAMP)
	$(BIN)/python manage.py db_worker

# Production serving: settings from the environment (DEBUG off). Workers: WEB_CONCURRENCY,
# default 2 x cores + 1, each with WEB_THREADS threads (default 4), so a request waiting on the
# database or on a figure another request is computing holds a thread, not a whole worker.
# Idle keep-alive connections stay open 75 s, longer than a proxy's or a browser's own idle
# timeout (60 s is common), so no request is sent on a connection gunicorn is closing.
# The access log leaves out query strings (searches may hold names); every record is one line,
# control characters escaped (config/gunicorn_logs.py).
# The background worker for PDF reports runs beside it (`make worker`).
serve: $(STAMP)
	$(BIN)/python manage.py collectstatic --no-input --verbosity 0
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py createcachetable
	$(BIN)/gunicorn config.wsgi:application --bind 127.0.0.1:8000 \
		--logger-class config.gunicorn_logs.Logger \
		--workers "$${WEB_CONCURRENCY:-$$((2 * $$(nproc) + 1))}" --threads "$${WEB_THREADS:-4}" \
		--keep-alive 75 --timeout 120 \
		--access-logfile - --access-logformat '%(t)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms'

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles .cache
