# Two commands a fresh machine needs: `make run` and `make test`. Both build .venv from
# pyproject.toml first, so nothing installed by hand is assumed.
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp

# The official Teams manifest schemas ship in this npm package (build/json-schemas/teams/v1.x/);
# pinned so the manifest test checks against the same files on every machine.
MANIFEST_SCHEMAS := @microsoft/app-manifest@1.1.2
NPM_DIR := build/npm
SCHEMA_STAMP := $(NPM_DIR)/node_modules/@microsoft/app-manifest/package.json

.PHONY: run test bench bench-server bench-load check-data package clean

$(STAMP): pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(STAMP)

# Starts the Bot Framework endpoint (authentication off unless MicrosoftAppId is set) and prints its URL.
run: $(STAMP)
	$(PY) app.py

# Without npm (or offline) the manifest schema test skips with the reason, and fails under CI=true.
$(SCHEMA_STAMP):
	@mkdir -p $(NPM_DIR)
	@test -f $(NPM_DIR)/package.json || echo '{"private": true}' > $(NPM_DIR)/package.json
	@if command -v npm >/dev/null 2>&1; then \
	  npm install --prefix $(NPM_DIR) --no-save --no-audit --no-fund --ignore-scripts --loglevel=error $(MANIFEST_SCHEMAS) \
	  || echo "warning: npm could not install $(MANIFEST_SCHEMAS); the manifest schema test will skip"; \
	else echo "warning: npm not found; the manifest schema test will skip"; fi

test: $(STAMP) $(SCHEMA_STAMP)
	$(PY) -m pytest -q

bench: $(STAMP)
	$(PY) -m bench.recognition
	$(PY) -m bench.search

# The Teams server against a stock botbuilder echo bot, on loopback (about a minute).
bench-server: $(STAMP)
	$(PY) -m bench.server

# 300 concurrent conversations for 30 s against the real server on loopback, with clarify
# dialogs and a data reload midway (README, "Under load"; about 45 s).
bench-load: $(STAMP)
	$(PY) -m bench.load

check-data: $(STAMP)
	$(PY) -m bot check-data

package: $(STAMP)
	$(PY) -m bot package

clean:
	rm -rf $(VENV) build .pytest_cache
