"""The Warmtetransitie map themes: buurten by strategy or indication, and the heat layers.

:func:`heat_theme` turns the built heat layers into buurt styles, tooltips, the layers
to draw and the legend; the ``add_*`` functions draw the warmtegebieden (dashed where
the boundary is an assumption) and the aquathermal project; :func:`label_colours`
colours complexes by energy label. The phase hatching is in
:mod:`wijkplan.mapping.patterns`; the colours and line styles are in
:mod:`wijkplan.styles.palette`, shared with the GIS styles of the exports.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

import folium
import geopandas as gpd
import pandas as pd

from wijkplan.mapping.leaflet import to_wgs84
from wijkplan.mapping.legend import LegendSection, Swatch
from wijkplan.mapping.patterns import PHASE_PATTERNS
from wijkplan.mapping.themes import MISSING_TEXT, NO_DATA_COLOUR, NO_DATA_STYLE
from wijkplan.numbers import number
from wijkplan.styles.palette import (
    AQUA_BRONWATER_STYLE,
    AQUA_COLOUR,
    AQUA_COMPLEX_STYLE,
    AQUA_INEXACT_DASH,
    AQUA_OBJECT_INEXACT_DASH,
    AQUA_OBJECT_RADIUS,
    AQUA_OBJECT_STYLE,
    AQUA_PLANGEBIED_STYLE,
    ASSUMED_DASH,
    DIFFERENCE_STYLE,
    DISTRICT_CASING,
    DISTRICT_STYLE,
    LABEL_COLOURS,
    MAP_LABEL_CSS,
    THEME_FILL_OPACITY,
)
from wijkplan.styles.palette import SCHEMATIC_DASH as SCHEMATIC_DASH
from wijkplan.text_safety import html_text

LIGGING_TEXT = {
    "bron": "ligging uit de bron",
    "bij benadering": "ligging bij benadering",
    "schematisch": "ligging schematisch (niet de echte ligging)",
    "voorbeelddata": "voorbeelddata, ligging schematisch",
}

HeatMode = Literal["strategie", "indicatie"]


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
            {
                "fillColor": colours.get(value, NO_DATA_STYLE["fillColor"]),
                "fillOpacity": THEME_FILL_OPACITY,
            }
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
    return html_text(text)


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
                radius=AQUA_OBJECT_RADIUS,
                color=AQUA_OBJECT_STYLE["color"],
                weight=AQUA_OBJECT_STYLE["weight"],
                fill=True,
                fill_color=AQUA_OBJECT_STYLE["fillColor"],
                fill_opacity=AQUA_OBJECT_STYLE["fillOpacity"],
                dash_array=None if exact else AQUA_OBJECT_INEXACT_DASH,
                tooltip=_aqua_tooltip(rec),
            ).add_to(group)
            continue
        data = gpd.GeoDataFrame({"naam": [html_text(rec["naam"])]}, geometry=[geom], crs=frame.crs)
        if kind == "bronwater":
            style = {
                **AQUA_BRONWATER_STYLE,
                **({} if exact else {"dashArray": AQUA_INEXACT_DASH}),
            }
            folium.GeoJson(
                data, style_function=lambda f, s=style: s, tooltip=_aqua_tooltip(rec)
            ).add_to(group)
        elif kind == "plangebied":
            style = dict(AQUA_PLANGEBIED_STYLE)
            folium.GeoJson(data, style_function=lambda f, s=style: s, interactive=False).add_to(
                group
            )
            # a small label just above the scope, so that it never hides it; it centres
            # itself with CSS (Leaflet would measure a tooltip before its CSS has loaded)
            top = geom.bounds[3]
            text = html_text("Plangebied aquathermie" + ("" if exact else " (schematisch)"))
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
            style = dict(AQUA_COMPLEX_STYLE)
            folium.GeoJson(data, style_function=lambda f, s=style: s, interactive=False).add_to(
                group
            )
    group.add_to(m)
