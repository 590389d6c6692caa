# Two commands on a fresh clone:  `make run` (the app on SQLite with real data)
# and `make test` (the test suite; DATABASE_URL=postgres://… runs it on PostgreSQL).

PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HOST ?= 127.0.0.1
PORT ?= 8000
CORPUS_DIR ?= ../shared/corpus

.PHONY: run test install lint data serve release clean

$(VENV)/.installed: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -r requirements.txt
	touch $@

install: $(VENV)/.installed .env

# A random SECRET_KEY for this checkout only; .env is git-ignored.
.env:
	$(PYTHON) -c "import secrets; print('SECRET_KEY=' + secrets.token_urlsafe(50))" > .env

# Everything a new editor needs: schema, static files, the gazetteer, the cases, an admin account.
data: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_regions
	$(PY) manage.py collectstatic --noinput --verbosity 0
	@# The raw corpus, when present, becomes drafts to review; re-running changes nothing.
	@if ls $(CORPUS_DIR)/*.txt >/dev/null 2>&1; then \
		CORPUS_DIR=$(CORPUS_DIR) $(PY) manage.py ingest $(CORPUS_DIR)/*.txt || echo "Some files were refused (see above)."; \
	else echo "No corpus in $(CORPUS_DIR): nothing to ingest."; fi
	@# No corpus and no cases yet (a fresh clone): load the shipped release, data/release/.
	CORPUS_DIR=$(CORPUS_DIR) $(PY) manage.py load_cases
	$(PY) manage.py rebuild_search_index
	$(PY) manage.py ensure_admin

# The background worker (uploads in the admin) runs beside the web server and stops with it.
run: data
	@echo "Serving on http://$(HOST):$(PORT)/  (admin: http://$(HOST):$(PORT)/admin/, API: http://$(HOST):$(PORT)/api/v1/)"
	$(PY) manage.py db_worker --no-startup-delay --no-reload & worker=$$!; \
	  trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	  $(PY) manage.py runserver $(HOST):$(PORT)

# The production stack locally: gunicorn (gunicorn.conf.py) + whitenoise on PostgreSQL, DEBUG off,
# production settings; plain http on localhost, so no SSL redirect and no HSTS.
SERVE_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/zjcases
serve: install
	createdb -h 127.0.0.1 -U postgres $(notdir $(SERVE_DATABASE_URL)) 2>/dev/null || true  # first time only
	DATABASE_URL=$(SERVE_DATABASE_URL) $(MAKE) --no-print-directory data
	export DATABASE_URL=$(SERVE_DATABASE_URL) DJANGO_ENV=production SECURE_SSL_REDIRECT=0 SECURE_HSTS_SECONDS=0 \
	  HOST=$(HOST) PORT=$(PORT); \
	  $(PY) manage.py db_worker --no-startup-delay --no-reload & worker=$$!; \
	  trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	  $(VENV)/bin/gunicorn -c gunicorn.conf.py config.wsgi

# Rebuild the shipped dataset (data/release/) from the corpus: a scratch SQLite database, the
# gazetteer, our ingest pipeline, automatic checks, export. Needs CORPUS_DIR.
release: install
	rm -f var/release.sqlite3 && mkdir -p var
	DATABASE_URL=sqlite:///var/release.sqlite3 $(PY) manage.py migrate --noinput --verbosity 0
	DATABASE_URL=sqlite:///var/release.sqlite3 $(PY) manage.py load_regions
	DATABASE_URL=sqlite:///var/release.sqlite3 $(PY) manage.py build_release data/release

# Two workers: the suite's browser, HTTP and benchmark smoke tests wait on I/O as much as on the CPU.
TEST_WORKERS ?= 2
test: install
	$(VENV)/bin/pytest -n $(TEST_WORKERS)

lint: install
	$(VENV)/bin/ruff check .

clean:
	rm -rf $(VENV) staticfiles var .pytest_cache
