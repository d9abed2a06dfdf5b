"""The only place that turns layers into folium maps (and into EPSG:4326).

Leaflet is served by the app itself (no CDN): folium's default JS/CSS links are
replaced by local URLs, and folium elements that would pull in more assets
(branca colour maps load d3 from a CDN, awesome markers, Bootstrap) are not used.
"""

from __future__ import annotations

import itertools
import os
import socket
from collections.abc import Mapping, Sequence
from importlib import resources
from pathlib import Path

import folium
import geopandas as gpd

from wijkplan.numbers import number
from wijkplan.settings import CRS_WGS84

PDOK_BRT_URL = (
    "https://service.pdok.nl/brt/achtergrondkaart/wmts/v2_0/standaard/EPSG:3857/{z}/{x}/{y}.png"
)
PDOK_HOST = "service.pdok.nl"
PDOK_ATTRIBUTION = 'Kaartgegevens &copy; <a href="https://www.kadaster.nl">Kadaster</a> (BRT-Achtergrondkaart, PDOK)'
LEAFLET_SUBDIR = "vendor/leaflet"

SELECTED_STYLE = {"color": "#d7301f", "weight": 4, "fillOpacity": 0.05}
BUURT_STYLE = {"color": "#3a5a80", "weight": 1, "fillColor": "#9ecae1", "fillOpacity": 0.35}
REGIE_STYLE = {"color": "#7a0177", "weight": 3.5, "dashArray": "8 5", "fill": False}
WIJK_STYLE = {"color": "#1b2a41", "weight": 2.5, "fill": False}
CORPORATIE_COLOURS = {"Woonforte": "#e6550d", "Habeko": "#31a354"}


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


def base_map(
    buurten: gpd.GeoDataFrame,
    wijken: gpd.GeoDataFrame,
    *,
    asset_base: str = "/app/static/" + LEAFLET_SUBDIR,
    basemap: str = "geen",
    complexen: gpd.GeoDataFrame | None = None,
    regiegebieden: gpd.GeoDataFrame | None = None,
    buurt_style: dict[str, dict[str, object]] | None = None,
    complex_colours: Mapping[str, str] | None = None,
) -> folium.Map:
    """The overview map: buurten (clickable, with tooltips), wijken outlined, complexen.

    ``buurt_style`` optionally maps buurtcode to a Leaflet path style (used by
    themes for a choropleth); otherwise all buurten share one style.
    """
    b = to_wgs84(buurten[["buurtcode", "buurtnaam", "wijkcode", "geometry"]])
    w = to_wgs84(wijken[["wijkcode", "wijknaam", "geometry"]])
    names = dict(zip(w["wijkcode"], w["wijknaam"], strict=True))
    b = b.assign(wijknaam=b["wijkcode"].map(names))
    minx, miny, maxx, maxy = b.total_bounds
    m = folium.Map(tiles=None, control_scale=True, prefer_canvas=False, zoom_snap=0.25)
    _localise(m, asset_base)
    if basemap == "pdok":
        folium.TileLayer(
            PDOK_BRT_URL, attr=PDOK_ATTRIBUTION, name="BRT-Achtergrondkaart (PDOK)", max_zoom=19
        ).add_to(m)
    styles = buurt_style or {}
    folium.GeoJson(
        b,
        name="Buurten",
        style_function=lambda f: {**BUURT_STYLE, **styles.get(f["properties"]["buurtcode"], {})},
        highlight_function=lambda f: {"weight": 3, "color": "#08306b"},
        tooltip=folium.GeoJsonTooltip(
            ["buurtnaam", "buurtcode", "wijknaam"], aliases=["Buurt", "Code", "Wijk"]
        ),
    ).add_to(m)
    folium.GeoJson(w, name="Wijken", style_function=lambda f: WIJK_STYLE, interactive=False).add_to(
        m
    )
    if regiegebieden is not None and len(regiegebieden):
        folium.GeoJson(
            to_wgs84(regiegebieden[["regie_id", "naam", "geometry"]]),
            name="Regiegebieden leefbaarheid",
            style_function=lambda f: REGIE_STYLE,
            interactive=False,
        ).add_to(m)
    if complexen is not None and len(complexen):
        add_complexen(m, complexen, complex_colours)
    m.fit_bounds([[miny, minx], [maxy, maxx]])
    return m


def add_complexen(
    m: folium.Map, complexen: gpd.GeoDataFrame, colours: Mapping[str, str] | None = None
) -> None:
    """Complexes as small circles (footprints vanish at municipal zoom).

    Coloured by corporation, or by ``colours`` (complex_id -> colour, e.g. the
    liveability class under the complex) when given.
    """
    pts = to_wgs84(complexen.assign(geometry=complexen.geometry.representative_point()))
    group = folium.FeatureGroup(name="Complexen corporaties")
    for rec in pts.itertuples():
        colour = (
            colours.get(str(rec.complex_id), "#969696")
            if colours is not None
            else CORPORATIE_COLOURS.get(str(rec.corporatie), "#756bb1")
        )
        folium.CircleMarker(
            location=(rec.geometry.y, rec.geometry.x),
            radius=3 + min(float(rec.aantal_woningen), 200) / 40,
            color=colour,
            fill=True,
            fill_opacity=0.8,
            weight=1,
            tooltip=f"{rec.naam} ({rec.corporatie}, {rec.aantal_woningen} woningen)",
        ).add_to(group)
    group.add_to(m)


def selection_layer(buurten: gpd.GeoDataFrame, codes: Sequence[str]) -> folium.FeatureGroup:
    """The outline of the selected buurt(en), added without re-mounting the map."""
    group = folium.FeatureGroup(name="Selectie")
    sel = buurten[buurten["buurtcode"].isin(list(codes))]
    if len(sel):
        folium.GeoJson(
            to_wgs84(sel[["buurtcode", "geometry"]]),
            style_function=lambda f: SELECTED_STYLE,
            interactive=False,
        ).add_to(group)
    return group


#: Colours of the nine Leefbaarometer classes, from "zeer onvoldoende" to "uitstekend".
CLASS_COLOURS = (
    "#a50026",
    "#d73027",
    "#f46d43",
    "#fdae61",
    "#fee08b",
    "#d9ef8b",
    "#a6d96a",
    "#66bd63",
    "#1a9850",
)
#: Sequential palette (light to dark) for quantities; ColorBrewer YlOrRd, 5 classes.
SEQUENTIAL = ("#ffffb2", "#fecc5c", "#fd8d3c", "#f03b20", "#bd0026")
NO_DATA_STYLE = {"fillColor": "#d9d9d9", "fillOpacity": 0.5}


def class_styles(
    klasse_nr: Mapping[str, float | None], labels: Sequence[str]
) -> tuple[dict[str, dict[str, object]], list[tuple[str, str]]]:
    """Buurt styles and legend for a Leefbaarometer class (1..9) per buurtcode.

    >>> styles, legend = class_styles({"BU1": 1, "BU2": None}, ["a"] * 9)
    >>> styles["BU1"]["fillColor"], styles["BU2"]["fillColor"], legend[0]
    ('#a50026', '#d9d9d9', ('a', '#a50026'))
    """
    styles: dict[str, dict[str, object]] = {}
    for code, value in klasse_nr.items():
        if value is None or value != value:  # None or NaN
            styles[code] = dict(NO_DATA_STYLE)
        else:
            styles[code] = {"fillColor": CLASS_COLOURS[int(value) - 1], "fillOpacity": 0.7}
    return styles, list(zip(labels, CLASS_COLOURS, strict=True))


def quantile_styles(
    values: Mapping[str, float | None], *, decimals: int = 1, higher_is_worse: bool = True
) -> tuple[dict[str, dict[str, object]], list[tuple[str, str]]]:
    """Buurt styles and legend in five quantile classes (dark = high, or = low)."""
    import numpy as np

    codes = list(values)
    arr = np.array([np.nan if v is None else float(v) for v in values.values()], dtype=float)
    valid = arr[~np.isnan(arr)]
    palette = SEQUENTIAL if higher_is_worse else SEQUENTIAL[::-1]
    styles: dict[str, dict[str, object]] = {c: dict(NO_DATA_STYLE) for c in codes}
    if not len(valid):
        return styles, []
    edges = np.unique(np.quantile(valid, np.linspace(0, 1, len(palette) + 1)))
    bins = np.clip(np.searchsorted(edges, arr, side="right") - 1, 0, max(len(edges) - 2, 0))
    for code, value, b in zip(codes, arr, bins, strict=True):
        if not np.isnan(value):
            styles[code] = {"fillColor": palette[int(b)], "fillOpacity": 0.7}
    legend = [
        (f"{number(lo, decimals)} – {number(hi, decimals)}", palette[i])
        for i, (lo, hi) in enumerate(itertools.pairwise(edges))
    ]
    return styles, legend
