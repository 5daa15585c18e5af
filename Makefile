# Thin targets; each creates .venv and installs pinned packages first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: check serve build test lint bench

$(BIN)/mkdocs: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(BIN)/pytest: requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

# Lighthouse and axe-core for tests/test_quality.py, exactly as package-lock.json pins them.
node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund

check: $(BIN)/mkdocs  ## install what check, fmt, new and serve need (no browser, no npm), then check the bank
	$(BIN)/python -m qbank check

serve: $(BIN)/mkdocs  ## install, then serve the site on http://127.0.0.1:8000/ (rebuilds on edits)
	$(BIN)/mkdocs serve

build: $(BIN)/mkdocs  ## install, then build the site into site/
	$(BIN)/mkdocs build

test: $(BIN)/pytest node_modules/.package-lock.json  ## install (Python and npm packages, and Debian's chromium if missing), then run every test
	scripts/install-chromium
	$(BIN)/python -m pytest

lint: $(BIN)/pytest
	$(BIN)/ruff check .

bench: $(BIN)/pytest  ## benchmark: build and Chromium search latency, our site against plain Markdown at 100, 1,000 and 10,000 questions
	scripts/install-chromium
	$(BIN)/python bench/build.py --json bench/results.json
