# The two commands of the README: `make demo` runs the product on its embedded default,
# `make test` runs the whole test suite against real PostgreSQL and Redis.

SHELL := /bin/bash
UV := $(shell command -v uv 2>/dev/null || echo python3 -m uv)
PORT ?= 8000
# The links in the demo's emails (invitations, notices, unsubscribe) point at the port the
# demo serves on; SITE_URL in the environment wins.
DEMO_SITE_URL := $(or $(SITE_URL),http://localhost:$(PORT))

.PHONY: demo test uv sync messages lint services screenshots

uv:
	@command -v uv >/dev/null 2>&1 || python3 -m uv --version >/dev/null 2>&1 || \
		python3 -m pip install --quiet uv

sync: uv
	$(UV) sync --frozen

# Compiled with Babel (pure Python), so no gettext tools are needed on the machine.
messages: sync
	$(UV) run pybabel compile --domain django --directory commissioning/locale --statistics

demo: messages
	DEBUG=1 $(UV) run python manage.py migrate --no-input
	DEBUG=1 SITE_URL=$(DEMO_SITE_URL) $(UV) run python manage.py load_demo_data
	@echo "Serving on http://localhost:$(PORT)/ (sign in with a login above; API docs at http://localhost:$(PORT)/api/docs/)"
	DEBUG=1 SITE_URL=$(DEMO_SITE_URL) $(UV) run python manage.py runserver localhost:$(PORT)

# PostgreSQL and Redis server binaries, Chromium (for the browser tests) and poppler-utils
# (pdftotext, which reads the PDFs back in the document tests): installed from
# Debian's packages when running as root; otherwise say what to install. The servers are
# started by the test run itself; Playwright drives Debian's Chromium, never a download.
services:
	@missing=""; \
	ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || command -v initdb >/dev/null || \
		missing="$$missing postgresql"; \
	command -v redis-server >/dev/null || missing="$$missing redis-server"; \
	test -x /usr/bin/chromium || command -v chromium >/dev/null || missing="$$missing chromium"; \
	command -v pdftotext >/dev/null || missing="$$missing poppler-utils"; \
	if [ -n "$$missing" ]; then \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
			echo "Installing$$missing from Debian's packages"; \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
			service postgresql stop >/dev/null 2>&1 || true; \
		else \
			echo "The tests need these packages:$$missing. Install them (Debian/Ubuntu: sudo apt-get install$$missing) and run make test again."; \
			exit 1; \
		fi; \
	fi

lint: sync
	$(UV) run ruff check .
	$(UV) run ruff format --check .
	$(UV) run lint-imports

test: services messages lint
	$(UV) run python -m pytest

# Browser tests again, saving each journey's main page under docs/screenshots/.
screenshots: services messages
	SAVE_SCREENSHOTS=1 $(UV) run python -m pytest -q tests/browser
