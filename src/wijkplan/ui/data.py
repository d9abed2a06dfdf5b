"""What the pages load: the built layers and build report, the status store, static assets.

Loaders use ``st.cache_data`` keyed by the GeoPackage's modification time, so a
rebuild is picked up without restarting the app. Leaflet's files are installed once
(``st.cache_resource``); the base-map setting is re-checked every ten minutes. Also
the area lookups the pages share (search options, the buurten of an area).
"""

from __future__ import annotations

import os
from pathlib import Path

import streamlit as st

from wijkplan.afspraken.store import StatusStore, default_store_path
from wijkplan.errors import WijkplanError
from wijkplan.mapping import basemap_mode, install_leaflet
from wijkplan.read import BuiltLayers, read_report
from wijkplan.report import BuildReport
from wijkplan.settings import DEFAULT_LAYERS, PROJECT_ROOT
from wijkplan.text_safety import markdown_text as md


def layers_path() -> Path:
    """The built GeoPackage the app reads (``WIJKPLAN_LAYERS`` overrides the default)."""
    return Path(os.environ.get("WIJKPLAN_LAYERS", str(DEFAULT_LAYERS)))


def _mtime(path: Path) -> float:
    return path.stat().st_mtime if path.exists() else 0.0


@st.cache_data(show_spinner="Lagen laden…")
def _load(path: str, mtime: float) -> BuiltLayers:
    return BuiltLayers(path)


@st.cache_data
def _report(path: str, mtime: float) -> BuildReport:
    return read_report(path)


def status_store() -> StatusStore:
    """The live status store of the agreements (``WIJKPLAN_STATUS_STORE`` or the default)."""
    return StatusStore(default_store_path())


def load_layers() -> BuiltLayers:
    """The layers of the built GeoPackage (cached); stops the page with one line if absent."""
    path = layers_path()
    try:
        return _load(str(path), _mtime(path))
    except WijkplanError as exc:
        st.error(md(exc))
        st.stop()
        raise  # unreachable: st.stop() raises


def load_report() -> BuildReport | None:
    path = layers_path()
    try:
        return _report(str(path), _mtime(path))
    except WijkplanError:
        return None


@st.cache_resource
def static_assets() -> str:
    """Install Leaflet under ``static/`` next to the app once; return its URL base."""
    install_leaflet(PROJECT_ROOT / "static")
    base = (st.get_option("server.baseUrlPath") or "").strip("/")
    prefix = f"/{base}" if base else ""
    return f"{prefix}/app/static/vendor/leaflet"


def basemap() -> str:
    return _basemap_cached(os.environ.get("WIJKPLAN_BASEMAP", "auto"))


@st.cache_data(ttl=600)
def _basemap_cached(setting: str) -> str:
    return basemap_mode(setting)


def area_options(data: BuiltLayers) -> dict[str, str]:
    """Search options: label → code, for buurten, wijken, regie areas and heat areas."""
    return data.areas.search_options()


def buurten_of(data: BuiltLayers, code: str | None) -> list[str]:
    """The buurtcodes that make up an area, for highlighting it on the map."""
    return list(data.areas.buurten_of(code)) if code else []
