"""Streamlit helpers shared by the pages: cached loaders, the sidebar, the dossier panel.

Pages only lay out widgets; every computation lives in the package. Loaders use
``st.cache_data`` keyed by the GeoPackage's modification time, so a rebuild is
picked up without restarting the app.
"""

from __future__ import annotations

import os
from pathlib import Path

import altair as alt
import pandas as pd
import streamlit as st

from wijkplan import catalogue
from wijkplan.afspraken.store import StatusStore, default_store_path
from wijkplan.analysis.privacy import SUPPRESSED_NOTE, display_count
from wijkplan.config import load_config
from wijkplan.dossier.model import AfspraakRow, Afspraken, CountSeries, Dossier, Liveability
from wijkplan.dossier.text import figure_text
from wijkplan.errors import WijkplanError
from wijkplan.mapping import (
    CLASS_COLOURS,
    basemap_mode,
    class_styles,
    install_leaflet,
    quantile_styles,
)
from wijkplan.numbers import number, percent
from wijkplan.read import BuiltLayers, read_report
from wijkplan.report import REAL, SAMPLE, BuildReport
from wijkplan.settings import DEFAULT_LAYERS, PROJECT_ROOT

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
    render_liveability(d.leefbaarheid)
    render_afspraken(d.afspraken)


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


def available_themes(data: BuiltLayers) -> list[str]:
    """The themes whose column is in this build's ``leefbaarheid`` layer."""
    lb = data.tables.get("leefbaarheid")
    if lb is None:
        return [GEEN_THEMA]
    return [
        GEEN_THEMA,
        *(
            t
            for t, theme in THEMES.items()
            if theme.column in lb.columns and lb[theme.column].notna().any()
        ),
    ]


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


def render_legend(legend: list[tuple[str, str]]) -> None:
    """A compact colour legend (drawn by Streamlit, not by a CDN-loaded Leaflet plugin)."""
    if not legend:
        return
    items = " ".join(
        f'<span style="white-space:nowrap;margin-right:0.8em"><span style="display:inline-block;'
        f'width:0.9em;height:0.9em;background:{colour};border:1px solid #777;vertical-align:middle">'
        f"</span> {label}</span>"
        for label, colour in legend
    )
    st.markdown(
        items + ' <span style="color:#777">· grijs: geen gegevens</span>', unsafe_allow_html=True
    )
