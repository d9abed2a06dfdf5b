"""Streamlit helpers shared by the pages: cached loaders, the sidebar, the dossier panel.

Pages only lay out widgets; every computation lives in the package. Loaders use
``st.cache_data`` keyed by the GeoPackage's modification time, so a rebuild is
picked up without restarting the app.
"""

from __future__ import annotations

import html
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import altair as alt
import pandas as pd
import streamlit as st

from wijkplan import catalogue
from wijkplan.afspraken.store import StatusStore, default_store_path
from wijkplan.analysis.privacy import SUPPRESSED_NOTE, display_count
from wijkplan.config import load_config
from wijkplan.config.heat import load_heat_config
from wijkplan.dossier.model import (
    AfspraakRow,
    Afspraken,
    AquathermalScope,
    BuurtHeatRow,
    CountSeries,
    Dossier,
    Heat,
    HeatIndication,
    Liveability,
    PblResult,
    Quantity,
)
from wijkplan.dossier.text import figure_text
from wijkplan.errors import WijkplanError
from wijkplan.mapping import (
    CLASS_COLOURS,
    HeatLayers,
    HeatMode,
    LegendSection,
    Swatch,
    basemap_mode,
    class_styles,
    heat_theme,
    install_leaflet,
    quantile_styles,
)
from wijkplan.numbers import number, percent
from wijkplan.read import BuiltLayers, read_report
from wijkplan.report import REAL, SAMPLE, BuildReport
from wijkplan.settings import DEFAULT_LAYERS, PROJECT_ROOT, is_sample

SAMPLE_NOTICE = (
    "Let op: deze kaart toont **voorbeelddata** voor {bronnen}. Die gegevens zijn gegenereerd "
    "en beschrijven geen echte situatie. Complexen en incidentregistraties zijn niet openbaar; "
    "de Leefbaarometer is open data, maar niet te downloaden op een machine zonder internet. "
    "Leg de echte bestanden in de bronmap en bouw opnieuw."
)
REAL_NOTE = "Echte cijfers: {bronnen}."
CLASS_NOTE = (
    "De klassegrenzen (zeer onvoldoende … uitstekend) staan niet in de open data van de "
    "Leefbaarometer; wijkplan gebruikt aangenomen grenzen uit config/leefbaarheid.toml."
)
SAMPLE_NAMES = {
    "complexen": "corporatiecomplexen",
    "leefbaarometer": "Leefbaarometer-scores",
    "leefbaarometer_buurten": "Leefbaarometer-buurtscores",
    "incidenten": "incidentregistraties",
}
REAL_NAMES = {
    "buurten": "grenzen",
    "kerncijfers": "kerncijfers",
    "misdrijven": "geregistreerde misdrijven",
    "incidenten": "incidenten",
    "leefbaarometer": "Leefbaarometer",
    "leefbaarometer_buurten": "Leefbaarometer-buurtscores",
}


def layers_path() -> Path:
    """The built GeoPackage the app reads (``WIJKPLAN_LAYERS`` overrides the default)."""
    return Path(os.environ.get("WIJKPLAN_LAYERS", str(DEFAULT_LAYERS)))


def _mtime(path: Path) -> float:
    return path.stat().st_mtime if path.exists() else 0.0


@st.cache_data(show_spinner="Lagen laden…")
def _load(path: str, mtime: float) -> BuiltLayers:
    return BuiltLayers(path)


@st.cache_data
def _report(path: str, mtime: float) -> BuildReport:
    return read_report(path)


def status_store() -> StatusStore:
    """The live status store of the agreements (``WIJKPLAN_STATUS_STORE`` or the default)."""
    return StatusStore(default_store_path())


def load_layers() -> BuiltLayers:
    """The layers of the built GeoPackage (cached); stops the page with one line if absent."""
    path = layers_path()
    try:
        return _load(str(path), _mtime(path))
    except WijkplanError as exc:
        st.error(str(exc))
        st.stop()
        raise  # unreachable: st.stop() raises


def load_report() -> BuildReport | None:
    path = layers_path()
    try:
        return _report(str(path), _mtime(path))
    except WijkplanError:
        return None


@st.cache_resource
def static_assets() -> str:
    """Install Leaflet under ``static/`` next to the app once; return its URL base."""
    install_leaflet(PROJECT_ROOT / "static")
    base = (st.get_option("server.baseUrlPath") or "").strip("/")
    prefix = f"/{base}" if base else ""
    return f"{prefix}/app/static/vendor/leaflet"


def basemap() -> str:
    return _basemap_cached(os.environ.get("WIJKPLAN_BASEMAP", "auto"))


@st.cache_data(ttl=600)
def _basemap_cached(setting: str) -> str:
    return basemap_mode(setting)


def sidebar(report: BuildReport | None) -> None:
    """The sidebar every page shares: build facts and the sample-data notice."""
    with st.sidebar:
        if report is None:
            st.error(f"Nog geen lagen gebouwd ({layers_path()}). Draai `wijkplan build`.")
            return
        if report.uses_sample_data:
            sample = [SAMPLE_NAMES.get(s.name, s.name) for s in report.sources if s.kind == SAMPLE]
            st.warning(SAMPLE_NOTICE.format(bronnen=", ".join(sample)), icon="⚠️")
        real = [
            f"{REAL_NAMES.get(s.name, s.name)} ({s.label})"
            for s in report.sources
            if s.kind == REAL and s.label and s.name in REAL_NAMES
        ]
        if real:
            st.caption(REAL_NOTE.format(bronnen="; ".join(real)))
        st.caption(
            f"Gemeente {report.gemeentecode} · lagen gebouwd {report.built_at[:16].replace('T', ' ')} UTC"
        )
        if basemap() == "geen":
            st.caption(
                "Achtergrondkaart: geen (offline). De kaartlagen werken volledig zonder internet."
            )


def area_options(data: BuiltLayers) -> dict[str, str]:
    """Search options: label → code, for buurten, wijken, regie areas and heat areas."""
    return data.areas.search_options()


def buurten_of(data: BuiltLayers, code: str | None) -> list[str]:
    """The buurtcodes that make up an area, for highlighting it on the map."""
    return list(data.areas.buurten_of(code)) if code else []


def _n(count: int, one: str, many: str) -> str:
    """ "1 complex", "3 complexen" (Dutch thousands separator)."""
    return f"{number(count)} {one if count == 1 else many}"


def render_dossier(d: Dossier) -> None:
    """The dossier panel (Dutch), from the same object the CLI prints."""
    st.subheader(d.naam)
    if d.niveau in ("buurt", "complex"):
        assert d.wijk is not None
        what = "Buurt" if d.niveau == "buurt" else "Complex"
        st.caption(
            f"{what} {d.code} · wijk {d.wijk.naam} ({d.wijk.code})"
            + (f" · indeling {d.jaar}" if d.jaar else "")
        )
        links = [("Regiegebied", a) for a in d.regiegebieden or []]
        links += [("Warmtegebied", a) for a in d.warmtegebieden or []]
        if d.niveau == "complex":
            links = [("Buurt", b) for b in d.buurten or []] + links
        if links:
            st.markdown(" · ".join(f"{kind} [{a.naam}](?gebied={a.code})" for kind, a in links))
    else:
        buurten = d.buurten or []
        st.caption(
            f"{d.niveau.capitalize()} {d.code} · {_n(len(buurten), 'buurt', 'buurten')}"
            + (f" · indeling {d.jaar}" if d.jaar else "")
        )
        if d.regisseur:
            st.markdown(f"**Regisseur:** {d.regisseur}")
        if d.periode:
            st.markdown(f"**Periode:** {d.periode} · **status:** {d.status}")
        if d.strategie:
            st.markdown(f"**Strategie:** {d.strategie}")
        if d.partners:
            st.markdown("**Partners:** " + ", ".join(d.partners))
        if d.toelichting:
            st.caption(d.toelichting)
        if d.niveau != "gemeente":
            st.markdown(
                "**Buurten:** " + ", ".join(f"[{b.naam}](?gebied={b.code})" for b in buurten)
            )
    if d.oppervlakte_ha is not None:
        st.markdown(f"**Oppervlakte:** {number(d.oppervlakte_ha, 1)} ha")
    _render_figures(d)
    c = d.complexen
    if not c.beschikbaar:
        st.info("Geen complexenbestand in deze build.")
    elif d.niveau != "complex" or c.lijst:
        mark = " — voorbeelddata" if c.voorbeelddata else ""
        st.markdown(
            f"**Complexen corporaties{mark}:** {_n(c.aantal, 'complex', 'complexen')}, "
            f"{_n(c.woningen, 'woning', 'woningen')}"
        )
        if c.lijst:
            table = pd.DataFrame([vars(r) for r in c.lijst]).drop(columns="buurtcode")
            table["aantal_woningen"] = [number(v) for v in table["aantal_woningen"]]
            table["bouwjaar"] = table["bouwjaar"].astype("string").fillna("")
            st.dataframe(table, hide_index=True, width="stretch")
    render_heat(d.warmte, niveau=d.niveau, code=d.code)
    render_liveability(d.leefbaarheid)
    render_afspraken(d.afspraken)


# ---------------------------------------------------------------------------- heat transition

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


def figure_value(value: float | None) -> str:
    """A value as a reader writes it: as many decimals as it has (up to 4 significant digits).

    >>> figure_value(0.03517), figure_value(4.18), figure_value(966780.59), figure_value(None)
    ('0,03517', '4,18', '966.781', 'onbekend')
    """
    if value is None or value != value:
        return "onbekend"
    v = float(value)
    if v == int(v) or abs(v) >= 100:
        return number(v, 0)
    decimals = len(f"{abs(v):.4g}".partition(".")[2])
    return number(v, min(decimals, 5))


def quantity_text(
    value: float | None, unit: str | None, *, with_unit: bool = True, decimals: int | None = None
) -> str:
    """A value with its unit in Dutch number format; a fraction (0..1) as a percentage.

    >>> quantity_text(0.634, "fractie 0-1"), quantity_text(1234.0, "GJ per jaar")
    ('63 %', '1.234 GJ per jaar')
    >>> quantity_text(52.4, "aantal"), quantity_text(50.91, "woningen per ha", decimals=0)
    ('52,4', '51 woningen per ha')
    >>> quantity_text(None, "m")
    'onbekend'
    """
    if value is None or value != value:
        return "onbekend"
    u = (unit or "").strip()
    if u.startswith("fractie"):
        return percent(value)
    text = figure_value(value) if decimals is None else number(value, decimals)
    return f"{text} {u}" if with_unit and u and u != "aantal" else text


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
        parts = [h.strategie or "geen strategie", f"fase {h.fase}" if h.fase else "geen fase"]
        start = _year(h.startjaar)
        if start:
            parts.append(f"start {start}")
        if h.periode and h.periode != start:
            parts.append(f"periode: {h.periode}")
        st.markdown(f"**Plan{sample}:** " + " · ".join(parts))
        if h.warmtebron:
            st.markdown(f"**Warmtebron:** {h.warmtebron}")
    if h.plan:
        st.caption(f"Plan: {h.plan}" + (" (voorbeelddata)" if h.plan_voorbeelddata else ""))
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
            st.markdown("\n".join(f"- **{label}:** {text}" for label, text in sources))
    if h.strategieen:
        st.markdown(
            "**Strategieën in het plan:** "
            + ", ".join(f"{k} ({_n(v, 'buurt', 'buurten')})" for k, v in h.strategieen.items())
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
        st.warning(h.afwijking, icon="↔️")
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
        st.markdown(f"📄 Concept-wijkuitvoeringsplan: pagina [Warmte](warmte?gebied={code})")


def render_boundary_notice(h: Heat) -> bool:
    """Say so where a district's boundary is an assumption (for the area or some buurten).

    True if the notice quoted the district's boundary source.
    """
    if h.begrenzing == "aanname":
        naam = h.gebied.naam if h.gebied else "dit warmtegebied"
        st.warning(
            f"De begrenzing van warmtegebied {naam} is een **aanname**: "
            + (h.begrenzing_bron or "welke buurten erbij horen is niet gepubliceerd."),
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
    rule = f" (regel {ind.regel})" if ind.regel else ""
    st.markdown(f"**Indicatie (vuistregels){mark}:** {ind.strategie}{rule}")
    main = [r for r in ind.redenen if not r.startswith("Regel ")]
    other = [r for r in ind.redenen if r.startswith("Regel ")]
    if main:
        st.markdown("\n".join(f"- {r}" for r in main))
    if other:
        with st.expander(f"Regels die niet passen ({len(other)})"):
            st.markdown("\n".join(f"- {r}" for r in other))
    st.caption("Een indicatie uit vuistregels (config/warmte.toml), geen beleid.")


def _render_pbl(pbl: PblResult) -> None:
    st.markdown(f"**PBL Startanalyse:** {pbl.strategie or 'onbekend'}")
    lines = []
    if pbl.variant:
        lines.append(f"variant {pbl.variant}")
    if pbl.nat_meerkosten_weq is not None:
        lines.append(
            f"nationale meerkosten {number(pbl.nat_meerkosten_weq)} euro per woningequivalent per jaar"
        )
    if pbl.nat_meerkosten_co2 is not None:
        lines.append(f"{number(pbl.nat_meerkosten_co2)} euro per vermeden ton CO₂")
    if lines:
        st.markdown("; ".join(lines))
    if pbl.bron:
        st.caption(f"Bron: {pbl.bron}")


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
        f"**Aquathermie: {a.naam}** (warmtegebied [{a.gebied.naam}](?gebied={a.gebied.code})){mark}"
    )
    if a.techniek:
        st.markdown(a.techniek)
    facts = []
    if a.leverancier:
        facts.append(f"**Warmteleverancier:** {a.leverancier}")
    water = next((p for p in a.onderdelen if p.onderdeel == "bronwater"), None)
    ligging = (
        f" ({water.ligging})" if water is not None and water.ligging not in (None, "bron") else ""
    )
    facts.append(
        f"**Bronwater:** {a.bronwater}{ligging}"
        if a.bronwater
        else "**Bronwater:** niet op de kaart (geen oppervlaktewater in de bronnen van deze build)"
    )
    st.markdown("  \n".join(facts))
    share = a.aandeel_ondertekenaars
    if share is not None:
        st.markdown(
            "**Aandeel van de ondertekenaars in de warmtevraag van de buurt (gepubliceerd, "
            f"niet berekend):** {figure_value(share.waarde)} {share.eenheid or ''}".rstrip()
        )
        if share.bron:
            st.caption(f"Bron: {share.bron}")
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
        st.caption(f"Ligging: {a.toelichting}")
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


def _render_figures(d: Dossier) -> None:
    """The area's own key figures, and for a buurt or complex those of its wijk."""
    wijk = f"Kerncijfers van wijk {d.wijk.naam}" if d.wijk else "Kerncijfers van de wijk"
    for label, figures in (("Kerncijfers", d.kerncijfers), (wijk, d.kerncijfers_wijk or [])):
        if not figures:
            continue
        sources = sorted({f.bron for f in figures if f.bron})
        st.markdown(f"**{label}**" + (f" ({'; '.join(sources)})" if sources else ""))
        st.table(
            pd.DataFrame(
                {"waarde": [figure_text(f) for f in figures]}, index=[f.label for f in figures]
            )
        )
    if d.kerncijfers_toelichting and not d.kerncijfers:
        st.caption(d.kerncijfers_toelichting)


def render_liveability(lv: Liveability) -> None:
    """Scores per dimension against the municipal and national reference; incidents per year."""
    if not lv.beschikbaar:
        return
    mark = " — voorbeelddata" if lv.voorbeelddata else ""
    if lv.geen_score:
        st.markdown(f"**Leefbaarheid{mark}:** {lv.geen_score}")
    if lv.scores is not None:
        s = lv.scores
        st.markdown(
            f"**Leefbaarheid {lv.jaar}{mark}:** {lv.klasse} · afwijking "
            f"{number(s.get('afw'), 3, sign=True)} · {percent(lv.aandeel_zwak)} van het gescoorde "
            "oppervlak zwak of lager"
        )
        st.caption(CLASS_NOTE + (f" Bron: {lv.bron}." if lv.bron else ""))
        refs = lv.referentie
        dims = catalogue.DIMENSIONS
        chart = pd.DataFrame(
            {
                "dimensie": [catalogue.SCORE_LABELS[k] for k in dims] * 3,
                "gebied": ["dit gebied"] * 5 + ["gemeente"] * 5 + ["Nederland"] * 5,
                "score": [s.get(k) for k in dims]
                + [refs[k].gemeente if k in refs else None for k in dims]
                + [refs[k].nederland if k in refs else None for k in dims],
            }
        )
        st.altair_chart(_dimension_chart(chart), width="stretch")
        coverage = (
            f"Dekking: {percent(lv.dekking)} van het gebied valt op gescoorde cellen"
            if lv.dekking is not None
            else f"{number(lv.cellen, 1)} gescoorde cellen"
        )
        st.caption(
            "Scores als afwijking van het landelijk gemiddelde (Nederland = 0). "
            + coverage
            + ("" if lv.betrouwbaar else " — te weinig cellen voor een betrouwbaar oordeel")
            + "."
        )
        if len(lv.trend) > 1:
            st.altair_chart(
                _trend_chart(pd.DataFrame([vars(t) for t in lv.trend])), width="stretch"
            )
    if lv.prioriteit is not None and lv.prioriteit.waarde is not None:
        p = lv.prioriteit
        st.markdown(
            f"**Prioriteit leefbaarheid:** {number(p.waarde, 1)} (rang {p.rang} van {p.van})"
        )
    _render_counts("Incidenten per jaar", lv.incidenten)
    _render_counts("Geregistreerde misdrijven", lv.misdrijven)


def _render_counts(title: str, inc: CountSeries | None) -> None:
    """A published count series per period (suppressed as "<5"), marked sample or real."""
    if inc is None or not inc.rijen:
        return
    t = inc.drempel
    rows = [
        {
            "periode": r.periode,
            **{
                c: display_count(r.aantallen[c], threshold=t, complete=r.volledig)
                for c in [*inc.categorieen, "totaal"]
            },
            "per 1.000 inwoners per jaar": number(r.per_1000, 1),
        }
        for r in inc.rijen
    ]
    mark = " — voorbeelddata" if inc.voorbeelddata else (f" — echt: {inc.bron}" if inc.bron else "")
    st.markdown(f"**{title}{mark}**")
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
    st.caption(SUPPRESSED_NOTE.format(t=t))
    if not all(r.volledig for r in inc.rijen):
        st.caption(
            "‘≥’: ondergrens, in de bron ontbreken waarden; ‘onbekend’: geen waarde in de bron."
        )


def _dimension_chart(chart: pd.DataFrame) -> alt.Chart:
    """Grouped horizontal bars: each dimension for the area, the municipality and the country."""
    order = ["dit gebied", "gemeente", "Nederland"]
    colours = alt.Scale(domain=order, range=["#d7301f", "#6baed6", "#636363"])
    return (
        alt.Chart(chart)
        .mark_bar()
        .encode(
            y=alt.Y("dimensie:N", title=None, sort=None),
            yOffset=alt.YOffset("gebied:N", sort=order),
            x=alt.X("score:Q", title="afwijking van het landelijk gemiddelde"),
            color=alt.Color(
                "gebied:N", scale=colours, legend=alt.Legend(orient="bottom", title=None)
            ),
            tooltip=["dimensie", "gebied", alt.Tooltip("score:Q", format="+.3f")],
        )
        .properties(height=260)
    )


def _trend_chart(trend: pd.DataFrame) -> alt.Chart:
    """The total deviation per measurement year."""
    return (
        alt.Chart(trend)
        .mark_line(point=True)
        .encode(
            x=alt.X("jaar:O", title="meetjaar"),
            y=alt.Y("afw:Q", title="afwijking (totaal)"),
            tooltip=["jaar", alt.Tooltip("afw:Q", format="+.3f"), "klasse"],
        )
        .properties(height=160)
    )


SCORE_SOURCE_LABELS = {"grid": "grid", "buurtbestand": "Leefbaarometer-buurtscore"}


def ranking_table(data: BuiltLayers) -> pd.DataFrame:
    """The buurten by liveability priority, for display (Dutch numbers, suppressed counts)."""
    lb = data.tables["leefbaarheid"]
    t = data.report.threshold
    table = lb.sort_values(["rang", "buurtnaam"], na_position="last")
    out = pd.DataFrame(
        {
            "rang": table["rang"].astype("Int64"),
            "buurt": table["buurtnaam"],
            "code": table["buurtcode"],
            "prioriteit": [number(v, 1) for v in table["prioriteit"]],
            "klasse": table["klasse"],
            "afwijking": [number(v, 3, sign=True) for v in table["afw"]],
            "aandeel zwak": [percent(v) for v in table["aandeel_zwak"]],
        }
    )
    if "scorebron" in table:
        out["score uit"] = [SCORE_SOURCE_LABELS.get(str(v), "") for v in table["scorebron"]]
    if "totaal" in table:
        out["incidenten (periode)"] = shown_counts(table["totaal"], t)
    if "incidenten_waarde" in table:
        out["incidentmaat"] = [
            "afgeschermd" if geschat else number(v, 1, missing="")
            for v, geschat in zip(
                table["incidenten_waarde"], table["incidenten_geschat"], strict=True
            )
        ]
    if "misdrijven_per_1000" in table:
        year = table["misdrijven_jaar"].dropna()
        label = (
            f"misdrijven per 1.000 ({int(year.iloc[0])}, echt)"
            if len(year)
            else "misdrijven per 1.000"
        )
        out[label] = [number(v, 1, missing="—") for v in table["misdrijven_per_1000"]]
    out["betrouwbaar"] = table["betrouwbaar"].to_numpy()
    return out


def shown_counts(values: pd.Series, threshold: int) -> list[str]:
    """A column of published counts for display: suppressed ones as "<5", never 0."""
    return [display_count(None if pd.isna(v) else int(v), threshold=threshold) for v in values]


STATUS_ICONS = {
    "voorgenomen": "⚪",
    "lopend": "🔵",
    "gerealiseerd": "🟢",
    "vertraagd": "🟠",
    "vervallen": "⚫",
}


def afspraken_table(rows: list[AfspraakRow] | pd.DataFrame) -> pd.DataFrame:
    """Agreements as a display table (Dutch headers, status with a marker)."""
    frame = rows if isinstance(rows, pd.DataFrame) else pd.DataFrame([vars(r) for r in rows])
    if frame.empty:
        return frame
    out = pd.DataFrame(
        {
            "id": frame["afspraak_id"],
            "status": [f"{STATUS_ICONS.get(s, '')} {s}" for s in frame["status"]],
            "voortgang %": ["—" if pd.isna(v) else str(int(v)) for v in frame["voortgang"]],
            "thema": frame["thema"],
            "afspraak": frame["titel"],
            "trekker": frame["trekker"],
            "partijen": frame["partijen"],
        }
    )
    if "via" in frame.columns and frame["via"].astype(bool).any():
        out["geldt via"] = frame["via"]
    return out


def render_afspraken(a: Afspraken) -> None:
    """The agreements block of a dossier."""
    if not a.beschikbaar:
        st.info("Geen afsprakenregister in deze build.")
        return
    direct, wide = a.direct, a.gemeentebreed
    st.markdown(
        f"**Afspraken** ({a.register}) — {len(direct)} voor dit gebied, {len(wide)} gemeentebreed"
    )
    if direct:
        st.dataframe(afspraken_table(direct), hide_index=True, width="stretch")
    else:
        st.caption("Geen afspraken specifiek voor dit gebied.")
    with st.expander(f"Gemeentebrede afspraken ({len(wide)})"):
        st.dataframe(afspraken_table(wide), hide_index=True, width="stretch")
    st.markdown("✏️ Status bijwerken: pagina [Afspraken](afspraken)")


# ---------------------------------------------------------------------------- themes on the map

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
        f"{html.escape(item.label)}</span>"
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
    head = f"<b>{html.escape(title)}:</b> " if title else ""
    tail = f' <span style="color:#777">· {html.escape(note)}</span>' if note else ""
    st.markdown(head + " ".join(_swatch_html(i) for i in items) + tail, unsafe_allow_html=True)


def render_legend_sections(sections: Sequence[LegendSection]) -> None:
    """Legend sections one under the other, each drawn like :func:`render_legend`."""
    for section in sections:
        render_legend(section.items, title=section.title, note=section.note)
