# Two commands a fresh machine needs: `make run` and `make test`. Both build .venv from
# pyproject.toml first, so nothing installed by hand is assumed.
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp

.PHONY: run test bench check-data clean

$(STAMP): pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(STAMP)

# Starts the Bot Framework endpoint (authentication off unless MicrosoftAppId is set) and prints its URL.
run: $(STAMP)
	$(PY) app.py

test: $(STAMP)
	$(PY) -m pytest -q

bench: $(STAMP)
	$(PY) -m bench.recognition

check-data: $(STAMP)
	$(PY) -m bot check-data

clean:
	rm -rf $(VENV) build .pytest_cache
