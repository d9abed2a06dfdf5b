"""Streamlit helpers shared by the pages: cached loaders, the sidebar, the dossier panel.

Pages only lay out widgets; every computation lives in the package. Loaders use
``st.cache_data`` keyed by the GeoPackage's modification time, so a rebuild is
picked up without restarting the app.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import altair as alt
import pandas as pd
import streamlit as st

from wijkplan import layers as layerio
from wijkplan.afspraken import StatusStore, area_buurten, default_store_path
from wijkplan.build import BuildReport
from wijkplan.dossier import DossierLayers, fmt
from wijkplan.errors import WijkplanError
from wijkplan.mapping import basemap_mode, install_leaflet
from wijkplan.settings import DEFAULT_LAYERS, PROJECT_ROOT

SAMPLE_NOTICE = (
    "Let op: deze kaart toont **voorbeelddata** voor wat niet openbaar is ({bronnen}). "
    "Die gegevens zijn gegenereerd en beschrijven geen echte situatie. "
    "Buurt- en wijkgrenzen en wijkcijfers komen uit de echte bronbestanden (zie het bouwrapport)."
)
CLASS_NOTE = (
    "De klassegrenzen (zeer onvoldoende … uitstekend) staan niet in de open data van de "
    "Leefbaarometer; wijkplan gebruikt aangenomen grenzen uit config/leefbaarheid.toml."
)
SAMPLE_NAMES = {
    "complexen": "corporatiecomplexen",
    "leefbaarometer": "Leefbaarometer-scores",
    "incidenten": "incidentregistraties",
}


def layers_path() -> Path:
    """The built GeoPackage the app reads (``WIJKPLAN_LAYERS`` overrides the default)."""
    return Path(os.environ.get("WIJKPLAN_LAYERS", str(DEFAULT_LAYERS)))


def _mtime(path: Path) -> float:
    return path.stat().st_mtime if path.exists() else 0.0


@st.cache_data(show_spinner="Lagen laden…")
def _load(path: str, mtime: float, store_path: str) -> DossierLayers:
    return DossierLayers(path, store=StatusStore(store_path))


@st.cache_data
def _report(path: str, mtime: float) -> BuildReport:
    return layerio.read_report(path)


def load_layers() -> DossierLayers:
    """The layers of the built GeoPackage (cached); stops the page with one line if absent."""
    path = layers_path()
    try:
        return _load(str(path), _mtime(path), str(default_store_path()))
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
            sample = [
                SAMPLE_NAMES.get(s.naam, s.naam)
                for s in report.bronnen
                if s.soort == "voorbeelddata"
            ]
            st.warning(SAMPLE_NOTICE.format(bronnen=", ".join(sample)), icon="⚠️")
        st.caption(
            f"Gemeente {report.gemeentecode} · lagen gebouwd {report.gebouwd_op[:16].replace('T', ' ')} UTC"
        )
        if basemap() == "geen":
            st.caption(
                "Achtergrondkaart: geen (offline). De kaartlagen werken volledig zonder internet."
            )


def area_options(data: DossierLayers) -> dict[str, str]:
    """Search options: label → code, for buurten, wijken, regie areas and heat areas."""
    options = {
        f"{n} ({c})": c
        for c, n in zip(data.buurten["buurtcode"], data.buurten["buurtnaam"], strict=True)
    }
    options |= {
        f"Wijk {n} ({c})": c
        for c, n in zip(data.wijken["wijkcode"], data.wijken["wijknaam"], strict=True)
    }
    if data.ledger is not None:
        options |= {f"Regiegebied {r.naam}": r.regie_id for r in data.ledger.regiegebieden}
        options |= {f"Warmtegebied {w.naam}": w.gebied_id for w in data.ledger.warmtegebieden}
    return dict(sorted(options.items()))


def buurten_of(data: DossierLayers, code: str | None) -> list[str]:
    """The buurtcodes that make up an area, for highlighting it on the map."""
    if not code:
        return []
    b = data.buurten
    if code in set(b["buurtcode"]):
        return [code]
    if code in set(b["wijkcode"]):
        return list(b.loc[b["wijkcode"] == code, "buurtcode"])
    if data.ledger is not None:
        return area_buurten(data.ledger, code, data.buurten) or []
    return []


def _n(count: int, one: str, many: str) -> str:
    """ "1 complex", "3 complexen"."""
    return f"{count} {one if count == 1 else many}"


def render_dossier(d: dict[str, Any]) -> None:
    """The dossier panel (Dutch), from the same dict the CLI prints."""
    st.subheader(f"{d['naam']}")
    if d["niveau"] == "buurt":
        st.caption(
            f"Buurt {d['code']} · wijk {d['wijk']['naam']} ({d['wijk']['code']}) · indeling {d['jaar']}"
        )
        links = [("Regiegebied", a) for a in d.get("regiegebieden", [])]
        links += [("Warmtegebied", a) for a in d.get("warmtegebieden", [])]
        if links:
            st.markdown(
                " · ".join(f"{kind} [{a['naam']}](?gebied={a['code']})" for kind, a in links)
            )
    elif d["niveau"] == "wijk":
        st.caption(f"Wijk {d['code']} · {len(d['buurten'])} buurten · indeling {d['jaar']}")
    else:
        st.caption(
            f"{d['niveau'].capitalize()} {d['code']} · {_n(len(d['buurten']), 'buurt', 'buurten')}"
        )
        if d.get("regisseur"):
            st.markdown(f"**Regisseur:** {d['regisseur']}")
        if d.get("periode"):
            st.markdown(f"**Periode:** {d['periode']} · **status:** {d['status']}")
        if d.get("partners"):
            st.markdown("**Partners:** " + ", ".join(d["partners"]))
        if d.get("toelichting"):
            st.caption(d["toelichting"])
        st.markdown(
            "**Buurten:** " + ", ".join(f"[{b['naam']}](?gebied={b['code']})" for b in d["buurten"])
        )
    st.markdown(f"**Oppervlakte:** {d['oppervlakte_ha']:,} ha".replace(",", "."))
    figures = d["kerncijfers"] or d.get("kerncijfers_wijk", {})
    if figures:
        label = "Kerncijfers" if d["kerncijfers"] else f"Kerncijfers van wijk {d['wijk']['naam']}"
        # (regie and heat areas have no figures of their own yet)
        st.markdown(f"**{label}** (CBS {d['jaar']})")
        st.table(
            pd.DataFrame(
                {
                    "waarde": [
                        ("onbekend" if v is None else f"{v:,}".replace(",", "."))
                        for v in figures.values()
                    ]
                },
                index=list(figures),
            )
        )
        if not d["kerncijfers"]:
            st.caption(d.get("kerncijfers_toelichting", ""))
    c = d["complexen"]
    if not c["beschikbaar"]:
        st.info("Geen complexenbestand in deze build.")
    else:
        mark = " — voorbeelddata" if c.get("voorbeelddata") else ""
        st.markdown(
            f"**Complexen corporaties{mark}:** {_n(c['aantal'], 'complex', 'complexen')}, "
            f"{_n(c['woningen'], 'woning', 'woningen')}"
        )
        if c["lijst"]:
            table = pd.DataFrame(c["lijst"])[
                [
                    "complex_id",
                    "naam",
                    "corporatie",
                    "aantal_woningen",
                    "bouwjaar",
                    "energielabel",
                    "woningtype",
                ]
            ]
            st.dataframe(table, hide_index=True, width="stretch")
    render_liveability(d.get("leefbaarheid", {}))
    render_afspraken(d["afspraken"])


def render_liveability(lv: dict[str, Any]) -> None:
    """Scores per dimension against the municipal and national reference; incidents per year."""
    from wijkplan.analysis.privacy import SUPPRESSED_NOTE
    from wijkplan.dossier import DIMENSIONS, SCORE_LABELS

    if not lv.get("beschikbaar"):
        return
    mark = " — voorbeelddata" if lv.get("voorbeelddata") else ""
    if "geen_score" in lv:
        st.markdown(f"**Leefbaarheid{mark}:** {lv['geen_score']}")
    if "scores" in lv:
        s = lv["scores"]
        st.markdown(
            f"**Leefbaarheid {lv['jaar']}{mark}:** {lv['klasse']} · afwijking {fmt(s.get('afw'), '+.3f')} · "
            f"{fmt(lv['aandeel_zwak'], '.0%')} van het gescoorde oppervlak zwak of lager".replace(
                ".", ","
            )
        )
        st.caption(CLASS_NOTE)
        refs = lv.get("referentie", {})
        chart = pd.DataFrame(
            {
                "dimensie": [SCORE_LABELS[k] for k in DIMENSIONS] * 3,
                "gebied": ["dit gebied"] * 5 + ["gemeente"] * 5 + ["Nederland"] * 5,
                "score": [s.get(k) for k in DIMENSIONS]
                + [refs.get(k, {}).get("gemeente") for k in DIMENSIONS]
                + [refs.get(k, {}).get("nederland") for k in DIMENSIONS],
            }
        )
        st.altair_chart(_dimension_chart(chart), width="stretch")
        st.caption(
            "Scores als afwijking van het landelijk gemiddelde (Nederland = 0). "
            f"Dekking: {fmt(lv['dekking'], '.0%')} van het gebied valt op gescoorde cellen"
            + ("" if lv.get("betrouwbaar") else " — te weinig cellen voor een betrouwbaar oordeel")
            + "."
        )
        if len(lv.get("trend", [])) > 1:
            st.altair_chart(_trend_chart(pd.DataFrame(lv["trend"])), width="stretch")
    if "prioriteit" in lv and lv["prioriteit"]["waarde"] is not None:
        p = lv["prioriteit"]
        st.markdown(
            f"**Prioriteit leefbaarheid:** {p['waarde']:.1f} (rang {p['rang']} van {p['van']})".replace(
                ".", ","
            )
        )
    if "incidenten" in lv and lv["incidenten"]["rijen"]:
        inc = lv["incidenten"]
        t = inc["drempel"]
        table = pd.DataFrame(
            [
                {
                    "periode": r["periode"],
                    **{c: _shown_count(r[c], t) for c in [*inc["categorieen"], "totaal"]},
                }
                for r in inc["rijen"]
            ]
        )
        st.markdown(f"**Incidenten per jaar{mark}**")
        st.dataframe(table, hide_index=True, width="stretch")
        st.caption(SUPPRESSED_NOTE.format(t=t))


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


def _shown_count(value: int | None, threshold: int) -> str:
    from wijkplan.analysis.privacy import display_count

    return display_count(pd.NA if value is None else value, threshold=threshold)


def shown_counts(values: pd.Series, threshold: int) -> list[str]:
    """A column of published counts for display: suppressed ones as "<5", never 0."""
    return [_shown_count(None if pd.isna(v) else int(v), threshold) for v in values]


STATUS_ICONS = {
    "voorgenomen": "⚪",
    "lopend": "🔵",
    "gerealiseerd": "🟢",
    "vertraagd": "🟠",
    "vervallen": "⚫",
}


def afspraken_table(rows: list[dict[str, Any]] | pd.DataFrame) -> pd.DataFrame:
    """Agreements as a display table (Dutch headers, status with a marker)."""
    frame = pd.DataFrame(rows)
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


def render_afspraken(a: dict[str, Any]) -> None:
    """The agreements block of a dossier."""
    if not a["beschikbaar"]:
        st.info("Geen afsprakenregister in deze build.")
        return
    rows = a["lijst"]
    direct = [r for r in rows if not r["gemeentebreed"]]
    wide = [r for r in rows if r["gemeentebreed"]]
    st.markdown(
        f"**Afspraken** ({a['register']}) — {len(direct)} voor dit gebied, {len(wide)} gemeentebreed"
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
#: label -> (column of layer leefbaarheid, kind, decimals, higher_is_worse)
THEMES: dict[str, tuple[str, str, int, bool]] = {
    "Leefbaarheid: klasse (Leefbaarometer)": ("klasse_nr", "klasse", 0, False),
    "Leefbaarheid: totaalscore (lbm)": ("lbm", "kwantiel", 2, False),
    "Dimensie woningvoorraad": ("won", "kwantiel", 3, False),
    "Dimensie fysieke omgeving": ("fys", "kwantiel", 3, False),
    "Dimensie voorzieningen": ("vrz", "kwantiel", 3, False),
    "Dimensie sociale samenhang": ("soc", "kwantiel", 3, False),
    "Dimensie overlast en onveiligheid": ("onv", "kwantiel", 3, False),
    "Aandeel oppervlak in zwakke klassen": ("aandeel_zwak", "kwantiel", 2, True),
    "Incidenten (per jaar, zie prioriteit)": ("incidenten_waarde", "kwantiel", 1, True),
    "Prioriteit leefbaarheid": ("prioriteit", "kwantiel", 0, True),
}


def available_themes(data: DossierLayers) -> list[str]:
    """The themes whose column is in this build's ``leefbaarheid`` layer."""
    lb = data.live.get("leefbaarheid")
    if lb is None:
        return [GEEN_THEMA]
    return [
        GEEN_THEMA,
        *(t for t, (col, *_rest) in THEMES.items() if col in lb.columns and lb[col].notna().any()),
    ]


def theme_styles(
    data: DossierLayers, theme: str
) -> tuple[dict[str, dict[str, object]] | None, list[tuple[str, str]], dict[str, str] | None]:
    """Buurt styles, legend and complex colours (class under each complex) for a theme."""
    from wijkplan.config import load_config
    from wijkplan.mapping import CLASS_COLOURS, class_styles, quantile_styles

    if theme not in THEMES or "leefbaarheid" not in data.live:
        return None, [], None
    column, kind, decimals, worse = THEMES[theme]
    table = data.live["leefbaarheid"].set_index("buurtcode")
    lb = table[column]
    if column == "incidenten_waarde" and "incidenten_geschat" in table:
        # a buurt whose count is suppressed has no published value: grey, not an estimate
        lb = lb.where(~table["incidenten_geschat"].astype(bool))
    values = {str(k): (None if pd.isna(v) else float(v)) for k, v in lb.items()}
    if kind == "klasse":
        styles, legend = class_styles(values, load_config().class_labels)
    else:
        styles, legend = quantile_styles(values, decimals=decimals, higher_is_worse=worse)
    colours = None
    complex_scores = data.live.get("leefbaarheid_complexen")
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
