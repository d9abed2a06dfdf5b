"""The app's colours and line styles: one copy, used by the map and by the GIS styles.

:mod:`wijkplan.mapping` draws the app's folium map with these; :mod:`wijkplan.styles` turns
the same values into QGIS styles (QML) and SLD for the exported layers. This module holds
plain constants only and imports nothing, so that the build and the exports can read the
app's colours without loading folium. Widths and dash lengths are in screen pixels, as
Leaflet takes them; the strategy colours live in ``config/warmte.toml``, the class labels
and thresholds in ``config/leefbaarheid.toml``.
"""

from __future__ import annotations

from typing import Literal

# ---------------------------------------------------------------------------- themes (buurten)

#: The colour of a complex (circle) without a value.
NO_DATA_COLOUR = "#969696"
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
#: A buurt without a value in a theme.
NO_DATA_STYLE = {"fillColor": "#d9d9d9", "fillOpacity": 0.5}
#: The opacity of a buurt coloured by a theme (class, quantile, heat strategy).
THEME_FILL_OPACITY = 0.7

# ---------------------------------------------------------------------------- overview map

SELECTED_STYLE = {"color": "#d7301f", "weight": 4, "fillOpacity": 0.05}
BUURT_STYLE = {"color": "#3a5a80", "weight": 1, "fillColor": "#9ecae1", "fillOpacity": 0.35}
REGIE_STYLE = {"color": "#7a0177", "weight": 3.5, "dashArray": "8 5", "fill": False}
WIJK_STYLE = {"color": "#1b2a41", "weight": 2.5, "fill": False}
CORPORATIE_COLOURS = {"Woonforte": "#e6550d", "Habeko": "#31a354"}
#: A complex of a corporation without a colour of its own.
OTHER_CORPORATIE_COLOUR = "#756bb1"

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
#: The outline of a warmtegebied, over a white casing so that dashes stay visible on any fill.
DISTRICT_STYLE = {"color": "#111111", "weight": 3, "opacity": 1, "fill": False}
DISTRICT_CASING = {"color": "#ffffff", "weight": 6.5, "opacity": 0.9, "fill": False}
ASSUMED_DASH = "9 6"
#: A buurt where the adopted plan and the rule-based indication differ (indication theme).
DIFFERENCE_STYLE = {"color": "#e7298a", "weight": 4.5, "opacity": 1}
AQUA_COLOUR = "#08519c"
SCHEMATIC_DASH = "5 5"
#: The parts of the aquathermal project: source water (dashed with ``AQUA_INEXACT_DASH``
#: unless its position comes from a source), scope (always dashed), connected objects
#: (circles, radius in pixels; dashed edge unless exact) and complexes in scope.
AQUA_BRONWATER_STYLE = {
    "color": AQUA_COLOUR,
    "weight": 5,
    "opacity": 0.9,
    "fillColor": "#6baed6",
    "fillOpacity": 0.5,
}
AQUA_INEXACT_DASH = "10 6"
AQUA_PLANGEBIED_STYLE = {
    "color": AQUA_COLOUR,
    "weight": 2.5,
    "dashArray": SCHEMATIC_DASH,
    "fill": True,
    "fillColor": "#4292c6",
    "fillOpacity": 0.15,
}
AQUA_OBJECT_RADIUS = 7
AQUA_OBJECT_STYLE: dict[str, str | float] = {
    "color": AQUA_COLOUR,
    "weight": 3,
    "fillColor": "#ffffff",
    "fillOpacity": 1,
}
AQUA_OBJECT_INEXACT_DASH = "3 3"
AQUA_COMPLEX_STYLE = {"color": AQUA_COLOUR, "weight": 2, "fill": False}
#: The text colour of a small label on the map (its border is the aquathermal blue).
MAP_LABEL_COLOUR = "#08306b"
#: A small text label on the map, centred above its point.
MAP_LABEL_CSS = (
    "position:absolute;left:0;top:-4px;transform:translate(-50%,-100%);white-space:nowrap;"
    f"font:11px/1.2 sans-serif;color:{MAP_LABEL_COLOUR};background:rgba(255,255,255,0.85);"
    f"border:1px solid {AQUA_COLOUR};border-radius:3px;padding:1px 4px;pointer-events:none"
)

#: The colour of the phase hatching.
HATCH_COLOUR = "#1a1a1a"
HatchKind = Literal["lijnen", "kruis", "punten"]
#: The hatching of each phase of the heat plan, in the order of the phases in
#: ``config/warmte.toml`` (early to late): kind, angle (degrees, clockwise, of lines that
#: are vertical at 0) and spacing in pixels.
PHASE_HATCHES: tuple[tuple[HatchKind, int, int], ...] = (
    ("lijnen", 45, 9),  # verkenning: sparse diagonals
    ("lijnen", -45, 6),  # WUP in voorbereiding: denser, the other way
    ("kruis", 45, 8),  # WUP vastgesteld: diagonal cross-hatch
    ("kruis", 0, 6),  # uitvoering: grid
    ("punten", 0, 5),  # aardgasvrij: dots
)
#: The width of a hatch line and the radius of a hatch dot, in pixels.
HATCH_WIDTH = 1.6
