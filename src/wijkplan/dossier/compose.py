"""Composing the dossier of an area of any kind from the built layers and the status store."""

from __future__ import annotations

from typing import Any

import geopandas as gpd
import pandas as pd

from wijkplan import catalogue
from wijkplan.afspraken.linking import applicable_afspraken
from wijkplan.afspraken.store import StatusStore
from wijkplan.analysis.liveability import score_classes
from wijkplan.areas import Area
from wijkplan.config import load_config
from wijkplan.dossier.heat import heat_of
from wijkplan.dossier.model import (
    AfspraakRow,
    Afspraken,
    Complexen,
    ComplexRow,
    CountSeries,
    Dossier,
    Figure,
    IncidentRow,
    Liveability,
    Priority,
    Ref,
    Reference,
    TrendPoint,
)
from wijkplan.read import BuiltLayers
from wijkplan.settings import is_sample

#: The suffix of the incident and crime tables, and their key column, per kind of area.
_COUNT_TABLES = {
    "buurt": ("buurt", "buurtcode"),
    "wijk": ("wijk", "wijkcode"),
    "regiegebied": ("regie", "regie_id"),
    "gemeente": ("gemeente", "gemeentecode"),
}
SCORE_SOURCES = {
    "grid": "Leefbaarometer-grid, oppervlaktegewogen",
    "buurtbestand": "Leefbaarometer, de buurtscore die de Leefbaarometer zelf publiceert",
}
NO_SCORE = (
    "Geen gescoorde Leefbaarometer-cellen in dit gebied (de Leefbaarometer scoort alleen "
    "cellen met woningen)."
)


def build_dossier(code: str, layers: BuiltLayers, *, store: StatusStore | None = None) -> Dossier:
    """The dossier of any area: buurt, wijk, gemeente, regiegebied, warmtegebied or complex.

    Status and progress of the agreements are read from ``store`` (the live status
    store) now; everything else comes from the built layers.
    """
    area = layers.areas.resolve(code)
    buurten = layers.buurten[layers.buurten["buurtcode"].isin(area.buurtcodes)]
    first = buurten.iloc[0]
    gemeente = layers.areas.get(str(first["gemeentecode"]))
    parts: dict[str, Any] = {
        "niveau": area.kind,
        "code": area.code,
        "naam": area.naam,
        "jaar": _plain(first.get("jaar")),
        "gemeente": Ref(gemeente.code, gemeente.naam) if gemeente else None,
        "oppervlakte_ha": _hectares(_geometry_of(area, layers, buurten)),
        "complexen": _complexen(layers, area),
        "afspraken": _afspraken(layers, area, store),
        "leefbaarheid": _liveability(layers, area),
        "warmte": heat_of(layers, area),
    }
    if area.kind in ("buurt", "complex"):
        buurtcode = area.buurtcodes[0]
        wijk = layers.areas.resolve(str(first["wijkcode"]))
        parts["wijk"] = Ref(wijk.code, wijk.naam)
        inside = layers.areas.containing(buurtcode)
        parts["regiegebieden"] = [Ref(a.code, a.naam) for a in inside if a.kind == "regiegebied"]
        parts["warmtegebieden"] = [Ref(a.code, a.naam) for a in inside if a.kind == "warmtegebied"]
    if area.kind != "buurt":
        parts["buurten"] = [
            Ref(str(c), str(n))
            for c, n in zip(buurten["buurtcode"], buurten["buurtnaam"], strict=True)
        ]
    parts |= _figures(layers, area, buurten)
    if area.kind == "complex":
        parts["complex"] = parts["complexen"].lijst[0]
        parts["oppervlakte_ha"] = None if parts["oppervlakte_ha"] == 0 else parts["oppervlakte_ha"]
    if area.kind in ("regiegebied", "warmtegebied") and layers.ledger is not None:
        parts |= _group_details(layers, area)
    return Dossier(**parts)


# ---------------------------------------------------------------------------- parts


def _plain(value: Any) -> Any:
    if value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value)):
        return None
    return value.item() if hasattr(value, "item") else value


def _geometry_of(area: Area, layers: BuiltLayers, buurten: gpd.GeoDataFrame) -> gpd.GeoSeries:
    if area.kind == "wijk":
        return layers.wijken.geometry[layers.wijken["wijkcode"] == area.code]
    if area.kind == "complex" and layers.complexen is not None:
        return layers.complexen.geometry[layers.complexen["complex_id"].astype(str) == area.code]
    return buurten.geometry


def _hectares(geoms: gpd.GeoSeries) -> float:
    return round(float(geoms.area.sum()) / 10_000, 1)


def _figure_list(row: pd.Series) -> list[Figure]:
    """The figures a row has: a value, or the reason the source gives for its absence."""
    reasons = catalogue.parse_pairs(row.get("kerncijfers_ontbreekt"))
    sources = catalogue.parse_pairs(row.get("kerncijfers_bron"))
    return [
        Figure(
            c.name, c.meaning, _plain(row[c.name]), c.unit, reasons.get(c.name), sources.get(c.name)
        )
        for c in catalogue.FIGURE_COLUMNS
        if c.name in row.index and (_plain(row[c.name]) is not None or c.name in reasons)
    ]


def _summed(frame: pd.DataFrame, note: str) -> list[Figure]:
    """The additive figures summed over ``frame``'s rows, where every row has them."""
    sums = {
        c: int(frame[c].sum())
        for c in catalogue.ADDITIVE_FIGURES
        if c in frame.columns and len(frame) and frame[c].notna().all()
    }
    sources: dict[str, set[str]] = {}
    for text in frame.get("kerncijfers_bron", pd.Series(dtype=object)):
        for col, label in catalogue.parse_pairs(text).items():
            sources.setdefault(col, set()).add(label)
    bron = {c: f"{note} ({'; '.join(sorted(sources.get(c, [])))})".replace(" ()", "") for c in sums}
    row = pd.Series({**sums, "kerncijfers_bron": "; ".join(f"{k}: {v}" for k, v in bron.items())})
    return _figure_list(row)


def _figures(layers: BuiltLayers, area: Area, buurten: pd.DataFrame) -> dict[str, Any]:
    """Kerncijfers of the area: its own, else the sum over its parts; a buurt also its wijk's."""
    wijken = layers.wijken
    if area.kind == "wijk":
        return {"kerncijfers": _figure_list(wijken[wijken["wijkcode"] == area.code].iloc[0])}
    if area.kind in ("buurt", "complex"):
        wijk = wijken[wijken["wijkcode"] == buurten.iloc[0]["wijkcode"]].iloc[0]
        own = _figure_list(buurten.iloc[0]) if area.kind == "buurt" else []
        return {
            "kerncijfers": own,
            "kerncijfers_wijk": _figure_list(wijk),
            "kerncijfers_toelichting": None
            if own
            else "Geen kerncijfers per buurt in de bronnen; getoond zijn die van de wijk.",
        }
    own = _summed(buurten, "som van de buurten")
    if not own and area.kind == "gemeente":
        own = _summed(wijken, "som van de wijken")
    if not own:
        return {}
    return {"kerncijfers": own}


def _complexen(layers: BuiltLayers, area: Area) -> Complexen:
    c = layers.complexen
    if c is None:
        return Complexen(beschikbaar=False)
    if area.kind == "complex":
        sel = c[c["complex_id"].astype(str) == area.code]
    else:
        sel = c[c["buurtcode"].isin(area.buurtcodes)]
    rows = [
        ComplexRow(**{k: _plain(v) for k, v in rec.items()})
        for rec in sel[[f.name for f in ComplexRow.__dataclass_fields__.values()]].to_dict(
            "records"
        )
    ]
    per_corp = sel.groupby("corporatie")["aantal_woningen"].sum()
    return Complexen(
        beschikbaar=True,
        aantal=len(sel),
        woningen=int(sel["aantal_woningen"].sum(skipna=True)),
        per_corporatie={str(k): int(v) for k, v in per_corp.items()},
        voorbeelddata=bool(len(sel) and sel["bron"].map(is_sample).all()),
        lijst=rows,
    )


def _afspraken(layers: BuiltLayers, area: Area, store: StatusStore | None) -> Afspraken:
    ledger = layers.ledger
    if ledger is None:
        return Afspraken(beschikbaar=False)
    frame = applicable_afspraken(ledger, layers.areas, area.code, store=store)
    rows = [
        AfspraakRow(
            afspraak_id=str(r["afspraak_id"]),
            titel=str(r["titel"]),
            thema=str(r["thema"]),
            trekker=str(r["trekker"]),
            partijen=str(r["partijen"]),
            status=str(r["status"]),
            voortgang=_plain(r["voortgang"]),
            versie=int(r["versie"]),
            via=str(r["via"]),
            gemeentebreed=r["via"] == "gemeentebreed",
        )
        for _, r in frame.iterrows()
    ]
    return Afspraken(
        beschikbaar=True,
        register=ledger.meta.titel,
        ondertekend=ledger.meta.ondertekend.isoformat(),
        lijst=rows,
    )


def _group_details(layers: BuiltLayers, area: Area) -> dict[str, Any]:
    ledger = layers.ledger
    assert ledger is not None
    if (r := ledger.regiegebied(area.code)) is not None:
        return {
            "partners": [ledger.partij_naam(p) for p in r.partners],
            "regisseur": ledger.partij_naam(r.regisseur),
            "toelichting": r.toelichting,
        }
    w = ledger.warmtegebied(area.code)
    assert w is not None
    return {
        "periode": w.periode,
        "startjaar": w.startjaar,
        "status": w.status,
        "strategie": w.strategie,
        "partners": [ledger.partij_naam(p) for p in w.partners],
        "toelichting": w.toelichting,
    }


# ---------------------------------------------------------------------------- liveability


def _scores_of(row: pd.Series) -> dict[str, Any]:
    return {k: _plain(row[k]) for k in catalogue.SCORE_LABELS if k in row.index}


def _liveability(layers: BuiltLayers, area: Area) -> Liveability:
    """Scores per dimension against the references, trend, priority and incidents (suppressed)."""
    tables = layers.tables
    if not tables:
        return Liveability(beschikbaar=False)
    parts: dict[str, Any] = {"beschikbaar": True}
    refs = tables.get("leefbaarheid_referentie")
    if refs is not None:
        parts["referentie"] = {
            str(r["score"]): Reference(_plain(r["gemeente"]), _plain(r["nederland"]))
            for _, r in refs.iterrows()
        }
    parts |= _scores(layers, area)
    # sample or real: the source behind this area's score (a buurt may have the official one)
    source = (
        "leefbaarometer_buurten"
        if parts.get("bron") == SCORE_SOURCES["buurtbestand"]
        else "leefbaarometer"
    )
    parts["voorbeelddata"] = source in layers.sample_sources
    lb = tables.get("leefbaarheid")
    if area.kind == "buurt" and lb is not None and "prioriteit" in lb.columns:
        row = lb[lb["buurtcode"] == area.code]
        if len(row):
            r = row.iloc[0]
            parts["prioriteit"] = Priority(
                waarde=_plain(r["prioriteit"]),
                rang=None if _plain(r["rang"]) is None else int(r["rang"]),
                van=int(lb["rang"].notna().sum()),
            )
    for series in ("incidenten", "misdrijven"):
        parts[series] = _counts(layers, area, series)
    return Liveability(**parts)


def _counts(layers: BuiltLayers, area: Area, series: str) -> CountSeries | None:
    """The published incident or crime counts of the area per period, with their source."""
    if area.kind not in _COUNT_TABLES:
        return None
    suffix, key = _COUNT_TABLES[area.kind]
    table = layers.tables.get(f"{series}_{suffix}")
    if table is None:
        return None
    categories = [c for c in load_config().categories if c in table.columns]
    rows = table[table[key] == area.code]
    entry = layers.report.source(series)
    return CountSeries(
        categorieen=categories,
        rijen=[
            IncidentRow(
                periode=str(r["periode"]),
                aantallen={c: _count(r[c]) for c in [*categories, "totaal"]},
                per_1000=_plain(r.get("per_1000_totaal")),
                volledig=bool(r.get("volledig", True)),
            )
            for _, r in rows.iterrows()
        ],
        drempel=layers.report.threshold,
        voorbeelddata=series in layers.sample_sources,
        bron=entry.label if entry else None,
    )


def _count(value: Any) -> int | None:
    """A published count: an int, or None where it is suppressed (shown as "<5")."""
    v = _plain(value)
    return None if v is None else int(v)


def _scores(layers: BuiltLayers, area: Area) -> dict[str, Any]:
    """The latest scores of the area, from the trend table, the complexes or its buurten."""
    tables = layers.tables
    trend = tables.get("leefbaarheid_trend")
    if trend is None:
        return {}
    if area.kind in ("buurt", "wijk", "regiegebied", "warmtegebied"):
        rows = trend[(trend["niveau"] == area.kind) & (trend["code"] == area.code)]
        rows = rows.sort_values("jaar")
        scored = rows[rows["afw"].notna()]
        if not len(scored):
            return {"geen_score": NO_SCORE} if len(rows) else {}
        return _scored(scored.iloc[-1]) | {
            "trend": [
                TrendPoint(int(r["jaar"]), _plain(r["lbm"]), _plain(r["afw"]), _plain(r["klasse"]))
                for _, r in rows.iterrows()
            ]
        }
    if area.kind == "complex":
        per = tables.get("leefbaarheid_complexen")
        row = per[per["complex_id"].astype(str) == area.code] if per is not None else None
        if row is None or not len(row) or pd.isna(row.iloc[0]["afw"]):
            return {"geen_score": NO_SCORE}
        return _scored(row.iloc[0], "Leefbaarometer-grid onder het complex")
    # the gemeente: the exact area-weighted mean over it (the reference), from the grid
    refs = tables.get("leefbaarheid_referentie")
    if refs is None or not len(refs):
        return {}
    means = refs.set_index("score")["gemeente"]
    var = load_config().class_variable
    if pd.isna(means.get(var)):
        return {"geen_score": NO_SCORE}
    klasse = score_classes([float(means[var])]).iloc[0]
    return {
        "bron": "Leefbaarometer-grid, oppervlaktegewogen over de gemeente",
        "jaar": int(refs["jaar"].iloc[0]),
        "scores": {k: _plain(means.get(k)) for k in catalogue.SCORE_LABELS},
        "klasse": None if pd.isna(klasse) else str(klasse),
        "aandeel_zwak": _plain(means.get("zwak")),
    }


def _scored(row: pd.Series, bron: str | None = None) -> dict[str, Any]:
    return {
        "bron": bron or SCORE_SOURCES.get(str(row.get("scorebron")), str(row.get("scorebron"))),
        "jaar": int(row["jaar"]),
        "scores": _scores_of(row),
        "klasse": _plain(row["klasse"]),
        "aandeel_zwak": _plain(row.get("aandeel_zwak")),
        "dekking": _plain(row.get("dekking")),
        "cellen": _plain(row.get("cellen")),
        "betrouwbaar": bool(row.get("betrouwbaar")),
    }
