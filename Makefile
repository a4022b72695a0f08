# quickbooks_sync: the two commands that matter are `make run` and `make test`.
# Everything is driven by tools/dev.py (standard library only); see its docstring for the
# environment variables it reads (ODOO_SRC, PGHOST, ODOO_HTTP_PORT, ...).

PYTHON ?= $(shell command -v python3.11 || command -v python3.12 || command -v python3)
DEV := $(PYTHON) tools/dev.py

.PHONY: setup run test lint i18n bench soak screenshots emulator qbd-emulator clean

setup:  ## install everything (idempotent)
	$(DEV) setup

run:    ## Odoo on :8069 with demo data, connected to the bundled QuickBooks Online emulator
	$(DEV) run

test:   ## the whole suite: lint, emulator, Python tests, browser tours
	$(DEV) test

lint:   ## ruff, pylint-odoo, and the translation template current
	$(DEV) lint

i18n:   ## export i18n/quickbooks_sync.pot with Odoo's own tooling
	$(DEV) i18n

bench:  ## benchmarks; figures printed and written to bench/results.json
	$(DEV) bench

soak:   ## fault soaks: push (two workers, a quarter of requests failing, a worker killed twice) and pull (notifications dropped, duplicated, reordered, the worker killed); a few minutes each
	$(DEV) soak

screenshots: ## re-take the README's screenshots (docs/screenshots/*.png) in headless Chromium
	$(DEV) screenshots

emulator: ## only the emulator, on :8089, with the control API
	$(DEV) setup >/dev/null && .venv/bin/python -m qbo_emulator --port 8089 --db .build/emulator.sqlite3 --control

qbd-screenshots: ## re-take the README's screenshots (docs/screenshots/*.png) in headless Chromium
	$(DEV) screenshots

emulator: ## only the QuickBooks Desktop stand-in (company file) on :8090, with the control interface
	$(DEV) setup >/dev/null && .venv/bin/python -m qbd_emulator quickbooks --port 8090 --db .build/qbd_company.sqlite3 --control

clean:  ## remove the virtualenv and build files (keeps the Odoo source cache)
	rm -rf .venv .build
