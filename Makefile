# The two commands of the README:
#   make report   set up (first run) and render the sample client report
#   make test     set up (first run) and run the whole test suite
# Set-up is a local virtual environment in .venv with techseg installed in editable mode, plus
# Debian's Chromium for the browser tests. Nothing else is needed on a fresh machine.

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)
SAMPLE ?= data/samples/advisory_firm/client.yaml
OUT    ?= reports

.PHONY: report test setup chromium clean

report: $(STAMP)
	$(BIN)/techseg report $(SAMPLE) --out $(OUT)

test: $(STAMP) chromium
	$(BIN)/python -m pytest

setup: $(STAMP) chromium

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	rm -f $(VENV)/.installed-*
	touch $@

chromium:
	@bash scripts/ensure_chromium.sh

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis
