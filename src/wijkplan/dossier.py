"""The dossier of one area: what an area coordinator sees when clicking a polygon.

A dossier is a plain dict (JSON-serialisable) built from the GeoPackage layers,
so the CLI (``wijkplan dossier CODE``) and the app show the same thing.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd

from wijkplan import layers as layerio
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


class DossierLayers:
    """The layers a dossier reads, loaded once (the app caches one instance)."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self.buurten: gpd.GeoDataFrame = layerio.read_layer(path, "buurten")
        self.wijken: gpd.GeoDataFrame = layerio.read_layer(path, "wijken")
        self.complexen: gpd.GeoDataFrame | None = layerio.read_optional(path, "complexen")


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
        "woningen": int(sel["aantal_woningen"].sum()),
        "per_corporatie": {str(k): int(v) for k, v in per_corp.items()},
        "voorbeelddata": bool(len(sel) and sel["bron"].map(is_sample).all()),
        "lijst": rows,
    }


def build_dossier(code: str, data: DossierLayers) -> dict[str, Any]:
    """The dossier of buurt (BU…) or wijk (WK…) ``code``."""
    code = code.strip().upper()
    if BUURTCODE_RE.match(code):
        return _buurt_dossier(code, data)
    if WIJKCODE_RE.match(code):
        return _wijk_dossier(code, data)
    raise ValidationError(
        [
            f"gebiedscode {code!r} onbekend: verwacht een buurtcode (BU + 8 cijfers) of wijkcode (WK + 6 cijfers)"
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
        "complexen": _complex_summary(data.complexen, mask),
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
    }


def format_dossier(d: dict[str, Any]) -> str:
    """Plain-text rendering for the terminal (Dutch)."""
    lines = [f"{d['naam']} ({d['code']}), {d['niveau']}"]
    if d["niveau"] == "buurt":
        lines.append(
            f"Wijk: {d['wijk']['naam']} ({d['wijk']['code']}); gemeente {d['gemeente']['naam'] or ''} ({d['gemeente']['code']})"
        )
    lines.append(f"Oppervlakte: {d['oppervlakte_ha']} ha; indeling {d['jaar']}")
    figures = d["kerncijfers"] or d.get("kerncijfers_wijk", {})
    if figures:
        lines.append("Kerncijfers" + (" (van de wijk)" if not d["kerncijfers"] else "") + ":")
        lines += [f"  {k}: {v if v is not None else 'onbekend'}" for k, v in figures.items()]
    c = d["complexen"]
    if not c["beschikbaar"]:
        lines.append("Complexen: geen complexenbestand in deze build")
    else:
        mark = " [voorbeelddata]" if c.get("voorbeelddata") else ""
        per = ", ".join(f"{k} {v}" for k, v in c["per_corporatie"].items())
        lines.append(
            f"Complexen{mark}: {c['aantal']} met {c['woningen']} woningen"
            + (f" ({per})" if per else "")
        )
        for r in c["lijst"][:50]:
            lines.append(
                f"  {r['complex_id']:<10} {r['naam']:<32} {r['corporatie']:<10} {r['aantal_woningen']:>4} won., {r['bouwjaar']}, label {r['energielabel']}"
            )
        if len(c["lijst"]) > 50:
            lines.append(f"  ... en nog {len(c['lijst']) - 50}")
    if d["niveau"] == "wijk":
        lines.append("Buurten: " + ", ".join(f"{b['naam']} ({b['code']})" for b in d["buurten"]))
    return "\n".join(lines)
