# The commands the README shows. Each target sets itself up: a fresh clone needs only Python 3.11+ and make.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HIFAZAT := $(BIN)/hifazat
DEMO_DB := var/demo.sqlite3
DEMO_ENV := HIFAZAT_ENV=development DATABASE_URL=sqlite:///$(CURDIR)/$(DEMO_DB)

.PHONY: demo test test-browser bench lint messages clean

$(STAMP): pyproject.toml
	$(PYTHON) -c 'import sys; sys.exit("Hifazat needs Python 3.11 or newer; this is " + sys.version.split()[0]) if sys.version_info < (3, 11) else None'
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

# Build the October 2005 earthquake demo in a fresh SQLite file, start a task worker and the web server.
demo: $(STAMP)
	mkdir -p var
	rm -f $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm
	$(DEMO_ENV) $(HIFAZAT) migrate --no-input
	$(DEMO_ENV) $(HIFAZAT) demo
	@echo "Starting the task worker and the server on http://127.0.0.1:8000 (Ctrl-C stops both)."
	$(DEMO_ENV) $(HIFAZAT) db_worker --interval 1 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(DEMO_ENV) $(HIFAZAT) runserver 127.0.0.1:8000

# The whole suite, on SQLite by default; with DATABASE_URL=postgres://... on PostgreSQL.
# Browser journeys run where /usr/bin/chromium exists and are skipped, with a message, where it does not.
# PYTEST_ARGS passes more options, for example PYTEST_ARGS='-m "not browser"'.
PYTEST_ARGS ?=
test: $(STAMP)
	$(BIN)/pytest -n 2 --dist loadfile -q $(PYTEST_ARGS)

bench: $(STAMP)
	HIFAZAT_ENV=test $(BIN)/python -m bench

lint: $(STAMP)
	mkdir -p var
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	HIFAZAT_ENV=test $(HIFAZAT) makemigrations --check --dry-run

# Refresh the translation catalogues after changing strings (needs gettext's xgettext, a developer tool).
# Parts with their own catalogue (hifazat/<part>/locale) are left out of the project's and refreshed in place.
PART_CATALOGUES := $(patsubst %/locale,%,$(wildcard hifazat/*/locale))
messages: $(STAMP)
	HIFAZAT_ENV=test $(HIFAZAT) makemessages --locale ur --ignore '.venv/*' --ignore 'var/*' \
		$(foreach part,$(PART_CATALOGUES),--ignore '$(part)/*')
	for part in $(PART_CATALOGUES); do \
		(cd $$part && HIFAZAT_ENV=test DJANGO_SETTINGS_MODULE=config.settings PYTHONPATH=$(CURDIR) \
			$(CURDIR)/$(BIN)/django-admin makemessages --locale ur) || exit 1; \
	done
	HIFAZAT_ENV=test $(HIFAZAT) compile_translations

clean:
	rm -rf $(VENV) var
