"""The overview map: buurten, wijken, regiegebieden, complexen and the selected area.

:func:`base_map` draws every layer in its order (with the heat layers of a heat theme
on top of the buurten); :func:`selection_layer` outlines the selection without
re-mounting the map. The styles of these layers are in :mod:`wijkplan.styles.palette`,
shared with the GIS styles of the exports.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import folium
import geopandas as gpd

from wijkplan.mapping.heat import DIFFERENCE_STYLE, HeatLayers, add_aquathermie, add_warmtegebieden
from wijkplan.mapping.leaflet import (
    LEAFLET_SUBDIR,
    PDOK_ATTRIBUTION,
    PDOK_BRT_URL,
    _localise,
    to_wgs84,
)
from wijkplan.mapping.patterns import PHASE_PATTERNS, SvgPatterns, add_phase_hatching
from wijkplan.mapping.themes import MISSING_TEXT, NO_DATA_COLOUR
from wijkplan.styles.palette import (
    BUURT_STYLE,
    CORPORATIE_COLOURS,
    OTHER_CORPORATIE_COLOUR,
    REGIE_STYLE,
    SELECTED_STYLE,
    WIJK_STYLE,
)
from wijkplan.text_safety import html_text


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
    # folium's GeoJsonTooltip writes property values into the tooltip as HTML, so every
    # text shown there is escaped here (the buurtcode, which clicks return, is a checked code)
    b = b.assign(
        buurtnaam=b["buurtnaam"].map(html_text),
        wijknaam=b["wijkcode"].map(names).map(html_text),
    )
    fields, aliases = ["buurtnaam", "buurtcode", "wijknaam"], ["Buurt", "Code", "Wijk"]
    if buurt_info:
        labels = list(dict.fromkeys(k for info in buurt_info.values() for k in info))
        for i, label in enumerate(labels):
            column = f"info_{i}"
            b[column] = [
                html_text(buurt_info.get(c, {}).get(label, MISSING_TEXT)) for c in b["buurtcode"]
            ]
            fields.append(column)
            aliases.append(html_text(label))
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
            else CORPORATIE_COLOURS.get(str(rec.corporatie), OTHER_CORPORATIE_COLOUR)
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
            # folium puts a tooltip's text between backticks in JavaScript: html_text
            # escapes for that too (html.escape alone would let `${...}` run)
            tooltip=html_text(
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
