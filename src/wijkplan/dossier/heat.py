"""The heat part of a dossier: the adopted plan, the indication and the aquathermal project.

Everything comes from the built layers ``warmteplan``, ``warmtegebieden``, ``aquathermie``
and ``aquathermie_raming``; nothing is recomputed here, so the dossier shows what the
build decided (with the configuration the build used).
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from wijkplan import catalogue
from wijkplan.areas import Area
from wijkplan.dossier.model import (
    AquathermalPart,
    AquathermalScope,
    BuurtHeatRow,
    Heat,
    HeatIndication,
    PblResult,
    Quantity,
    Ref,
)
from wijkplan.read import BuiltLayers
from wijkplan.settings import is_sample

#: The indicator's inputs shown in a dossier, in this order (columns of ``warmteplan``).
INPUTS = (
    "woningen",
    "woningdichtheid",
    "aandeel_meergezins",
    "aandeel_corporatie",
    "aandeel_voor_1975",
    "aandeel_vanaf_1995",
    "aandeel_label_ab",
    "aandeel_label_efg",
    "woningen_met_label",
    "warmtevraag_gj",
    "warmtevraag_per_ha",
    "afstand_oppervlaktewater",
    "aandeel_stadsverwarming",
)
#: Inputs that add up over buurten (the others are shown per buurt only).
ADDITIVE = ("woningen", "woningen_met_label", "warmtevraag_gj")


def _plain(value: Any) -> Any:
    if value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value)):
        return None
    return value.item() if hasattr(value, "item") else value


#: Columns of the heat layers that hold whole numbers (read back as floats where empty).
_WHOLE = {
    c.name
    for name in ("warmteplan", "warmtegebieden", "aquathermie")
    for c in catalogue.layer(name).columns
    if c.type == "geheel getal"
}


def _value(row: pd.Series, name: str) -> Any:
    """A cell as plain Python: whole-number columns as int (GeoPackage NULLs make them float)."""
    value = _plain(row.get(name))
    if name in _WHOLE and isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def heat_of(layers: BuiltLayers, area: Area) -> Heat:
    """The heat part of the dossier of ``area`` (any kind)."""
    plan = layers.warmteplan
    if plan is None:
        return Heat(beschikbaar=False)
    rows = plan[plan["buurtcode"].isin(area.buurtcodes)]
    if not len(rows):
        return Heat(beschikbaar=False)
    first = rows.iloc[0]
    parts: dict[str, Any] = {
        "beschikbaar": True,
        "plan": _plain(first["plan"]),
        "plan_voorbeelddata": "warmteplan" in layers.sample_sources,
        "aquathermie": _aquathermal(layers, area),
    }
    if area.kind in ("buurt", "complex"):
        parts |= _buurt(first) | _district_sources(layers, _plain(first.get("gebied_id")))
    else:
        parts |= _group(layers, area, rows)
    return Heat(**parts)


def _buurt(row: pd.Series) -> dict[str, Any]:
    sources = catalogue.parse_pairs(row.get("invoer_bron"))
    sample = bool(row.get("invoer_voorbeelddata"))
    spec = catalogue.layer("warmteplan")
    invoer = [
        Quantity(
            naam=name,
            omschrijving=spec.column(name).meaning,
            waarde=_value(row, name),
            eenheid=spec.column(name).unit,
            bron=sources.get(name),
            soort="invoer",
        )
        for name in INPUTS
        if name in row.index
    ]
    redenen = [line for line in str(_plain(row.get("indicatie_redenen")) or "").split("\n") if line]
    onbekend = [
        x.strip() for x in str(_plain(row.get("indicatie_onbekend")) or "").split(",") if x.strip()
    ]
    indication = None
    if _plain(row.get("indicatie")) is not None:
        indication = HeatIndication(
            strategie=str(row["indicatie"]),
            regel=_plain(row.get("indicatie_regel")),
            redenen=redenen,
            onbekend=onbekend,
            voorbeelddata=sample
            and any(is_sample(s) or "voorbeelddata" in s for s in sources.values()),
        )
    gebied = (
        Ref(str(row["gebied_id"]), _plain(row.get("gebied_naam")))
        if _plain(row.get("gebied_id"))
        else None
    )
    pbl = None
    if _plain(row.get("pbl_strategie")) is not None or _plain(row.get("pbl_variant")) is not None:
        pbl = PblResult(
            strategie=_plain(row.get("pbl_strategie")),
            variant=_plain(row.get("pbl_variant")),
            nat_meerkosten_weq=_plain(row.get("pbl_nat_meerkosten_weq")),
            nat_meerkosten_co2=_plain(row.get("pbl_nat_meerkosten_co2")),
            bron="PBL Startanalyse aardgasvrije buurten",
        )
    return {
        "gebied": gebied,
        "begrenzing": _plain(row.get("begrenzing")),
        "strategie": _plain(row.get("strategie")),
        "strategie_bron": _plain(row.get("strategie_bron")),
        "warmtebron": _plain(row.get("warmtebron")),
        "fase": _plain(row.get("fase")),
        "fase_bron": _plain(row.get("fase_bron")),
        "startjaar": _value(row, "startjaar"),
        "startjaar_bron": _plain(row.get("startjaar_bron")),
        "indicatie": indication,
        "afwijking": _plain(row.get("afwijking")),
        "invoer": invoer,
        "pbl": pbl,
    }


def _district_sources(layers: BuiltLayers, gebied_id: str | None) -> dict[str, Any]:
    """What only the district row says: why its boundary is what it is, and its period."""
    gebieden = layers.warmtegebieden
    if gebied_id is None or gebieden is None:
        return {}
    hit = gebieden[gebieden["gebied_id"].astype(str) == gebied_id]
    if not len(hit):
        return {}
    return {
        "begrenzing_bron": _plain(hit.iloc[0]["begrenzing_bron"]),
        "periode": _plain(hit.iloc[0]["periode"]),
    }


def _group(layers: BuiltLayers, area: Area, rows: pd.DataFrame) -> dict[str, Any]:
    """A wijk, district, regie area or the gemeente: its buurten side by side, and its totals."""
    sources = catalogue.parse_pairs(rows.iloc[0].get("invoer_bron"))
    sample_homes = sources.get("woningen", "")
    buurten = [
        BuurtHeatRow(
            buurtcode=str(r["buurtcode"]),
            buurtnaam=str(r["buurtnaam"]),
            strategie=_plain(r["strategie"]),
            fase=_plain(r["fase"]),
            indicatie=_plain(r["indicatie"]),
            afwijking=_plain(r["afwijking"]),
            woningen=_value(r, "woningen"),
            begrenzing=_plain(r["begrenzing"]),
            startjaar=_value(r, "startjaar"),
            voorbeelddata="voorbeelddata" in sample_homes,
        )
        for _, r in rows.sort_values("buurtcode").iterrows()
    ]
    counts = rows["strategie"].value_counts()
    spec = catalogue.layer("warmteplan")
    invoer = []
    for name in ADDITIVE:
        values = pd.to_numeric(rows[name], errors="coerce")
        complete = bool(values.notna().all())
        invoer.append(
            Quantity(
                naam=name,
                omschrijving=spec.column(name).meaning
                + ("" if complete else " (niet voor elke buurt bekend: ondergrens)"),
                waarde=(
                    (int(values.sum()) if name in _WHOLE else float(values.sum()))
                    if values.notna().any()
                    else None
                ),
                eenheid=spec.column(name).unit,
                bron=f"som van de buurten; {sources.get(name, 'onbekend')}",
                soort="invoer",
            )
        )
    parts: dict[str, Any] = {
        "buurten": buurten,
        "strategieen": {str(k): int(v) for k, v in counts.items()},
        "invoer": invoer,
    }
    if area.kind == "warmtegebied" and layers.warmtegebieden is not None:
        gebieden = layers.warmtegebieden
        hit = gebieden[gebieden["gebied_id"].astype(str) == area.code]
        if len(hit):
            g = hit.iloc[0]
            parts |= {
                "gebied": Ref(area.code, area.naam),
                "begrenzing": _plain(g["begrenzing"]),
                "begrenzing_bron": _plain(g["begrenzing_bron"]),
                "strategie": _plain(g["strategie"]),
                "strategie_bron": _plain(g["strategie_bron"]),
                "warmtebron": _plain(g["warmtebron"]),
                "fase": _plain(g["fase"]),
                "fase_bron": _plain(g["fase_bron"]),
                "startjaar": _value(g, "startjaar"),
                "startjaar_bron": _plain(g["startjaar_bron"]),
                "periode": _plain(g["periode"]),
            }
    return parts


def _aquathermal(layers: BuiltLayers, area: Area) -> AquathermalScope | None:
    """The aquathermal project, when the area shares a buurt with the project's district."""
    features = layers.aquathermie
    if features is None or not len(features):
        return None
    gebied_id = str(features["gebied_id"].iloc[0])
    district = layers.areas.get(gebied_id)
    if district is None or not set(district.buurtcodes) & set(area.buurtcodes):
        return None
    estimate = layers.aquathermie_raming
    raming = []
    share = None
    if estimate is not None:
        for _, r in estimate.iterrows():
            q = Quantity(
                naam=str(r["grootheid"]),
                omschrijving=str(r["omschrijving"]),
                waarde=_plain(r["waarde"]),
                eenheid=_plain(r["eenheid"]),
                bron=_plain(r["bron"]),
                soort=_plain(r["soort"]),
            )
            if q.soort == "gepubliceerd":
                share = q
            else:
                raming.append(q)
    parts = [
        AquathermalPart(
            naam=str(r["naam"]),
            onderdeel=str(r["onderdeel"]),
            soort=_plain(r["soort"]),
            eigenaar=_plain(r["eigenaar"]),
            status=_plain(r["status"]),
            woningen=_value(r, "woningen"),
            warmtevraag_gj=_plain(r["warmtevraag_gj"]),
            ligging=_plain(r["ligging"]),
            bron=_plain(r["bron"]),
            voorbeelddata=bool(_plain(r.get("voorbeelddata"))),
        )
        for _, r in features.iterrows()
    ]
    water = next((p for p in parts if p.onderdeel == "bronwater"), None)
    plangebied = features[features["onderdeel"] == "plangebied"]
    scope = plangebied.iloc[0] if len(plangebied) else None
    project = layers.report.source("aquathermie")
    return AquathermalScope(
        naam=project.label if project and project.label else "Aquathermie",
        gebied=Ref(gebied_id, district.naam),
        bronwater=water.naam if water else None,
        techniek=_plain(scope["techniek"]) if scope is not None else None,
        leverancier=_plain(scope["leverancier"]) if scope is not None else None,
        onderdelen=[p for p in parts if p.onderdeel in ("object", "complex", "bronwater")],
        raming=raming,
        aandeel_ondertekenaars=share,
        schematisch=any(p.ligging != "bron" for p in parts),
        voorbeelddata=any(p.voorbeelddata for p in parts),
        toelichting=_plain(scope["bron"]) if scope is not None else None,
    )
