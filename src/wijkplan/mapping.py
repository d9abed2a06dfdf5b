"""The only place that turns layers into folium maps (and into EPSG:4326).

Leaflet is served by the app itself (no CDN): folium's default JS/CSS links are
replaced by local URLs, and folium elements that would pull in more assets
(branca colour maps load d3 from a CDN, awesome markers, Bootstrap) are not used.
"""

from __future__ import annotations

import html
import itertools
import os
import socket
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Literal

import folium
import geopandas as gpd
import pandas as pd
from branca.element import MacroElement
from folium.template import Template

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
NO_DATA_COLOUR = "#969696"
#: Shown in a tooltip where a value is missing.
MISSING_TEXT = "—"


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
    complex_outline: str | None = None,
    buurt_info: Mapping[str, Mapping[str, str]] | None = None,
    heat: HeatLayers | None = None,
) -> folium.Map:
    """The overview map: buurten (clickable, with tooltips), wijken outlined, complexen.

    ``buurt_style`` optionally maps buurtcode to a Leaflet path style (used by
    themes for a choropleth); otherwise all buurten share one style. ``buurt_info``
    adds lines to a buurt's tooltip (buurtcode -> label -> text, the same labels
    for every buurt). ``heat`` adds the heat-transition layers (see :func:`heat_theme`):
    the phase hatching over the buurten, the districts and the aquathermal project.
    """
    b = to_wgs84(buurten[["buurtcode", "buurtnaam", "wijkcode", "geometry"]])
    w = to_wgs84(wijken[["wijkcode", "wijknaam", "geometry"]])
    names = dict(zip(w["wijkcode"], w["wijknaam"], strict=True))
    b = b.assign(wijknaam=b["wijkcode"].map(names))
    fields, aliases = ["buurtnaam", "buurtcode", "wijknaam"], ["Buurt", "Code", "Wijk"]
    if buurt_info:
        labels = list(dict.fromkeys(k for info in buurt_info.values() for k in info))
        for i, label in enumerate(labels):
            column = f"info_{i}"
            b[column] = [buurt_info.get(c, {}).get(label, MISSING_TEXT) for c in b["buurtcode"]]
            fields.append(column)
            aliases.append(label)
    minx, miny, maxx, maxy = b.total_bounds
    m = folium.Map(tiles=None, control_scale=True, prefer_canvas=False, zoom_snap=0.25)
    _localise(m, asset_base)
    if heat is not None:
        SvgPatterns(PHASE_PATTERNS.values()).add_to(m)  # before any layer that refers to them
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
        tooltip=folium.GeoJsonTooltip(fields, aliases=aliases),
    ).add_to(m)
    if heat is not None and heat.hatch is not None and len(heat.hatch):
        add_phase_hatching(m, heat.hatch)
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
    if heat is not None:
        if heat.districts is not None and len(heat.districts):
            add_warmtegebieden(m, heat.districts)
        if heat.differences is not None and len(heat.differences):
            folium.GeoJson(
                to_wgs84(heat.differences[["buurtcode", "geometry"]]),
                name="Plan en indicatie verschillen",
                style_function=lambda f: {**DIFFERENCE_STYLE, "fill": False},
                interactive=False,
            ).add_to(m)
        if heat.aquathermie is not None and len(heat.aquathermie):
            add_aquathermie(m, heat.aquathermie)
    if complexen is not None and len(complexen):
        add_complexen(m, complexen, complex_colours, outline=complex_outline)
    m.fit_bounds([[miny, minx], [maxy, maxx]])
    return m


def add_complexen(
    m: folium.Map,
    complexen: gpd.GeoDataFrame,
    colours: Mapping[str, str] | None = None,
    *,
    outline: str | None = None,
) -> None:
    """Complexes as small circles (footprints vanish at municipal zoom).

    Coloured by corporation, or by ``colours`` (complex_id -> colour, e.g. the
    liveability class under the complex, or its energy label) when given;
    ``outline`` draws the circle's edge in one colour (for light fill colours).
    """
    pts = to_wgs84(complexen.assign(geometry=complexen.geometry.representative_point()))
    has_label = "energielabel" in pts.columns
    group = folium.FeatureGroup(name="Complexen corporaties")
    for rec in pts.itertuples():
        colour = (
            colours.get(str(rec.complex_id), NO_DATA_COLOUR)
            if colours is not None
            else CORPORATIE_COLOURS.get(str(rec.corporatie), "#756bb1")
        )
        label = getattr(rec, "energielabel", None) if has_label else None
        label_text = f", label {label}" if isinstance(label, str) and label else ""
        folium.CircleMarker(
            location=(rec.geometry.y, rec.geometry.x),
            radius=3 + min(float(rec.aantal_woningen), 200) / 40,
            color=outline or colour,
            fill=True,
            fill_color=colour,
            fill_opacity=0.9 if outline else 0.8,
            weight=1,
            tooltip=html.escape(
                f"{rec.naam} ({rec.corporatie}, {rec.aantal_woningen} woningen{label_text})"
            ),
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


# ---------------------------------------------------------------------------- legends


@dataclass(frozen=True)
class Swatch:
    """One legend entry: its text and the inline CSS of the little sample drawn before it.

    >>> Swatch.fill("hybride", "#8856a7").css
    'background:#8856a7;border:1px solid #777'
    """

    label: str
    css: str

    @classmethod
    def fill(cls, label: str, colour: str) -> Swatch:
        return cls(label, f"background:{colour};border:1px solid #777")

    @classmethod
    def pattern(cls, label: str, background: str) -> Swatch:
        return cls(label, f"background:{background};border:1px solid #777")

    @classmethod
    def line(cls, label: str, colour: str, *, width: float = 3, dashed: bool = False) -> Swatch:
        style = "dashed" if dashed else "solid"
        return cls(
            label,
            f"width:1.6em;height:0;border-top:{width:g}px {style} {colour};background:transparent",
        )

    @classmethod
    def outline(cls, label: str, colour: str, *, width: float = 3, dashed: bool = False) -> Swatch:
        style = "dashed" if dashed else "solid"
        return cls(label, f"background:#fff;border:{width:g}px {style} {colour}")

    @classmethod
    def circle(cls, label: str, colour: str, *, edge: str = "#333", width: float = 1) -> Swatch:
        return cls(label, f"background:{colour};border:{width:g}px solid {edge};border-radius:50%")


@dataclass(frozen=True)
class LegendSection:
    """A titled group of legend entries, with an optional note after them."""

    title: str | None
    items: tuple[Swatch, ...]
    note: str | None = None


# ---------------------------------------------------------------------------- heat transition

#: Energy-label colours, A++++ (dark green) to G (red), after the EU label's scale.
LABEL_COLOURS: dict[str, str] = {
    "A++++": "#00572e",
    "A+++": "#006e35",
    "A++": "#00843d",
    "A+": "#009a44",
    "A": "#00a651",
    "B": "#4cb848",
    "C": "#bfd730",
    "D": "#fff200",
    "E": "#fdb913",
    "F": "#f37021",
    "G": "#ed1c24",
}
HATCH_COLOUR = "#1a1a1a"
#: The outline of a warmtegebied, over a white casing so that dashes stay visible on any fill.
DISTRICT_STYLE = {"color": "#111111", "weight": 3, "opacity": 1, "fill": False}
DISTRICT_CASING = {"color": "#ffffff", "weight": 6.5, "opacity": 0.9, "fill": False}
ASSUMED_DASH = "9 6"
#: A buurt where the adopted plan and the rule-based indication differ (indication theme).
DIFFERENCE_STYLE = {"color": "#e7298a", "weight": 4.5, "opacity": 1}
AQUA_COLOUR = "#08519c"
SCHEMATIC_DASH = "5 5"
#: A small text label on the map, centred above its point.
MAP_LABEL_CSS = (
    "position:absolute;left:0;top:-4px;transform:translate(-50%,-100%);white-space:nowrap;"
    "font:11px/1.2 sans-serif;color:#08306b;background:rgba(255,255,255,0.85);"
    "border:1px solid #08519c;border-radius:3px;padding:1px 4px;pointer-events:none"
)
LIGGING_TEXT = {
    "bron": "ligging uit de bron",
    "bij benadering": "ligging bij benadering",
    "schematisch": "ligging schematisch (niet de echte ligging)",
    "voorbeelddata": "voorbeelddata, ligging schematisch",
}

HeatMode = Literal["strategie", "indicatie"]


@dataclass(frozen=True)
class HatchPattern:
    """An SVG fill pattern (one per phase) and the CSS that draws the same in a legend.

    ``kind``: "lijnen" (parallel lines at ``angle`` degrees), "kruis" (two sets at right
    angles) or "punten" (dots); ``spacing`` in screen pixels.
    """

    phase: str
    pattern_id: str
    kind: Literal["lijnen", "kruis", "punten"]
    angle: int = 45
    spacing: int = 8
    width: float = 1.6

    @property
    def fill(self) -> str:
        """The value for a Leaflet ``fillColor``: the SVG renderer writes it into ``fill``."""
        return f"url(#{self.pattern_id})"

    def svg(self) -> str:
        s, w, c = self.spacing, self.width, HATCH_COLOUR
        head = (
            f'<pattern id="{self.pattern_id}" patternUnits="userSpaceOnUse" width="{s}" '
            f'height="{s}" patternTransform="rotate({self.angle})">'
        )
        if self.kind == "punten":
            body = f'<circle cx="{s / 2:g}" cy="{s / 2:g}" r="{w:g}" fill="{c}"/>'
        else:
            body = f'<rect x="0" y="0" width="{w:g}" height="{s}" fill="{c}"/>'
            if self.kind == "kruis":
                body += f'<rect x="0" y="0" width="{s}" height="{w:g}" fill="{c}"/>'
        return head + body + "</pattern>"

    def css(self) -> str:
        """A CSS ``background`` that looks like the pattern (on white)."""
        c, w, s = HATCH_COLOUR, self.width, self.spacing
        if self.kind == "punten":
            return f"radial-gradient(circle,{c} {w:g}px,transparent {w + 0.3:g}px) 0 0/{s}px {s}px,#fff"
        # SVG rotates vertical lines by ``angle``; a CSS gradient runs across its stripes
        angles = [self.angle + 90] + ([self.angle] if self.kind == "kruis" else [])
        stripes = ",".join(
            f"repeating-linear-gradient({a}deg,{c} 0 {w:g}px,transparent {w:g}px {s}px)"
            for a in angles
        )
        return f"{stripes},#fff"


def _phase_patterns() -> dict[str, HatchPattern]:
    from wijkplan.config.heat import PHASES

    kinds: tuple[tuple[Literal["lijnen", "kruis", "punten"], int, int], ...] = (
        ("lijnen", 45, 9),  # verkenning: sparse diagonals
        ("lijnen", -45, 6),  # WUP in voorbereiding: denser, the other way
        ("kruis", 45, 8),  # WUP vastgesteld: diagonal cross-hatch
        ("kruis", 0, 6),  # uitvoering: grid
        ("punten", 0, 5),  # aardgasvrij: dots
    )
    return {
        phase: HatchPattern(phase, f"wijkplan-fase-{i}", kind, angle, spacing)
        for i, (phase, (kind, angle, spacing)) in enumerate(zip(PHASES, kinds, strict=True), 1)
    }


#: The hatch pattern of each phase of the heat plan, from early to late.
PHASE_PATTERNS: dict[str, HatchPattern] = _phase_patterns()


class SvgPatterns(MacroElement):
    """SVG ``<pattern>`` definitions, put into the page by a few lines of script.

    Leaflet's SVG renderer writes a path's ``fillColor`` into its ``fill`` attribute as it
    is, so the style ``{"fillColor": "url(#wijkplan-fase-1)"}`` fills a polygon with the
    pattern of that id, wherever in the document the pattern is defined. The definitions
    go into a zero-size ``<svg>`` of their own (not ``display:none``, which switches
    patterns off in some browsers), replaced when the map is drawn again. Nothing is
    loaded: it works offline, in a saved HTML map and inside streamlit-folium (which runs
    the script of every element of the map).
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function () {
            var old = document.getElementById({{ this.holder_id|tojavascript }});
            if (old) { old.parentNode.removeChild(old); }
            var svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
            svg.setAttribute("id", {{ this.holder_id|tojavascript }});
            svg.setAttribute("width", "0");
            svg.setAttribute("height", "0");
            svg.setAttribute("aria-hidden", "true");
            svg.setAttribute("style", "position:absolute;width:0;height:0;overflow:hidden");
            svg.innerHTML = {{ this.defs|tojavascript }};
            document.body.appendChild(svg);
        })();
        {% endmacro %}
        """
    )

    def __init__(self, patterns: Iterable[HatchPattern]) -> None:
        super().__init__()
        self._name = "SvgPatterns"
        self.holder_id = "wijkplan-patronen"
        self.defs = "<defs>" + "".join(p.svg() for p in patterns) + "</defs>"


@dataclass(frozen=True)
class HeatLayers:
    """The heat-transition layers drawn with the buurten (EPSG:28992; converted when drawn).

    ``hatch``: buurtcode, fase and geometry of the buurten with a phase; ``districts``:
    naam, begrenzing and geometry of the warmtegebieden; ``aquathermie``: the project's
    features as in the ``aquathermie`` layer; ``differences``: buurtcode and geometry of
    the buurten to outline because plan and indication differ.
    """

    hatch: gpd.GeoDataFrame | None = None
    districts: gpd.GeoDataFrame | None = None
    aquathermie: gpd.GeoDataFrame | None = None
    #: buurten where the plan and the indication differ, outlined above the districts
    differences: gpd.GeoDataFrame | None = None


@dataclass(frozen=True)
class HeatTheme:
    """What the map needs for a heat theme: buurt styles and tooltips, layers, legend."""

    styles: dict[str, dict[str, object]]
    info: dict[str, dict[str, str]]
    layers: HeatLayers
    legend: list[LegendSection]
    complex_colours: dict[str, str] | None = None
    differences: int = 0
    schematic: bool = False
    sample_inputs: bool = False
    notes: list[str] = field(default_factory=list)


def _text(value: object) -> str | None:
    """A non-empty string, or None for None/NaN/empty."""
    if value is None or (isinstance(value, float) and value != value):
        return None
    text = str(value).strip()
    return text or None


def label_colours(complexen: gpd.GeoDataFrame | pd.DataFrame) -> dict[str, str]:
    """Circle colour per complex_id by energy label (grey: no or unknown label).

    >>> import pandas as pd
    >>> label_colours(pd.DataFrame({"complex_id": ["a", "b"], "energielabel": ["A++", None]}))
    {'a': '#00843d', 'b': '#969696'}
    """
    labels = complexen["energielabel"] if "energielabel" in complexen else [None] * len(complexen)
    return {
        str(c): LABEL_COLOURS.get(str(lab).strip(), NO_DATA_COLOUR)
        if _text(lab)
        else NO_DATA_COLOUR
        for c, lab in zip(complexen["complex_id"], labels, strict=True)
    }


def heat_theme(
    plan: gpd.GeoDataFrame,
    *,
    mode: HeatMode,
    colours: Mapping[str, str],
    districts: gpd.GeoDataFrame | None = None,
    aquathermie: gpd.GeoDataFrame | None = None,
    complexen: gpd.GeoDataFrame | None = None,
    sample_complexen: bool = False,
) -> HeatTheme:
    """Buurt styles, tooltips, layers and legend of a heat theme, from the built layers.

    ``mode`` "strategie": buurten coloured by the adopted strategy and hatched by phase;
    "indicatie": coloured by the rule-based indication, a thick outline where plan and
    indication differ. Both draw the warmtegebieden (dashed where the boundary is an
    assumption), the aquathermal project and the complexes by energy label.
    """
    column = "strategie" if mode == "strategie" else "indicatie"
    styles: dict[str, dict[str, object]] = {}
    info: dict[str, dict[str, str]] = {}
    differing: list[str] = []
    for rec in plan.itertuples():
        code = str(rec.buurtcode)
        value = _text(getattr(rec, column, None))
        style: dict[str, object] = (
            {"fillColor": colours.get(value, NO_DATA_STYLE["fillColor"]), "fillOpacity": 0.7}
            if value
            else dict(NO_DATA_STYLE)
        )
        differs = _text(getattr(rec, "afwijking", None)) is not None
        if mode == "indicatie" and differs:
            differing.append(code)
        styles[code] = style
        gebied = _text(getattr(rec, "gebied_naam", None))
        begrenzing = _text(getattr(rec, "begrenzing", None))
        lines = {
            "Warmtegebied": (
                f"{gebied} (begrenzing: {begrenzing})" if gebied and begrenzing else gebied
            ),
            "Strategie (plan)": _text(getattr(rec, "strategie", None)),
            "Fase": _text(getattr(rec, "fase", None)) or "geen",
            "Indicatie (vuistregels)": _text(getattr(rec, "indicatie", None)),
        }
        if mode == "indicatie":
            lines["Plan en indicatie"] = "verschillen (zie dossier)" if differs else "—"
        info[code] = {k: v or MISSING_TEXT for k, v in lines.items()}

    differences = len(differing)
    outlined = (
        plan[plan["buurtcode"].isin(differing)][["buurtcode", "geometry"]] if differing else None
    )
    hatch = None
    if mode == "strategie" and "fase" in plan:
        phased = plan[plan["fase"].map(lambda v: _text(v) in PHASE_PATTERNS)]
        hatch = phased[["buurtcode", "fase", "geometry"]] if len(phased) else None
    sample_inputs = bool(
        "invoer_voorbeelddata" in plan
        and plan["invoer_voorbeelddata"].fillna(False).astype(bool).any()
    )

    legend: list[LegendSection] = []
    if mode == "strategie":
        legend.append(
            LegendSection(
                "Strategie (warmteplan)",
                tuple(Swatch.fill(name, colour) for name, colour in colours.items()),
            )
        )
        legend.append(
            LegendSection(
                "Fase (arcering)",
                tuple(Swatch.pattern(p.phase, p.css()) for p in PHASE_PATTERNS.values()),
                "zonder arcering: geen fase (buiten de warmtegebieden)",
            )
        )
    else:
        legend.append(
            LegendSection(
                "Indicatie (vuistregels)" + (" — deels voorbeelddata" if sample_inputs else ""),
                tuple(Swatch.fill(name, colour) for name, colour in colours.items()),
                "de indicatie is een vuistregel, geen beleid; ‘nog te bepalen’ ook waar invoer "
                "onbekend is",
            )
        )
        legend.append(
            LegendSection(
                "Plan en indicatie",
                (
                    Swatch.outline(
                        f"dikke roze rand: plan en indicatie verschillen ({differences} "
                        f"{'buurt' if differences == 1 else 'buurten'})",
                        str(DIFFERENCE_STYLE["color"]),
                    ),
                ),
            )
        )
    district_frame = None
    if districts is not None and len(districts):
        district_frame = districts[["naam", "begrenzing", "geometry"]]
        legend.append(
            LegendSection(
                "Warmtegebieden (Transitievisie Warmte)",
                (
                    Swatch.line("begrenzing gepubliceerd", str(DISTRICT_STYLE["color"])),
                    Swatch.line(
                        "begrenzing is een aanname (gestreept)",
                        str(DISTRICT_STYLE["color"]),
                        dashed=True,
                    ),
                ),
            )
        )
    schematic = False
    if aquathermie is not None and len(aquathermie):
        items, schematic, note = _aquathermal_legend(aquathermie)
        legend.append(LegendSection("Aquathermie Planetenbuurt", items, note))
    complex_colours = None
    if complexen is not None and len(complexen):
        complex_colours = label_colours(complexen)
        labels = (
            complexen["energielabel"].map(_text)
            if "energielabel" in complexen
            else pd.Series([None] * len(complexen))
        )
        present = set(labels.dropna())
        swatches = [Swatch.circle(k, v) for k, v in LABEL_COLOURS.items() if k in present]
        if labels.isna().any() or present - set(LABEL_COLOURS):
            swatches.append(Swatch.circle("geen of onbekend label", NO_DATA_COLOUR))
        legend.append(
            LegendSection(
                "Complexen: energielabel" + (" — voorbeelddata" if sample_complexen else ""),
                tuple(swatches),
                "grootte naar aantal woningen",
            )
        )
    return HeatTheme(
        styles=styles,
        info=info,
        layers=HeatLayers(
            hatch=hatch, districts=district_frame, aquathermie=aquathermie, differences=outlined
        ),
        legend=legend,
        complex_colours=complex_colours,
        differences=differences,
        schematic=schematic,
        sample_inputs=sample_inputs,
    )


def _aquathermal_legend(features: gpd.GeoDataFrame) -> tuple[tuple[Swatch, ...], bool, str | None]:
    """The legend lines of the aquathermal project; whether any part is schematic."""
    kinds = set(features["onderdeel"].astype(str))
    ligging = features.groupby(features["onderdeel"].astype(str))["ligging"].agg(
        lambda s: {str(v) for v in s.dropna()}
    )

    def mark(kind: str) -> str:
        found = ligging.get(kind, set())
        if found <= {"bron"}:
            return ""
        if found & {"schematisch", "voorbeelddata"}:
            return " (schematisch)"
        return " (bij benadering)"

    items: list[Swatch] = []
    if "bronwater" in kinds:
        items.append(
            Swatch.line(
                f"bronwater{mark('bronwater')}",
                AQUA_COLOUR,
                width=4,
                dashed=bool(mark("bronwater")),
            )
        )
    if "plangebied" in kinds:
        items.append(
            Swatch.outline(f"plangebied{mark('plangebied')}", AQUA_COLOUR, width=2, dashed=True)
        )
    if "object" in kinds:
        items.append(
            Swatch.circle(
                f"aangesloten of gepland object{mark('object')}",
                "#ffffff",
                edge=AQUA_COLOUR,
                width=3,
            )
        )
    if "complex" in kinds:
        items.append(
            Swatch.outline(f"complex in het plangebied{mark('complex')}", AQUA_COLOUR, width=2)
        )
    note = (
        None
        if "bronwater" in kinds
        else "bronwater niet op de kaart (geen oppervlaktewater in de bronnen)"
    )
    schematic = any(mark(k) for k in kinds)
    return tuple(items), schematic, note


def add_phase_hatching(m: folium.Map, hatch: gpd.GeoDataFrame) -> None:
    """The buurten with a phase, filled with their phase's hatch pattern (not clickable).

    Drawn over the strategy colours; the pattern's gaps are transparent, so the colour
    shows through. The patterns come from :class:`SvgPatterns`, added by :func:`base_map`.
    """
    folium.GeoJson(
        to_wgs84(hatch[["buurtcode", "fase", "geometry"]]),
        name="Fase (arcering)",
        style_function=lambda f: {
            "stroke": False,
            "fill": True,
            "fillColor": PHASE_PATTERNS[f["properties"]["fase"]].fill,
            "fillOpacity": 0.85,
        },
        interactive=False,
    ).add_to(m)


def add_warmtegebieden(m: folium.Map, districts: gpd.GeoDataFrame) -> None:
    """The warmtegebieden outlined in black over a white casing; dashed where assumed."""
    frame = to_wgs84(districts[["naam", "begrenzing", "geometry"]])
    group = folium.FeatureGroup(name="Warmtegebieden")
    folium.GeoJson(frame, style_function=lambda f: DISTRICT_CASING, interactive=False).add_to(group)
    folium.GeoJson(
        frame,
        style_function=lambda f: {
            **DISTRICT_STYLE,
            **({"dashArray": ASSUMED_DASH} if f["properties"]["begrenzing"] == "aanname" else {}),
        },
        interactive=False,
    ).add_to(group)
    group.add_to(m)


def _aqua_tooltip(rec: pd.Series) -> str:
    ligging = LIGGING_TEXT.get(str(rec.get("ligging")), str(rec.get("ligging") or ""))
    details = [
        str(v) for v in (rec.get("soort"), rec.get("eigenaar"), rec.get("status")) if _text(v)
    ]
    woningen = rec.get("woningen")
    if _text(woningen):
        details.append(f"{number(woningen)} woningen")
    text = f"{rec['naam']}" + (f" ({', '.join(details)})" if details else "") + f" — {ligging}"
    return html.escape(text)


def add_aquathermie(m: folium.Map, features: gpd.GeoDataFrame) -> None:
    """The aquathermal project: source water, scope, objects and complexes in scope.

    Schematic parts are drawn dashed and say so in their tooltip (objects, source water)
    or in a permanent label (the scope polygon, which is not clickable so that a click
    inside it still selects the buurt underneath).
    """
    frame = to_wgs84(features)
    group = folium.FeatureGroup(name="Aquathermie")
    for _, rec in frame.iterrows():
        kind = str(rec["onderdeel"])
        exact = str(rec.get("ligging")) == "bron"
        geom = rec.geometry
        if geom is None or geom.is_empty:
            continue
        if kind == "object" and geom.geom_type == "Point":
            folium.CircleMarker(
                location=(geom.y, geom.x),
                radius=7,
                color=AQUA_COLOUR,
                weight=3,
                fill=True,
                fill_color="#ffffff",
                fill_opacity=1,
                dash_array=None if exact else "3 3",
                tooltip=_aqua_tooltip(rec),
            ).add_to(group)
            continue
        data = gpd.GeoDataFrame({"naam": [str(rec["naam"])]}, geometry=[geom], crs=frame.crs)
        if kind == "bronwater":
            style = {
                "color": AQUA_COLOUR,
                "weight": 5,
                "opacity": 0.9,
                "fillColor": "#6baed6",
                "fillOpacity": 0.5,
                **({} if exact else {"dashArray": "10 6"}),
            }
            folium.GeoJson(
                data, style_function=lambda f, s=style: s, tooltip=_aqua_tooltip(rec)
            ).add_to(group)
        elif kind == "plangebied":
            style = {
                "color": AQUA_COLOUR,
                "weight": 2.5,
                "dashArray": SCHEMATIC_DASH,
                "fill": True,
                "fillColor": "#4292c6",
                "fillOpacity": 0.15,
            }
            folium.GeoJson(data, style_function=lambda f, s=style: s, interactive=False).add_to(
                group
            )
            # a small label just above the scope, so that it never hides it; it centres
            # itself with CSS (Leaflet would measure a tooltip before its CSS has loaded)
            top = geom.bounds[3]
            text = html.escape("Plangebied aquathermie" + ("" if exact else " (schematisch)"))
            folium.Marker(
                location=(top, geom.centroid.x),
                icon=folium.DivIcon(
                    html=f'<div style="{MAP_LABEL_CSS}">{text}</div>',
                    icon_size=(0, 0),
                    icon_anchor=(0, 0),
                    class_name="wijkplan-label",
                ),
                interactive=False,
                keyboard=False,
            ).add_to(group)
        else:  # a complex in scope (or any other part): outlined, not clickable
            style = {"color": AQUA_COLOUR, "weight": 2, "fill": False}
            folium.GeoJson(data, style_function=lambda f, s=style: s, interactive=False).add_to(
                group
            )
    group.add_to(m)
