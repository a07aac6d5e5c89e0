# Build, run and test plumbing. `make run` and `make test` work from a fresh clone: they install the Debian
# packages (scripts/system-packages.sh), create .venv and install the project with its test extras (redone
# only when pyproject.toml changes: stamp file .venv/.installed), install the test-only npm packages of
# package-lock.json (axe-core for tests/test_axe.py; redone when the lock file changes) and compile the
# translation catalogues.

PYTHON ?= python3
VENV = .venv
VPY = $(VENV)/bin/python
STAMP = $(VENV)/.installed
NPM_STAMP = node_modules/.installed
ARGS ?=
# The suite runs on every core (pytest-xdist); PYTEST_WORKERS= runs it in one process.
PYTEST_WORKERS ?= -n auto
HOST ?= 127.0.0.1:8000

# Playwright drives Debian's /usr/bin/chromium: never download browsers.
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD = 1

.PHONY: run serve test messages lint bench load install system-packages compile-messages

run: install compile-messages
	@mkdir -p var
	$(VPY) manage.py migrate --noinput
	$(VPY) manage.py load_demo
	$(VPY) manage.py runserver $(HOST)

# Production start (docs/deployment.md): static files collected for WhiteNoise, migrations applied, then
# gunicorn with several workers (config/gunicorn.conf.py) on $(HOST). Needs DEBUG=0, SECRET_KEY,
# ALLOWED_HOSTS, CSRF_TRUSTED_ORIGINS and usually DATABASE_URL in the environment. No demo data.
serve: install compile-messages
	@mkdir -p var
	$(VPY) manage.py collectstatic --noinput
	$(VPY) manage.py migrate --noinput
	HOST=$(HOST) $(VENV)/bin/gunicorn -c config/gunicorn.conf.py

test: install compile-messages
	$(VPY) -m pytest $(PYTEST_WORKERS) $(ARGS)

install: system-packages $(STAMP) $(NPM_STAMP)

system-packages:
	@bash scripts/system-packages.sh

$(VPY):
	$(PYTHON) -m venv $(VENV)

# The project is not a package (pyproject: packages = []), so its dependency lists are installed directly:
# the same result as `pip install -e '.[test]'` without building anything.
$(STAMP): pyproject.toml | $(VPY)
	$(VPY) -c "import tomllib; p = tomllib.load(open('pyproject.toml', 'rb'))['project']; \
		print(*p['dependencies'], *p['optional-dependencies']['test'], sep='\n')" > $(VENV)/requirements.txt
	$(VPY) -m pip install --quiet -r $(VENV)/requirements.txt
	@touch $@

# axe-core is read from node_modules by the accessibility test (injected into the page, never from a CDN).
# Without npm the step says so and goes on; that test then skips with the reason.
$(NPM_STAMP): package.json package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
		npm ci --no-audit --no-fund --loglevel=error && touch $@; \
	else \
		echo "install: npm not found; run scripts/system-packages.sh as root (tests/test_axe.py skips meanwhile)" >&2; \
	fi

compile-messages: install
	@$(VPY) scripts/compile-messages.py

# makemessages runs inside each app that has a locale/ folder (so its strings land in its own catalogue),
# then at the project root for a root locale/ (templates and code outside those apps). Without
# DJANGO_SETTINGS_MODULE so that LOCALE_PATHS does not pull app strings into the project catalogue.
messages: install
	@set -e; apps=""; \
	for loc in */locale; do \
		[ -d "$$loc" ] || continue; app=$${loc%/locale}; apps="$$apps $$app"; \
		echo "makemessages: $$app"; \
		(cd "$$app" && env -u DJANGO_SETTINGS_MODULE "$(CURDIR)/$(VENV)/bin/django-admin" makemessages -l zh_Hans); \
	done; \
	if [ -d locale ]; then \
		echo "makemessages: project locale/"; \
		ignores=""; for app in $$apps; do ignores="$$ignores --ignore=$$app"; done; \
		env -u DJANGO_SETTINGS_MODULE "$(CURDIR)/$(VENV)/bin/django-admin" makemessages -l zh_Hans $$ignores \
			--ignore=var --ignore=staticfiles --ignore=media --ignore=node_modules; \
	fi
	@$(VPY) scripts/compile-messages.py

lint: $(STAMP)
	$(VENV)/bin/ruff check .

# Every bench/*.py on a throwaway SQLite file, then on a throwaway PostgreSQL database when one answers at
# $(BENCH_PG) (created and dropped here; set BENCH_PG= to skip). docs/performance.md keeps the results.
BENCH_PG ?= postgres://postgres@127.0.0.1:5432
bench: install compile-messages
	@set -e; for script in bench/[!_]*.py; do \
		[ -e "$$script" ] || { echo "bench: no bench/*.py scripts"; break; }; \
		echo "== sqlite $$script"; env -u DATABASE_URL $(VPY) "$$script"; \
	done
	@set -e; if [ -z "$(BENCH_PG)" ]; then echo "bench: PostgreSQL skipped (BENCH_PG empty)"; exit 0; fi; \
	db=shequ_bench_$$$$; \
	if ! psql "$(BENCH_PG)/postgres" -qc "CREATE DATABASE $$db" 2>/dev/null; then \
		echo "bench: PostgreSQL at $(BENCH_PG) not reachable: skipped"; exit 0; fi; \
	trap 'psql "$(BENCH_PG)/postgres" -qc "DROP DATABASE IF EXISTS $$db WITH (FORCE)"' EXIT; \
	DATABASE_URL="$(BENCH_PG)/$$db" $(VPY) manage.py migrate --noinput -v0; \
	for script in bench/[!_]*.py; do \
		echo "== postgresql $$script"; DATABASE_URL="$(BENCH_PG)/$$db" $(VPY) "$$script"; \
	done

# Bounded load test (docs/performance.md): a throwaway PostgreSQL database at $(BENCH_PG), migrated and
# seeded (seed_scale, $(LOAD_SEED)), then scripts/loadtest.py starts gunicorn like `make serve` on a free
# loopback port and runs USERS (50) users for DURATION (120) seconds; the database is dropped afterwards.
LOAD_SEED ?= --communities 5 --staff 75 --years 1 --households 20
load:
	@$(VPY) scripts/compile-messages.py
	@set -e; db=shequ_load_$$$$; \
	psql "$(BENCH_PG)/postgres" -qc "CREATE DATABASE $$db"; \
	trap 'psql "$(BENCH_PG)/postgres" -qc "DROP DATABASE IF EXISTS $$db WITH (FORCE)"' EXIT; \
	export DATABASE_URL="$(BENCH_PG)/$$db"; \
	$(VPY) manage.py migrate --noinput -v0; \
	$(VPY) manage.py seed_scale $(LOAD_SEED) >/dev/null; \
	$(VPY) scripts/loadtest.py
