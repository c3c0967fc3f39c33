# Passerelle: `make demo` to see it, `make test` to check it.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
FLASK := $(VENV)/bin/flask --app portal
INSTANCE ?= $(or $(PORTAL_INSTANCE),instance)
PORT ?= 5000
WORKERS ?= 2
# The PostgreSQL server the suite's second pass uses (.ci/run starts one).
PG_URL ?= postgresql+psycopg://passerelle:passerelle@127.0.0.1:5432/postgres

.PHONY: help install demo run test test-sqlite test-postgres translations clean-demo

help:
	@echo "make demo   set up three federated demo portals and serve them"
	@echo "make test   run the whole suite (SQLite, browser, then PostgreSQL)"
	@echo "make run    serve the instance $(INSTANCE) with gunicorn on port $(PORT) (INSTANCE=, PORT=)"

$(VENV)/.installed: setup.cfg
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet $$($(PYTHON) .ci/requirements.py install test)
	touch $@

install: $(VENV)/.installed

demo: install
	$(PY) -m portal.demo.run

# gunicorn's control socket goes in the instance: by default every gunicorn of a user shares one.
run: install
	PORTAL_INSTANCE=$(abspath $(INSTANCE)) $(VENV)/bin/gunicorn --workers $(WORKERS) \
		--bind 127.0.0.1:$(PORT) --timeout 60 --control-socket $(abspath $(INSTANCE))/gunicorn.ctl wsgi:app

test: test-sqlite test-postgres

test-sqlite: install
	$(PY) -m pytest -q

test-postgres: install
	@if $(PY) .ci/pg_ready.py "$(PG_URL)"; then \
		PORTAL_TEST_DATABASE_URL="$(PG_URL)" $(PY) -m pytest -q -m "not browser"; \
	else \
		echo ""; echo "*** PostgreSQL part SKIPPED: no server at $(PG_URL) (.ci/run starts one). ***"; echo ""; \
		if [ "$$CI" = "true" ]; then echo "CI=true: a missing PostgreSQL is a failure."; exit 1; fi; \
	fi

# Extract every marked string, merge it into the French catalogue (created the first time),
# compile; commit the .pot, .po and .mo together (tests/test_i18n.py extracts with these keywords).
BABEL_KEYWORDS := -k _l -k lazy_gettext -k lazy_ngettext:1,2 -k lazy_pgettext:1c,2
translations: install
	$(VENV)/bin/pybabel extract -F portal/babel.cfg $(BABEL_KEYWORDS) --add-location=file --sort-by-file \
		--project=Passerelle -w 100 -o portal/translations/messages.pot .
	$(VENV)/bin/pybabel update -i portal/translations/messages.pot -d portal/translations -l fr \
		--init-missing --ignore-obsolete -w 100
	$(VENV)/bin/pybabel compile -d portal/translations --statistics

clean-demo:
	rm -rf $(or $(DEMO_DIR),instance/demo)
