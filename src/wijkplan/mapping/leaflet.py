"""What Leaflet needs from the app: its own copy of Leaflet, the base tiles, EPSG:4326.

Leaflet is served by the app itself (no CDN): folium's default JS/CSS links are
replaced by local URLs, and folium elements that would pull in more assets
(branca colour maps load d3 from a CDN, awesome markers, Bootstrap) are not used.
The PDOK base map is drawn only where it can be reached (:func:`basemap_mode`).
"""

from __future__ import annotations

import os
import socket
from importlib import resources
from pathlib import Path

import folium
import geopandas as gpd

from wijkplan.settings import CRS_WGS84

PDOK_BRT_URL = (
    "https://service.pdok.nl/brt/achtergrondkaart/wmts/v2_0/standaard/EPSG:3857/{z}/{x}/{y}.png"
)
PDOK_HOST = "service.pdok.nl"
PDOK_ATTRIBUTION = 'Kaartgegevens &copy; <a href="https://www.kadaster.nl">Kadaster</a> (BRT-Achtergrondkaart, PDOK)'
LEAFLET_SUBDIR = "vendor/leaflet"


def install_leaflet(static_dir: Path | str) -> Path:
    """Copy Leaflet (from the django-js-lib-leaflet wheel) into ``static_dir``; idempotent."""
    source = resources.files("js_lib_leaflet") / "static" / "js_lib_leaflet"
    target = Path(static_dir) / LEAFLET_SUBDIR
    marker = target / "leaflet.js"
    src_js = source / "leaflet.js"
    if marker.is_file() and marker.stat().st_size == len(src_js.read_bytes()):
        return target
    (target / "images").mkdir(parents=True, exist_ok=True)
    for name in ("leaflet.js", "leaflet.css"):
        (target / name).write_bytes((source / name).read_bytes())
    for image in (source / "images").iterdir():
        (target / "images" / image.name).write_bytes(image.read_bytes())
    return target


def basemap_mode(setting: str | None = None) -> str:
    """ "pdok" or "geen": the base map to draw.

    ``WIJKPLAN_BASEMAP`` may be "pdok", "geen" or "auto" (default). "auto"
    draws PDOK only when its host name resolves, so an offline machine (or a
    network that blocks PDOK) gets a clean vector-only map instead of grey tiles,
    and the browser never tries an outside address.
    """
    setting = (setting or os.environ.get("WIJKPLAN_BASEMAP", "auto")).strip().lower()
    if setting in ("pdok", "geen"):
        return setting
    try:
        socket.getaddrinfo(PDOK_HOST, 443)
    except OSError:
        return "geen"
    return "pdok"


def _localise(m: folium.Map, asset_base: str) -> None:
    """Point the map's JS/CSS at the app's own copy of Leaflet; drop the rest."""
    m.default_js = [("leaflet", f"{asset_base}/leaflet.js")]
    m.default_css = [("leaflet_css", f"{asset_base}/leaflet.css")]


def to_wgs84(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Leaflet wants longitude/latitude."""
    return frame.to_crs(CRS_WGS84)
