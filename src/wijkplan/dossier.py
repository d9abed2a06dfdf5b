"""The dossier of one area: what an area coordinator sees when clicking a polygon.

A dossier is a plain dict (JSON-serialisable) built from the GeoPackage layers,
the agreement ledger the build used, and the live status store, so the CLI
(``wijkplan dossier CODE``) and the app show the same thing. Areas: buurt (BU…),
wijk (WK…), regiegebied and warmtegebied (their ids in the ledger).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd

from wijkplan import layers as layerio
from wijkplan.afspraken import (
    Ledger,
    StatusStore,
    applicable_afspraken,
    area_buurten,
    load_ledger,
)
from wijkplan.analysis.privacy import display_count
from wijkplan.config import load_config
from wijkplan.errors import ValidationError
from wijkplan.settings import BUURTCODE_RE, WIJKCODE_RE, is_sample
from wijkplan.sources.complexen import COMPLEX_COLUMNS

WIJK_FIGURES = {
    "aantal_inwoners": "Inwoners",
    "woningvoorraad": "Woningvoorraad",
    "bevolkingsdichtheid_per_km2": "Bevolkingsdichtheid (per km²)",
    "oppervlakte_land_ha": "Oppervlakte land (ha)",
    "oppervlakte_water_ha": "Oppervlakte water (ha)",
}
AFSPRAAK_FIELDS = (
    "afspraak_id",
    "titel",
    "thema",
    "trekker",
    "partijen",
    "status",
    "voortgang",
    "versie",
    "via",
)


class DossierLayers:
    """The layers a dossier reads, loaded once (the app caches one instance).

    The ledger is the file the build recorded in its report; status comes from
    ``store`` (the live status store) at the moment a dossier is built.
    """

    def __init__(self, path: Path | str, *, store: StatusStore | None = None) -> None:
        self.path = Path(path)
        self.buurten: gpd.GeoDataFrame = layerio.read_layer(path, "buurten")
        self.wijken: gpd.GeoDataFrame = layerio.read_layer(path, "wijken")
        self.complexen: gpd.GeoDataFrame | None = layerio.read_optional(path, "complexen")
        self.regiegebieden: gpd.GeoDataFrame | None = layerio.read_optional(path, "regiegebieden")
        self.warmtegebieden: gpd.GeoDataFrame | None = layerio.read_optional(path, "warmtegebieden")
        report = layerio.read_report(path)
        entry = next((s for s in report.bronnen if s.naam == "afspraken" and s.pad), None)
        self.ledger: Ledger | None = load_ledger(entry.pad) if entry and entry.pad else None
        self.store = store
        self.report = report
        tables = [
            "leefbaarheid",
            "leefbaarheid_trend",
            "leefbaarheid_referentie",
            "leefbaarheid_complexen",
            *(f"incidenten_{lvl}" for lvl in ("buurt", "wijk", "regie", "gemeente")),
        ]
        self.live: dict[str, pd.DataFrame] = {}
        for name in tables:
            frame = layerio.read_optional(path, name)
            if frame is not None:
                self.live[name] = pd.DataFrame(frame.drop(columns="geometry", errors="ignore"))
        self.sample_sources = {b.naam for b in report.bronnen if b.soort == "voorbeelddata"}


def _plain(value: Any) -> Any:
    if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NA:
        return None
    if hasattr(value, "item"):
        return value.item()
    return value


def _complex_summary(complexen: gpd.GeoDataFrame | None, mask: pd.Series | None) -> dict[str, Any]:
    if complexen is None:
        return {"beschikbaar": False, "aantal": 0, "woningen": 0, "per_corporatie": {}, "lijst": []}
    sel = complexen[mask] if mask is not None else complexen
    cols = [*COMPLEX_COLUMNS, "buurtcode"]
    rows = [
        {c: _plain(v) for c, v in zip(cols, rec, strict=True)}
        for rec in sel[cols].itertuples(index=False)
    ]
    per_corp = sel.groupby("corporatie")["aantal_woningen"].sum()
    return {
        "beschikbaar": True,
        "aantal": len(sel),
        "woningen": int(sel["aantal_woningen"].sum(skipna=True)),
        "per_corporatie": {str(k): int(v) for k, v in per_corp.items()},
        "voorbeelddata": bool(len(sel) and sel["bron"].map(is_sample).all()),
        "lijst": rows,
    }


def _afspraken(data: DossierLayers, niveau: str, code: str) -> dict[str, Any]:
    if data.ledger is None:
        return {"beschikbaar": False, "lijst": []}
    frame = applicable_afspraken(
        data.ledger,
        niveau=niveau,
        code=code,
        buurten=data.buurten,
        complexen=data.complexen,
        store=data.store,
    )
    rows = [{f: _plain(rec[f]) for f in AFSPRAAK_FIELDS} for _, rec in frame.iterrows()]
    for row in rows:
        row["gemeentebreed"] = row["via"] == "gemeentebreed"
    return {
        "beschikbaar": True,
        "register": data.ledger.meta.titel,
        "ondertekend": data.ledger.meta.ondertekend.isoformat(),
        "lijst": rows,
    }


SCORE_LABELS = {
    "lbm": "Leefbaarometer (totaal)",
    "afw": "Afwijking van landelijk gemiddelde",
    "won": "Woningvoorraad",
    "fys": "Fysieke omgeving",
    "vrz": "Voorzieningen",
    "soc": "Sociale samenhang",
    "onv": "Overlast en onveiligheid",
}
DIMENSIONS = ("won", "fys", "vrz", "soc", "onv")


def _count(value: Any) -> int | None:
    """A published count: an int, or None where it is suppressed (shown as "<5")."""
    v = _plain(value)
    return None if v is None else int(v)


def _incident_rows(
    table: pd.DataFrame, key: str, code: str, categories: list[str]
) -> list[dict[str, Any]]:
    rows = table[table[key] == code]
    return [
        {"periode": str(r["periode"]), **{c: _count(r[c]) for c in [*categories, "totaal"]}}
        for _, r in rows.iterrows()
    ]


def _liveability(data: DossierLayers, niveau: str, code: str) -> dict[str, Any]:
    """Scores per dimension against the references, trend, and incidents (suppressed)."""
    live = data.live
    out: dict[str, Any] = {
        "beschikbaar": bool(live),
        "voorbeelddata": bool({"leefbaarometer", "incidenten"} & data.sample_sources),
    }
    trend = live.get("leefbaarheid_trend")
    trend_level = niveau if niveau in ("buurt", "wijk", "regiegebied") else None
    if trend is not None and trend_level:
        rows = trend[(trend["niveau"] == trend_level) & (trend["code"] == code)].sort_values("jaar")
        scored = rows[rows["afw"].notna()] if "afw" in rows else rows.iloc[0:0]
        if len(rows) and not len(scored):
            out["geen_score"] = (
                "Geen gescoorde Leefbaarometer-cellen in dit gebied (de Leefbaarometer scoort alleen "
                "cellen met woningen)."
            )
        if len(scored):
            latest = scored.iloc[-1]
            out["jaar"] = int(latest["jaar"])
            out["scores"] = {k: _plain(latest[k]) for k in SCORE_LABELS if k in latest.index}
            out["klasse"] = _plain(latest["klasse"])
            out["aandeel_zwak"] = _plain(latest.get("aandeel_zwak"))
            out["dekking"] = _plain(latest.get("dekking"))
            out["cellen"] = _plain(latest.get("cellen"))
            out["betrouwbaar"] = bool(latest.get("betrouwbaar"))
            out["trend"] = [
                {
                    "jaar": int(r["jaar"]),
                    "lbm": _plain(r.get("lbm")),
                    "afw": _plain(r.get("afw")),
                    "klasse": _plain(r["klasse"]),
                }
                for _, r in rows.iterrows()
            ]
    refs = live.get("leefbaarheid_referentie")
    if refs is not None:
        out["referentie"] = {
            str(r["score"]): {
                "gemeente": _plain(r["gemeente"]),
                "nederland": _plain(r["nederland"]),
            }
            for _, r in refs.iterrows()
        }
    lb = live.get("leefbaarheid")
    if niveau == "buurt" and lb is not None:
        row = lb[lb["buurtcode"] == code]
        if len(row) and "prioriteit" in row.columns:
            r = row.iloc[0]
            out["prioriteit"] = {
                "waarde": _plain(r["prioriteit"]),
                "rang": None if _plain(r["rang"]) is None else int(r["rang"]),
                "van": int(lb["rang"].notna().sum()),
            }
    table_key = {
        "buurt": ("incidenten_buurt", "buurtcode"),
        "wijk": ("incidenten_wijk", "wijkcode"),
        "regiegebied": ("incidenten_regie", "regie_id"),
    }.get(niveau)
    if table_key and table_key[0] in live:
        table = live[table_key[0]]
        categories = [c for c in load_config().categories if c in table.columns]
        out["incidenten"] = {
            "categorieen": categories,
            "rijen": _incident_rows(table, table_key[1], code, categories),
            "drempel": data.report.drempel,
        }
    return out


def _containing_areas(data: DossierLayers, buurtcode: str) -> dict[str, list[dict[str, str]]]:
    """The regie and heat areas a buurt lies in (same definition as the linking)."""
    out: dict[str, list[dict[str, str]]] = {"regiegebieden": [], "warmtegebieden": []}
    if data.ledger is None:
        return out
    for r in data.ledger.regiegebieden:
        if buurtcode in (area_buurten(data.ledger, r.regie_id, data.buurten) or []):
            out["regiegebieden"].append({"code": r.regie_id, "naam": r.naam})
    for w in data.ledger.warmtegebieden:
        if buurtcode in (area_buurten(data.ledger, w.gebied_id, data.buurten) or []):
            out["warmtegebieden"].append({"code": w.gebied_id, "naam": w.naam})
    return out


def build_dossier(code: str, data: DossierLayers) -> dict[str, Any]:
    """The dossier of a buurt (BU…), wijk (WK…), regiegebied or warmtegebied."""
    code = code.strip()
    if BUURTCODE_RE.match(code.upper()):
        return _buurt_dossier(code.upper(), data)
    if WIJKCODE_RE.match(code.upper()):
        return _wijk_dossier(code.upper(), data)
    if data.ledger is not None:
        if (r := data.ledger.regiegebied(code)) is not None:
            return _group_dossier("regiegebied", code, r.naam, r.buurtcodes, data) | {
                "partners": [data.ledger.partij_naam(p) for p in r.partners],
                "regisseur": data.ledger.partij_naam(r.regisseur)
                if r.regisseur
                else "nog vast te stellen",
                "toelichting": r.toelichting,
            }
        if (w := data.ledger.warmtegebied(code)) is not None:
            buurtcodes = tuple(area_buurten(data.ledger, code, data.buurten) or ())
            return _group_dossier("warmtegebied", code, w.naam, buurtcodes, data) | {
                "periode": w.periode,
                "startjaar": w.startjaar,
                "status": w.status,
                "strategie": w.strategie,
                "partners": [data.ledger.partij_naam(p) for p in w.partners],
                "toelichting": w.toelichting,
            }
    raise ValidationError(
        [
            f"gebiedscode {code!r} onbekend: verwacht een buurtcode (BU + 8 cijfers), wijkcode "
            "(WK + 6 cijfers) of de id van een regiegebied of warmtegebied"
        ]
    )


def _wijk_figures(wijk: pd.Series) -> dict[str, Any]:
    return {label: _plain(wijk[col]) for col, label in WIJK_FIGURES.items() if col in wijk.index}


def _buurt_dossier(code: str, data: DossierLayers) -> dict[str, Any]:
    match = data.buurten[data.buurten["buurtcode"] == code]
    if match.empty:
        raise ValidationError([f"{data.path}: buurtcode {code!r} bestaat niet in laag 'buurten'"])
    buurt = match.iloc[0]
    wijk = data.wijken[data.wijken["wijkcode"] == buurt["wijkcode"]].iloc[0]
    mask = data.complexen["buurtcode"] == code if data.complexen is not None else None
    return {
        "niveau": "buurt",
        "code": code,
        "naam": buurt["buurtnaam"],
        "wijk": {"code": wijk["wijkcode"], "naam": wijk["wijknaam"]},
        "gemeente": {"code": buurt["gemeentecode"], "naam": _plain(buurt.get("gemeentenaam"))},
        "jaar": _plain(buurt["jaar"]),
        "oppervlakte_ha": round(float(match.geometry.area.iloc[0]) / 10_000, 1),
        "kerncijfers": {},
        "kerncijfers_wijk": _wijk_figures(wijk),
        "kerncijfers_toelichting": "Kerncijfers per buurt zitten niet in de meegeleverde CBS-bestanden; getoond zijn die van de wijk.",
        **_containing_areas(data, code),
        "complexen": _complex_summary(data.complexen, mask),
        "afspraken": _afspraken(data, "buurt", code),
        "leefbaarheid": _liveability(data, "buurt", code),
    }


def _wijk_dossier(code: str, data: DossierLayers) -> dict[str, Any]:
    match = data.wijken[data.wijken["wijkcode"] == code]
    if match.empty:
        raise ValidationError([f"{data.path}: wijkcode {code!r} bestaat niet in laag 'wijken'"])
    wijk = match.iloc[0]
    buurten = data.buurten[data.buurten["wijkcode"] == code]
    mask = (
        data.complexen["buurtcode"].isin(buurten["buurtcode"])
        if data.complexen is not None
        else None
    )
    return {
        "niveau": "wijk",
        "code": code,
        "naam": wijk["wijknaam"],
        "gemeente": {"code": wijk["gemeentecode"], "naam": _plain(wijk.get("gemeentenaam"))},
        "jaar": _plain(wijk["jaar"]),
        "oppervlakte_ha": round(float(match.geometry.area.iloc[0]) / 10_000, 1),
        "kerncijfers": _wijk_figures(wijk),
        "buurten": [
            {"code": c, "naam": n}
            for c, n in zip(buurten["buurtcode"], buurten["buurtnaam"], strict=True)
        ],
        "complexen": _complex_summary(data.complexen, mask),
        "afspraken": _afspraken(data, "wijk", code),
        "leefbaarheid": _liveability(data, "wijk", code),
    }


def _group_dossier(
    niveau: str, code: str, naam: str, buurtcodes: tuple[str, ...], data: DossierLayers
) -> dict[str, Any]:
    """A regiegebied or warmtegebied: a named group of buurten."""
    buurten = data.buurten[data.buurten["buurtcode"].isin(buurtcodes)]
    mask = (
        data.complexen["buurtcode"].isin(buurten["buurtcode"])
        if data.complexen is not None
        else None
    )
    return {
        "niveau": niveau,
        "code": code,
        "naam": naam,
        "oppervlakte_ha": round(float(buurten.geometry.area.sum()) / 10_000, 1),
        "kerncijfers": {},
        "buurten": [
            {"code": c, "naam": n}
            for c, n in zip(buurten["buurtcode"], buurten["buurtnaam"], strict=True)
        ],
        "complexen": _complex_summary(data.complexen, mask),
        "afspraken": _afspraken(data, niveau, code),
        "leefbaarheid": _liveability(data, niveau, code),
    }


def format_dossier(d: dict[str, Any]) -> str:
    """Plain-text rendering for the terminal (Dutch)."""
    lines = [f"{d['naam']} ({d['code']}), {d['niveau']}"]
    if d["niveau"] == "buurt":
        lines.append(
            f"Wijk: {d['wijk']['naam']} ({d['wijk']['code']}); gemeente {d['gemeente']['naam'] or ''} ({d['gemeente']['code']})"
        )
        for key, label in (("regiegebieden", "Regiegebied"), ("warmtegebieden", "Warmtegebied")):
            for area in d.get(key, []):
                lines.append(f"{label}: {area['naam']} ({area['code']})")
    if d["niveau"] in ("regiegebied", "warmtegebied"):
        if d.get("regisseur"):
            lines.append(f"Regisseur: {d['regisseur']}")
        if d.get("periode"):
            lines.append(f"Periode: {d['periode']}; status: {d['status']}")
        if d.get("partners"):
            lines.append("Partners: " + ", ".join(d["partners"]))
    lines.append(
        f"Oppervlakte: {d['oppervlakte_ha']} ha"
        + (f"; indeling {d['jaar']}" if d.get("jaar") else "")
    )
    figures = d["kerncijfers"] or d.get("kerncijfers_wijk", {})
    if figures:
        lines.append("Kerncijfers" + (" (van de wijk)" if not d["kerncijfers"] else "") + ":")
        lines += [f"  {k}: {v if v is not None else 'onbekend'}" for k, v in figures.items()]
    lines += _format_complexen(d["complexen"])
    lines += _format_liveability(d.get("leefbaarheid", {}))
    lines += _format_afspraken(d["afspraken"])
    if d["niveau"] != "buurt":
        lines.append("Buurten: " + ", ".join(f"{b['naam']} ({b['code']})" for b in d["buurten"]))
    return "\n".join(lines)


def _format_complexen(c: dict[str, Any]) -> list[str]:
    if not c["beschikbaar"]:
        return ["Complexen: geen complexenbestand in deze build"]
    mark = " [voorbeelddata]" if c.get("voorbeelddata") else ""
    per = ", ".join(f"{k} {v}" for k, v in c["per_corporatie"].items())
    lines = [
        f"Complexen{mark}: {c['aantal']} met {c['woningen']} woningen"
        + (f" ({per})" if per else "")
    ]
    for r in c["lijst"][:50]:
        lines.append(
            f"  {r['complex_id']:<10} {r['naam'] or '(zonder naam)':<32} {r['corporatie'] or '':<10} "
            f"{fmt(r['aantal_woningen'], '>4')} won., {r['bouwjaar'] or '?'}, label {r['energielabel'] or '?'}"
        )
    if len(c["lijst"]) > 50:
        lines.append(f"  ... en nog {len(c['lijst']) - 50}")
    return lines


def _format_afspraken(a: dict[str, Any]) -> list[str]:
    if not a["beschikbaar"]:
        return ["Afspraken: geen afsprakenregister in deze build"]
    lines = [f"Afspraken ({a['register']}, ondertekend {a['ondertekend']}): {len(a['lijst'])}"]
    for r in a["lijst"]:
        voortgang = f", {r['voortgang']}%" if r["voortgang"] is not None else ""
        lines.append(
            f"  {r['afspraak_id']:<11} [{r['status']}{voortgang}] {r['titel']}  ({r['via']})"
        )
        lines.append(f"              trekker: {r['trekker']}; partijen: {r['partijen']}")
    return lines


def fmt(value: float | None, spec: str) -> str:
    """A number for display, or "—" when there is none.

    >>> fmt(None, ".3f"), fmt(0.25, ".0%"), fmt(-0.1234, "+.3f")
    ('—', '25%', '-0.123')
    """
    return "—" if value is None or value != value else format(value, spec)


def _format_liveability(lv: dict[str, Any]) -> list[str]:
    if not lv.get("beschikbaar"):
        return ["Leefbaarheid: geen Leefbaarometer of incidenten in deze build"]
    mark = " [voorbeelddata]" if lv.get("voorbeelddata") else ""
    lines = []
    if "geen_score" in lv:
        lines.append(f"Leefbaarheid{mark}: {lv['geen_score']}")
    if "scores" in lv:
        s = lv["scores"]
        lines.append(
            f"Leefbaarheid {lv['jaar']}{mark}: {lv['klasse']} (lbm {fmt(s.get('lbm'), '.3f')}, "
            f"afwijking {fmt(s.get('afw'), '+.3f')}); aandeel zwak {fmt(lv['aandeel_zwak'], '.0%')}, "
            f"dekking {fmt(lv['dekking'], '.0%')}"
        )
        lines.append(
            "  dimensies: " + ", ".join(f"{k} {fmt(s.get(k), '+.3f')}" for k in DIMENSIONS)
        )
        if "trend" in lv:
            lines.append(
                "  verloop: "
                + ", ".join(f"{t['jaar']} {fmt(t['afw'], '+.3f')}" for t in lv["trend"])
            )
    if "prioriteit" in lv and lv["prioriteit"]["waarde"] is not None:
        p = lv["prioriteit"]
        lines.append(f"  prioriteit: {p['waarde']:.1f} (rang {p['rang']} van {p['van']})")
    if "incidenten" in lv:
        inc = lv["incidenten"]
        t = inc["drempel"]
        lines.append(f"Incidenten{mark} (afgeschermd onder {t}: '<{t}'):")
        for r in inc["rijen"]:
            shown = ", ".join(f"{c} {_shown(r[c], t)}" for c in inc["categorieen"])
            lines.append(f"  {r['periode']:<10} totaal {_shown(r['totaal'], t):>5}  ({shown})")
    return lines


def _shown(value: int | None, threshold: int) -> str:
    return display_count(pd.NA if value is None else value, threshold=threshold)
