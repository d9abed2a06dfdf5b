"""The Warmte section of the dossier panel, and the heat tables of the Warmte page.

The section shows the adopted plan with its sources, the rule-based indication with its
reasons beside the PBL Startanalyse, the inputs, the buurten of a larger area, and the
aquathermal project with its estimate. Sample inputs are marked wherever they are used.
"""

from __future__ import annotations

from collections.abc import Sequence
from urllib.parse import quote

import pandas as pd
import streamlit as st

from wijkplan import catalogue
from wijkplan.config.heat import load_heat_config
from wijkplan.dossier.model import (
    AquathermalScope,
    BuurtHeatRow,
    Heat,
    HeatIndication,
    PblResult,
    Quantity,
)
from wijkplan.numbers import number
from wijkplan.read import BuiltLayers
from wijkplan.settings import is_sample
from wijkplan.text_safety import markdown_text as md
from wijkplan.ui.data import buurten_of
from wijkplan.ui.text import _n, figure_value, quantity_text

SAMPLE_MARK = "voorbeelddata"
#: The kinds of area a draft WUP (wijkuitvoeringsplan) is made for, as the Warmte page lists them.
WUP_LEVELS = ("warmtegebied", "wijk", "buurt")
#: Column names of the per-buurt heat table.
BUURT_HEAT_COLUMNS = {
    "buurtnaam": "buurt",
    "buurtcode": "code",
    "strategie": "strategie (plan)",
    "fase": "fase",
    "indicatie": "indicatie (vuistregels)",
    "verschil": "plan ≠ indicatie",
    "woningen": "woningen",
    "begrenzing": "begrenzing gebied",
}


def _is_sample_source(bron: str | None) -> bool:
    return bool(bron) and (is_sample(bron) or SAMPLE_MARK in str(bron))


def _decimals(name: str) -> int | None:
    """The decimals the heat config gives an indicator input (None: not an input)."""
    spec = load_heat_config().inputs.get(name)
    return spec.decimals if spec is not None else None


def _quantity_table(rows: Sequence[Quantity], *, unit_column: bool = False) -> pd.DataFrame:
    """Quantities as a display table: what, value (with unit), source, sample mark."""
    table = pd.DataFrame(
        {
            "grootheid": [q.omschrijving for q in rows],
            "waarde": [
                quantity_text(
                    q.waarde, q.eenheid, with_unit=not unit_column, decimals=_decimals(q.naam)
                )
                for q in rows
            ],
        }
    )
    if unit_column:
        table["eenheid"] = [
            "%" if (q.eenheid or "").startswith("fractie") else (q.eenheid or "") for q in rows
        ]
        table["soort"] = [q.soort or "" for q in rows]
    table["bron"] = [q.bron or "—" for q in rows]
    table["let op"] = [SAMPLE_MARK if _is_sample_source(q.bron) else "" for q in rows]
    return table


def _year(value: float | int | None) -> str | None:
    return None if value is None or value != value else str(int(value))


def render_heat(h: Heat, *, niveau: str, code: str) -> None:
    """The heat part of a dossier: the plan with its sources, the indication with its
    reasons, the inputs, PBL, the buurten of a larger area and the aquathermal project."""
    st.markdown("##### Warmte")
    if not h.beschikbaar:
        st.info("Geen warmteplan in deze build.")
        return
    sample = f" — {SAMPLE_MARK}" if h.plan_voorbeelddata else ""
    if h.strategie or h.fase:
        parts = [
            md(h.strategie) if h.strategie else "geen strategie",
            f"fase {md(h.fase)}" if h.fase else "geen fase",
        ]
        start = _year(h.startjaar)
        if start:
            parts.append(f"start {start}")
        if h.periode and h.periode != start:
            parts.append(f"periode: {md(h.periode)}")
        st.markdown(f"**Plan{sample}:** " + " · ".join(parts))
        if h.warmtebron:
            st.markdown(f"**Warmtebron:** {md(h.warmtebron)}")
    if h.plan:
        st.caption(f"Plan: {md(h.plan)}" + (" (voorbeelddata)" if h.plan_voorbeelddata else ""))
    quoted = render_boundary_notice(h)
    sources = [
        (label, text)
        for label, text in (
            ("Strategie", h.strategie_bron),
            ("Fase", h.fase_bron),
            ("Startjaar", h.startjaar_bron),
            ("Begrenzing", None if quoted else h.begrenzing_bron),
        )
        if text
    ]
    if sources:
        with st.expander("Bronnen van het plan"):
            st.markdown("\n".join(f"- **{label}:** {md(text)}" for label, text in sources))
    if h.strategieen:
        st.markdown(
            "**Strategieën in het plan:** "
            + ", ".join(f"{md(k)} ({_n(v, 'buurt', 'buurten')})" for k, v in h.strategieen.items())
        )
    if h.indicatie is not None:
        if h.pbl is not None:
            left, right = st.columns(2)
            with left:
                _render_indication(h.indicatie)
            with right:
                _render_pbl(h.pbl)
        else:
            _render_indication(h.indicatie)
    elif h.pbl is not None:
        _render_pbl(h.pbl)
    if h.afwijking:
        st.warning(md(h.afwijking), icon="↔️")
    if h.invoer:
        marked = any(_is_sample_source(q.bron) for q in h.invoer)
        title = "Invoer van de indicatie" if h.buurten is None else "Totalen van de buurten"
        with st.expander(title + (f" (deels {SAMPLE_MARK})" if marked else "")):
            st.dataframe(_quantity_table(h.invoer), hide_index=True, width="stretch")
    if h.buurten:
        st.markdown(f"**Buurten** ({len(h.buurten)})")
        st.dataframe(
            buurt_heat_table(h.buurten, sample_homes=sample_homes(h)),
            hide_index=True,
            width="stretch",
        )
    if h.aquathermie is not None:
        render_aquathermal(h.aquathermie)
    if niveau in WUP_LEVELS:
        st.markdown(
            f"📄 Concept-wijkuitvoeringsplan: pagina [Warmte](warmte?gebied={quote(code, safe='')})"
        )


def render_boundary_notice(h: Heat) -> bool:
    """Say so where a district's boundary is an assumption (for the area or some buurten).

    True if the notice quoted the district's boundary source.
    """
    if h.begrenzing == "aanname":
        naam = md(h.gebied.naam) if h.gebied else "dit warmtegebied"
        st.warning(
            f"De begrenzing van warmtegebied {naam} is een **aanname**: "
            + (md(h.begrenzing_bron) or "welke buurten erbij horen is niet gepubliceerd."),
            icon="⚠️",
        )
        return bool(h.begrenzing_bron)
    if h.buurten and h.begrenzing is None:
        assumed = [b for b in h.buurten if b.begrenzing == "aanname"]
        if assumed:
            st.warning(
                f"{_n(len(assumed), 'buurt ligt', 'buurten liggen')} in een warmtegebied waarvan "
                "de begrenzing een **aanname** is (kolom ‘begrenzing gebied’).",
                icon="⚠️",
            )
    return False


def _render_indication(ind: HeatIndication) -> None:
    mark = f" — deels {SAMPLE_MARK}" if ind.voorbeelddata else ""
    rule = f" (regel {md(ind.regel)})" if ind.regel else ""
    st.markdown(f"**Indicatie (vuistregels){mark}:** {md(ind.strategie)}{rule}")
    main = [r for r in ind.redenen if not r.startswith("Regel ")]
    other = [r for r in ind.redenen if r.startswith("Regel ")]
    if main:
        st.markdown("\n".join(f"- {md(r)}" for r in main))
    if other:
        with st.expander(f"Regels die niet passen ({len(other)})"):
            st.markdown("\n".join(f"- {md(r)}" for r in other))
    st.caption("Een indicatie uit vuistregels (config/warmte.toml), geen beleid.")


def _render_pbl(pbl: PblResult) -> None:
    st.markdown(f"**PBL Startanalyse:** {md(pbl.strategie) or 'onbekend'}")
    lines = []
    if pbl.variant:
        lines.append(f"variant {md(pbl.variant)}")
    if pbl.nat_meerkosten_weq is not None:
        lines.append(
            f"nationale meerkosten {number(pbl.nat_meerkosten_weq)} euro per woningequivalent per jaar"
        )
    if pbl.nat_meerkosten_co2 is not None:
        lines.append(f"{number(pbl.nat_meerkosten_co2)} euro per vermeden ton CO₂")
    if lines:
        st.markdown("; ".join(lines))
    if pbl.bron:
        st.caption(f"Bron: {md(pbl.bron)}")


def buurt_heat_table(rows: Sequence[BuurtHeatRow], *, sample_homes: bool = False) -> pd.DataFrame:
    """Each buurt's plan and indication side by side, for display."""
    table = pd.DataFrame([vars(r) for r in rows])
    table["verschil"] = ["ja" if a else "" for a in table["afwijking"]]
    table["woningen"] = [number(v, missing="—") for v in table["woningen"]]
    for column in ("strategie", "fase", "indicatie", "begrenzing"):
        table[column] = table[column].fillna("—")
    names = dict(BUURT_HEAT_COLUMNS)
    if sample_homes:
        names["woningen"] = f"woningen ({SAMPLE_MARK})"
    return table[list(names)].rename(columns=names)


def sample_homes(h: Heat) -> bool:
    """True if the area's number of homes comes (partly) from sample data."""
    return any(q.naam == "woningen" and _is_sample_source(q.bron) for q in h.invoer)


def homes_are_sample(data: BuiltLayers) -> bool:
    """True if the number of homes of some buurt in the heat plan comes from sample data."""
    plan = data.warmteplan
    if plan is None or "invoer_bron" not in plan:
        return False
    return any(
        _is_sample_source(catalogue.parse_pairs(text).get("woningen"))
        for text in plan["invoer_bron"]
    )


def district_table(data: BuiltLayers) -> pd.DataFrame:
    """The warmtegebieden of the plan, in the plan's order, for display."""
    gebieden = data.warmtegebieden
    if gebieden is None or not len(gebieden):
        return pd.DataFrame()
    frame = gebieden.sort_values("volgnummer") if "volgnummer" in gebieden else gebieden
    return pd.DataFrame(
        {
            "warmtegebied": frame["naam"].to_numpy(),
            "strategie": frame["strategie"].fillna("—").to_numpy(),
            "fase": frame["fase"].fillna("—").to_numpy(),
            "periode": frame["periode"].fillna("—").to_numpy(),
            "begrenzing": frame["begrenzing"].fillna("—").to_numpy(),
            "buurten": [len(buurten_of(data, str(c))) for c in frame["gebied_id"]],
            "woningen" + (f" ({SAMPLE_MARK})" if homes_are_sample(data) else ""): [
                number(v, missing="onbekend") for v in frame["woningen"]
            ],
            "code": frame["gebied_id"].to_numpy(),
        }
    )


def render_aquathermal(a: AquathermalScope) -> None:
    """The aquathermal project: objects, complexes in scope, the estimate and the published share."""
    mark = " — ligging schematisch" if a.schematisch else ""
    st.markdown(
        f"**Aquathermie: {md(a.naam)}** (warmtegebied "
        f"[{md(a.gebied.naam)}](?gebied={quote(str(a.gebied.code), safe='')})){mark}"
    )
    if a.techniek:
        st.markdown(md(a.techniek))
    facts = []
    if a.leverancier:
        facts.append(f"**Warmteleverancier:** {md(a.leverancier)}")
    water = next((p for p in a.onderdelen if p.onderdeel == "bronwater"), None)
    ligging = (
        f" ({md(water.ligging)})"
        if water is not None and water.ligging not in (None, "bron")
        else ""
    )
    facts.append(
        f"**Bronwater:** {md(a.bronwater)}{ligging}"
        if a.bronwater
        else "**Bronwater:** niet op de kaart (geen oppervlaktewater in de bronnen van deze build)"
    )
    st.markdown("  \n".join(facts))
    share = a.aandeel_ondertekenaars
    if share is not None:
        st.markdown(
            "**Aandeel van de ondertekenaars in de warmtevraag van de buurt (gepubliceerd, "
            f"niet berekend):** {figure_value(share.waarde)} {md(share.eenheid)}".rstrip()
        )
        if share.bron:
            st.caption(f"Bron: {md(share.bron)}")
    objects = [p for p in a.onderdelen if p.onderdeel in ("object", "bronwater")]
    complexes = [p for p in a.onderdelen if p.onderdeel == "complex"]
    if objects:
        st.markdown(f"**Aangesloten en geplande objecten** ({len(objects)})")
        st.dataframe(
            pd.DataFrame(
                {
                    "naam": [p.naam for p in objects],
                    "ligging": [p.ligging or "" for p in objects],
                    "status": [p.status or "" for p in objects],
                    "soort": [p.soort or "" for p in objects],
                    "eigenaar": [p.eigenaar or "" for p in objects],
                    "warmtevraag": [
                        quantity_text(p.warmtevraag_gj, "GJ per jaar")
                        if p.warmtevraag_gj is not None
                        else (f"{number(p.woningen)} woningen" if p.woningen else "—")
                        for p in objects
                    ],
                    "bron": [p.bron or "" for p in objects],
                }
            ),
            hide_index=True,
            width="stretch",
        )
    if complexes:
        homes = sum(int(p.woningen or 0) for p in complexes)
        sample = any(_is_sample_source(p.bron) or p.ligging == SAMPLE_MARK for p in complexes)
        st.markdown(
            f"**Complexen in het plangebied{f' — {SAMPLE_MARK}' if sample else ''}:** "
            f"{_n(len(complexes), 'complex', 'complexen')}, {_n(homes, 'woning', 'woningen')}"
        )
        st.dataframe(
            pd.DataFrame(
                {
                    "complex": [p.naam for p in complexes],
                    "corporatie": [p.eigenaar or "" for p in complexes],
                    "woningen": [number(p.woningen) for p in complexes],
                    "status": [p.status or "" for p in complexes],
                    "bron": [p.bron or "" for p in complexes],
                }
            ),
            hide_index=True,
            width="stretch",
        )
    if a.toelichting:
        st.caption(f"Ligging: {md(a.toelichting)}")
    if a.raming:
        coefficients = sum(1 for q in a.raming if q.soort == "coëfficiënt")
        with st.expander(
            f"Raming warmtevraag, TEO-vermogen en opslag ({coefficients} coëfficiënten)"
        ):
            st.dataframe(
                _quantity_table(a.raming, unit_column=True), hide_index=True, width="stretch"
            )
            if any(_is_sample_source(q.bron) for q in a.raming):
                st.caption(
                    f"Let op: de uitkomsten rekenen met invoer die {SAMPLE_MARK} is (kolom ‘let op’)."
                )
            st.caption(
                "Elke coëfficiënt staat met waarde, eenheid en bron in config/warmte.toml; "
                "‘aanname wijkplan’ betekent geschat: vervang door een gemeten waarde zodra die er is."
            )
