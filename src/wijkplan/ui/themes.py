"""The map themes of the Kaart page: which a build can draw, and each one's styles and legend.

Liveability themes colour buurten by class or quantile (and complexes by the class under
them); the heat themes come from :func:`wijkplan.mapping.heat_theme`. The legend is drawn
by Streamlit, not by a Leaflet plugin.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import pandas as pd
import streamlit as st

from wijkplan import catalogue
from wijkplan.config import load_config
from wijkplan.config.heat import load_heat_config
from wijkplan.mapping import (
    CLASS_COLOURS,
    HeatLayers,
    HeatMode,
    LegendSection,
    Swatch,
    class_styles,
    heat_theme,
    quantile_styles,
)
from wijkplan.read import BuiltLayers
from wijkplan.settings import is_sample
from wijkplan.text_safety import markdown_text as md

GEEN_THEMA = "Geen thema (alleen grenzen)"
THEMES: dict[str, catalogue.MapTheme] = {t.label: t for t in catalogue.MAP_THEMES}
#: The heat-transition themes (from the layer ``warmteplan``) and what each colours by.
WARMTE_STRATEGIE = "Warmtetransitie: strategie (warmteplan)"
WARMTE_INDICATIE = "Warmtetransitie: indicatie (vuistregels)"
HEAT_THEMES: dict[str, HeatMode] = {WARMTE_STRATEGIE: "strategie", WARMTE_INDICATIE: "indicatie"}
NO_DATA_NOTE = "grijs: geen gegevens"


def available_themes(data: BuiltLayers) -> list[str]:
    """The themes this build can draw: liveability columns present, the heat plan if built."""
    themes = [GEEN_THEMA]
    lb = data.tables.get("leefbaarheid")
    if lb is not None:
        themes += [
            t
            for t, theme in THEMES.items()
            if theme.column in lb.columns and lb[theme.column].notna().any()
        ]
    plan = data.warmteplan
    if plan is not None and len(plan):
        themes += [t for t, mode in HEAT_THEMES.items() if mode in plan.columns]
    return themes


def theme_styles(
    data: BuiltLayers, theme: str
) -> tuple[dict[str, dict[str, object]] | None, list[tuple[str, str]], dict[str, str] | None]:
    """Buurt styles, legend and complex colours (class under each complex) for a theme."""
    if theme not in THEMES or "leefbaarheid" not in data.tables:
        return None, [], None
    spec = THEMES[theme]
    table = data.tables["leefbaarheid"].set_index("buurtcode")
    lb = table[spec.column]
    if spec.column == "incidenten_waarde" and "incidenten_geschat" in table:
        # a buurt whose count is suppressed has no published value: grey, not an estimate
        lb = lb.where(~table["incidenten_geschat"].astype(bool))
    values = {str(k): (None if pd.isna(v) else float(v)) for k, v in lb.items()}
    if spec.style == "klasse":
        styles, legend = class_styles(values, load_config().class_labels)
    else:
        styles, legend = quantile_styles(
            values, decimals=spec.decimals, higher_is_worse=spec.higher_is_worse
        )
    colours = None
    complex_scores = data.tables.get("leefbaarheid_complexen")
    if complex_scores is not None and "klasse_nr" in complex_scores:
        colours = {
            str(c): CLASS_COLOURS[int(k) - 1] if pd.notna(k) else "#969696"
            for c, k in zip(complex_scores["complex_id"], complex_scores["klasse_nr"], strict=True)
        }
    return styles, legend, colours


@dataclass(frozen=True)
class ThemeView:
    """Everything the Kaart page draws for a theme: map arguments, legend and caption."""

    buurt_style: dict[str, dict[str, object]] | None = None
    legend: list[LegendSection] = field(default_factory=list)
    complex_colours: dict[str, str] | None = None
    complex_outline: str | None = None
    buurt_info: dict[str, dict[str, str]] | None = None
    heat: HeatLayers | None = None
    #: draw the liveability regie areas (not in the heat themes, where they would clutter)
    regiegebieden: bool = True
    caption: str = ""


REGIE_CAPTION = "Paars gestreept: regiegebieden leefbaarheid · "


def theme_view(data: BuiltLayers, theme: str) -> ThemeView:
    """The map arguments, legend and caption of ``theme`` (any theme of :func:`available_themes`)."""
    if theme in HEAT_THEMES and data.warmteplan is not None:
        return _heat_view(data, HEAT_THEMES[theme])
    buurt_style, legend, complex_colours = theme_styles(data, theme)
    coloured = bool(complex_colours and buurt_style)
    return ThemeView(
        buurt_style=buurt_style,
        legend=[LegendSection(None, tuple(Swatch.fill(k, v) for k, v in legend), NO_DATA_NOTE)]
        if legend
        else [],
        complex_colours=complex_colours if buurt_style else None,
        caption=REGIE_CAPTION
        + "bolletjes: complexen, grootte naar aantal "
        + (
            "woningen, kleur naar de leefbaarheidsklasse eronder"
            if coloured
            else "woningen (oranje Woonforte, groen Habeko)"
        ),
    )


def _heat_view(data: BuiltLayers, mode: HeatMode) -> ThemeView:
    assert data.warmteplan is not None
    complexen = data.complexen
    sample_complexen = bool(
        complexen is not None and "bron" in complexen and complexen["bron"].map(is_sample).any()
    )
    theme = heat_theme(
        data.warmteplan,
        mode=mode,
        colours=load_heat_config().colours,
        districts=data.warmtegebieden,
        aquathermie=data.aquathermie,
        complexen=complexen,
        sample_complexen=sample_complexen,
    )
    parts = [
        "Kleur: "
        + ("de strategie uit het warmteplan" if mode == "strategie" else "de indicatie")
        + (", arcering: de fase" if mode == "strategie" else "")
        + "; zwarte rand: warmtegebied (gestreept waar de begrenzing een aanname is)",
        "blauw: aquathermieproject"
        + (" (ligging schematisch, niet de echte ligging)" if theme.schematic else ""),
        "bolletjes: complexen naar energielabel",
    ]
    return ThemeView(
        buurt_style=theme.styles,
        legend=theme.legend,
        complex_colours=theme.complex_colours,
        complex_outline="#333333",
        buurt_info=theme.info,
        heat=theme.layers,
        regiegebieden=False,
        caption=" · ".join(parts),
    )


def _swatch_html(item: Swatch) -> str:
    return (
        '<span style="white-space:nowrap;margin-right:0.8em"><span style="display:inline-block;'
        f'width:0.9em;height:0.9em;vertical-align:middle;{item.css}"></span> '
        f"{md(item.label)}</span>"
    )


def render_legend(
    legend: Sequence[tuple[str, str]] | Sequence[Swatch],
    *,
    title: str | None = None,
    note: str | None = NO_DATA_NOTE,
) -> None:
    """A compact legend (drawn by Streamlit, not by a CDN-loaded Leaflet plugin).

    Entries are (label, colour) pairs or :class:`~wijkplan.mapping.Swatch` objects
    (patterns, lines, outlines, circles); ``note`` follows in grey.
    """
    if not legend:
        return
    items = [i if isinstance(i, Swatch) else Swatch.fill(i[0], i[1]) for i in legend]
    # Markdown with HTML allowed: the texts are Markdown text (markdown_text also makes
    # "<" and "&" inert), and the swatch CSS comes from our own palette
    head = f"<b>{md(title)}:</b> " if title else ""
    tail = f' <span style="color:#777">· {md(note)}</span>' if note else ""
    st.markdown(head + " ".join(_swatch_html(i) for i in items) + tail, unsafe_allow_html=True)


def render_legend_sections(sections: Sequence[LegendSection]) -> None:
    """Legend sections one under the other, each drawn like :func:`render_legend`."""
    for section in sections:
        render_legend(section.items, title=section.title, note=section.note)
