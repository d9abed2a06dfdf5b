"""The dossier panel: an area's header, key figures, complexes, liveability, agreements.

:func:`render_dossier` renders the same :class:`~wijkplan.dossier.model.Dossier` the CLI
prints; its heat section is :func:`wijkplan.ui.heat.render_heat`.
"""

from __future__ import annotations

from urllib.parse import quote

import altair as alt
import pandas as pd
import streamlit as st

from wijkplan import catalogue
from wijkplan.analysis.privacy import SUPPRESSED_NOTE, display_count
from wijkplan.dossier.model import Afspraken, CountSeries, Dossier, Liveability
from wijkplan.dossier.text import figure_text
from wijkplan.numbers import number, percent
from wijkplan.text_safety import markdown_text as md
from wijkplan.ui.heat import render_heat
from wijkplan.ui.tables import afspraken_table
from wijkplan.ui.text import _n

CLASS_NOTE = (
    "De klassegrenzen (zeer onvoldoende … uitstekend) staan niet in de open data van de "
    "Leefbaarometer; wijkplan gebruikt aangenomen grenzen uit config/leefbaarheid.toml."
)


def render_dossier(d: Dossier) -> None:
    """The dossier panel (Dutch), from the same object the CLI prints."""
    st.subheader(md(d.naam))
    if d.niveau in ("buurt", "complex"):
        assert d.wijk is not None
        what = "Buurt" if d.niveau == "buurt" else "Complex"
        st.caption(
            f"{what} {md(d.code)} · wijk {md(d.wijk.naam)} ({md(d.wijk.code)})"
            + (f" · indeling {d.jaar}" if d.jaar else "")
        )
        links = [("Regiegebied", a) for a in d.regiegebieden or []]
        links += [("Warmtegebied", a) for a in d.warmtegebieden or []]
        if d.niveau == "complex":
            links = [("Buurt", b) for b in d.buurten or []] + links
        if links:
            st.markdown(" · ".join(f"{kind} {_area_link(a.naam, a.code)}" for kind, a in links))
    else:
        buurten = d.buurten or []
        st.caption(
            f"{d.niveau.capitalize()} {md(d.code)} · {_n(len(buurten), 'buurt', 'buurten')}"
            + (f" · indeling {d.jaar}" if d.jaar else "")
        )
        if d.regisseur:
            st.markdown(f"**Regisseur:** {md(d.regisseur)}")
        if d.periode:
            st.markdown(f"**Periode:** {md(d.periode)} · **status:** {md(d.status)}")
        if d.strategie:
            st.markdown(f"**Strategie:** {md(d.strategie)}")
        if d.partners:
            st.markdown("**Partners:** " + ", ".join(md(p) for p in d.partners))
        if d.toelichting:
            st.caption(md(d.toelichting))
        if d.niveau != "gemeente":
            st.markdown("**Buurten:** " + ", ".join(_area_link(b.naam, b.code) for b in buurten))
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


def _area_link(naam: str | None, code: str) -> str:
    """A Markdown link to an area's dossier on this page; the name is text, the code a query."""
    return f"[{md(naam)}](?gebied={quote(str(code), safe='')})"


def _render_figures(d: Dossier) -> None:
    """The area's own key figures, and for a buurt or complex those of its wijk."""
    wijk = f"Kerncijfers van wijk {md(d.wijk.naam)}" if d.wijk else "Kerncijfers van de wijk"
    for label, figures in (("Kerncijfers", d.kerncijfers), (wijk, d.kerncijfers_wijk or [])):
        if not figures:
            continue
        sources = sorted({md(f.bron) for f in figures if f.bron})
        st.markdown(f"**{label}**" + (f" ({'; '.join(sources)})" if sources else ""))
        st.table(
            pd.DataFrame(
                {"waarde": [figure_text(f) for f in figures]}, index=[f.label for f in figures]
            )
        )
    if d.kerncijfers_toelichting and not d.kerncijfers:
        st.caption(md(d.kerncijfers_toelichting))


def render_liveability(lv: Liveability) -> None:
    """Scores per dimension against the municipal and national reference; incidents per year."""
    if not lv.beschikbaar:
        return
    mark = " — voorbeelddata" if lv.voorbeelddata else ""
    if lv.geen_score:
        st.markdown(f"**Leefbaarheid{mark}:** {md(lv.geen_score)}")
    if lv.scores is not None:
        s = lv.scores
        st.markdown(
            f"**Leefbaarheid {md(lv.jaar)}{mark}:** {md(lv.klasse)} · afwijking "
            f"{number(s.get('afw'), 3, sign=True)} · {percent(lv.aandeel_zwak)} van het gescoorde "
            "oppervlak zwak of lager"
        )
        st.caption(CLASS_NOTE + (f" Bron: {md(lv.bron)}." if lv.bron else ""))
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
    mark = (
        " — voorbeelddata"
        if inc.voorbeelddata
        else (f" — echt: {md(inc.bron)}" if inc.bron else "")
    )
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


def render_afspraken(a: Afspraken) -> None:
    """The agreements block of a dossier."""
    if not a.beschikbaar:
        st.info("Geen afsprakenregister in deze build.")
        return
    direct, wide = a.direct, a.gemeentebreed
    st.markdown(
        f"**Afspraken** ({md(a.register)}) — {len(direct)} voor dit gebied, {len(wide)} gemeentebreed"
    )
    if direct:
        st.dataframe(afspraken_table(direct), hide_index=True, width="stretch")
    else:
        st.caption("Geen afspraken specifiek voor dit gebied.")
    with st.expander(f"Gemeentebrede afspraken ({len(wide)})"):
        st.dataframe(afspraken_table(wide), hide_index=True, width="stretch")
    st.markdown("✏️ Status bijwerken: pagina [Afspraken](afspraken)")
