"""Streamlit helpers shared by the pages: cached loaders, the sidebar, the dossier panel.

Pages only lay out widgets; every computation lives in the package. Loaders use
``st.cache_data`` keyed by the GeoPackage's modification time, so a rebuild is
picked up without restarting the app.

The package re-exports the names the pages use (``from wijkplan import ui``, then
``ui.load_layers()``); the modules are:

- :mod:`~wijkplan.ui.data`: cached loading, the status store, static assets, the base map;
- :mod:`~wijkplan.ui.login`: who is logged in (local users file or ``st.login``), the login;
- :mod:`~wijkplan.ui.provenance`: the sidebar every page shares (sample or real sources);
- :mod:`~wijkplan.ui.dossier`: the dossier panel (figures, complexes, liveability, agreements);
- :mod:`~wijkplan.ui.heat`: the dossier's Warmte section and the Warmte page's tables;
- :mod:`~wijkplan.ui.themes`: the map themes, their styles and the legend;
- :mod:`~wijkplan.ui.tables`: the ranking and agreements tables;
- :mod:`~wijkplan.ui.text`: Dutch display text (counted nouns, figures, quantities).
"""

from __future__ import annotations

from wijkplan.ui.data import (
    area_options,
    basemap,
    buurten_of,
    layers_path,
    load_layers,
    load_report,
    static_assets,
    status_store,
)
from wijkplan.ui.dossier import CLASS_NOTE, render_afspraken, render_dossier, render_liveability
from wijkplan.ui.heat import (
    BUURT_HEAT_COLUMNS,
    SAMPLE_MARK,
    WUP_LEVELS,
    buurt_heat_table,
    district_table,
    homes_are_sample,
    render_aquathermal,
    render_boundary_notice,
    render_heat,
    sample_homes,
)
from wijkplan.ui.login import current_user, require_login
from wijkplan.ui.provenance import REAL_NAMES, REAL_NOTE, SAMPLE_NAMES, SAMPLE_NOTICE, sidebar
from wijkplan.ui.tables import (
    SCORE_SOURCE_LABELS,
    STATUS_ICONS,
    afspraken_table,
    ranking_table,
    shown_counts,
)
from wijkplan.ui.text import figure_value, quantity_text
from wijkplan.ui.themes import (
    GEEN_THEMA,
    HEAT_THEMES,
    NO_DATA_NOTE,
    REGIE_CAPTION,
    THEMES,
    WARMTE_INDICATIE,
    WARMTE_STRATEGIE,
    ThemeView,
    available_themes,
    render_legend,
    render_legend_sections,
    theme_styles,
    theme_view,
)

__all__ = [
    "BUURT_HEAT_COLUMNS",
    "CLASS_NOTE",
    "GEEN_THEMA",
    "HEAT_THEMES",
    "NO_DATA_NOTE",
    "REAL_NAMES",
    "REAL_NOTE",
    "REGIE_CAPTION",
    "SAMPLE_MARK",
    "SAMPLE_NAMES",
    "SAMPLE_NOTICE",
    "SCORE_SOURCE_LABELS",
    "STATUS_ICONS",
    "THEMES",
    "WARMTE_INDICATIE",
    "WARMTE_STRATEGIE",
    "WUP_LEVELS",
    "ThemeView",
    "afspraken_table",
    "area_options",
    "available_themes",
    "basemap",
    "buurt_heat_table",
    "buurten_of",
    "current_user",
    "district_table",
    "figure_value",
    "homes_are_sample",
    "layers_path",
    "load_layers",
    "load_report",
    "quantity_text",
    "ranking_table",
    "render_afspraken",
    "render_aquathermal",
    "render_boundary_notice",
    "render_dossier",
    "render_heat",
    "render_legend",
    "render_legend_sections",
    "render_liveability",
    "require_login",
    "sample_homes",
    "shown_counts",
    "sidebar",
    "static_assets",
    "status_store",
    "theme_styles",
    "theme_view",
]
