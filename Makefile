# The two commands of the README: `make demo` and `make test`. Both set everything up.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)
DB     ?= sqlite:///dateline.db

.PHONY: install demo test test-services serve bench scores clean

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test]'
	rm -f $(VENV)/.installed-* && touch $(STAMP)

install: $(STAMP)

demo: install
	$(VENV)/bin/dateline ingest examples/ --db $(DB) --format table
	$(VENV)/bin/dateline list --db $(DB) --format table
	$(VENV)/bin/dateline stories --db $(DB) --format table
	$(VENV)/bin/dateline negotiations RUS UKR --db $(DB) --format table
	@echo
	@echo "Stored in $(DB). Browse it with:  $(VENV)/bin/dateline serve --db $(DB)"

# System services the tests use (PostgreSQL, Debian's chromium); installed from Debian
# when missing, started for this run. Tests needing one skip only when it cannot be had.
test-services:
	@bash scripts/test-services.sh

test: install test-services
	@set -a; [ -f .test-env ] && . ./.test-env; set +a; $(PY) -m pytest -q

serve: install
	$(VENV)/bin/dateline serve --db $(DB)

bench: install
	$(PY) bench/extract_speed.py
	$(PY) bench/nlp_speed.py
	$(PY) bench/reader_speed.py

clean:
	rm -rf $(VENV) dateline.db* .pytest_cache tests/artifacts
