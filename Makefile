# Two commands a fresh machine needs: `make run` and `make test`. Both build .venv from the
# lock files first, so nothing installed by hand is assumed. `make help` lists every target.
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
# Exact versions of every package (pyproject.toml keeps the allowed ranges): the app's and the
# production server's in requirements.lock (the Docker image), plus the test tools in
# requirements-dev.lock (make). `make lock` refreshes both after a change to pyproject.toml.
LOCK := requirements.lock
DEV_LOCK := requirements-dev.lock
PIP_TOOLS := pip-tools==7.6.2
# pip-compile writes this into the lock files' header as the command that made them.
export CUSTOM_COMPILE_COMMAND := make lock
# No index URLs in the files (each machine keeps its own pip configuration); pip and setuptools
# pinned too, so the image and the venv build with the same ones.
LOCK_OPTIONS := --strip-extras --no-emit-options --allow-unsafe

# The official Teams manifest schemas ship in this npm package (build/json-schemas/teams/v1.x/);
# pinned so the manifest test checks against the same files on every machine.
MANIFEST_SCHEMAS := @microsoft/app-manifest@1.1.2
NPM_DIR := build/npm
SCHEMA_STAMP := $(NPM_DIR)/node_modules/@microsoft/app-manifest/package.json
# The local chat page's card renderer (Microsoft's official Adaptive Cards renderer) and the
# markdown-it it uses for TextBlock markdown; pinned, served from build/npm, never committed.
CHAT_PAGE_PACKAGES := adaptivecards@3.0.6 markdown-it@14.1.0
CHAT_PAGE_STAMP := $(NPM_DIR)/node_modules/adaptivecards/package.json

.PHONY: help run test test-fast lint typecheck fmt lock ask bench bench-server bench-load check-data package clean

help: ## List the targets
	@awk -F':.*## ' '/^[a-z-]+:.*## / {printf "  make %-13s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

# --no-deps: the lock already holds every dependency; the project itself is installed editable.
$(STAMP): pyproject.toml $(DEV_LOCK)
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet -r $(DEV_LOCK)
	$(PY) -m pip install --quiet --no-deps -e .
	@$(PY) -m pip check >/dev/null || { $(PY) -m pip check; \
	  echo "pyproject.toml needs a package the lock files lack: run make lock, commit requirements*.lock"; exit 1; }
	touch $(STAMP)

# Authentication is off unless MicrosoftAppId is set.
run: $(STAMP) $(CHAT_PAGE_STAMP) ## Start the bot and the local chat page on http://127.0.0.1:3978/
	$(PY) app.py

# Without npm (or offline) the manifest schema test skips with the reason, and fails under CI=true.
# One npm install for all packages: a later `npm install --no-save` would prune the earlier ones.
$(SCHEMA_STAMP) $(CHAT_PAGE_STAMP) &:
	@mkdir -p $(NPM_DIR)
	@test -f $(NPM_DIR)/package.json || echo '{"private": true}' > $(NPM_DIR)/package.json
	@if command -v npm >/dev/null 2>&1; then \
	  npm install --prefix $(NPM_DIR) --no-save --no-audit --no-fund --ignore-scripts --loglevel=error $(MANIFEST_SCHEMAS) $(CHAT_PAGE_PACKAGES) \
	  || echo "warning: npm could not install $(MANIFEST_SCHEMAS) $(CHAT_PAGE_PACKAGES); the manifest schema and chat page tests will skip"; \
	else echo "warning: npm not found; the manifest schema and chat page tests will skip, the chat page shows cards as text"; fi

test: lint typecheck $(STAMP) $(SCHEMA_STAMP) $(CHAT_PAGE_STAMP) ## Lint, type-check and run every test (what CI runs)
	$(PY) -m pytest -q

test-fast: $(STAMP) ## The inner loop: tests without the browser and the slow ones (subprocesses, servers)
	$(PY) -m pytest -q -m "not browser and not slow"

lint: $(STAMP) ## ruff: lint rules and formatting (make fmt fixes most findings)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

typecheck: $(STAMP) ## mypy, strict (configured in pyproject.toml)
	$(VENV)/bin/mypy

fmt: $(STAMP) ## Format the code and apply ruff's safe fixes
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

# Keeps the pinned versions and adds what pyproject.toml gained; `make lock UPGRADE=1` moves
# every pin to the newest version the ranges allow. Needs the package index; commit both files.
lock: $(STAMP) ## Refresh requirements*.lock after a change to pyproject.toml (UPGRADE=1: newest versions)
	$(PY) -m pip install --quiet $(PIP_TOOLS)
	$(VENV)/bin/pip-compile --quiet $(if $(UPGRADE),--upgrade) --extra serve $(LOCK_OPTIONS) -o $(LOCK) pyproject.toml
	$(VENV)/bin/pip-compile --quiet $(if $(UPGRADE),--upgrade) --extra serve --extra test -c $(LOCK) $(LOCK_OPTIONS) \
	  -o $(DEV_LOCK) pyproject.toml

bench: $(STAMP) ## Recognition and search speed against a baseline in the same run
	$(PY) -m bench.recognition
	$(PY) -m bench.search

# The Teams server against a stock botbuilder echo bot, on loopback (about a minute).
bench-server: $(STAMP) ## The Teams server against a stock botbuilder echo bot (about a minute)
	$(PY) -m bench.server

# 300 concurrent conversations for 30 s against the real server on loopback, with clarify
# dialogs and a data reload midway (README, "Under load"; about 45 s).
bench-load: $(STAMP) ## 300 concurrent conversations for 30 s against the real server (about 45 s)
	$(PY) -m bench.load

# Q is passed as one argument; without Q, an interactive prompt (or questions from stdin).
ask: $(STAMP) ## Answer a question as the bot would: make ask Q="vem har Sörmland?"
	@$(VENV)/bin/regiondorren ask $(if $(Q),'$(subst ','\'',$(Q))')

check-data: $(STAMP) ## Check the files in data/ and explain every problem
	$(VENV)/bin/regiondorren check-data

package: $(STAMP) ## Build the Teams app package (manifest and icons) for upload
	$(VENV)/bin/regiondorren package

clean: ## Remove .venv, build output and caches
	rm -rf $(VENV) build .pytest_cache
