# wijkplan: `make app` starts the map app on the bundled data, `make test` runs every test.
# Both create the virtual environment in .venv first (Python 3.11 or newer).

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-dev
PORT   ?= 8501
DATA   ?= data/geo
LAYERS ?= layers/wijkplan.gpkg

.PHONY: app test layers lint bench bench-sessions browser-deps postgis-deps qgis-deps clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "wijkplan needs Python 3.11 or newer")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

# Sample sources for what is not public, then the GeoPackage (rebuilt every time: a few seconds).
layers: $(STAMP)
	$(BIN)/wijkplan sample-data --data $(DATA)
	$(BIN)/wijkplan build --data $(DATA) --out $(LAYERS)

# The first time (no users file yet) this makes the user 'coordinator' and prints its password once.
app: layers
	$(BIN)/wijkplan gebruikers init
	$(BIN)/streamlit run app.py --server.port $(PORT)

# The built layers as a live OGC API – Features on 127.0.0.1 (QGIS: Laag toevoegen → WFS / OGC API – Features).
OGC_PORT ?= 5000
.PHONY: ogc
ogc: layers
	$(BIN)/wijkplan serve-ogc --layers $(LAYERS) --port $(OGC_PORT)

# Debian's chromium for the browser test (Playwright cannot download a browser here).
browser-deps:
	@bash scripts/install-browser.sh

# Debian's PostgreSQL server and PostGIS for the PostGIS export tests (a throwaway cluster per run).
postgis-deps:
	@bash scripts/install-postgis.sh

# Debian's QGIS (python3-qgis) for the tests that open our exports in a real, headless QGIS.
qgis-deps:
	@bash scripts/install-qgis.sh

test: $(STAMP) browser-deps postgis-deps qgis-deps
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check src tests app.py views benchmarks
	$(BIN)/ruff format --check src tests app.py views benchmarks
	$(BIN)/mypy

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_zonal.py

# 10 concurrent browser sessions (map + dossier) against 1, and against the plain peer app of
# ../shared/bench (needs Debian chromium and the peer's venv, see benchmarks/README.md).
SESSIONS ?= 10
bench-sessions: layers
	$(BIN)/python benchmarks/bench_sessions.py --sessions $(SESSIONS) --layers $(LAYERS)

clean:
	rm -rf $(VENV) layers static/vendor .pytest_cache .ruff_cache .mypy_cache
