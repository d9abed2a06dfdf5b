"""The only place that turns layers into folium maps (and into EPSG:4326).

Leaflet is served by the app itself (no CDN): folium's default JS/CSS links are
replaced by local URLs, and folium elements that would pull in more assets
(branca colour maps load d3 from a CDN, awesome markers, Bootstrap) are not used.

The package re-exports its public names, so ``from wijkplan.mapping import base_map``
works; the modules are:

- :mod:`~wijkplan.mapping.leaflet`: the local copy of Leaflet, the PDOK base map, EPSG:4326;
- :mod:`~wijkplan.mapping.base`: the overview map, its layers and styles, the selection;
- :mod:`~wijkplan.mapping.themes`: buurten coloured by class or quantile, no-data styles;
- :mod:`~wijkplan.mapping.legend`: legend swatches and sections;
- :mod:`~wijkplan.mapping.patterns`: the phase hatching as offline SVG patterns;
- :mod:`~wijkplan.mapping.heat`: the Warmtetransitie themes and the heat layers.
"""

from __future__ import annotations

from wijkplan.mapping.base import (
    BUURT_STYLE,
    CORPORATIE_COLOURS,
    REGIE_STYLE,
    SELECTED_STYLE,
    WIJK_STYLE,
    add_complexen,
    base_map,
    selection_layer,
)
from wijkplan.mapping.heat import (
    AQUA_COLOUR,
    ASSUMED_DASH,
    DIFFERENCE_STYLE,
    DISTRICT_CASING,
    DISTRICT_STYLE,
    LABEL_COLOURS,
    LIGGING_TEXT,
    MAP_LABEL_CSS,
    SCHEMATIC_DASH,
    HeatLayers,
    HeatMode,
    HeatTheme,
    add_aquathermie,
    add_warmtegebieden,
    heat_theme,
    label_colours,
)
from wijkplan.mapping.leaflet import (
    LEAFLET_SUBDIR,
    PDOK_ATTRIBUTION,
    PDOK_BRT_URL,
    PDOK_HOST,
    basemap_mode,
    install_leaflet,
    to_wgs84,
)
from wijkplan.mapping.legend import LegendSection, Swatch
from wijkplan.mapping.patterns import (
    HATCH_COLOUR,
    PHASE_PATTERNS,
    HatchPattern,
    SvgPatterns,
    add_phase_hatching,
)
from wijkplan.mapping.themes import (
    CLASS_COLOURS,
    MISSING_TEXT,
    NO_DATA_COLOUR,
    NO_DATA_STYLE,
    SEQUENTIAL,
    class_styles,
    quantile_styles,
)

__all__ = [
    "AQUA_COLOUR",
    "ASSUMED_DASH",
    "BUURT_STYLE",
    "CLASS_COLOURS",
    "CORPORATIE_COLOURS",
    "DIFFERENCE_STYLE",
    "DISTRICT_CASING",
    "DISTRICT_STYLE",
    "HATCH_COLOUR",
    "LABEL_COLOURS",
    "LEAFLET_SUBDIR",
    "LIGGING_TEXT",
    "MAP_LABEL_CSS",
    "MISSING_TEXT",
    "NO_DATA_COLOUR",
    "NO_DATA_STYLE",
    "PDOK_ATTRIBUTION",
    "PDOK_BRT_URL",
    "PDOK_HOST",
    "PHASE_PATTERNS",
    "REGIE_STYLE",
    "SCHEMATIC_DASH",
    "SELECTED_STYLE",
    "SEQUENTIAL",
    "WIJK_STYLE",
    "HatchPattern",
    "HeatLayers",
    "HeatMode",
    "HeatTheme",
    "LegendSection",
    "SvgPatterns",
    "Swatch",
    "add_aquathermie",
    "add_complexen",
    "add_phase_hatching",
    "add_warmtegebieden",
    "base_map",
    "basemap_mode",
    "class_styles",
    "heat_theme",
    "install_leaflet",
    "label_colours",
    "quantile_styles",
    "selection_layer",
    "to_wgs84",
]
